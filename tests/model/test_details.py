"""Drafting a postmortem from incident details."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from hindsight.model import EventKind, IncidentStatus
from hindsight.model.details import IncidentDetails, postmortem_from_details

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "checkout-outage.yaml"


def details(**changes: object) -> IncidentDetails:
    data = yaml.safe_load(EXAMPLE.read_text()) | changes
    return IncidentDetails.model_validate(data)


def test_example_details_fill_the_postmortem() -> None:
    pm = postmortem_from_details(details())
    assert pm.milestones.impact_started_at == datetime(2026, 10, 14, 10, 3, tzinfo=UTC)
    assert pm.durations.total == 47 * 60
    assert pm.incident_status is IncidentStatus.RESOLVED
    assert pm.summary and pm.summary.startswith("A configuration change lowered")
    assert pm.executive_summary and "rolled the configuration back" in pm.executive_summary
    assert pm.impact.users_affected and pm.root_cause.trigger and pm.resolution.immediate_fix
    assert [a.id for a in pm.action_items] == ["A1", "A2"]
    assert pm.timeline[0].at == datetime(2026, 10, 14, 9, 58, tzinfo=UTC)
    assert pm.lessons.learned == []  # left for the author


def test_without_timeline_events_come_from_milestones() -> None:
    pm = postmortem_from_details(details(timeline=[]))
    assert [e.kind for e in pm.timeline] == [
        EventKind.IMPACT, EventKind.ALERT, EventKind.ACKNOWLEDGEMENT,
        EventKind.MITIGATION, EventKind.RESOLUTION,
    ]  # fmt: skip


def test_iso_times_with_offsets_and_date_from_milestones() -> None:
    pm = postmortem_from_details(
        details(date=None, started_at="2026-10-14T12:03:00+02:00", detected_at="2026-10-14 10:09Z",
                acknowledged_at=None, mitigated_at=None, resolved_at=None, timeline=[])
    )  # fmt: skip
    assert pm.date is not None and pm.date.isoformat() == "2026-10-14"
    assert pm.durations.time_to_detect == 360


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"detected_at": "half past"}, "detected: 'half past' is not a date and time"),
        ({"timeline": ["12:10 b", "12:05 a"]}, "timeline line 2"),
        ({"timeline": ["no time here"]}, "does not start with a time"),
        ({"date": None, "started_at": "12:03"}, "needs a date"),
        ({"resolved_at": "11:00"}, "before"),
    ],
)
def test_bad_details_give_one_line_errors(changes: dict[str, object], message: str) -> None:
    with pytest.raises((ValueError, ValidationError), match=message):
        postmortem_from_details(details(**changes))


def test_unknown_detail_fields_are_refused() -> None:
    with pytest.raises(ValidationError, match="extra"):
        details(colour="red")
