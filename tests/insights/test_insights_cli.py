"""The insight commands end to end: on a folder of postmortems (``--from``, no database) and on
a real SQLite store holding the same postmortems."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from insights_data import october_set

from cli_helpers import run, run_json
from hindsight.model import Postmortem


def _with(pm: Postmortem, **changes: object) -> Postmortem:
    return Postmortem.model_validate({**pm.model_dump(exclude={"durations"}), **changes})


def postmortems() -> list[Postmortem]:
    pms = october_set()
    items = [
        {
            "id": "A1",
            "action": "Alert on pool saturation",
            "owner": "Ana",
            "priority": "P0",
            "due": "2026-10-20",
            "team": "sre",
        },
        {
            "id": "A2",
            "action": "Write the failover runbook",
            "owner": "Lee",
            "priority": "P2",
            "due": "2026-11-20",
            "category": "respond",
        },
        {
            "id": "A3",
            "action": "Canary config pushes",
            "owner": "Ana",
            "status": "done",
            "due": "2026-10-10",
            "completed_on": "2026-10-08",
        },
    ]
    pms[0] = _with(
        pms[0],
        action_items=items,
        follow_ups=[{"date": "2026-10-31", "kind": "30-day retrospective"}],
        contributing_factors=["Connection pool sized below peak load"],
        lessons={"learned": ["Pools need saturation alerts"]},
    )
    pms[1] = _with(
        pms[1],
        contributing_factors=["Traffic doubled and the pool ran out"],
        status="in_review",
    )
    return pms


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    directory = tmp_path / "postmortems"
    directory.mkdir()
    for pm in postmortems():
        (directory / f"{pm.id}.json").write_text(pm.model_dump_json(), encoding="utf-8")
    (directory / "broken.json").write_text("{not json", encoding="utf-8")
    return directory


def test_metrics_from_a_folder(env: dict[str, str], folder: Path) -> None:
    code, out, err = run("metrics", "--by", "month", "--json", "--from", str(folder))
    assert code == 0, err
    assert "broken.json: skipped" in err
    data = json.loads(out)
    october = next(g for g in data["groups"] if g["group"] == "2026-10")
    assert october["metrics"]["time_to_detect"] == {
        "from": "impact_started_at",
        "to": "detected_at",
        "count": 2,
        "excluded": 1,
        "mean": 1200.0,
        "median": 1200.0,
        "p90": 1800.0,
    }
    assert data["drills_excluded"] == 2
    assert data["health"]["postmortems"] == 5


def test_metrics_text_and_per_incident(env: dict[str, str], folder: Path) -> None:
    code, out, _ = run("metrics", "--by", "severity", "--from", str(folder))
    assert code == 0 and "SEV-1" in out and "TTD: impact_started_at → detected_at" in out
    assert "postmortem health" in out
    rows = run_json("metrics", "--incidents", "--include-drills", "--from", str(folder))
    assert isinstance(rows, list) and len(rows) == 7


def test_metrics_refuses_an_unknown_grouping(env: dict[str, str], folder: Path) -> None:
    code, _, err = run("metrics", "--by", "team", "--from", str(folder))
    assert code == 2 and "hindsight: error: unknown grouping 'team'" in err


def test_actions_filters_csv_and_policy(env: dict[str, str], folder: Path) -> None:
    rows = run_json("actions", "--owner", "ana", "--date", "2026-11-01", "--from", str(folder))
    assert isinstance(rows, list)
    assert [(r["id"], r["overdue_days"], r["policy_due"]) for r in rows] == [
        ("A3", None, None),
        ("A1", 12, "2026-10-15"),
    ]
    assert rows[1]["breach"] == "still open 17 days past the policy deadline"
    overdue = run_json("actions", "--overdue", "--date", "2026-11-01", "--from", str(folder))
    assert [r["id"] for r in overdue] == ["A1"]  # type: ignore[union-attr]
    code, out, _ = run("actions", "--csv", "--status", "active", "--from", str(folder))
    assert code == 0
    table = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in table] == ["A1", "A2"]
    assert table[1]["category"] == "respond"
    strict = run_json(
        "actions", "--breaches", "--policy", "P2=7", "--date", "2026-11-01", "--from", str(folder)
    )
    assert [r["id"] for r in strict] == ["A2"]  # type: ignore[union-attr]
    code, _, err = run("actions", "--policy", "P9=1", "--from", str(folder))
    assert code == 2 and "due-date policy" in err


def test_patterns_and_related_from_a_folder(env: dict[str, str], folder: Path) -> None:
    found = run_json("patterns", "--from", str(folder))
    assert isinstance(found, dict)
    assert [(p["key"], p["incidents"]) for p in found["services"]] == [
        ("api", ["G", "A", "B"]),
        ("db", ["B", "C"]),
    ]
    assert found["contributing_factor_themes"][0]["key"] == "capacity and load"
    related = run_json("related", "A", "--from", str(folder))
    assert isinstance(related, dict) and related["postmortem"] == "A"
    assert related["related"][0]["id"] == "B"
    code, _, err = run("related", "NOPE", "--from", str(folder))
    assert code == 3 and "no postmortem 'NOPE'" in err


def test_review_calendar_and_report_from_a_folder(
    env: dict[str, str], folder: Path, tmp_path: Path
) -> None:
    code, out, _ = run("review", "weekly", "--date", "2026-10-16", "--from", str(folder))
    assert code == 0 and out.startswith("# Weekly incident review: 2026-10-16")
    assert "- **B** Incident B (SEV-1)" in out
    ics = tmp_path / "follow-ups.ics"
    code, _, err = run("calendar", "-o", str(ics), "--from", str(folder))
    assert code == 0, err
    text = ics.read_bytes().decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and "UID:A-review1@hindsight" in text
    report = tmp_path / "october.md"
    code, _, err = run(
        "report", "monthly", "--month", "2026-10", "-o", str(report), "--from", str(folder)
    )
    assert code == 0, err
    assert "![Incidents per week](october-charts/incidents_per_week.svg)" in report.read_text()
    assert (tmp_path / "october-charts" / "mttx_trend.svg").exists()
    html = tmp_path / "october.html"
    code, _, _ = run(
        "report",
        "monthly",
        "--month",
        "2026-10",
        "-f",
        "html",
        "-o",
        str(html),
        "--from",
        str(folder),
    )
    assert code == 0 and html.read_text().startswith("<!DOCTYPE html>")
    code, _, err = run(
        "report", "monthly", "--month", "2026-10", "-f", "pdf", "--from", str(folder)
    )
    assert code == 2 and "needs --output" in err
    code, _, err = run("report", "monthly", "--month", "October", "--from", str(folder))
    assert code == 2 and "not a month" in err


def test_an_empty_folder_is_an_error(env: dict[str, str], tmp_path: Path) -> None:
    code, _, err = run("metrics", "--from", str(tmp_path))
    assert code == 3 and "no postmortem documents" in err


def test_the_store_gives_the_same_answers_as_the_folder(env: dict[str, str], folder: Path) -> None:
    (folder / "broken.json").unlink()
    code, _, err = run("import", str(folder))
    assert code == 0, err
    for command in (("metrics", "--by", "service"), ("patterns",), ("related", "B")):
        assert run_json(*command) == run_json(*command, "--from", str(folder))
    stored = run_json("actions", "--date", "2026-11-01")
    assert stored == run_json("actions", "--date", "2026-11-01", "--from", str(folder))


def test_search_a_folder(env: dict[str, str], folder: Path) -> None:
    hits = run_json("search", "pool", "--from", str(folder))
    assert [h["id"] for h in hits] == ["A", "B"]  # type: ignore[index]
    assert "«pool»" in hits[0]["snippet"]  # type: ignore[index]
    code, out, _ = run("search", "pool", "--service", "db", "--from", str(folder))
    assert code == 0 and out.startswith("B ")
    code, _, err = run("search", "--from", str(folder), "--", "***")
    assert code == 2 and "no word to search for" in err
