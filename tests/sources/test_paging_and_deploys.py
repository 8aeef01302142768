"""PagerDuty, Opsgenie and GitHub deployments, on the recorded real payloads."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hindsight.errors import ParseError
from hindsight.model import EventKind, LinkKind
from hindsight.sources.github import read_github
from hindsight.sources.opsgenie import read_opsgenie
from hindsight.sources.pagerduty import read_pagerduty

from .places import DATA, PAYLOADS

PAGERDUTY = PAYLOADS / "pagerduty" / "webhooks_v3"
OPSGENIE = PAYLOADS / "opsgenie"
GITHUB = PAYLOADS / "github"


@pytest.mark.parametrize(
    ("name", "at", "kind", "text", "actor", "link"),
    [
        (
            "triggered_v3.json",
            datetime(2021, 6, 4, 13, 35, 29, 781000, tzinfo=UTC),
            EventKind.ALERT,
            "[Triggered] #9 Test Incident 3 on pig208",
            "PIG 208",
            "https://pig208.pagerduty.com/incidents/PFQZPSY",
        ),
        (
            "acknowledged_v3.json",
            datetime(2021, 6, 4, 13, 55, 30, 394000, tzinfo=UTC),
            EventKind.ACKNOWLEDGEMENT,
            "[Acknowledged] #10 Test Incident",
            "PIG 208",
            "https://pig208.pagerduty.com/incidents/PQ1K5C8",
        ),
        (
            "resolved_v3.json",
            datetime(2021, 6, 4, 13, 16, 53, 816000, tzinfo=UTC),
            EventKind.RESOLUTION,
            "[Resolved] #6 Test Incident",
            "PIG 208",
            "https://pig208.pagerduty.com/incidents/PCPZE64",
        ),
        (
            "annotated_v3.json",
            datetime(2026, 4, 1, 2, 18, 59, 674000, tzinfo=UTC),
            EventKind.NOTE,
            "[Note] Running KILL on long-running queries from the reporting-service.",
            "Harsh Santwani",
            "https://harsh0303.pagerduty.com/incidents/Q3B15VLMF3ASBD",
        ),
    ],
)
def test_pagerduty_v3_webhooks(
    name: str, at: datetime, kind: EventKind, text: str, actor: str, link: str
) -> None:
    result = read_pagerduty(PAGERDUTY / name)
    [event] = result.events
    assert (event.at, event.kind, event.text, event.actor, event.link) == (
        at,
        kind,
        text,
        actor,
        link,
    )
    assert event.source == "pagerduty"
    assert (
        event.source_ref == f"pagerduty:{json.loads((PAGERDUTY / name).read_text())['event']['id']}"
    )
    assert result.warnings == []


def test_pagerduty_note_keeps_the_incident_and_the_service_and_ticket_are_remembered() -> None:
    note = read_pagerduty(PAGERDUTY / "annotated_v3.json")
    assert note.events[0].notes == "On Critical: Checkout API High Latency"
    triggered = read_pagerduty(PAGERDUTY / "triggered_v3.json")
    assert triggered.services == ["pig208"]
    assert [(link.label, link.kind) for link in triggered.links] == [
        ("PagerDuty #9 Test Incident 3", LinkKind.TICKET)
    ]


def test_pagerduty_webhooks_as_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "pagerduty.jsonl"
    bodies = [json.loads(p.read_text()) for p in sorted(PAGERDUTY.glob("*.json"))]
    path.write_text("".join(json.dumps(body) + "\n" for body in bodies))
    assert len(read_pagerduty(path).events) == 4


def test_pagerduty_rest_log_entries() -> None:
    result = read_pagerduty(DATA / "pagerduty_log_entries.json")
    seen = [(e.at.strftime("%H:%M:%S") if e.at else "", e.kind, e.text, e.actor) for e in
            result.events]  # fmt: skip
    assert seen == [
        ("14:01:33", EventKind.ALERT, "[Triggered] #1234 HighErrorRate on checkout-api", None),
        ("14:01:35", EventKind.NOTE, "Notified Bob Diaz by phone", None),
        ("14:04:20", EventKind.ACKNOWLEDGEMENT,
         "[Acknowledged] #1234 HighErrorRate on checkout-api", "Bob Diaz"),
        ("14:13:02", EventKind.MITIGATION, "[Note] Rolled back deploy 4512", "Bob Diaz"),
        ("14:33:05", EventKind.RESOLUTION, "[Resolved] #1234 HighErrorRate on checkout-api",
         "Bob Diaz"),
    ]  # fmt: skip
    assert {e.link for e in result.events} == {"https://acme.pagerduty.com/incidents/PT4KHLK"}
    assert result.events[0].source_ref == "pagerduty:R2XGXEI3W0FHMSDXHDIBQGBQ5E"


def test_pagerduty_v2_and_other_formats_are_refused(tmp_path: Path) -> None:
    v2 = tmp_path / "v2.json"
    v2.write_text(json.dumps({"messages": [{"event": "incident.trigger"}]}))
    with pytest.raises(ParseError, match="v2 webhook"):
        read_pagerduty(v2)
    with pytest.raises(ParseError) as caught:
        read_pagerduty(OPSGENIE / "close.json")
    assert str(caught.value) == (
        f"{OPSGENIE / 'close.json'}: not a PagerDuty v3 webhook or log-entry listing: "
        "missing 'event' or 'log_entries'"
    )


def test_opsgenie_created_at_is_milliseconds_and_updated_at_nanoseconds() -> None:
    created = read_opsgenie(OPSGENIE / "create.json").events[0]
    assert created.at == datetime(2017, 8, 14, 11, 25, 56, 288000, tzinfo=UTC)
    assert (created.kind, created.text) == (EventKind.ALERT, "[Created] #2 another alert on Server")
    acknowledged = read_opsgenie(OPSGENIE / "acknowledge.json").events[0]
    # updatedAt 1420452224764002246 ns; createdAt (1420452191104 ms) is when the alert began
    assert acknowledged.at == datetime(2015, 1, 5, 10, 3, 44, 764002, tzinfo=UTC)
    assert acknowledged.kind is EventKind.ACKNOWLEDGEMENT
    assert acknowledged.actor == "fili@ifountain.com"
    assert acknowledged.source_ref == (
        "opsgenie:052652ac-5d1c-464a-812a-7dd18bbfba8c:Acknowledge:2015-01-05T10:03:44.764002Z"
    )


def test_opsgenie_note_and_close_of_one_alert() -> None:
    note = read_opsgenie(OPSGENIE / "addnote.json").events[0]
    assert note.at == datetime(2015, 1, 5, 10, 4, 35, 2000, tzinfo=UTC)
    assert (note.kind, note.text, note.notes) == (
        EventKind.NOTE,
        "[Note] note to test alert",
        "On #23 test alert",
    )
    closed = read_opsgenie(OPSGENIE / "close.json").events[0]
    assert closed.at == datetime(2015, 1, 5, 10, 6, 14, 669001, tzinfo=UTC)
    assert (closed.kind, closed.text) == (EventKind.RESOLUTION, "[Closed] #23 test alert")
    assert closed.link is None  # Opsgenie's payload names no URL


def test_opsgenie_refuses_other_payloads() -> None:
    with pytest.raises(ParseError, match="not an Opsgenie webhook: missing 'action' or 'alert'"):
        read_opsgenie(PAGERDUTY / "triggered_v3.json")


def test_github_deployment_is_requested_then_deployed() -> None:
    requested = read_github(GITHUB / "deployment__payload.json").events[0]
    assert requested.at == datetime(2019, 5, 15, 15, 20, 53, tzinfo=UTC)
    assert (
        requested.text == "[Deploy requested] Codertocat/Hello-World master (f95f852) to production"
    )
    assert (requested.kind, requested.actor, requested.source) == (
        EventKind.DEPLOY,
        "Codertocat",
        "github",
    )
    commit = (
        "https://github.com/Codertocat/Hello-World/commit/f95f852bd8fca8fcc58a9a2d6c842781e32a215e"
    )
    assert requested.link == commit
    assert requested.source_ref == "github:deployment:145988746:created"
    deployed = read_github(GITHUB / "deployment_status__payload.json").events[0]
    assert deployed.at == datetime(2019, 5, 15, 15, 20, 55, tzinfo=UTC)
    assert deployed.text == "[Deployed] Codertocat/Hello-World master (f95f852) to production"
    assert deployed.source_ref == "github:deployment:145988746:success"


def test_github_status_links_to_its_log_and_the_request_to_its_workflow_run() -> None:
    running = read_github(GITHUB / "deployment_status__gh-pages.payload.json").events[0]
    assert running.text.startswith("[Deploying] ")
    assert running.text.endswith(" to github-pages")
    assert (
        running.link
        == "https://github.com/Codertocat/Hello-World/runs/145988746?check_suite_focus=true"
    )
    requested = read_github(GITHUB / "deployment__gh-pages.payload.json").events[0]
    assert requested.link == "https://github.com/Codertocat/Hello-World/actions/runs/289782451"
    assert requested.actor == "github-pages[bot]"


def test_github_rollback_deployment_is_a_mitigation(tmp_path: Path) -> None:
    body = json.loads((GITHUB / "deployment_status__payload.json").read_text())
    body["deployment"]["description"] = "Rollback to v1.4.2"
    path = tmp_path / "rollback.json"
    path.write_text(json.dumps(body))
    event = read_github(path).events[0]
    assert (event.kind, event.notes) == (EventKind.MITIGATION, "Rollback to v1.4.2")


def test_github_other_webhooks_are_refused_or_skipped(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="not a GitHub deployment or deployment_status webhook"):
        read_github(GITHUB / "push__payload.json")
    mixed = tmp_path / "mixed.json"
    mixed.write_text(
        json.dumps(
            [
                json.loads((GITHUB / "push__payload.json").read_text()),
                json.loads((GITHUB / "deployment__payload.json").read_text()),
            ]
        )
    )
    result = read_github(mixed)
    assert len(result.events) == 1
    assert result.warnings == [f"{mixed}[0]: not a deployment webhook; skipped"]
