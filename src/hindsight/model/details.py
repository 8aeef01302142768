"""Incident details, as a team writes them down right after an incident, and the postmortem
drafted from them (``hindsight new --from details.yaml``).

The details say what happened, when, what was affected and how it was resolved; timeline lines
and action items are optional. Every section the details fill is filled; the rest stays empty,
which every layout shows as a placeholder for the author.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from hindsight.model.milestones import Milestones, UtcDatetime
from hindsight.model.postmortem import (
    ActionItem,
    EventKind,
    Impact,
    IncidentStatus,
    Postmortem,
    Resolution,
    RootCause,
    TimelineEvent,
)
from hindsight.model.scales import Severity

_LINE = re.compile(
    r"^\s*(?P<when>\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?"
    r"|\d{1,2}:\d{2}(?::\d{2})?)\s*(?:[-–—:|]\s*)?(?P<text>.+)$"
)

_MILESTONE_EVENTS: tuple[tuple[str, EventKind, str], ...] = (
    ("impact_started_at", EventKind.IMPACT, "Impact started"),
    ("detected_at", EventKind.ALERT, "Incident detected"),
    ("acknowledged_at", EventKind.ACKNOWLEDGEMENT, "On-call acknowledged"),
    ("mitigated_at", EventKind.MITIGATION, "Mitigation applied"),
    ("resolved_at", EventKind.RESOLUTION, "Service restored"),
)


def _as_list(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


StrList = Annotated[list[str], BeforeValidator(_as_list)]


class DetailsEvent(BaseModel):
    """A timeline line of the details: ``"14:02 First alert fired"`` or a mapping."""

    model_config = ConfigDict(extra="forbid")

    at: str
    text: str
    kind: EventKind | None = None
    actor: str | None = None
    source: str | None = None
    link: str | None = None

    @classmethod
    def from_line(cls, line: str) -> DetailsEvent:
        match = _LINE.match(line)
        if not match:
            raise ValueError(f"timeline line {line!r} does not start with a time (HH:MM or ISO)")
        return cls(at=match.group("when"), text=match.group("text").strip())


def _event_or_line(value: object) -> object:
    if isinstance(value, str):
        return DetailsEvent.from_line(value)
    return value


class IncidentDetails(BaseModel):
    """What a team knows right after an incident. All times carry a zone or use ``timezone``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str
    id: str | None = None
    what_happened: str = Field(description="What happened, in a few sentences.")
    date: dt.date | None = None
    timezone: str = "UTC"
    started_at: str | None = None
    detected_at: str | None = None
    acknowledged_at: str | None = None
    mitigated_at: str | None = None
    resolved_at: str | None = None
    severity: Severity | None = None
    incident_status: IncidentStatus | None = None
    services: StrList = Field(default_factory=list)
    affected: str | None = Field(default=None, description="What was affected and how.")
    users_affected: str | None = None
    revenue_impact: str | None = None
    root_cause: str | None = None
    trigger: str | None = None
    how_resolved: str | None = None
    authors: StrList = Field(default_factory=list)
    incident_commander: str | None = None
    tags: StrList = Field(default_factory=list)
    timeline: list[Annotated[DetailsEvent, BeforeValidator(_event_or_line)]] = Field(
        default_factory=list
    )
    action_items: list[ActionItem] = Field(default_factory=list)

    @field_validator("action_items", mode="before")
    @classmethod
    def _actions_from_text(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"action": item} if isinstance(item, str) else item for item in value]
        return value


def _zone(name: str) -> dt.tzinfo:
    if name.upper() in {"UTC", "Z", "GMT"}:
        return dt.UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def _instant(text: str, *, day: dt.date | None, zone: dt.tzinfo, what: str) -> dt.datetime:
    """An aware UTC instant from ISO text or ``HH:MM`` on ``day`` in ``zone``."""
    cleaned = text.strip().replace(" ", "T", 1) if "-" in text else text.strip()
    try:
        if re.fullmatch(r"\d{1,2}:\d{2}(?::\d{2})?", cleaned):
            if day is None:
                raise ValueError(f"{what}: time {text!r} needs a date (set 'date' in the details)")
            moment = dt.datetime.combine(day, dt.time.fromisoformat(cleaned.zfill(5)))
        else:
            moment = dt.datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    except ValueError as exc:
        if str(exc).startswith(what):
            raise
        raise ValueError(f"{what}: {text!r} is not a date and time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(dt.UTC)


def _milestones(details: IncidentDetails, zone: dt.tzinfo) -> Milestones:
    fields = {
        "impact_started_at": details.started_at,
        "detected_at": details.detected_at,
        "acknowledged_at": details.acknowledged_at,
        "mitigated_at": details.mitigated_at,
        "resolved_at": details.resolved_at,
    }
    values: dict[str, UtcDatetime] = {}
    for name, text in fields.items():
        if text:
            values[name] = _instant(
                text, day=details.date, zone=zone, what=name.removesuffix("_at")
            )
    return Milestones(**values)


Classifier = Callable[[str], EventKind]


def _timeline(
    details: IncidentDetails, zone: dt.tzinfo, day: dt.date | None, classify: Classifier | None
) -> list[TimelineEvent]:
    events: list[TimelineEvent] = []
    for number, line in enumerate(details.timeline, start=1):
        at = _instant(line.at, day=day, zone=zone, what=f"timeline line {number}")
        if events and events[-1].at is not None and at < events[-1].at:
            raise ValueError(
                f"timeline line {number} ({line.at} {line.text!r}) is earlier than line "
                f"{number - 1} ({events[-1].text!r}); list the lines in order"
            )
        events.append(
            TimelineEvent(
                at=at,
                text=line.text,
                kind=line.kind or (classify(line.text) if classify else EventKind.NOTE),
                actor=line.actor,
                source=line.source or "details",
                link=line.link,
            )
        )
    return events


def _events_from_milestones(milestones: Milestones) -> list[TimelineEvent]:
    return [
        TimelineEvent(at=at, text=text, kind=kind, source="details")
        for name, kind, text in _MILESTONE_EVENTS
        if (at := getattr(milestones, name)) is not None
    ]


def postmortem_from_details(
    details: IncidentDetails, *, classify: Classifier | None = None
) -> Postmortem:
    """A draft postmortem holding everything the details say; the rest is left for the author.

    ``classify`` names the kind of a timeline line that states none (the model has no word
    lists of its own; the caller passes the one the sources use).

    Raises ``ValueError`` with a one-line message for times that cannot be read or are out of
    order.
    """
    zone = _zone(details.timezone)
    milestones = _milestones(details, zone)
    first = milestones.impact_started_at or milestones.detected_at
    day = details.date or (first.astimezone(zone).date() if first else None)
    timeline = _timeline(details, zone, day, classify) or _events_from_milestones(milestones)
    summary = details.what_happened.split(". ")[0].rstrip(".") + "."
    executive = " ".join(
        part for part in (details.what_happened, details.affected, details.how_resolved) if part
    )
    return Postmortem(
        id=details.id,
        title=details.title,
        summary=summary,
        executive_summary=executive,
        date=day,
        authors=details.authors,
        incident_commander=details.incident_commander,
        tags=details.tags,
        services=details.services,
        severity=details.severity,
        incident_status=details.incident_status
        or (IncidentStatus.RESOLVED if milestones.resolved_at else None),
        milestones=milestones,
        impact=Impact(
            users_affected=details.users_affected,
            revenue=details.revenue_impact,
            user_impact=details.affected,
        ),
        timeline=timeline,
        root_cause=RootCause(description=details.root_cause, trigger=details.trigger),
        resolution=Resolution(immediate_fix=details.how_resolved),
        action_items=[
            item if item.id else item.model_copy(update={"id": f"A{number}"})
            for number, item in enumerate(details.action_items, start=1)
        ],
    )
