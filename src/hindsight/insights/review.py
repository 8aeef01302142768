"""The agenda of the weekly incident review, as Markdown to print or paste.

The week runs Monday to Sunday around the review day. The agenda lists postmortems awaiting
review (``in_review``) or sign-off (a sign-off not yet approved), drafts still open, action items
overdue or due by the end of the week grouped by owner, follow-up reviews scheduled this week,
and the incidents since the last review (by default a week before the review day).
Pure: the review day is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hindsight.insights.followups import ActionRow, action_rows
from hindsight.insights.metrics import anchor_date, is_drill
from hindsight.model import DocumentStatus, FollowUpReview, Postmortem

NO_OWNER = "(no owner)"


@dataclass(frozen=True)
class PendingSignoff:
    postmortem: Postmortem
    roles: tuple[str, ...]


@dataclass
class WeeklyAgenda:
    day: date
    week_start: date
    week_end: date
    last_review: date
    awaiting_review: list[Postmortem]
    awaiting_signoff: list[PendingSignoff]
    drafts: list[Postmortem]
    overdue: dict[str, list[ActionRow]]
    due_this_week: dict[str, list[ActionRow]]
    follow_ups: list[tuple[Postmortem, FollowUpReview]]
    new_incidents: list[Postmortem]

    def as_json(self) -> dict[str, Any]:
        def ids(pms: Iterable[Postmortem]) -> list[str | None]:
            return [pm.id for pm in pms]

        def by_owner(groups: dict[str, list[ActionRow]]) -> dict[str, list[dict[str, Any]]]:
            return {owner: [r.as_json(self.day) for r in rows] for owner, rows in groups.items()}

        return {
            "day": self.day.isoformat(),
            "week_start": self.week_start.isoformat(),
            "week_end": self.week_end.isoformat(),
            "last_review": self.last_review.isoformat(),
            "awaiting_review": ids(self.awaiting_review),
            "awaiting_signoff": [
                {"postmortem": s.postmortem.id, "roles": list(s.roles)}
                for s in self.awaiting_signoff
            ],
            "drafts": ids(self.drafts),
            "overdue": by_owner(self.overdue),
            "due_this_week": by_owner(self.due_this_week),
            "follow_ups": [
                {
                    "postmortem": pm.id,
                    "date": f.date.isoformat() if f.date else None,
                    "kind": f.kind,
                }
                for pm, f in self.follow_ups
            ],
            "new_incidents": ids(self.new_incidents),
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _by_owner(rows: Iterable[ActionRow]) -> dict[str, list[ActionRow]]:
    groups: dict[str, list[ActionRow]] = {}
    for row in rows:
        groups.setdefault(row.item.owner or NO_OWNER, []).append(row)
    return dict(sorted(groups.items(), key=lambda kv: (kv[0] == NO_OWNER, kv[0].lower())))


def _pending_roles(pm: Postmortem) -> tuple[str, ...]:
    return tuple(s.role for s in pm.signoffs if not s.approved)


def weekly_agenda(
    postmortems: Iterable[Postmortem], *, day: date, last_review: date | None = None
) -> WeeklyAgenda:
    """What the weekly review held on ``day`` should go through; incidents after ``day`` are
    not on it."""
    known = [pm for pm in postmortems if (d := anchor_date(pm)) is None or d <= day]
    pms = sorted(known, key=lambda pm: (anchor_date(pm) or date.min, pm.id or ""))
    week_start = day - timedelta(days=day.weekday())
    week_end = week_start + timedelta(days=6)
    since = last_review or day - timedelta(days=7)
    rows = [r for r in action_rows(pms) if r.is_open and r.item.due is not None]
    return WeeklyAgenda(
        day=day,
        week_start=week_start,
        week_end=week_end,
        last_review=since,
        awaiting_review=[pm for pm in pms if pm.status is DocumentStatus.IN_REVIEW],
        awaiting_signoff=[
            PendingSignoff(pm, roles)
            for pm in pms
            if pm.status is not DocumentStatus.DRAFT and (roles := _pending_roles(pm))
        ],
        drafts=[pm for pm in pms if pm.status is DocumentStatus.DRAFT],
        overdue=_by_owner(r for r in rows if r.item.due is not None and r.item.due < day),
        due_this_week=_by_owner(
            r for r in rows if r.item.due is not None and day <= r.item.due <= week_end
        ),
        follow_ups=[
            (pm, f)
            for pm in pms
            for f in pm.follow_ups
            if f.date is not None and week_start <= f.date <= week_end
        ],
        new_incidents=[
            pm for pm in pms if (d := anchor_date(pm)) is not None and since <= d <= day
        ],
    )


def agenda_markdown(agenda: WeeklyAgenda, *, scheme: str = "sev") -> str:
    """The agenda as Markdown."""
    from hindsight.insights.templating import render

    return render("weekly.md.j2", a=agenda, scheme=scheme, is_drill=is_drill)
