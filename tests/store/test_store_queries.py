"""Action items and timeline events queried across postmortems, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy.orm import Session

from hindsight.errors import NotFound
from hindsight.model import (
    ActionCategory,
    ActionItem,
    ActionStatus,
    EventKind,
    Postmortem,
    Priority,
    TimelineEvent,
)
from hindsight.settings import DEFAULT_ID_PATTERN
from hindsight.store import repository as repo

BuildPostmortem = Callable[..., Postmortem]
NOW = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)
TODAY = date(2024, 6, 1)


def store(session: Session, postmortem: Postmortem) -> str:
    stored = repo.create_postmortem(
        session=session, postmortem=postmortem, author="ana", now=NOW, id_pattern=DEFAULT_ID_PATTERN
    )
    session.commit()
    return stored.postmortem.id or ""


def item(action: str, **fields: object) -> ActionItem:
    return ActionItem.model_validate({"action": action, **fields})


@pytest.fixture
def two_postmortems(session: Session, build: BuildPostmortem) -> tuple[str, str]:
    first = build(
        id="INC-A",
        title="Checkout errors",
        action_items=[
            item("Alert on queue depth", owner="ana", due=date(2024, 5, 20), priority="P1"),
            item("Canary for config", owner="Bo", due=date(2024, 7, 1), category="prevent"),
            item("Old runbook", owner="ana", status="wont_do", status_reason="replaced"),
        ],
    )
    second = build(
        id="INC-B",
        title="DNS outage",
        start=datetime(2024, 5, 10, 8, 0, tzinfo=UTC),
        action_items=[
            item("Lower DNS TTL", owner="bo", due=date(2024, 5, 25), status="in_progress"),
            item("Write the DNS runbook", owner="chen", due=date(2024, 5, 1), status="done"),
        ],
    )
    return store(session, first), store(session, second)


def test_action_items_across_postmortems_soonest_due_first(
    session: Session, two_postmortems: tuple[str, str]
) -> None:
    rows = repo.list_action_items(session=session)

    assert [(r.postmortem_id, r.item.action) for r in rows] == [
        ("INC-B", "Write the DNS runbook"),
        ("INC-A", "Alert on queue depth"),
        ("INC-B", "Lower DNS TTL"),
        ("INC-A", "Canary for config"),
        ("INC-A", "Old runbook"),
    ]
    first = rows[1]
    assert (first.postmortem_title, first.position) == ("Checkout errors", 0)
    assert first.item == item(
        "Alert on queue depth", owner="ana", due=date(2024, 5, 20), priority="P1"
    )
    assert rows[4].item.status_reason == "replaced"


def test_action_item_filters(session: Session, two_postmortems: tuple[str, str]) -> None:
    def actions(**filters: Any) -> list[str]:
        return [row.item.action for row in repo.list_action_items(session=session, **filters)]

    assert actions(owner="BO") == ["Lower DNS TTL", "Canary for config"]
    assert actions(status=ActionStatus.DONE) == ["Write the DNS runbook"]
    assert actions(priority=Priority.P1) == ["Alert on queue depth"]
    assert actions(category=ActionCategory.PREVENT) == ["Canary for config"]
    assert actions(postmortem_ref="inc-b") == ["Write the DNS runbook", "Lower DNS TTL"]
    assert actions(due_before=date(2024, 5, 20)) == ["Write the DNS runbook"]
    with pytest.raises(NotFound):
        actions(postmortem_ref="INC-404")


def test_overdue_is_open_work_due_before_today(
    session: Session, two_postmortems: tuple[str, str]
) -> None:
    overdue = repo.list_action_items(
        session=session,
        status=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS],
        due_before=TODAY,
    )

    assert [(r.postmortem_id, r.item.action) for r in overdue] == [
        ("INC-A", "Alert on queue depth"),
        ("INC-B", "Lower DNS TTL"),
    ]


def test_side_tables_follow_the_latest_revision(
    session: Session, two_postmortems: tuple[str, str]
) -> None:
    current = repo.get_postmortem(session=session, ref="INC-A")
    items = list(current.postmortem.action_items)
    items[0] = items[0].model_copy(update={"status": ActionStatus.DONE})
    del items[1]
    changed = current.postmortem.model_copy(
        update={
            "action_items": items,
            "timeline": current.postmortem.timeline[:2],
            "services": ["search"],
            "tags": ["dns", "dns"],
        }
    )
    repo.save_postmortem(session=session, postmortem=changed, base_revision=1, author="bo", now=NOW)
    session.commit()

    rows = repo.list_action_items(session=session, postmortem_ref="INC-A")
    assert [(r.position, r.item.action, r.item.status) for r in rows] == [
        (0, "Alert on queue depth", ActionStatus.DONE),
        (1, "Old runbook", ActionStatus.WONT_DO),
    ]
    assert len(repo.list_timeline_events(session=session, postmortem_ref="INC-A")) == 2
    assert [s.postmortem.id for s in repo.list_postmortems(session=session, service="search")] == [
        "INC-A"
    ]
    assert repo.list_postmortems(session=session, service="checkout")[0].postmortem.id == "INC-B"
    assert [s.postmortem.id for s in repo.list_postmortems(session=session, tag="dns")] == ["INC-A"]


def test_timeline_events_across_postmortems_in_time_order(
    session: Session, two_postmortems: tuple[str, str]
) -> None:
    rows = repo.list_timeline_events(session=session)

    assert len(rows) == 30
    times = [row.event.at for row in rows]
    assert times == sorted(t for t in times if t is not None)
    assert all(t is not None and t.tzinfo is UTC for t in times)
    assert rows[0].postmortem_id == "INC-A"
    assert rows[-1].postmortem_id == "INC-B"
    assert rows[-1].postmortem_title == "DNS outage"


def test_timeline_filters(session: Session, two_postmortems: tuple[str, str]) -> None:
    may_10 = datetime(2024, 5, 10, 8, 0, tzinfo=UTC)

    later = repo.list_timeline_events(session=session, since=may_10)
    assert {row.postmortem_id for row in later} == {"INC-B"}
    assert len(later) == 15

    window = repo.list_timeline_events(
        session=session, since=may_10, until=may_10 + timedelta(minutes=14)
    )
    assert [row.position for row in window] == [0, 1, 2]

    alerts = repo.list_timeline_events(session=session, kind=EventKind.ALERT)
    assert len(alerts) == 10
    assert {row.event.kind for row in alerts} == {EventKind.ALERT}

    only_a = repo.list_timeline_events(session=session, postmortem_ref="INC-A")
    assert [row.position for row in only_a] == list(range(15))


def test_events_without_a_time_come_last_and_drop_out_of_time_filters(
    session: Session, build: BuildPostmortem
) -> None:
    events = [
        TimelineEvent(text="someone noticed", time_text="around lunch"),
        TimelineEvent(at=NOW, text="paged", kind="alert", actor="ana", source="pagerduty"),
    ]
    store(session, build(id="INC-C", timeline=events))

    rows = repo.list_timeline_events(session=session)
    assert [row.event for row in rows] == [events[1], events[0]]
    assert len(repo.list_timeline_events(session=session, until=NOW)) == 1


def test_an_event_time_in_another_zone_is_compared_in_utc(
    session: Session, build: BuildPostmortem
) -> None:
    store(session, build(id="INC-D", timeline=[TimelineEvent(at=NOW, text="paged")]))
    same_instant = NOW.astimezone(timezone(timedelta(hours=-7)))

    rows = repo.list_timeline_events(session=session, since=same_instant, until=same_instant)

    assert [row.event.text for row in rows] == ["paged"]
    assert rows[0].event.at == NOW
    assert rows[0].event.at is not None
    assert rows[0].event.at.tzinfo is UTC
