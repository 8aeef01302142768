"""Postmortem health: how soon postmortems follow incidents, how many are finished, and whether
action items get done on time. Pure functions; ``today`` is passed in.

- *to draft*: resolution to ``postmortem_started_at`` (else the first status change); a
  postmortem started before resolution counts 0.
- *to final*: resolution to ``postmortem_completed_at`` (else the first change to ``final``).
- *finalised*: the share of postmortems whose status is ``final``.
- *on time*: of the action items whose outcome is known by ``today`` (done with a completion
  date, or still open past their due date), the share done on or before their due date.
  Items with no due date, ``wont_do`` items, and open items not yet due are not counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from hindsight.insights.metrics import Stat, summarize
from hindsight.model import ActionItem, ActionStatus, DocumentStatus, Postmortem

HEALTH_SPANS = {
    "resolution_to_draft": ("resolved_at", "postmortem_started_at"),
    "resolution_to_final": ("resolved_at", "postmortem_completed_at"),
}


@dataclass(frozen=True)
class Share:
    """``part`` of ``whole``; ``ratio`` is ``None`` when the whole is empty."""

    part: int
    whole: int

    @property
    def ratio(self) -> float | None:
        return self.part / self.whole if self.whole else None

    def as_json(self) -> dict[str, Any]:
        return {"part": self.part, "whole": self.whole, "ratio": self.ratio}


@dataclass(frozen=True)
class Health:
    postmortems: int
    to_draft: Stat
    to_final: Stat
    finalised: Share
    actions_on_time: Share

    def as_json(self) -> dict[str, Any]:
        return {
            "postmortems": self.postmortems,
            "resolution_to_draft": self.to_draft.as_json(),
            "resolution_to_final": self.to_final.as_json(),
            "finalised": self.finalised.as_json(),
            "actions_on_time": self.actions_on_time.as_json(),
        }


def drafted_at(postmortem: Postmortem) -> datetime | None:
    started = postmortem.milestones.postmortem_started_at
    if started is not None:
        return started
    return postmortem.status_history[0].at if postmortem.status_history else None


def finalised_at(postmortem: Postmortem) -> datetime | None:
    completed = postmortem.milestones.postmortem_completed_at
    if completed is not None:
        return completed
    finals = [c.at for c in postmortem.status_history if c.status is DocumentStatus.FINAL]
    return finals[0] if finals else None


def _seconds(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    # A postmortem started before the incident was resolved took no time after it.
    return max(0, int((end - start).total_seconds()))


def on_time(postmortems: Iterable[Postmortem], *, today: date) -> Share:
    """Action items done by their due date, of those whose outcome is known by ``today``.

    An item completed after ``today`` counts as still open on ``today`` (for reports of a past
    month)."""
    return items_on_time((item for pm in postmortems for item in pm.action_items), today=today)


def items_on_time(items: Iterable[ActionItem], *, today: date) -> Share:
    """:func:`on_time` over action items, whichever postmortems they come from."""
    part = whole = 0
    for item in items:
        if item.due is None or item.status is ActionStatus.WONT_DO:
            continue
        done_on = item.completed_on
        if item.status is ActionStatus.DONE and (done_on is None or done_on <= today):
            if done_on is not None:
                whole += 1
                part += done_on <= item.due
        elif item.due < today:
            whole += 1
    return Share(part, whole)


def compute_health(postmortems: Iterable[Postmortem], *, today: date) -> Health:
    chosen = list(postmortems)
    resolved = [pm.milestones.resolved_at for pm in chosen]
    return Health(
        postmortems=len(chosen),
        to_draft=summarize(
            "resolution_to_draft",
            [_seconds(r, drafted_at(pm)) for r, pm in zip(resolved, chosen, strict=True)],
            span=HEALTH_SPANS["resolution_to_draft"],
        ),
        to_final=summarize(
            "resolution_to_final",
            [_seconds(r, finalised_at(pm)) for r, pm in zip(resolved, chosen, strict=True)],
            span=HEALTH_SPANS["resolution_to_final"],
        ),
        finalised=Share(sum(pm.status is DocumentStatus.FINAL for pm in chosen), len(chosen)),
        actions_on_time=on_time(chosen, today=today),
    )
