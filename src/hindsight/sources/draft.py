"""A draft postmortem from what an incident left behind: the timeline and key timestamps filled
in from the sources, a proposed title, summary and list of services, and every analysis
section left empty for the author (the layouts mark empty sections with placeholders).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hindsight.model import (
    Detection,
    DetectionMethod,
    EventKind,
    IncidentStatus,
    Link,
    Postmortem,
    TimelineEvent,
)
from hindsight.sources import ReadOptions, read_source
from hindsight.sources.common import SourceResult, Window
from hindsight.sources.infer import Inference, MilestoneReason, infer_milestones
from hindsight.sources.merge import WINDOW, merge_events
from hindsight.text.durations import format_duration

_TEXT_KINDS = frozenset({"notes", "csv", "jsonl"})
"""Sources whose times may need a date from elsewhere: they are read after the others."""

_SERVICE_WORD = re.compile(
    r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)*-(?:api|service|svc|server|worker|workers|web|db|gateway"
    r"|proxy|frontend|backend|app|cache|queue|cluster)\b"
)
_TAG = re.compile(r"^\[[^\]]{1,30}\]\s*")


@dataclass(frozen=True)
class SourceInput:
    """One input of a draft: a source kind and the file (or export) to read."""

    kind: str
    path: Path
    channel: str | None = None


@dataclass
class InputSummary:
    kind: str
    path: str
    events: int


@dataclass
class Draft:
    """A draft postmortem, why its milestones are what they are, and what the readers skipped."""

    postmortem: Postmortem
    reasons: list[MilestoneReason]
    warnings: list[str] = field(default_factory=list)
    inputs: list[InputSummary] = field(default_factory=list)
    merged: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "postmortem": self.postmortem.model_dump(mode="json"),
            "milestone_reasons": [reason.as_dict() for reason in self.reasons],
            "warnings": list(self.warnings),
            "sources": [vars(summary) for summary in self.inputs],
            "merged_events": self.merged,
        }


def draft_from_files(
    inputs: Sequence[SourceInput],
    *,
    options: ReadOptions | None = None,
    overrides: Mapping[str, datetime] | None = None,
    title: str | None = None,
    layout: str | None = None,
) -> Draft:
    """Read every input and build a draft. Notes and tables are read last: when they state no
    date, they take the day of the earliest event the other sources gave."""
    options = options or ReadOptions()
    results: list[tuple[SourceInput, SourceResult]] = []
    ordered = sorted(inputs, key=lambda i: i.kind in _TEXT_KINDS)
    for item in ordered:
        read_with = replace(options, channel=item.channel or options.channel)
        if item.kind in _TEXT_KINDS and options.day is None:
            read_with = replace(read_with, day=_first_day(results))
        results.append((item, read_source(item.kind, item.path, read_with)))
    draft = build_draft(
        [result for _, result in results],
        window=Window(options.since, options.until),
        overrides=overrides,
        title=title,
        layout=layout,
    )
    draft.inputs = [
        InputSummary(item.kind, str(item.path), len(result.events)) for item, result in results
    ]
    return draft


def _first_day(results: list[tuple[SourceInput, SourceResult]]) -> date | None:
    instants = [e.at for _, r in results for e in r.events if e.at is not None]
    return min(instants).date() if instants else None


def build_draft(
    results: Sequence[SourceResult],
    *,
    window: Window | None = None,
    overrides: Mapping[str, datetime] | None = None,
    title: str | None = None,
    layout: str | None = None,
) -> Draft:
    """A draft from sources already read: merged timeline, inferred milestones, proposals."""
    window = window or Window()
    merged = merge_events([r.events for r in results], window=WINDOW)
    timeline = [event for event in merged.events if event.at in window]
    inference = infer_milestones(timeline, overrides=overrides)
    services = _services(results, timeline)
    milestones = inference.milestones
    first = milestones.impact_started_at or milestones.detected_at
    if first is None and timeline and timeline[0].at is not None:
        first = timeline[0].at
    proposed = title or _title(results, inference, services, first)
    postmortem = Postmortem(
        title=proposed,
        summary=_summary(proposed, inference),
        date=first.date() if first else None,
        services=services,
        incident_status=IncidentStatus.RESOLVED if milestones.resolved_at else None,
        milestones=milestones,
        timeline=timeline,
        detection=_detection(inference),
        supporting_links=_links(results),
        layout=layout,
    )
    warnings = [warning for result in results for warning in result.warnings]
    return Draft(postmortem, inference.reasons, warnings, merged=merged.merged)


# --- proposals --------------------------------------------------------------------------------


def _title(
    results: Sequence[SourceResult],
    inference: Inference,
    services: list[str],
    first: datetime | None,
) -> str:
    stated = next((r.title for r in results if r.title), None)
    if stated:
        return stated
    detected = _reason(inference, "detected_at")
    if detected is not None and detected.event is not None:
        subject = _TAG.sub("", detected.event.text)
        if detected.event.kind is EventKind.ALERT:
            subject = subject.split(": ", 1)[0]
        return subject[:80].rstrip()
    if services:
        return f"Incident affecting {services[0]}"
    return f"Incident on {first:%Y-%m-%d}" if first else "Incident"


def _reason(inference: Inference, name: str) -> MilestoneReason | None:
    return next((r for r in inference.reasons if r.milestone == name and r.at), None)


def _summary(title: str, inference: Inference) -> str | None:
    """One line of facts: when it was detected, mitigated and resolved, and how long it took."""
    parts = []
    for name, verb in (
        ("detected_at", "detected"),
        ("acknowledged_at", "acknowledged"),
        ("mitigated_at", "mitigated"),
        ("resolved_at", "resolved"),
    ):
        reason = _reason(inference, name)
        if reason is not None and reason.at is not None:
            parts.append(f"{verb} at {reason.at:%H:%M} UTC")
    if not parts:
        return None
    line = f"{title}: " + ", ".join(parts)
    milestones = inference.milestones
    start = milestones.impact_started_at or milestones.detected_at
    if start is not None and milestones.resolved_at is not None:
        seconds = int((milestones.resolved_at - start).total_seconds())
        line += f" ({format_duration(seconds)} in all)"
    return line + "."


def _services(results: Sequence[SourceResult], timeline: list[TimelineEvent]) -> list[str]:
    """Services named in alert labels and by the sources, then service names mentioned."""
    found: list[str] = []
    for result in results:
        found.extend(s for s in result.services if s not in found)
    for event in timeline:
        for word in _SERVICE_WORD.findall(event.text):
            if word not in found:
                found.append(word)
    return found


def _detection(inference: Inference) -> Detection:
    detected = _reason(inference, "detected_at")
    if detected is None or detected.event is None:
        return Detection()
    if detected.event.kind is EventKind.ALERT:
        return Detection(method=DetectionMethod.AUTOMATED_ALERT)
    text = detected.event.text.lower()
    customer = any(word in text for word in ("customer", "user", "client", "merchant", "support"))
    return Detection(
        method=DetectionMethod.CUSTOMER_REPORT if customer else DetectionMethod.INTERNAL_REPORT
    )


def _links(results: Sequence[SourceResult]) -> list[Link]:
    links: list[Link] = []
    for result in results:
        links.extend(link for link in result.links if all(k.url != link.url for k in links))
    return links
