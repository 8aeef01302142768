"""Reliability metrics: time to detect, acknowledge, mitigate and resolve, per incident and per
group (week, month, quarter, severity, service).

Pure functions over postmortems: no I/O, no clock. Each metric measures between two milestones
(``docs/model.md``, "Durations: what each measures"); an incident missing either milestone is
left out of that metric and counted in ``excluded``, never taken as zero.

An incident is placed in time by its *anchor*: the instant impact started, else the instant it
was detected (both UTC), else its stated date. Weeks are ISO weeks (``2026-W44``), months
``2026-10`` and quarters ``2026-Q4``, all in UTC. Drills and maintenance are left out unless
asked for.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from hindsight.errors import InvalidInput
from hindsight.model import DURATIONS, IncidentType, Postmortem

METRICS: tuple[str, ...] = (
    "time_to_detect",
    "time_to_acknowledge",
    "time_to_mitigate",
    "time_to_resolve",
)
"""The metrics, in the order an incident unfolds; each names a ``Durations`` field."""

SHORT = {
    "time_to_detect": "TTD",
    "time_to_acknowledge": "TTA",
    "time_to_mitigate": "TTM",
    "time_to_resolve": "TTR",
}

GROUPINGS = ("week", "month", "quarter", "severity", "service")
PERCENTILE_METHOD = "nearest-rank"
"""p90 is the smallest value with at least 90% of the values at or below it."""

NON_INCIDENT_TAGS = frozenset({"drill", "maintenance"})
UNKNOWN_GROUP = "unknown"
_NEVER = datetime.max.replace(tzinfo=UTC)


def is_drill(postmortem: Postmortem) -> bool:
    """Drills and maintenance: by ``incident_type`` or a ``drill``/``maintenance`` tag."""
    if postmortem.incident_type is not IncidentType.INCIDENT:
        return True
    return any(tag.strip().lower() in NON_INCIDENT_TAGS for tag in postmortem.tags)


def anchor(postmortem: Postmortem) -> datetime | None:
    """When the incident is counted: impact start, else detection (UTC), else its stated date
    at midnight UTC; ``None`` when the postmortem gives none of these."""
    milestones = postmortem.milestones
    return anchor_of(milestones.impact_started_at, milestones.detected_at, postmortem.date)


def anchor_of(
    impact_started_at: datetime | None, detected_at: datetime | None, day: date | None
) -> datetime | None:
    """:func:`anchor` from the three values it reads (the stored summary columns give them)."""
    instant = impact_started_at or detected_at
    if instant is not None:
        return instant.astimezone(UTC)
    if day is not None:
        return datetime.combine(day, time(), tzinfo=UTC)
    return None


def anchor_date(postmortem: Postmortem) -> date | None:
    """The UTC day of :func:`anchor`."""
    instant = anchor(postmortem)
    return instant.date() if instant is not None else None


def period_key(day: date, by: str) -> str:
    """``2026-W44``, ``2026-10`` or ``2026-Q4`` for a UTC day."""
    if by == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if by == "month":
        return f"{day.year}-{day.month:02d}"
    if by == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    raise InvalidInput(f"unknown period {by!r}; use week, month or quarter")


def select(
    postmortems: Iterable[Postmortem],
    *,
    since: date | None = None,
    until: date | None = None,
    include_drills: bool = False,
) -> tuple[list[Postmortem], int]:
    """The incidents to measure, in time order, and how many drills or maintenance were left
    out.

    ``since``/``until`` are inclusive UTC days compared with the anchor; an incident with no
    anchor is left out whenever either bound is given.
    """
    chosen: list[Postmortem] = []
    drills = 0
    for pm in postmortems:
        if (since or until) and not _within(anchor_date(pm), since, until):
            continue
        if not include_drills and is_drill(pm):
            drills += 1
            continue
        chosen.append(pm)
    chosen.sort(key=lambda pm: (anchor(pm) or _NEVER, pm.id or ""))
    return chosen, drills


def _within(day: date | None, since: date | None, until: date | None) -> bool:
    if day is None:
        return False
    return (since is None or day >= since) and (until is None or day <= until)


# --- statistics -------------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of sorted-or-not ``values`` (not empty)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Stat:
    """One measure over a group of incidents, in seconds, between milestones ``start`` and
    ``end``; ``mean``, ``median`` and ``p90`` are ``None`` when nothing was measured."""

    name: str
    start: str
    end: str
    count: int
    excluded: int
    mean: float | None
    median: float | None
    p90: float | None

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.start,
            "to": self.end,
            "count": self.count,
            "excluded": self.excluded,
            "mean": self.mean,
            "median": self.median,
            "p90": self.p90,
        }


def summarize(name: str, values: Sequence[int | None], *, span: tuple[str, str]) -> Stat:
    """Count, mean, median and p90 of the known values; unknowns are counted as excluded."""
    known = [float(v) for v in values if v is not None]
    excluded = len(values) - len(known)
    if not known:
        return Stat(name, *span, 0, excluded, None, None, None)
    return Stat(
        name,
        *span,
        len(known),
        excluded,
        statistics.fmean(known),
        float(statistics.median(known)),
        percentile(known, 0.9),
    )


def span_of(metric: str) -> tuple[str, str]:
    """The milestones a metric measures between."""
    start, end, _ = DURATIONS[metric]
    return start, end


def incident_values(postmortem: Postmortem) -> dict[str, int | None]:
    """Each metric of one incident in seconds, ``None`` where a milestone is unknown."""
    durations = postmortem.durations
    return {metric: getattr(durations, metric) for metric in METRICS}


# --- groups -----------------------------------------------------------------------------------


@dataclass
class Group:
    """The incidents of one period, severity or service and their metrics."""

    key: str
    incidents: list[str] = field(default_factory=list)
    stats: dict[str, Stat] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "group": self.key,
            "incidents": len(self.incidents),
            "ids": self.incidents,
            "metrics": {name: stat.as_json() for name, stat in self.stats.items()},
        }


@dataclass
class MetricsReport:
    """Metrics of a set of incidents, grouped (or all together when ``by`` is ``None``)."""

    by: str | None
    since: date | None
    until: date | None
    include_drills: bool
    drills_excluded: int
    groups: list[Group]

    def as_json(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "include_drills": self.include_drills,
            "drills_excluded": self.drills_excluded,
            "unit": "seconds",
            "percentile_method": PERCENTILE_METHOD,
            "metrics": {
                name: dict(zip(("from", "to"), span_of(name), strict=True)) for name in METRICS
            },
            "groups": [group.as_json() for group in self.groups],
        }


def group_keys(postmortem: Postmortem, by: str | None) -> list[str]:
    """The groups an incident belongs to: one period or severity, or each of its services."""
    if by is None:
        return ["all"]
    if by in ("week", "month", "quarter"):
        day = anchor_date(postmortem)
        return [period_key(day, by) if day else UNKNOWN_GROUP]
    if by == "severity":
        return [postmortem.severity.label() if postmortem.severity else UNKNOWN_GROUP]
    if by == "service":
        return list(dict.fromkeys(postmortem.services)) or [UNKNOWN_GROUP]
    raise InvalidInput(f"unknown grouping {by!r}; use {', '.join(GROUPINGS)}")


def _order(group: Group) -> tuple[bool, str]:
    # Unknowns last; periods and severities sort by their labels, services by name.
    return (group.key == UNKNOWN_GROUP, group.key.lower())


def compute_metrics(
    postmortems: Iterable[Postmortem],
    *,
    by: str | None = None,
    since: date | None = None,
    until: date | None = None,
    include_drills: bool = False,
) -> MetricsReport:
    """MTTx per group: count, mean, median and p90 in seconds, with the unknowns counted."""
    if by is not None and by not in GROUPINGS:
        raise InvalidInput(f"unknown grouping {by!r}; use {', '.join(GROUPINGS)}")
    chosen, drills = select(postmortems, since=since, until=until, include_drills=include_drills)
    members: dict[str, list[Postmortem]] = {}
    for pm in chosen:
        for key in group_keys(pm, by):
            members.setdefault(key, []).append(pm)
    groups = [_group(key, pms) for key, pms in members.items()]
    groups.sort(key=_order)
    return MetricsReport(by, since, until, include_drills, drills, groups)


def _group(key: str, postmortems: list[Postmortem]) -> Group:
    values = [incident_values(pm) for pm in postmortems]
    return Group(
        key=key,
        incidents=[pm.id or pm.title for pm in postmortems],
        stats={m: summarize(m, [v[m] for v in values], span=span_of(m)) for m in METRICS},
    )


def incident_rows(postmortems: Iterable[Postmortem]) -> list[dict[str, Any]]:
    """Per incident: id, title, anchor, severity, services and each metric in seconds."""
    rows = []
    for pm in postmortems:
        at = anchor(pm)
        rows.append(
            {
                "id": pm.id,
                "title": pm.title,
                "anchor": at.isoformat() if at else None,
                "severity": pm.severity.label() if pm.severity else None,
                "services": list(pm.services),
                "drill": is_drill(pm),
                **incident_values(pm),
            }
        )
    return rows
