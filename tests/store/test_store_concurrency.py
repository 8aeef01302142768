"""Two writers at once, on SQLite and on PostgreSQL: no lost update, no duplicate id.

The first writer keeps its transaction open while the second starts in a thread; the first
commits only once the second is waiting on it (on PostgreSQL: blocked on a lock, seen in
``pg_stat_activity``; on SQLite: waiting for the write lock at BEGIN).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from hindsight.errors import Conflict, HindsightError
from hindsight.model import Postmortem
from hindsight.settings import DEFAULT_ID_PATTERN
from hindsight.store import repository as repo
from hindsight.store.engine import make_sessionmaker

BuildPostmortem = Callable[..., Postmortem]
NOW = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)


def in_thread(
    factory: sessionmaker[Session], work: Callable[[Session], object]
) -> Callable[[], object]:
    """Run ``work`` in its own committed transaction on a thread; the result waits on join."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            with factory.begin() as session:
                outcome["value"] = work(session)
        except HindsightError as exc:
            outcome["value"] = exc

    thread = threading.Thread(target=run)
    thread.start()

    def join() -> object:
        thread.join(timeout=30)
        assert not thread.is_alive()
        return outcome["value"]

    return join


def wait_until_blocked(engine: Engine) -> None:
    """Wait until another transaction is waiting on ours."""
    if engine.dialect.name != "postgresql":
        time.sleep(0.3)
        return
    deadline = time.monotonic() + 10
    with engine.connect() as connection:
        while time.monotonic() < deadline:
            waiting = connection.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).scalar_one()
            connection.rollback()
            if waiting:
                return
            time.sleep(0.02)
    raise AssertionError("the second writer never waited for the first")


def create(session: Session, postmortem: Postmortem) -> repo.Stored:
    return repo.create_postmortem(
        session=session, postmortem=postmortem, author="ana", now=NOW, id_pattern=DEFAULT_ID_PATTERN
    )


def test_two_creators_on_the_same_day_get_different_ids(
    engine: Engine, build: BuildPostmortem
) -> None:
    factory = make_sessionmaker(engine)
    with factory() as first:
        mine = create(first, build(title="first"))
        theirs = in_thread(factory, lambda session: create(session, build(title="second")))
        wait_until_blocked(engine)
        first.commit()
        other = theirs()

    assert isinstance(other, repo.Stored)
    assert (mine.postmortem.id, other.postmortem.id) == ("INC-2024-05-01-001", "INC-2024-05-01-002")
    with factory() as session:
        stored = repo.list_postmortems(session=session)
    assert sorted((s.postmortem.id, s.postmortem.title) for s in stored) == [
        ("INC-2024-05-01-001", "first"),
        ("INC-2024-05-01-002", "second"),
    ]


def test_two_saves_from_the_same_revision_keep_the_first_and_refuse_the_second(
    engine: Engine, build: BuildPostmortem
) -> None:
    factory = make_sessionmaker(engine)
    with factory.begin() as session:
        original = create(session, build()).postmortem
    pm_id = original.id or ""

    def save(session: Session, title: str, author: str) -> repo.Stored:
        return repo.save_postmortem(
            session=session,
            postmortem=original.model_copy(update={"title": title}),
            base_revision=1,
            author=author,
            now=NOW,
        )

    with factory() as first:
        save(first, "Ana's title", "ana")
        theirs = in_thread(factory, lambda session: save(session, "Bo's title", "bo"))
        wait_until_blocked(engine)
        first.commit()
        refused = theirs()

    assert isinstance(refused, Conflict)
    assert "revision 2 was saved by ana" in str(refused)
    with factory() as session:
        stored = repo.get_postmortem(session=session, ref=pm_id)
        history = repo.list_revisions(session=session, ref=pm_id)
    assert (stored.revision, stored.postmortem.title) == (2, "Ana's title")
    assert [r.author for r in history] == ["ana", "ana"]
