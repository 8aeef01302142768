"""Follow-up tracking: action items across postmortems, filters, overdue items and the due-date
policy ("P0 within 14 days").

Pure functions: ``today`` is always passed in. An item is *open* while its status is ``open`` or
``in_progress``; it is *overdue* when open and its due date is before ``today``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hindsight.errors import InvalidInput
from hindsight.model import ActionItem, ActionStatus, Postmortem, Priority, Severity

OPEN_STATUSES = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS})

DEFAULT_DUE_POLICY = "P0=14,P1=30,P2=60,P3=90"
"""Days from the incident's resolution (else its date) within which an item must be done."""


@dataclass(frozen=True)
class ActionRow:
    """An action item with the postmortem it belongs to."""

    postmortem_id: str
    postmortem_title: str
    severity: Severity | None
    incident_day: date | None
    position: int
    item: ActionItem

    @property
    def is_open(self) -> bool:
        return self.item.status in OPEN_STATUSES

    def overdue_days(self, today: date) -> int | None:
        """Days past due for an open item; ``None`` when not overdue."""
        due = self.item.due
        if not self.is_open or due is None or due >= today:
            return None
        return (today - due).days

    def as_json(self, today: date) -> dict[str, Any]:
        item = self.item
        return {
            "postmortem": self.postmortem_id,
            "postmortem_title": self.postmortem_title,
            "severity": self.severity.label() if self.severity else None,
            "id": item.id,
            "action": item.action,
            "owner": item.owner,
            "team": item.team,
            "priority": item.priority.value if item.priority else None,
            "category": item.category.value if item.category else None,
            "status": item.status.value,
            "due": item.due.isoformat() if item.due else None,
            "completed_on": item.completed_on.isoformat() if item.completed_on else None,
            "overdue_days": self.overdue_days(today),
            "tracker": item.tracker,
        }


CSV_COLUMNS = (
    "postmortem",
    "id",
    "action",
    "owner",
    "team",
    "priority",
    "category",
    "status",
    "due",
    "completed_on",
    "overdue_days",
    "severity",
    "tracker",
    "postmortem_title",
)


def resolution_day(postmortem: Postmortem) -> date | None:
    """The UTC day the incident was resolved, else its incident date."""
    return resolution_day_of(postmortem.milestones.resolved_at, postmortem.incident_date)


def resolution_day_of(resolved_at: datetime | None, incident_date: date | None) -> date | None:
    """:func:`resolution_day` from the two values it reads (stored columns give them)."""
    return resolved_at.astimezone(UTC).date() if resolved_at is not None else incident_date


def action_rows(postmortems: Iterable[Postmortem]) -> list[ActionRow]:
    """Every action item of every postmortem, soonest due first (no due date last)."""
    return in_due_order(
        ActionRow(
            postmortem_id=pm.id or pm.title,
            postmortem_title=pm.title,
            severity=pm.severity,
            incident_day=resolution_day(pm),
            position=position,
            item=item,
        )
        for pm in postmortems
        for position, item in enumerate(pm.action_items)
    )


def in_due_order(rows: Iterable[ActionRow]) -> list[ActionRow]:
    """``rows`` soonest due first, no due date last; rows due the same day by postmortem id, the
    items of one postmortem in the order they came."""
    return sorted(rows, key=lambda r: (r.item.due is None, r.item.due or date.min, r.postmortem_id))


@dataclass(frozen=True)
class ActionFilter:
    """What ``hindsight actions`` can filter by; ``None`` means any."""

    owner: str | None = None
    team: str | None = None
    status: frozenset[ActionStatus] | None = None
    priority: Priority | None = None
    category: str | None = None
    overdue: bool = False
    due_within: int | None = None

    def matches(self, row: ActionRow, today: date) -> bool:
        item = row.item
        checks = (
            _same(self.owner, item.owner),
            _same(self.team, item.team),
            self.status is None or item.status in self.status,
            self.priority is None or item.priority == self.priority,
            self.category is None or (item.category is not None and item.category == self.category),
            not self.overdue or row.overdue_days(today) is not None,
            self.due_within is None or _due_within(row, today, self.due_within),
        )
        return all(checks)


def _same(wanted: str | None, value: str | None) -> bool:
    return wanted is None or (value is not None and value.strip().lower() == wanted.lower())


def _due_within(row: ActionRow, today: date, days: int) -> bool:
    due = row.item.due
    return row.is_open and due is not None and today <= due <= today + timedelta(days=days)


def filter_actions(
    rows: Iterable[ActionRow], selection: ActionFilter, *, today: date
) -> list[ActionRow]:
    return [row for row in rows if selection.matches(row, today)]


def parse_statuses(values: Sequence[str]) -> frozenset[ActionStatus] | None:
    """Status names (``open``, ``in_progress``, ``done``, ``wont_do``); ``active`` means open or
    in progress. No names: any status."""
    if not values:
        return None
    chosen: set[ActionStatus] = set()
    for value in values:
        name = value.strip().lower().replace("-", "_").replace(" ", "_")
        if name == "active":
            chosen |= OPEN_STATUSES
            continue
        try:
            chosen.add(ActionStatus(name))
        except ValueError:
            names = ", ".join(s.value for s in ActionStatus)
            raise InvalidInput(f"unknown status {value!r}; use {names} or active") from None
    return frozenset(chosen)


# --- due-date policy --------------------------------------------------------------------------


@dataclass(frozen=True)
class DuePolicy:
    """Days within which an item must be done, by priority and by incident severity.

    The deadline counts from the day the incident was resolved (else its date). An item's
    priority rule wins over its incident's severity rule.
    """

    by_priority: dict[Priority, int] = field(default_factory=dict)
    by_severity: dict[int, int] = field(default_factory=dict)

    def days_for(self, row: ActionRow) -> int | None:
        if row.item.priority is not None and row.item.priority in self.by_priority:
            return self.by_priority[row.item.priority]
        if row.severity is not None:
            return self.by_severity.get(row.severity.level)
        return None

    def deadline(self, row: ActionRow) -> date | None:
        """The latest due date the policy allows for this item, or ``None`` (no rule)."""
        days = self.days_for(row)
        if days is None or row.incident_day is None:
            return None
        return row.incident_day + timedelta(days=days)

    def describe(self) -> str:
        parts = [f"{p.value}={d}" for p, d in sorted(self.by_priority.items())]
        parts += [f"{Severity(level).label()}={d}" for level, d in sorted(self.by_severity.items())]
        return ",".join(parts)


_RULE = re.compile(r"^\s*(?P<key>[^=:\s]+)\s*[=:]\s*(?P<days>\d+)\s*d?(?:ays?)?\s*$", re.IGNORECASE)


def parse_due_policy(text: str) -> DuePolicy:
    """Read ``P0=14,P1=30,SEV-1=7`` (days; ``14d`` also works) into a policy."""
    by_priority: dict[Priority, int] = {}
    by_severity: dict[int, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = _RULE.match(part)
        if not match:
            raise InvalidInput(
                f"due-date policy: cannot read {part!r}; write rules like P0=14,SEV-2=30"
            )
        key, days = match.group("key"), int(match.group("days"))
        if re.fullmatch(r"p[0-4]", key, re.IGNORECASE):
            by_priority[Priority(key.upper())] = days
            continue
        try:
            by_severity[Severity.parse(key).level] = days
        except ValueError:
            raise InvalidInput(
                f"due-date policy: {key!r} is neither a priority (P0..P4) nor a severity (SEV-1..)"
            ) from None
    return DuePolicy(by_priority, by_severity)


@dataclass(frozen=True)
class Breach:
    """An item that does not keep the policy: its due date is later than the policy allows,
    it is still open past the policy's deadline, or it was done after it."""

    row: ActionRow
    deadline: date
    reason: str

    def as_json(self, today: date) -> dict[str, Any]:
        return {
            **self.row.as_json(today),
            "deadline": self.deadline.isoformat(),
            "reason": self.reason,
        }


def propose_due(row: ActionRow, policy: DuePolicy) -> date | None:
    """The due date the policy proposes for an item (its deadline)."""
    return policy.deadline(row)


def breaches(rows: Iterable[ActionRow], policy: DuePolicy, *, today: date) -> list[Breach]:
    """Items that break the policy, with why; ``wont_do`` items never do."""
    found = []
    for row in rows:
        deadline = policy.deadline(row)
        if deadline is None or row.item.status is ActionStatus.WONT_DO:
            continue
        reason = _breach_reason(row, deadline, today)
        if reason is not None:
            found.append(Breach(row, deadline, reason))
    return found


def _breach_reason(row: ActionRow, deadline: date, today: date) -> str | None:
    item = row.item
    if row.is_open and today > deadline:
        return f"still {item.status.value} {(today - deadline).days} days past the policy deadline"
    if item.status is ActionStatus.DONE and item.completed_on and item.completed_on > deadline:
        return f"done {(item.completed_on - deadline).days} days after the policy deadline"
    if row.is_open and item.due is not None and item.due > deadline:
        return f"due {item.due.isoformat()}, later than the policy allows"
    return None
