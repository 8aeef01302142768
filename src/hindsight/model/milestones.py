"""Milestones of an incident and the durations derived from them.

A milestone is a UTC instant or unknown (``None``). Durations are derived, never stored, and are
``None`` when either end is unknown: an unknown is never a zero.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, model_validator


def to_utc(value: datetime) -> datetime:
    """Convert an aware datetime to UTC; naive datetimes are refused by the field type."""
    return value.astimezone(UTC)


UtcDatetime = Annotated[AwareDatetime, AfterValidator(to_utc)]
"""A timezone-aware datetime, stored in UTC. A naive one is refused."""


class Milestones(BaseModel):
    """The key instants of an incident, all in UTC, each possibly unknown.

    Frozen: the order check spans fields, and pydantic would keep an assigned value even when
    that check fails. Change milestones with :meth:`replace`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    impact_started_at: UtcDatetime | None = None
    detected_at: UtcDatetime | None = None
    acknowledged_at: UtcDatetime | None = None
    investigation_started_at: UtcDatetime | None = None
    root_cause_identified_at: UtcDatetime | None = None
    mitigated_at: UtcDatetime | None = None
    resolved_at: UtcDatetime | None = None
    all_clear_at: UtcDatetime | None = None
    postmortem_started_at: UtcDatetime | None = None
    postmortem_completed_at: UtcDatetime | None = None

    @model_validator(mode="after")
    def _in_order(self) -> Milestones:
        problem = first_order_problem(self)
        if problem:
            raise ValueError(problem)
        return self

    def replace(self, **changes: datetime | None) -> Milestones:
        """A validated copy with some milestones changed."""
        return Milestones.model_validate({**self.model_dump(), **changes})

    def known(self) -> dict[str, datetime]:
        """The milestones that are set, by field name, in field order."""
        return {
            name: value
            for name in type(self).model_fields
            if (value := getattr(self, name)) is not None
        }


# Pairs (earlier, later) that must hold whenever both are known. Investigation and root cause
# are only required to follow detection: teams often find the cause after mitigating.
MILESTONE_ORDER: tuple[tuple[str, str], ...] = (
    ("impact_started_at", "detected_at"),
    ("detected_at", "acknowledged_at"),
    ("detected_at", "investigation_started_at"),
    ("detected_at", "root_cause_identified_at"),
    ("investigation_started_at", "root_cause_identified_at"),
    ("detected_at", "mitigated_at"),
    ("impact_started_at", "mitigated_at"),
    ("mitigated_at", "resolved_at"),
    ("detected_at", "resolved_at"),
    ("impact_started_at", "resolved_at"),
    ("resolved_at", "all_clear_at"),
    ("detected_at", "postmortem_started_at"),
    ("postmortem_started_at", "postmortem_completed_at"),
    ("resolved_at", "postmortem_completed_at"),
)

MILESTONE_LABELS: dict[str, str] = {
    "impact_started_at": "impact started",
    "detected_at": "detected",
    "acknowledged_at": "acknowledged",
    "investigation_started_at": "investigation started",
    "root_cause_identified_at": "root cause identified",
    "mitigated_at": "mitigated",
    "resolved_at": "resolved",
    "all_clear_at": "all clear",
    "postmortem_started_at": "postmortem started",
    "postmortem_completed_at": "postmortem completed",
}


def first_order_problem(milestones: Milestones) -> str | None:
    """A one-line description of the first pair of milestones out of order, or ``None``."""
    for earlier, later in MILESTONE_ORDER:
        a, b = getattr(milestones, earlier), getattr(milestones, later)
        if a is not None and b is not None and b < a:
            return (
                f"milestone {later} ({b:%Y-%m-%d %H:%M:%S} UTC) is before "
                f"{earlier} ({a:%Y-%m-%d %H:%M:%S} UTC)"
            )
    return None


# name -> (start milestone, end milestone, what it measures)
DURATIONS: dict[str, tuple[str, str, str]] = {
    "total": ("impact_started_at", "resolved_at", "impact start to resolution"),
    "time_to_detect": ("impact_started_at", "detected_at", "impact start to detection"),
    "time_to_acknowledge": ("detected_at", "acknowledged_at", "detection to acknowledgement"),
    "time_to_mitigate": ("detected_at", "mitigated_at", "detection to mitigation"),
    "time_to_resolve": ("detected_at", "resolved_at", "detection to resolution"),
    "detection_gap": ("impact_started_at", "detected_at", "impact start to detection"),
}


class Durations(BaseModel):
    """Durations in seconds derived from milestones; ``None`` where an end is unknown."""

    model_config = ConfigDict(extra="forbid")

    total: int | None = None
    time_to_detect: int | None = None
    time_to_acknowledge: int | None = None
    time_to_mitigate: int | None = None
    time_to_resolve: int | None = None
    detection_gap: int | None = None

    @classmethod
    def from_milestones(cls, milestones: Milestones) -> Durations:
        values: dict[str, int | None] = {}
        for name, (start, end, _) in DURATIONS.items():
            a, b = getattr(milestones, start), getattr(milestones, end)
            values[name] = None if a is None or b is None else int((b - a).total_seconds())
        return cls(**values)

    def as_timedelta(self, name: str) -> timedelta | None:
        seconds = getattr(self, name)
        return None if seconds is None else timedelta(seconds=seconds)
