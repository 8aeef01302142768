"""The same event seen twice is merged; milestones are inferred with their reasons; the author's
overrides win."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hindsight.errors import InvalidInput
from hindsight.model import EventKind, TimelineEvent
from hindsight.sources.common import from_epoch
from hindsight.sources.infer import infer_milestones
from hindsight.sources.merge import merge_events
from hindsight.sources.pagerduty import read_pagerduty
from hindsight.sources.slack import read_slack

from .places import PAYLOADS

T0 = datetime(2024, 3, 5, 14, 0, tzinfo=UTC)


def event(
    minute: float, text: str, kind: EventKind = EventKind.NOTE, **fields: object
) -> TimelineEvent:
    return TimelineEvent(at=T0 + timedelta(minutes=minute), text=text, kind=kind, **fields)  # type: ignore[arg-type]


def write_bot_channel(folder: Path, messages: list[dict[str, object]]) -> Path:
    (folder / "incidents").mkdir(parents=True)
    (folder / "channels.json").write_text(json.dumps([{"id": "C9", "name": "incidents"}]))
    (folder / "users.json").write_text(json.dumps([]))
    (folder / "incidents" / "2021-06-04.json").write_text(json.dumps(messages))
    return folder


def test_pagerduty_page_and_the_slack_message_its_bot_posted_are_one_event(tmp_path: Path) -> None:
    page = read_pagerduty(PAYLOADS / "pagerduty" / "webhooks_v3" / "triggered_v3.json")
    export = write_bot_channel(
        tmp_path / "export",
        [
            {
                "type": "message",
                "subtype": "bot_message",
                "username": "PagerDuty",
                "text": "<https://pig208.pagerduty.com/incidents/PFQZPSY|#9 Test Incident 3>"
                " triggered",
                "ts": "1622813731.000100",  # 13:35:31, two seconds after the page
            },
            {"type": "message", "user": "U1", "text": "looking", "ts": "1622813760.000200"},
        ],
    )
    chat = read_slack(export, channel="incidents", domain="pig208team")
    merged = merge_events([page.events, chat.events])
    assert merged.merged == 1
    first, second = merged.events
    assert first.text == "[Triggered] #9 Test Incident 3 on pig208"
    assert first.at == datetime(2021, 6, 4, 13, 35, 29, 781000, tzinfo=UTC)
    assert first.source == "pagerduty, slack:#incidents"
    assert first.source_ref == "pagerduty:01BZYIL05THJDFF2Y08X9SVMTU slack:C9:1622813731.000100"
    assert first.link == "https://pig208.pagerduty.com/incidents/PFQZPSY"
    assert first.notes == "also https://pig208team.slack.com/archives/C9/p1622813731000100"
    assert second.text == "looking"


def test_same_external_id_merges_from_anywhere_and_the_richest_stays() -> None:
    noted = event(1, "alert fired", EventKind.ALERT, source="notes", source_ref="am:x")
    alert = event(1.1, "[FIRING] HighErrorRate", EventKind.ALERT, source="alertmanager",
                  source_ref="am:x", link="http://prom/graph")  # fmt: skip
    [merged] = merge_events([[noted], [alert]]).events
    assert merged.text == "[FIRING] HighErrorRate"
    assert merged.source == "alertmanager, notes"


def test_within_one_input_different_ids_stay_apart() -> None:
    a = event(0, "ack", EventKind.ACKNOWLEDGEMENT, actor="bob", source="slack:#x", source_ref="s:1")
    b = event(
        0.2, "ack", EventKind.ACKNOWLEDGEMENT, actor="eve", source="slack:#x", source_ref="s:2"
    )
    assert len(merge_events([[a, b]]).events) == 2


def test_an_alert_and_its_resolution_never_merge() -> None:
    firing = event(0, "[FIRING] HighErrorRate on checkout-api", EventKind.ALERT, source="am")
    resolved = event(1, "[RESOLVED] HighErrorRate on checkout-api", EventKind.RESOLUTION,
                     source="slack:#x")  # fmt: skip
    assert len(merge_events([[firing], [resolved]]).events) == 2


def test_similar_text_outside_the_window_stays_apart() -> None:
    a = event(0, "rolled back deploy 4512", EventKind.MITIGATION, source="notes")
    b = event(5, "rolled back deploy 4512", EventKind.MITIGATION, source="slack:#x")
    assert len(merge_events([[a], [b]]).events) == 2
    assert len(merge_events([[a], [b]], window=timedelta(minutes=10)).events) == 1


@given(st.lists(st.integers(min_value=0, max_value=600), min_size=1, max_size=30))
def test_merging_an_input_with_itself_changes_nothing(minutes: list[int]) -> None:
    events = [
        event(m, f"step {i} on host-{m}", source="notes", source_ref=f"n:{i}")
        for i, m in enumerate(minutes)
    ]
    once = merge_events([events]).events
    assert merge_events([events, list(events)]).events == once
    assert [e.at for e in once] == sorted(e.at for e in events)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1502709956288, datetime(2017, 8, 14, 11, 25, 56, 288000, tzinfo=UTC)),
        (1502709956288000110, datetime(2017, 8, 14, 11, 25, 56, 288000, tzinfo=UTC)),
        (1502709956288000, datetime(2017, 8, 14, 11, 25, 56, 288000, tzinfo=UTC)),
        (1502709956, datetime(2017, 8, 14, 11, 25, 56, tzinfo=UTC)),
        ("1502709956.5", datetime(2017, 8, 14, 11, 25, 56, 500000, tzinfo=UTC)),
    ],
)
def test_epoch_units_are_told_apart_by_size(value: object, expected: datetime) -> None:
    assert from_epoch(value, where="x", field_name="t") == expected


def incident() -> list[TimelineEvent]:
    return [
        event(-3, "impact started: first failed payments", EventKind.IMPACT, source="notes"),
        event(1, "[FIRING] HighErrorRate", EventKind.ALERT, source="alertmanager"),
        event(2, "customers reporting errors", EventKind.REPORT, source="slack:#i"),
        event(4, "ack", EventKind.ACKNOWLEDGEMENT, source="slack:#i"),
        event(8, "looking into the deploy", EventKind.INVESTIGATION, source="slack:#i"),
        event(12, "rolling back", EventKind.MITIGATION, source="slack:#i"),
        event(25, "[RESOLVED] HighErrorRate", EventKind.RESOLUTION, source="alertmanager"),
        event(27, "confirmed resolved", EventKind.RESOLUTION, source="slack:#i"),
        event(40, "all clear", EventKind.ALL_CLEAR, source="notes"),
    ]


def test_milestones_each_with_their_rule_and_event() -> None:
    inference = infer_milestones(incident())
    known = {name: (value - T0) / timedelta(minutes=1) for name, value in
             inference.milestones.known().items()}  # fmt: skip
    assert known == {
        "impact_started_at": -3,
        "detected_at": 1,
        "acknowledged_at": 4,
        "investigation_started_at": 8,
        "mitigated_at": 12,
        "resolved_at": 27,
        "all_clear_at": 40,
    }
    lines = [reason.describe() for reason in inference.reasons]
    assert lines[1] == (
        "detected 2024-03-05 14:01:00 UTC: first alert or human report — "
        "[FIRING] HighErrorRate (alertmanager)"
    )
    assert lines[0].startswith("impact started 2024-03-05 13:57:00 UTC: explicit impact note")
    assert any(
        line.startswith("resolved 2024-03-05 14:27:00 UTC: last resolution") for line in lines
    )


def test_impact_falls_back_to_the_earliest_alert_and_unknowns_say_why() -> None:
    events = [e for e in incident() if e.kind not in (EventKind.IMPACT, EventKind.MITIGATION)]
    inference = infer_milestones(events)
    by_name = {r.milestone: r for r in inference.reasons}
    assert by_name["impact_started_at"].rule == "earliest alert start"
    assert by_name["mitigated_at"].at is None
    assert by_name["mitigated_at"].describe() == (
        "mitigated: unknown (no mitigation between detection and resolution)"
    )


def test_an_alert_after_the_last_resolution_leaves_the_incident_unresolved() -> None:
    events = [*incident(), event(30, "[FIRING] HighErrorRate", EventKind.ALERT, source="am2")]
    inference = infer_milestones(events)
    assert inference.milestones.resolved_at is None
    assert inference.milestones.all_clear_at is None
    reason = next(r for r in inference.reasons if r.milestone == "resolved_at")
    assert reason.rule == "an alert fired at 14:30:00 UTC after the last resolution"


def test_overrides_win_and_inference_works_around_them() -> None:
    detected = T0 + timedelta(minutes=5)
    inference = infer_milestones(incident(), overrides={"detected_at": detected})
    assert inference.milestones.detected_at == detected
    # acknowledgements are looked for after the detection the author gave: the one at 14:04
    # came before it, so none is inferred
    assert inference.milestones.acknowledged_at is None
    assert inference.milestones.mitigated_at == T0 + timedelta(minutes=12)
    reason = next(r for r in inference.reasons if r.milestone == "detected_at")
    assert (reason.overridden, reason.rule) == (True, "set by the author")


def test_an_inferred_milestone_that_breaks_the_order_is_dropped_with_the_reason() -> None:
    resolved = T0 + timedelta(minutes=10)  # before the inferred mitigation at 14:12
    inference = infer_milestones(incident(), overrides={"resolved_at": resolved})
    assert inference.milestones.resolved_at == resolved
    assert inference.milestones.mitigated_at is None


def test_overrides_that_break_the_order_are_an_error() -> None:
    with pytest.raises(InvalidInput) as caught:
        infer_milestones(incident(), overrides={"detected_at": T0 + timedelta(minutes=30),
                                                "resolved_at": T0})  # fmt: skip
    assert str(caught.value) == (
        "milestone resolved_at (2024-03-05 14:00:00 UTC) is before "
        "detected_at (2024-03-05 14:30:00 UTC)"
    )
    with pytest.raises(InvalidInput, match="unknown milestone 'fixed_at'"):
        infer_milestones([], overrides={"fixed_at": T0})
