"""The postmortem model: scales, milestones, durations, validation and the JSON contract."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from hindsight.errors import describe_validation_error
from hindsight.model import (
    ActionItem,
    Durations,
    Milestones,
    Postmortem,
    Priority,
    Severity,
    json_schema,
)
from hindsight.model.ids import format_id, id_prefix, sequence_of

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("SEV-1", 1), ("sev2", 2), ("Sev 3", 3), ("SEV4", 4), ("S5", 5),
        ("P0", 1), ("p1", 2), ("P4", 5),
        ("Critical", 1), ("high", 2), ("Medium", 3), ("low", 4), ("[High]", 2), (3, 3),
    ],
)  # fmt: skip
def test_every_seed_severity_label_parses(text: str | int, level: int) -> None:
    assert Severity.parse(text).level == level


def test_severity_orders_and_displays_in_each_scheme() -> None:
    two = Severity.parse("P1")
    assert (two.label("sev"), two.label("p"), two.label("words")) == ("SEV-2", "P1", "High")
    assert Severity.parse("SEV-1") < two < Severity.parse("Low")
    assert sorted([Severity(3), Severity(1), Severity(2)]) == [
        Severity(1),
        Severity(2),
        Severity(3),
    ]


@pytest.mark.parametrize("bad", ["SEV-0", "SEV-6", "P5", "urgentish", "", True])
def test_unknown_severity_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="severity"):
        Severity.parse(bad)


def test_priority_accepts_words_and_p_labels() -> None:
    assert Priority.parse("high") is Priority.P1
    assert ActionItem(action="x", priority="Critical").priority is Priority.P0
    assert ActionItem(action="x", priority="").priority is None


def test_severity_serialises_as_sev_label() -> None:
    pm = Postmortem(title="t", severity="Critical")
    assert pm.model_dump(mode="json")["severity"] == "SEV-1"
    assert Postmortem.model_validate_json(pm.model_dump_json()).severity == Severity(1)


def test_milestones_convert_to_utc_and_refuse_naive_times() -> None:
    cet = timezone(timedelta(hours=1))
    milestones = Milestones(detected_at=datetime(2026, 3, 2, 15, 0, tzinfo=cet))
    assert milestones.detected_at == T0
    assert milestones.detected_at.tzinfo is UTC
    with pytest.raises(ValidationError, match="timezone"):
        Milestones(detected_at=datetime(2026, 3, 2, 15, 0))


def test_out_of_order_milestones_name_both() -> None:
    with pytest.raises(ValidationError) as caught:
        Postmortem(milestones={"detected_at": T0, "resolved_at": T0 - timedelta(minutes=5)})
    message = describe_validation_error(caught.value)
    assert "resolved_at" in message and "detected_at" in message
    assert message.count("\n") == 0


def test_milestones_change_only_through_a_validated_copy() -> None:
    milestones = Milestones(detected_at=T0)
    with pytest.raises(ValidationError, match="frozen"):
        milestones.acknowledged_at = T0  # type: ignore[misc]
    with pytest.raises(ValidationError, match="acknowledged_at"):
        milestones.replace(acknowledged_at=T0 - timedelta(seconds=1))
    assert milestones.replace(acknowledged_at=T0).acknowledged_at == T0
    assert milestones.acknowledged_at is None


def test_durations_are_null_when_an_end_is_unknown_never_zero() -> None:
    pm = Postmortem(milestones={"impact_started_at": T0, "detected_at": T0 + timedelta(minutes=6)})
    assert pm.durations.time_to_detect == 360
    assert pm.durations.detection_gap == 360
    assert pm.durations.total is None
    assert pm.durations.time_to_resolve is None
    assert Durations.from_milestones(Milestones()) == Durations()


def test_all_durations_from_full_milestones() -> None:
    m = Milestones(
        impact_started_at=T0,
        detected_at=T0 + timedelta(minutes=5),
        acknowledged_at=T0 + timedelta(minutes=8),
        mitigated_at=T0 + timedelta(minutes=30),
        resolved_at=T0 + timedelta(minutes=45),
    )
    d = Durations.from_milestones(m)
    assert (d.total, d.time_to_detect, d.time_to_acknowledge) == (2700, 300, 180)
    assert (d.time_to_mitigate, d.time_to_resolve) == (1500, 2400)


def test_unknown_fields_are_refused_at_any_depth() -> None:
    with pytest.raises(ValidationError) as caught:
        Postmortem.model_validate({"impact": {"users": 5}})
    assert describe_validation_error(caught.value) == "impact.users: unknown field"


def test_wont_do_needs_a_reason() -> None:
    with pytest.raises(ValidationError, match="status_reason"):
        ActionItem(action="x", status="wont_do")
    assert ActionItem(action="x", status="wont_do", status_reason="superseded").status_reason


def test_ids_must_be_usable_as_file_names() -> None:
    assert Postmortem(id="INC-2026-03-02-001").id == "INC-2026-03-02-001"
    for bad in ("../etc", "has space", "-leading", "x" * 101):
        with pytest.raises(ValidationError):
            Postmortem(id=bad)


def test_json_round_trip_accepts_derived_durations() -> None:
    pm = Postmortem(title="t", milestones={"detected_at": T0, "resolved_at": T0})
    data = pm.model_dump(mode="json")
    assert data["durations"]["time_to_resolve"] == 0
    assert Postmortem.model_validate(data) == pm


def test_json_schema_uses_the_documented_core_names() -> None:
    schema = json_schema()
    props = schema["properties"]
    for name in (
        "id", "title", "status", "severity", "milestones", "durations", "timeline",
        "action_items", "contributing_factors", "five_whys",
    ):  # fmt: skip
        assert name in props, name
    defs = schema["$defs"]
    assert {
        "impact_started_at",
        "detected_at",
        "acknowledged_at",
        "mitigated_at",
        "resolved_at",
    } <= set(defs["Milestones"]["properties"])
    assert {"at", "text", "kind"} <= set(defs["TimelineEvent"]["properties"])
    assert {"action", "owner", "priority", "due", "status", "category"} <= set(
        defs["ActionItem"]["properties"]
    )
    assert props["severity"]["anyOf"][0]["enum"] == ["SEV-1", "SEV-2", "SEV-3", "SEV-4", "SEV-5"]


def test_blank_postmortem_is_blank() -> None:
    assert Postmortem().is_blank()
    assert not Postmortem(title="x").is_blank()


def test_incident_date_falls_back_to_milestones() -> None:
    assert Postmortem(milestones={"detected_at": T0}).incident_date == T0.date()


def test_default_id_pattern() -> None:
    pattern = "INC-{date:%Y-%m-%d}-{seq:03d}"
    day = T0.date()
    assert format_id(pattern, day=day, seq=7) == "INC-2026-03-02-007"
    assert id_prefix(pattern, day=day) == "INC-2026-03-02-"
    assert sequence_of(pattern, "INC-2026-03-02-012", day=day) == 12
    assert sequence_of(pattern, "OPS-1", day=day) is None
    assert format_id("OPS-{date:%Y}{seq:04d}", day=day, seq=3) == "OPS-20260003"
    with pytest.raises(ValueError, match="cannot be filled"):
        format_id("INC-{nope}", day=day, seq=1)
