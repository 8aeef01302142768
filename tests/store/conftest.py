"""Postmortems to store: a typical one, built fresh for each test."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hindsight.model import ActionItem, Postmortem, TimelineEvent

START = datetime(2024, 5, 1, 14, 0, tzinfo=UTC)

BuildPostmortem = Callable[..., Postmortem]


def typical_postmortem(*, events: int = 15, actions: int = 5, **fields: Any) -> Postmortem:
    """A postmortem shaped like the ones teams write: a timeline, a few action items."""
    start = fields.pop("start", START)
    timeline = [
        TimelineEvent(
            at=start + timedelta(minutes=7 * n),
            text=f"Step {n}: checked the dashboards and rolled back the canary",
            kind=("alert", "investigation", "mitigation")[n % 3],
            actor="ana" if n % 2 else "bo",
        )
        for n in range(events)
    ]
    items = [
        ActionItem(
            id=f"AI-{n + 1}",
            action=f"Add an alert for queue depth on shard {n}",
            owner=("ana", "bo", "Chen")[n % 3],
            priority=f"P{n % 3}",
            due=start.date() + timedelta(days=7 * (n + 1)),
            category=("prevent", "detect", "respond")[n % 3],
        )
        for n in range(actions)
    ]
    values: dict[str, Any] = {
        "title": "Checkout errors after a config push",
        "date": start.date(),
        "severity": "SEV-2",
        "services": ["checkout", "payments"],
        "tags": ["config", "rollback"],
        "executive_summary": "A bad config push broke checkout for 40 minutes.",
        "milestones": {
            "impact_started_at": start,
            "detected_at": start + timedelta(minutes=5),
            "resolved_at": start + timedelta(minutes=45),
        },
        "timeline": timeline,
        "action_items": items,
        "contributing_factors": ["No canary for config", "Alert threshold too high"],
    }
    values.update(fields)
    return Postmortem.model_validate(values)


@pytest.fixture
def build() -> BuildPostmortem:
    """``build(title=..., date=...)``: a typical postmortem with some fields replaced."""
    return typical_postmortem
