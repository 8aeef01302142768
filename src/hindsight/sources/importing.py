"""Adding a source's events to a stored postmortem, without duplicating what is already there.

An event already in the timeline (the same source ref, or the same time and text) is skipped;
an event that is the same as one there but seen by another source (see
:mod:`hindsight.sources.merge`) adds its source, ref and link to it and leaves its wording
alone; the rest are inserted in time order. Importing the same file twice changes nothing the
second time.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from hindsight.model import Postmortem, TimelineEvent
from hindsight.sources.common import refs_of
from hindsight.sources.merge import WINDOW, absorb, same_event

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from hindsight.settings import Settings
    from hindsight.sources import ReadOptions
    from hindsight.store.repository import Stored


@dataclass
class Added:
    """A timeline with events added, and what happened to each event offered."""

    postmortem: Postmortem
    added: int = 0
    merged: int = 0
    skipped: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.merged)


@dataclass
class ImportResult:
    stored: Stored
    added: int
    merged: int
    skipped: int
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.stored.postmortem.id,
            "revision": self.stored.revision,
            "added": self.added,
            "merged": self.merged,
            "skipped": self.skipped,
            "warnings": list(self.warnings),
        }


def add_events(postmortem: Postmortem, events: Sequence[TimelineEvent]) -> Added:
    """``postmortem`` with ``events`` added to its timeline as the module describes (pure)."""
    timeline = list(postmortem.timeline)
    known_refs = {ref for event in timeline for ref in refs_of(event)}
    known_keys = {(event.at, event.text) for event in timeline}
    timed = sorted(
        ((i, e) for i, e in enumerate(timeline) if e.at is not None), key=lambda p: _at(p[1])
    )
    times = [_at(event) for _, event in timed]
    result = Added(postmortem)
    new: list[TimelineEvent] = []
    for event in events:
        if known_refs.intersection(refs_of(event)) or (event.at, event.text) in known_keys:
            result.skipped += 1
            continue
        match = _matching(event, timed, times, timeline)
        if match is None:
            new.append(event)
            known_keys.add((event.at, event.text))
            known_refs.update(refs_of(event))
            continue
        timeline[match] = absorb(timeline[match], event)
        known_refs.update(refs_of(event))
        result.merged += 1
    result.added = len(new)
    if result.changed:
        data = postmortem.model_dump(exclude={"durations"})
        data["timeline"] = [e.model_dump() for e in _inserted(timeline, new)]
        result.postmortem = Postmortem.model_validate(data)
    return result


def _at(event: TimelineEvent) -> datetime:
    assert event.at is not None
    return event.at


def _matching(
    event: TimelineEvent,
    timed: list[tuple[int, TimelineEvent]],
    times: list[datetime],
    timeline: list[TimelineEvent],
) -> int | None:
    """The index of a stored event that ``event`` is another sighting of, if any."""
    if event.at is None:
        return None
    start = bisect.bisect_left(times, event.at - WINDOW)
    end = bisect.bisect_right(times, event.at + WINDOW)
    for index, _ in timed[start:end]:
        if same_event(timeline[index], event):
            return index
    return None


def _inserted(timeline: list[TimelineEvent], new: list[TimelineEvent]) -> list[TimelineEvent]:
    """Each new event before the first stored event later than it (as ``add_event`` places
    one), untimed ones last; the stored events keep their order."""
    # The first stored event later than t is where the running latest time first exceeds t.
    ceilings: list[float] = []
    latest = float("-inf")
    for event in timeline:
        if event.at is not None:
            latest = max(latest, event.at.timestamp())
        ceilings.append(latest)
    placed: dict[int, list[TimelineEvent]] = {}
    for event in sorted(new, key=_order):
        position = len(timeline)
        if event.at is not None:
            position = bisect.bisect_right(ceilings, event.at.timestamp())
        placed.setdefault(position, []).append(event)
    merged: list[TimelineEvent] = []
    for index, event in enumerate(timeline):
        merged.extend(placed.pop(index, []))
        merged.append(event)
    merged.extend(placed.pop(len(timeline), []))
    return merged


def _order(event: TimelineEvent) -> tuple[bool, float]:
    return (event.at is None, event.at.timestamp() if event.at is not None else 0.0)


def import_source(
    *,
    session: Session,
    ref: str,
    kind: str,
    path: Path,
    options: ReadOptions,
    settings: Settings,
    now: datetime,
) -> ImportResult:
    """Read ``path`` as a source of ``kind`` and add its events to the stored postmortem ``ref``.

    Notes and tables that state no date take the postmortem's incident date.
    """
    from hindsight.sources import read_source
    from hindsight.store import repository

    stored = repository.get_postmortem(session=session, ref=ref)
    if options.day is None and stored.postmortem.incident_date is not None:
        options = replace(options, day=stored.postmortem.incident_date)
    read = read_source(kind, path, options)
    result = import_events(
        session=session,
        ref=ref,
        events=read.events,
        settings=settings,
        now=now,
        label=f"{kind} {path.name}",
    )
    result.warnings = list(read.warnings)
    return result


def import_events(
    *,
    session: Session,
    ref: str,
    events: Sequence[TimelineEvent],
    settings: Settings,
    now: datetime,
    label: str,
) -> ImportResult:
    """Add ``events`` to the stored postmortem ``ref`` as a new revision (none if nothing new)."""
    from hindsight.store import repository

    stored = repository.get_postmortem(session=session, ref=ref)
    result = add_events(stored.postmortem, events)
    if result.changed:
        stored = repository.save_postmortem(
            session=session,
            postmortem=result.postmortem,
            base_revision=stored.revision,
            author=settings.user,
            now=now,
            message=f"timeline: imported {result.added} events from {label}"
            + (f", {result.merged} merged" if result.merged else ""),
        )
    return ImportResult(stored, result.added, result.merged, result.skipped)
