"""The same event seen twice becomes one: a PagerDuty page and the Slack message its bot posted,
an alert in two notifications, a note that retells an alert.

Events come in groups, one per input (a file, a channel, the timeline already stored). Two
events are the same when

1. they share an external id (source ref), wherever they come from; or
2. they are at the same instant with the same text and actor (a copy); or
3. they come from different inputs, lie within ``window`` of each other, do not disagree about
   what happened (two specific kinds that differ, such as an alert and its resolution, never
   merge), and say the same thing: a shared link, or enough shared words.

Within one input, events with different ids are different events however alike they look: two
alerts of one group, two people answering "ack".

Each set of same events becomes the richest of them (a structured source over chat over notes;
more fields filled), with the others' sources and refs added to its own and their links kept in
its notes. Events are taken in time order and compared only with those still in the window, so
merging stays linear in the number of events.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hindsight.model import EventKind, TimelineEvent
from hindsight.sources.common import paused_gc, refs_of

WINDOW = timedelta(minutes=2)
"""How far apart two reports of one event may be: a bot posts within seconds, people write the
minute down by hand."""

_VAGUE = frozenset({EventKind.NOTE, EventKind.COMMUNICATION, EventKind.ACTION})
_SOURCE_RANK = {"notes": 0, "slack": 1, "csv": 1, "jsonl": 1}
_STRUCTURED_RANK = 2
_WORD = re.compile(r"[a-z0-9][a-z0-9_.\-]*[a-z0-9]|[a-z0-9]")
_STOP = frozenset(
    {
        "a", "an", "the", "and", "or", "of", "on", "in", "at", "to", "for", "by", "is", "are",
        "was", "were", "be", "been", "it", "its", "this", "that", "with", "from", "as", "has",
        "had", "have", "we", "our", "i", "you", "they", "he", "she", "not", "no",
    }
)  # fmt: skip


@dataclass(slots=True)
class _Cluster:
    events: list[TimelineEvent]
    groups: set[int]
    at: datetime
    links: set[str] = field(default_factory=set)
    _words: frozenset[str] | None = None

    @property
    def words(self) -> frozenset[str]:
        """The first event's words, worked out only when another input's event is compared."""
        if self._words is None:
            self._words = _words(self.events[0].text)
        return self._words


@dataclass
class MergeResult:
    """Merged events in time order, and how many events were folded into others."""

    events: list[TimelineEvent]
    merged: int = 0


def merge_events(
    groups: Sequence[Iterable[TimelineEvent]], *, window: timedelta = WINDOW
) -> MergeResult:
    """One event for each set of events that are the same (see the module's rules)."""
    timed: list[tuple[datetime, int, int, TimelineEvent]] = []
    untimed: list[TimelineEvent] = []
    for group, events in enumerate(groups):
        for order, event in enumerate(events):
            if event.at is None:
                untimed.append(event)
            else:
                timed.append((event.at, group, order, event))
    timed.sort()  # (at, group, order) is unique: events themselves are never compared
    with paused_gc():
        merger = _Merger(window, compare=len(groups) > 1)
        for _, group, _, event in timed:
            merger.add(event, group)
        events = [combine(cluster.events) for cluster in merger.clusters]
    events.extend(_unique(untimed))
    count = len(timed) - len(merger.clusters)
    return MergeResult(events=events, merged=count)


def _unique(events: list[TimelineEvent]) -> list[TimelineEvent]:
    seen: set[tuple[str, str | None]] = set()
    kept = []
    for event in events:
        key = (event.text, event.actor)
        if key not in seen:
            seen.add(key)
            kept.append(event)
    return kept


class _Merger:
    def __init__(self, window: timedelta, *, compare: bool) -> None:
        self.window = window
        self.compare = compare  # events of one input are never compared for likeness
        self.clusters: list[_Cluster] = []
        self.by_ref: dict[str, _Cluster] = {}
        self.by_copy: dict[tuple[datetime, str, str | None], _Cluster] = {}
        self.recent: dict[int, deque[_Cluster]] = {}

    def add(self, event: TimelineEvent, group: int) -> None:
        assert event.at is not None
        refs = refs_of(event)
        copy_key = (event.at, event.text.casefold(), event.actor)
        cluster = None
        for ref in refs:
            cluster = self.by_ref.get(ref)
            if cluster is not None:
                break
        if cluster is None:
            cluster = self.by_copy.get(copy_key)
        if cluster is None and self.compare:
            cluster = self._similar(event, group)
        if cluster is None:
            cluster = _Cluster([], set(), event.at)
            self.clusters.append(cluster)
        if self.compare and group not in cluster.groups:
            self.recent.setdefault(group, deque()).append(cluster)
        cluster.events.append(event)
        cluster.groups.add(group)
        if event.link:
            cluster.links.add(event.link)
        for ref in refs:
            self.by_ref.setdefault(ref, cluster)
        self.by_copy.setdefault(copy_key, cluster)

    def _similar(self, event: TimelineEvent, group: int) -> _Cluster | None:
        assert event.at is not None
        oldest = event.at - self.window
        words: frozenset[str] | None = None
        for other, queue in self.recent.items():
            while queue and queue[0].at < oldest:
                queue.popleft()
            if other == group:
                continue
            for cluster in queue:
                if group in cluster.groups or not _compatible(cluster.events[0].kind, event.kind):
                    continue
                if event.link and event.link in cluster.links:
                    return cluster
                words = words if words is not None else _words(event.text)
                if _alike(cluster.words, words):
                    return cluster
        return None


def _compatible(a: EventKind, b: EventKind) -> bool:
    return a == b or a in _VAGUE or b in _VAGUE


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.casefold()) if w not in _STOP)


def _alike(a: frozenset[str], b: frozenset[str]) -> bool:
    """Enough shared words: most of both, or nearly all of the shorter with three or more."""
    shared = len(a & b)
    if shared < 2:
        return False
    if shared / len(a | b) >= 0.5:
        return True
    return min(len(a), len(b)) >= 3 and shared / min(len(a), len(b)) >= 0.8


def same_event(a: TimelineEvent, b: TimelineEvent, *, window: timedelta = WINDOW) -> bool:
    """Whether two events from different inputs are one event (rules 1 to 3)."""
    if set(refs_of(a)) & set(refs_of(b)):
        return True
    if a.at is None or b.at is None or abs(a.at - b.at) > window:
        return False
    if a.at == b.at and a.text.casefold() == b.text.casefold() and a.actor == b.actor:
        return True
    if not _compatible(a.kind, b.kind):
        return False
    if a.link and a.link == b.link:
        return True
    return _alike(_words(a.text), _words(b.text))


def absorb(base: TimelineEvent, other: TimelineEvent) -> TimelineEvent:
    """``base`` as it is, with ``other``'s sources, refs and link added: for a timeline the
    author may have edited, whose wording must win."""
    sources = _ordered([base.source, other.source], split=",")
    refs = _ordered([base.source_ref, other.source_ref], split=" ")
    notes = base.notes
    extra = other.link if other.link and base.link and other.link != base.link else None
    if extra and extra not in (notes or ""):
        notes = f"{notes}; also {extra}" if notes else f"also {extra}"
    update = {
        "source": ", ".join(sources) or None,
        "source_ref": " ".join(refs) or None,
        "link": base.link or other.link,
        "actor": base.actor or other.actor,
        "notes": notes,
    }
    return TimelineEvent.model_validate({**base.model_dump(), **update})


# --- combining --------------------------------------------------------------------------------


def _source_rank(event: TimelineEvent) -> int:
    name = (event.source or "").split(":")[0].split(",")[0].strip()
    return _SOURCE_RANK.get(name, _STRUCTURED_RANK)


def richness(event: TimelineEvent) -> tuple[int, int, int]:
    """How much an event tells: its source's kind, then fields filled, then a specific kind."""
    filled = sum(1 for value in (event.link, event.actor, event.notes, event.source_ref) if value)
    return (_source_rank(event), filled, 0 if event.kind in _VAGUE else 1)


def combine(events: list[TimelineEvent]) -> TimelineEvent:
    """The richest event, carrying every source, ref and link of the others."""
    if len(events) == 1:
        return events[0]
    best = max(events, key=richness)
    others = [e for e in events if e is not best]
    sources = _ordered([best.source, *(e.source for e in others)], split=",")
    refs = _ordered([best.source_ref, *(e.source_ref for e in others)], split=" ")
    links = [e.link for e in others if e.link and e.link != best.link]
    notes = _ordered([best.notes, *(e.notes for e in others)], split=None)
    kind = best.kind
    if kind in _VAGUE:
        kind = next((e.kind for e in others if e.kind not in _VAGUE), kind)
    update = {
        "source": ", ".join(sources) or None,
        "source_ref": " ".join(refs) or None,
        "link": best.link or (links.pop(0) if links else None),
        "actor": best.actor or next((e.actor for e in others if e.actor), None),
        "kind": kind,
        "notes": "; ".join([*notes, *(f"also {link}" for link in _ordered(links, split=None))])
        or None,
    }
    return TimelineEvent.model_validate({**best.model_dump(), **update})


def _ordered(values: Iterable[str | None], *, split: str | None) -> list[str]:
    seen: list[str] = []
    for value in values:
        if not value:
            continue
        parts = value.split(split) if split else [value]
        for part in (p.strip() for p in parts):
            if part and part not in seen:
                seen.append(part)
    return seen
