"""``hindsight draft`` and ``hindsight timeline import`` end to end: notes, an Alertmanager log
and a Slack export give a draft whose milestones and timeline are right; importing is
idempotent on a real SQLite store; bad input is one line naming the file."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from cli_helpers import run, run_json
from hindsight.errors import InvalidInput
from hindsight.sources import ReadOptions
from hindsight.sources.draft import SourceInput, draft_from_files

from .places import DATA, INCIDENT, PAYLOADS

SOURCES = (
    "--notes", str(INCIDENT / "notes.md"),
    "--alertmanager", str(INCIDENT / "alertmanager.jsonl"),
    "--slack", str(INCIDENT / "slack"), "--channel", "incident-4512",
)  # fmt: skip

TIMELINE = [
    ("13:58:00", "deploy", "notes", "deploy 4512 went out (new pricing flag on)"),
    ("13:59:00", "impact", "notes", "impact started: first failed payments in the logs"),
    ("14:01:30", "alert", "alertmanager, slack:#incident-4512",
     "[FIRING] HighErrorRate on checkout-api: error rate above 5%"),
    ("14:02:05", "report", "slack:#incident-4512",
     "seeing 500s on checkout, customers reporting failed payments"),
    ("14:03:10", "alert", "alertmanager",
     "[FIRING] CheckoutLatencyHigh on checkout-api: p99 latency above 2s"),
    ("14:04:12", "acknowledgement", "slack:#incident-4512", "ack, I'm on it"),
    ("14:06:30", "deploy", "slack:#incident-4512",
     "deploy 4512 went out at 13:58 and has the new pricing flag, suspect it"),
    ("14:09:00", "note", "slack:#incident-4512",
     "agree, @Bob Diaz the error spike lines up with it"),
    ("14:12:44", "mitigation", "slack:#incident-4512, notes", "rolling back deploy 4512"),
    ("14:20:03", "communication", "slack:#incident-4512",
     "posted an update on the status page: checkout degraded"),
    ("14:30:40", "resolution", "alertmanager, slack:#incident-4512",
     "[RESOLVED] CheckoutLatencyHigh on checkout-api: p99 latency above 2s"),
    ("14:31:02", "resolution", "slack:#incident-4512", "error rate back to normal, resolved"),
    ("14:33:00", "resolution", "alertmanager",
     "[RESOLVED] HighErrorRate on checkout-api: error rate above 5%"),
    ("14:40:00", "all_clear", "notes", "all clear, closing the incident"),
]  # fmt: skip

MILESTONES = {
    "impact_started_at": "2024-03-05T13:59:00Z",
    "detected_at": "2024-03-05T14:01:30.118000Z",
    "acknowledged_at": "2024-03-05T14:04:12.000030Z",
    "mitigated_at": "2024-03-05T14:12:44.000100Z",
    "resolved_at": "2024-03-05T14:33:00Z",
    "all_clear_at": "2024-03-05T14:40:00Z",
}


def rows(timeline: list[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    return [(e["at"][11:19], e["kind"], e["source"], e["text"]) for e in timeline]


def test_library_draft_from_notes_alertmanager_and_slack() -> None:
    draft = draft_from_files(
        [
            SourceInput("notes", INCIDENT / "notes.md"),
            SourceInput("alertmanager", INCIDENT / "alertmanager.jsonl"),
            SourceInput("slack", INCIDENT / "slack", channel="incident-4512"),
        ]
    )
    pm = draft.postmortem
    assert pm.title == "Checkout errors after deploy 4512"
    assert pm.services == ["checkout-api"]
    assert pm.date is not None and pm.date.isoformat() == "2024-03-05"
    assert pm.summary == (
        "Checkout errors after deploy 4512: detected at 14:01 UTC, acknowledged at 14:04 UTC, "
        "mitigated at 14:12 UTC, resolved at 14:33 UTC (34m in all)."
    )
    assert [(e.at.strftime("%H:%M:%S") if e.at else "", e.kind.value, e.source, e.text)
            for e in pm.timeline] == TIMELINE  # fmt: skip
    assert pm.durations.time_to_detect == 150
    assert pm.detection.method is not None and pm.detection.method.value == "automated_alert"
    assert pm.root_cause.description is None and pm.action_items == []  # left to the author
    assert draft.merged == 9  # 6 repeated notifications, 2 Slack bot posts, 1 note
    assert draft.warnings == []


def test_cli_json_draft_has_the_milestones_their_reasons_and_the_timeline(
    env: dict[str, str],
) -> None:
    data = run_json("draft", *SOURCES)
    pm = data["postmortem"]
    assert {k: v for k, v in pm["milestones"].items() if v} == MILESTONES
    assert pm["durations"]["total"] == 2040
    assert rows(pm["timeline"]) == TIMELINE
    reasons = {r["milestone"]: r for r in data["milestone_reasons"]}
    assert reasons["detected_at"]["rule"] == "first alert or human report"
    assert reasons["detected_at"]["event"]["source_ref"].startswith(
        "alertmanager:3f1a9c0d2b7e4a61:2024-03-05T14:01:30.118000Z slack:C07INC4512:"
    )
    assert reasons["impact_started_at"]["rule"] == "explicit impact note"
    assert reasons["resolved_at"]["rule"] == "last resolution, no alert fired after it"
    assert [s["kind"] for s in data["sources"]] == ["alertmanager", "slack", "notes"]


def test_cli_prints_markdown_and_how_the_milestones_were_chosen(env: dict[str, str]) -> None:
    code, out, err = run("draft", *SOURCES, "--layout", "sre")
    assert code == 0, err
    front = yaml.safe_load(out.split("---\n")[1])
    assert front["title"] == "Checkout errors after deploy 4512"
    assert front["milestones"]["mitigated_at"] == "2024-03-05T14:12:44Z"
    assert "| 14:12:44 | rolling back deploy 4512 |" in out
    assert "_[" in out  # every analysis section is marked for the author
    lines = err.splitlines()
    assert lines[0] == "How the milestones were chosen:"
    assert lines[2] == (
        "  detected 2024-03-05 14:01:30 UTC: first alert or human report — [FIRING] "
        "HighErrorRate on checkout-api: error rate above 5% (alertmanager, slack:#incident-4512)"
    )


def test_overrides_and_window(env: dict[str, str]) -> None:
    data = run_json(
        "draft", *SOURCES,
        "--since", "2024-03-05 15:00", "--until", "2024-03-05T14:35:00Z",
        "--detected-at", "2024-03-05 15:01", "--tz", "CET",
    )  # fmt: skip
    pm = data["postmortem"]
    assert pm["milestones"]["detected_at"] == "2024-03-05T14:01:00Z"
    # the first alert (14:01:30) is after the detection given, so no impact start is inferred
    assert pm["milestones"]["impact_started_at"] is None
    times = [e["at"][11:16] for e in pm["timeline"]]
    assert times[0] == "14:01" and times[-1] == "14:33"  # notes' 13:58, 13:59, 14:40 are outside
    detected = next(r for r in data["milestone_reasons"] if r["milestone"] == "detected_at")
    assert (detected["rule"], detected["overridden"]) == ("set by the author", True)


def test_save_then_import_is_idempotent(env: dict[str, str]) -> None:
    code, out, err = run(
        "draft", "--notes", str(INCIDENT / "notes.md"),
        "--alertmanager", str(INCIDENT / "alertmanager.jsonl"), "--save",
    )  # fmt: skip
    assert code == 0, err
    ref = out.strip()
    assert ref == "INC-2024-03-05-001"
    before = run_json("show", ref)
    assert len(before["timeline"]) == 8

    first = run_json("timeline", "import", ref, str(DATA / "pagerduty_log_entries.json"),
                     "--source", "pagerduty")  # fmt: skip
    assert (first["added"], first["merged"], first["skipped"]) == (4, 1, 0)
    again = run_json("timeline", "import", ref, str(DATA / "pagerduty_log_entries.json"),
                     "--source", "pagerduty")  # fmt: skip
    assert (again["added"], again["merged"], again["skipped"]) == (0, 0, 5)
    assert again["revision"] == first["revision"]

    slack = run_json("timeline", "import", ref, str(INCIDENT / "slack"), "--source", "slack",
                     "--channel", "incident-4512")  # fmt: skip
    assert slack["merged"] >= 3  # the bot's alert posts and the rollback were already there
    stored = run_json("show", ref)
    times = [e["at"] for e in stored["timeline"]]
    assert times == sorted(times)
    rollback = next(e for e in stored["timeline"] if e["text"] == "Bob rolled back deploy 4512")
    assert "slack:#incident-4512" in rollback["source"]  # the author's wording stays
    code, out, _ = run("timeline", "import", ref, str(INCIDENT / "slack"), "--source", "slack",
                       "--channel", "incident-4512")  # fmt: skip
    assert code == 0 and " 0 events added, 0 merged" in out


def test_pagerduty_note_merges_with_the_rollback(env: dict[str, str]) -> None:
    data = run_json("draft", "--pagerduty", str(DATA / "pagerduty_log_entries.json"),
                    "--notes", str(INCIDENT / "notes.md"))  # fmt: skip
    rollback = next(e for e in data["postmortem"]["timeline"] if e["kind"] == "mitigation")
    assert rollback["source"] == "pagerduty, notes"
    assert rollback["text"] == "[Note] Rolled back deploy 4512"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--alertmanager", str(PAYLOADS / "opsgenie" / "create.json")),
            f"{PAYLOADS / 'opsgenie' / 'create.json'}: not an Alertmanager webhook: missing "
            "'alerts'",
        ),
        (("--notes", str(INCIDENT / "notes.md"), "--tz", "Mars/Olympus"),
         "--tz: unknown time zone 'Mars/Olympus'"),
        (("--notes", str(INCIDENT / "notes.md"), "--since", "yesterday"),
         "--since: 'yesterday' is not a date and time (ISO 8601 or 'YYYY-MM-DD HH:MM')"),
        (("--slack", str(INCIDENT / "slack")),
         f"{INCIDENT / 'slack'}: the export has several channels; name one (--channel): general, "
         "incident-4512"),
        ((), "name at least one source: --notes, --alertmanager, --slack, ..."),
    ],
)  # fmt: skip
def test_bad_input_is_one_line(env: dict[str, str], args: tuple[str, ...], message: str) -> None:
    code, out, err = run("draft", *args)
    assert code == 2
    assert err == f"hindsight: error: {message}\n"
    assert out == ""


def test_truncated_export_and_partly_readable_one(env: dict[str, str], tmp_path: Path) -> None:
    cut = tmp_path / "export.zip"
    cut.write_bytes(b"PK\x03\x04" + bytes(100))
    code, _, err = run("draft", "--slack", str(cut), "--channel", "x")
    assert code == 2 and err.count("\n") == 1 and f"{cut}: not a Slack export" in err

    export = tmp_path / "export"
    shutil.copytree(INCIDENT / "slack", export)
    extra = export / "incident-4512" / "2024-03-06.json"
    extra.write_text('[{"type": "message", "text": "late", "ts": "17096')
    code, _, err = run("draft", "--slack", str(export), "--channel", "incident-4512")
    assert code == 0
    assert f"warning: skipped {extra}:1:" in err


def test_unknown_source_kind_and_missing_postmortem(env: dict[str, str]) -> None:
    notes = str(INCIDENT / "notes.md")
    code, out, err = run("draft", "--notes", notes, "--alertmanager",
                         str(INCIDENT / "alertmanager.jsonl"), "--save")  # fmt: skip
    assert code == 0, err
    code, _, err = run("timeline", "import", out.strip(), notes, "--source", "jira")
    assert (code, err) == (2, "hindsight: error: unknown source kind 'jira'; use one of "
                              "alertmanager, grafana, pagerduty, opsgenie, github, slack, notes, "
                              "csv, jsonl\n")  # fmt: skip
    code, _, err = run("timeline", "import", "INC-1", notes, "--source", "notes")
    assert code == 3 and err.startswith("hindsight: error: ")


def test_notes_imported_alone_take_the_postmortems_date(env: dict[str, str]) -> None:
    code, out, err = run("draft", "--alertmanager", str(INCIDENT / "alertmanager.jsonl"),
                         "--save")  # fmt: skip
    assert code == 0, err
    data = run_json("timeline", "import", out.strip(), str(INCIDENT / "notes.md"),
                    "--source", "notes")  # fmt: skip
    assert (data["added"], data["merged"]) == (4, 0)
    stored = run_json("show", out.strip())
    assert stored["timeline"][0]["at"] == "2024-03-05T13:58:00Z"


def test_notes_without_a_date_need_one_from_elsewhere() -> None:
    with pytest.raises(InvalidInput) as caught:
        draft_from_files([SourceInput("notes", INCIDENT / "notes.md")])
    assert str(caught.value).startswith(f"{INCIDENT / 'notes.md'}:5: no date for '13:58'")
    options = ReadOptions(day=date(2024, 3, 5))
    draft = draft_from_files([SourceInput("notes", INCIDENT / "notes.md")], options=options)
    assert draft.postmortem.milestones.impact_started_at == datetime(2024, 3, 5, 13, 59, tzinfo=UTC)
