"""Postmortems and their revisions, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from hindsight.errors import Conflict, InvalidInput, NotFound, StorageError
from hindsight.model import ActionStatus, DocumentStatus, Postmortem, Severity
from hindsight.settings import DEFAULT_ID_PATTERN
from hindsight.store import repository as repo
from hindsight.store.diff import diff_text
from hindsight.store.tables import revisions

BuildPostmortem = Callable[..., Postmortem]
NOW = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)


def create(
    session: Session,
    postmortem: Postmortem,
    *,
    now: datetime = NOW,
    id_pattern: str = DEFAULT_ID_PATTERN,
    message: str | None = None,
) -> repo.Stored:
    stored = repo.create_postmortem(
        session=session,
        postmortem=postmortem,
        author="ana",
        now=now,
        id_pattern=id_pattern,
        message=message,
    )
    session.commit()
    return stored


def save(
    session: Session,
    postmortem: Postmortem,
    base: int,
    *,
    author: str = "bo",
    message: str | None = None,
) -> repo.Stored:
    stored = repo.save_postmortem(
        session=session,
        postmortem=postmortem,
        base_revision=base,
        author=author,
        now=LATER,
        message=message,
    )
    session.commit()
    return stored


def revision_count(session: Session) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(revisions)).scalar_one()


# --- create, get, list ------------------------------------------------------------------------


def test_create_then_get_gives_back_the_same_postmortem(
    session: Session, build: BuildPostmortem
) -> None:
    original = build()
    stored = create(session, original)

    got = repo.get_postmortem(session=session, ref=stored.postmortem.id or "")

    assert got.postmortem == original.model_copy(update={"id": "INC-2024-05-01-001"})
    assert got.revision == 1
    assert (got.created_at, got.updated_at, got.updated_by) == (NOW, NOW, "ana")


def test_get_ignores_case_when_no_id_matches_exactly(
    session: Session, build: BuildPostmortem
) -> None:
    create(session, build(id="INC-7"))

    assert repo.get_postmortem(session=session, ref="inc-7").postmortem.id == "INC-7"
    assert repo.get_postmortem(session=session, ref=" INC-7 ").postmortem.id == "INC-7"


def test_get_unknown_ref_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound, match="no postmortem 'INC-404'"):
        repo.get_postmortem(session=session, ref="INC-404")


def test_times_come_back_aware_in_utc(session: Session, build: BuildPostmortem) -> None:
    plus_two = datetime(2024, 5, 2, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    stored = create(session, build(), now=plus_two)
    session.expire_all()

    got = repo.get_postmortem(session=session, ref=stored.postmortem.id or "")

    for value in (got.created_at, got.updated_at, got.postmortem.timeline[0].at):
        assert value is not None
        assert value.utcoffset() == timedelta(0)
        assert value.tzinfo is UTC
    assert got.created_at == plus_two


def test_a_naive_time_is_refused(session: Session, build: BuildPostmortem) -> None:
    with pytest.raises(InvalidInput, match="no zone"):
        repo.create_postmortem(
            session=session,
            postmortem=build(),
            author="ana",
            now=datetime(2024, 5, 2, 9, 30),
            id_pattern=DEFAULT_ID_PATTERN,
        )


def test_list_is_newest_incident_first_and_filters(
    session: Session, build: BuildPostmortem
) -> None:
    create(session, build(id="A", date=date(2024, 1, 10), severity="SEV-1", services=["api"]))
    create(session, build(id="B", date=date(2024, 3, 5), tags=["dns"], status="in_review"))
    create(session, build(id="C", date=date(2024, 2, 1), severity="P3", services=["API", "db"]))
    create(session, build(id="D", date=None, milestones={}, services=[], tags=[]))

    def ids(**filters: Any) -> list[str | None]:
        return [s.postmortem.id for s in repo.list_postmortems(session=session, **filters)]

    assert ids() == ["B", "C", "A", "D"]
    assert ids(limit=2) == ["B", "C"]
    assert ids(status=DocumentStatus.IN_REVIEW) == ["B"]
    assert ids(severity=Severity.parse("SEV-1")) == ["A"]
    assert ids(severity=Severity.parse("SEV-4")) == ["C"]
    assert ids(service="api") == ["C", "A"]
    assert ids(service="db") == ["C"]
    assert ids(tag="DNS") == ["B"]
    assert ids(since=date(2024, 2, 1)) == ["B", "C"]
    assert ids(until=date(2024, 2, 1)) == ["C", "A"]
    assert ids(since=date(2024, 1, 11), until=date(2024, 3, 4)) == ["C"]
    assert ids(service="nowhere") == []


# --- ids --------------------------------------------------------------------------------------


def test_ids_count_up_per_incident_day(session: Session, build: BuildPostmortem) -> None:
    first = create(session, build())
    second = create(session, build())
    other_day = create(session, build(date=date(2024, 5, 3)))

    assert first.postmortem.id == "INC-2024-05-01-001"
    assert second.postmortem.id == "INC-2024-05-01-002"
    assert other_day.postmortem.id == "INC-2024-05-03-001"


def test_without_an_incident_date_the_id_uses_today_in_utc(
    session: Session, build: BuildPostmortem
) -> None:
    stored = create(session, build(date=None, milestones={}))

    assert stored.postmortem.id == "INC-2024-05-02-001"


def test_ids_follow_a_custom_pattern_and_skip_numbers_in_use(
    session: Session, build: BuildPostmortem
) -> None:
    pattern = "PM_{date:%Y%m%d}_{seq}"
    create(session, build(id="PM_20240501_9"))
    create(session, build(id="PMX20240501_50"))  # "_" is a LIKE wildcard: must not count

    stored = create(session, build(), id_pattern=pattern)

    assert stored.postmortem.id == "PM_20240501_10"


def test_a_bad_id_pattern_is_invalid_input(session: Session, build: BuildPostmortem) -> None:
    with pytest.raises(InvalidInput, match="id pattern"):
        create(session, build(), id_pattern="INC-{nope}")


def test_an_explicit_id_already_taken_is_a_conflict(
    session: Session, build: BuildPostmortem
) -> None:
    create(session, build(id="INC-1", title="first"))

    with pytest.raises(Conflict, match="INC-1: the id is already taken"):
        create(session, build(id="INC-1", title="second"))
    session.rollback()
    with pytest.raises(Conflict, match=r"already taken \(as INC-1\)"):
        create(session, build(id="inc-1", title="second"))
    session.rollback()

    assert repo.get_postmortem(session=session, ref="INC-1").postmortem.title == "first"


# --- saving and revisions ---------------------------------------------------------------------


def test_save_makes_the_next_revision(session: Session, build: BuildPostmortem) -> None:
    stored = create(session, build())
    changed = stored.postmortem.model_copy(update={"title": "Checkout down"})

    saved = save(session, changed, base=1, message="better title")

    assert (saved.revision, saved.updated_by, saved.updated_at) == (2, "bo", LATER)
    got = repo.get_postmortem(session=session, ref=stored.postmortem.id or "")
    assert got.postmortem.title == "Checkout down"
    assert (got.revision, got.created_at, got.updated_at) == (2, NOW, LATER)


def test_a_stale_save_is_refused_and_overwrites_nothing(
    session: Session, build: BuildPostmortem
) -> None:
    stored = create(session, build())
    pm_id = stored.postmortem.id or ""
    save(session, stored.postmortem.model_copy(update={"title": "Bo's title"}), base=1)
    mine = stored.postmortem.model_copy(update={"title": "Ana's title"})

    with pytest.raises(Conflict) as caught:
        repo.save_postmortem(
            session=session, postmortem=mine, base_revision=1, author="ana", now=LATER
        )
    session.rollback()

    assert str(caught.value) == (
        f"{pm_id}: revision 2 was saved by bo at 2024-05-02 11:30 UTC since you started from "
        "revision 1; nothing was overwritten"
    )
    got = repo.get_postmortem(session=session, ref=pm_id)
    assert (got.revision, got.postmortem.title) == (2, "Bo's title")
    assert revision_count(session) == 2


def test_a_save_from_a_revision_that_does_not_exist_is_refused(
    session: Session, build: BuildPostmortem
) -> None:
    stored = create(session, build())

    with pytest.raises(Conflict, match="there is no revision 5; the latest is 1"):
        save(session, stored.postmortem.model_copy(update={"title": "x"}), base=5)


def test_saving_an_unchanged_document_adds_no_revision(
    session: Session, build: BuildPostmortem
) -> None:
    stored = create(session, build())

    again = save(session, build(id=stored.postmortem.id), base=1)

    assert again.revision == 1
    assert again.updated_at == NOW
    assert revision_count(session) == 1


def test_saving_an_unknown_or_unnamed_postmortem_fails(
    session: Session, build: BuildPostmortem
) -> None:
    with pytest.raises(NotFound):
        save(session, build(id="INC-404"), base=1)
    with pytest.raises(InvalidInput, match="needs an id"):
        save(session, build(), base=1)


def test_revisions_record_authors_messages_and_changed_paths(
    session: Session, build: BuildPostmortem
) -> None:
    stored = create(session, build(), message="first draft")
    pm = stored.postmortem
    items = [item.model_copy() for item in pm.action_items]
    items[2] = items[2].model_copy(update={"status": ActionStatus.DONE})
    second = pm.model_copy(update={"title": "Checkout down", "action_items": items})
    save(session, second, base=1, message="review")
    third = second.model_copy(update={"tags": ["config"]})
    save(session, third, base=2, author="chen")

    history = repo.list_revisions(session=session, ref=pm.id or "")

    assert [(r.number, r.author, r.message) for r in history] == [
        (1, "ana", "first draft"),
        (2, "bo", "review"),
        (3, "chen", None),
    ]
    assert history[0].changes == []
    assert history[1].changes == ["title", "action_items[2].status"]
    assert history[2].changes == ["tags[1]"]
    assert all(r.created_at.tzinfo is UTC for r in history)
    assert repo.get_revision(session=session, ref=pm.id or "", number=1) == pm
    assert repo.get_revision(session=session, ref=pm.id or "", number=2) == second


def test_get_revision_that_does_not_exist_is_not_found(
    session: Session, build: BuildPostmortem
) -> None:
    stored = create(session, build())

    with pytest.raises(NotFound, match="no revision 9; the latest is 1"):
        repo.get_revision(session=session, ref=stored.postmortem.id or "", number=9)
    with pytest.raises(NotFound):
        repo.list_revisions(session=session, ref="INC-404")


def test_diff_between_stored_revisions(session: Session, build: BuildPostmortem) -> None:
    stored = create(session, build())
    pm_id = stored.postmortem.id or ""
    save(session, stored.postmortem.model_copy(update={"title": "Checkout down"}), base=1)

    text = diff_text(
        repo.get_revision(session=session, ref=pm_id, number=1),
        repo.get_revision(session=session, ref=pm_id, number=2),
        old_label=f"{pm_id} r1",
        new_label=f"{pm_id} r2",
    )

    assert f"--- {pm_id} r1" in text.splitlines()[0]
    assert "-title: Checkout errors after a config push" in text.splitlines()
    assert "+title: Checkout down" in text.splitlines()


# --- import -----------------------------------------------------------------------------------


def test_import_is_idempotent_by_id(session: Session, build: BuildPostmortem) -> None:
    def run(postmortem: Postmortem) -> tuple[repo.Stored, str]:
        result = repo.import_postmortem(
            session=session,
            postmortem=postmortem,
            author="importer",
            now=NOW,
            id_pattern=DEFAULT_ID_PATTERN,
        )
        session.commit()
        return result

    first, created = run(build(id="INC-9"))
    second, unchanged = run(build(id="INC-9"))
    third, updated = run(build(id="INC-9", title="Renamed"))

    assert (created, unchanged, updated) == ("created", "unchanged", "updated")
    assert (first.revision, second.revision, third.revision) == (1, 1, 2)
    assert [r.message for r in repo.list_revisions(session=session, ref="INC-9")] == [
        "imported",
        "imported",
    ]


def test_import_without_an_id_creates_one(session: Session, build: BuildPostmortem) -> None:
    stored, outcome = repo.import_postmortem(
        session=session, postmortem=build(), author="x", now=NOW, id_pattern=DEFAULT_ID_PATTERN
    )

    assert (outcome, stored.postmortem.id) == ("created", "INC-2024-05-01-001")


# --- review -----------------------------------------------------------------------------------


def test_status_moves_through_review_as_revisions(session: Session, build: BuildPostmortem) -> None:
    pm_id = create(session, build()).postmortem.id or ""

    in_review = repo.transition_status(
        session=session, ref=pm_id, to=DocumentStatus.IN_REVIEW, author="bo", now=LATER
    )
    final = repo.transition_status(
        session=session,
        ref=pm_id,
        to=DocumentStatus.FINAL,
        author="chen",
        now=LATER + timedelta(days=1),
        note="approved in the weekly review",
        base_revision=2,
    )
    session.commit()

    assert (in_review.revision, final.revision) == (2, 3)
    got = repo.get_postmortem(session=session, ref=pm_id).postmortem
    assert got.status is DocumentStatus.FINAL
    assert [(c.status, c.by) for c in got.status_history] == [
        (DocumentStatus.IN_REVIEW, "bo"),
        (DocumentStatus.FINAL, "chen"),
    ]
    assert [r.message for r in repo.list_revisions(session=session, ref=pm_id)][1:] == [
        "status: draft -> in_review",
        "status: in_review -> final (approved in the weekly review)",
    ]
    assert repo.list_postmortems(session=session, status=DocumentStatus.FINAL)[0].revision == 3


def test_a_move_the_review_does_not_allow_is_a_conflict(
    session: Session, build: BuildPostmortem
) -> None:
    pm_id = create(session, build()).postmortem.id or ""

    with pytest.raises(Conflict, match=f"{pm_id}: cannot move from draft to final"):
        repo.transition_status(
            session=session, ref=pm_id, to=DocumentStatus.FINAL, author="bo", now=LATER
        )
    with pytest.raises(Conflict, match="there is no revision 4"):
        repo.transition_status(
            session=session,
            ref=pm_id,
            to=DocumentStatus.IN_REVIEW,
            author="bo",
            now=LATER,
            base_revision=4,
        )
    assert repo.get_postmortem(session=session, ref=pm_id).revision == 1


# --- delete -----------------------------------------------------------------------------------


def test_delete_removes_the_postmortem_and_everything_of_it(
    session: Session, build: BuildPostmortem
) -> None:
    keep = create(session, build(id="KEEP"))
    gone = create(session, build(id="GONE"))
    save(session, gone.postmortem.model_copy(update={"title": "t"}), base=1)

    repo.delete_postmortem(session=session, ref="gone")
    session.commit()

    with pytest.raises(NotFound):
        repo.get_postmortem(session=session, ref="GONE")
    assert [s.postmortem.id for s in repo.list_postmortems(session=session)] == ["KEEP"]
    assert {r.postmortem_id for r in repo.list_action_items(session=session)} == {"KEEP"}
    assert {r.postmortem_id for r in repo.list_timeline_events(session=session)} == {"KEEP"}
    assert revision_count(session) == 1
    with pytest.raises(NotFound):
        repo.delete_postmortem(session=session, ref="GONE")
    assert keep.revision == 1


def test_an_id_pattern_without_a_sequence_says_so_when_the_day_is_taken(
    session: Session, build: BuildPostmortem
) -> None:
    pattern = "PM-{date:%Y%m%d}"
    assert create(session, build(), id_pattern=pattern).postmortem.id == "PM-20240501"

    with pytest.raises(Conflict, match=r"gives PM-20240501 again, which is taken; add \{seq\}"):
        create(session, build(), id_pattern=pattern)


# --- the database failing ---------------------------------------------------------------------


def test_a_database_failing_under_a_session_is_a_one_line_storage_error(
    session: Session, build: BuildPostmortem
) -> None:
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA query_only = ON")
    else:
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        with connection.engine.connect() as other:
            other.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")

    with pytest.raises(StorageError) as caught:
        repo.create_postmortem(
            session=session,
            postmortem=build(),
            author="ana",
            now=NOW,
            id_pattern=DEFAULT_ID_PATTERN,
        )

    assert str(caught.value).startswith("the database failed: ")
    assert "\n" not in str(caught.value)


def test_every_write_keeps_the_search_index_in_step(
    session: Session, build: BuildPostmortem
) -> None:
    def indexed() -> list[tuple[str, str]]:
        query = sa.text("SELECT postmortem_id, title FROM postmortem_search ORDER BY 1")
        return [(row[0], row[1]) for row in session.execute(query)]

    stored = create(session, build(id="INC-S", title="Checkout errors"))
    assert indexed() == [("INC-S", "Checkout errors")]

    save(session, stored.postmortem.model_copy(update={"title": "Checkout down"}), base=1)
    assert indexed() == [("INC-S", "Checkout down")]

    repo.delete_postmortem(session=session, ref="INC-S")
    session.commit()
    assert indexed() == []
