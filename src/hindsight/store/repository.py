"""Postmortems in the database, with every saved version kept as a revision.

Every function takes keywords and a session, raises :mod:`hindsight.errors`, and never commits:
the caller owns the transaction. Saving is optimistic: a save names the revision it started
from and is refused with :class:`~hindsight.errors.Conflict` when someone saved since, so that
nothing is ever overwritten unseen. Every write keeps the side tables and the search index
(:mod:`hindsight.store.search`) in step with the document.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal, ParamSpec, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult, Row
from sqlalchemy.orm import Session

from hindsight.errors import Conflict, InvalidInput, NotFound, StorageError
from hindsight.model import (
    ActionCategory,
    ActionItem,
    ActionStatus,
    DocumentStatus,
    EventKind,
    IncidentType,
    Postmortem,
    Priority,
    Severity,
    TimelineEvent,
)
from hindsight.model.ids import format_id, id_prefix, sequence_of
from hindsight.model.review import transition
from hindsight.store.diff import as_document, paths_between
from hindsight.store.engine import describe_database_error
from hindsight.store.search import index_postmortem
from hindsight.store.tables import (
    SIDE_TABLES,
    action_items,
    postmortem_services,
    postmortem_tags,
    postmortems,
    revisions,
    timeline_events,
)

ID_ATTEMPTS = 5
"""How many fresh ids a create tries when another writer takes each one first."""

ID_BATCH = 500
"""How many ids one ``IN (...)`` query names, well below every backend's limit on parameters."""

ImportOutcome = Literal["created", "updated", "unchanged"]

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Stored:
    """A postmortem as stored: its current document and revision."""

    postmortem: Postmortem
    revision: int
    created_at: datetime
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class Summary:
    """What the ``postmortems`` table repeats of a postmortem to name it and place it in time,
    read without its document (at a fraction of the cost)."""

    id: str
    title: str
    status: DocumentStatus
    severity: Severity | None
    incident_type: IncidentType
    incident_date: date | None
    impact_started_at: datetime | None
    detected_at: datetime | None
    resolved_at: datetime | None


@dataclass(frozen=True)
class RevisionInfo:
    """One saved version, without its document (see :func:`get_revision`)."""

    number: int
    author: str
    created_at: datetime
    message: str | None
    changes: list[str]


@dataclass(frozen=True)
class ActionItemRow:
    """An action item with the postmortem it belongs to."""

    postmortem_id: str
    postmortem_title: str
    position: int
    item: ActionItem


@dataclass(frozen=True)
class TimelineRow:
    """A timeline event with the postmortem it belongs to."""

    postmortem_id: str
    postmortem_title: str
    position: int
    event: TimelineEvent


def _storage_errors(function: Callable[P, T]) -> Callable[P, T]:
    """Turn a lost connection or a lock held too long into a one-line :class:`StorageError`."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return function(*args, **kwargs)
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
            raise StorageError(f"the database failed: {describe_database_error(exc)}") from exc

    return wrapper


# --- reading ----------------------------------------------------------------------------------


@_storage_errors
def get_postmortem(*, session: Session, ref: str) -> Stored:
    """The postmortem with id ``ref`` (exactly, else ignoring case)."""
    return _stored(_find(session, ref))


@_storage_errors
def list_postmortems(
    *,
    session: Session,
    status: DocumentStatus | None = None,
    severity: Severity | None = None,
    service: str | None = None,
    tag: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = None,
) -> list[Stored]:
    """Postmortems, newest incident first; ``since``/``until`` bound the incident date
    (inclusive), ``service`` and ``tag`` match ignoring case."""
    query = sa.select(postmortems)
    if status is not None:
        query = query.where(postmortems.c.status == status.value)
    if severity is not None:
        query = query.where(postmortems.c.severity == severity.level)
    if service is not None:
        query = query.where(_has(postmortem_services, postmortem_services.c.service, service))
    if tag is not None:
        query = query.where(_has(postmortem_tags, postmortem_tags.c.tag, tag))
    if since is not None:
        query = query.where(postmortems.c.incident_date >= since)
    if until is not None:
        query = query.where(postmortems.c.incident_date <= until)
    query = query.order_by(
        postmortems.c.incident_date.desc().nulls_last(),
        postmortems.c.created_at.desc(),
        postmortems.c.id.desc(),
    ).limit(limit)
    return [_stored(row) for row in session.execute(query)]


@_storage_errors
def get_postmortems(
    *, session: Session, ids: Iterable[str], fields: Sequence[str] | None = None
) -> list[Postmortem]:
    """The postmortems with these exact ids, in the order given; ids not stored are left out.

    With ``fields``, only those fields of each document are validated and the others keep their
    defaults: for analyses that read a few fields of many postmortems, validating whole
    documents costs several times more."""
    wanted = list(dict.fromkeys(ids))
    found: dict[str, Postmortem] = {}
    for batch in _batches(wanted):
        query = sa.select(postmortems.c.id, postmortems.c.document)
        for pm_id, document in session.execute(query.where(postmortems.c.id.in_(batch))):
            if fields is not None:  # A field missing from the document keeps its default.
                document = {name: document[name] for name in fields if name in document}
            found[pm_id] = Postmortem.model_validate(document)
    return [found[pm_id] for pm_id in wanted if pm_id in found]


@_storage_errors
def list_summaries(*, session: Session) -> list[Summary]:
    """Every postmortem's :class:`Summary`, in id order; no document is read."""
    # The columns in the order of the fields, which is the order _summary_of reads them in.
    columns = [postmortems.c[name] for name in Summary.__dataclass_fields__]
    query = sa.select(*columns).order_by(postmortems.c.id)
    return [_summary_of(row) for row in session.execute(query)]


@_storage_errors
def list_contributing_factors(*, session: Session, ids: Iterable[str]) -> dict[str, list[str]]:
    """The contributing factors of the postmortems with these ids, read out of their documents
    by the database (the documents themselves are not loaded)."""
    factors = postmortems.c.document["contributing_factors"]
    found: dict[str, list[str]] = {}
    for batch in _batches(list(dict.fromkeys(ids))):
        query = sa.select(postmortems.c.id, factors).where(postmortems.c.id.in_(batch))
        for pm_id, values in session.execute(query):
            found[pm_id] = [str(v) for v in values or []]
    return found


@_storage_errors
def list_revisions(*, session: Session, ref: str) -> list[RevisionInfo]:
    """Every saved version of a postmortem, oldest first."""
    pm_id = _find(session, ref).id
    query = (
        sa.select(
            revisions.c.number,
            revisions.c.author,
            revisions.c.created_at,
            revisions.c.message,
            revisions.c.changes,
        )
        .where(revisions.c.postmortem_id == pm_id)
        .order_by(revisions.c.number)
    )
    return [
        RevisionInfo(
            number=row.number,
            author=row.author,
            created_at=row.created_at,
            message=row.message,
            changes=list(row.changes),
        )
        for row in session.execute(query)
    ]


@_storage_errors
def get_revision(*, session: Session, ref: str, number: int) -> Postmortem:
    """The document as it was saved in revision ``number``."""
    found = _find(session, ref)
    document = session.execute(
        sa.select(revisions.c.document).where(
            revisions.c.postmortem_id == found.id, revisions.c.number == number
        )
    ).scalar_one_or_none()
    if document is None:
        raise NotFound(f"no revision {number}; the latest is {found.revision}", where=found.id)
    return Postmortem.model_validate(document)


@_storage_errors
def list_action_items(
    *,
    session: Session,
    owner: str | None = None,
    status: ActionStatus | Iterable[ActionStatus] | None = None,
    priority: Priority | None = None,
    category: ActionCategory | None = None,
    due_before: date | None = None,
    postmortem_ref: str | None = None,
) -> list[ActionItemRow]:
    """Action items across postmortems, soonest due first.

    ``status`` takes one status or several (overdue: ``status=[OPEN, IN_PROGRESS]`` with
    ``due_before=today``); ``due_before`` is exclusive; ``owner`` matches ignoring case.
    """
    query = sa.select(*_ACTION_ROW).join(postmortems)
    if owner is not None:
        query = query.where(sa.func.lower(action_items.c.owner) == owner.lower())
    if status is not None:
        query = query.where(action_items.c.status.in_([s.value for s in _several(status)]))
    if priority is not None:
        query = query.where(action_items.c.priority == priority.value)
    if category is not None:
        query = query.where(action_items.c.category == category.value)
    if due_before is not None:
        query = query.where(action_items.c.due < due_before)
    if postmortem_ref is not None:
        query = query.where(action_items.c.postmortem_id == _find(session, postmortem_ref).id)
    query = query.order_by(
        action_items.c.due.asc().nulls_last(),
        action_items.c.postmortem_id,
        action_items.c.position,
    )
    return [_action_row(row) for row in session.execute(query)]


@_storage_errors
def action_items_of(*, session: Session, postmortem_ids: Iterable[str]) -> list[ActionItemRow]:
    """The action items of the postmortems with these ids, by postmortem id and position; the
    items are read from the ``action_items`` table, not from the documents."""
    wanted = set(postmortem_ids)
    query = sa.select(*_ACTION_ROW).join(postmortems)
    order = (action_items.c.postmortem_id, action_items.c.position)
    if len(wanted) > ID_BATCH:
        # Many postmortems: one pass over the table beats many IN lists.
        everything = session.execute(query.order_by(*order))
        return [_action_row(row) for row in everything if row[0] in wanted]
    chosen = query.where(action_items.c.postmortem_id.in_(sorted(wanted))).order_by(*order)
    return [_action_row(row) for row in session.execute(chosen)]


@_storage_errors
def list_timeline_events(
    *,
    session: Session,
    since: datetime | None = None,
    until: datetime | None = None,
    kind: EventKind | None = None,
    postmortem_ref: str | None = None,
) -> list[TimelineRow]:
    """Timeline events across postmortems in time order; ``since <= at <= until``. Events with
    no known time are left out when either bound is given, and come last otherwise."""
    query = sa.select(timeline_events, postmortems.c.title).join(postmortems)
    if since is not None:
        query = query.where(timeline_events.c.at >= since)
    if until is not None:
        query = query.where(timeline_events.c.at <= until)
    if kind is not None:
        query = query.where(timeline_events.c.kind == kind.value)
    if postmortem_ref is not None:
        pm_id = _find(session, postmortem_ref).id
        query = query.where(timeline_events.c.postmortem_id == pm_id)
    query = query.order_by(
        timeline_events.c.at.asc().nulls_last(),
        timeline_events.c.postmortem_id,
        timeline_events.c.position,
    )
    return [_timeline_row(row) for row in session.execute(query)]


# --- writing ----------------------------------------------------------------------------------


@_storage_errors
def create_postmortem(
    *,
    session: Session,
    postmortem: Postmortem,
    author: str,
    now: datetime,
    id_pattern: str,
    message: str | None = None,
) -> Stored:
    """Store a new postmortem as revision 1.

    A postmortem without an id gets the next free one of ``id_pattern`` for its incident date
    (today, in UTC, when it has none). An id that is already taken is a :class:`Conflict`.
    """
    _require_aware(now)
    if postmortem.id is not None:
        _refuse_taken(session, postmortem.id)
        stored = _insert(session, postmortem, author=author, now=now, message=message)
        if stored is None:
            raise Conflict("the id is already taken", where=postmortem.id)
        return stored
    day = postmortem.incident_date or now.astimezone(UTC).date()
    tried: list[str] = []
    for _ in range(ID_ATTEMPTS):
        pm_id = _next_id(session, id_pattern, day)
        if pm_id in tried:
            raise Conflict(
                f"the id pattern {id_pattern!r} gives {pm_id} again, which is taken; "
                "add {seq} to it to number postmortems of the same day"
            )
        tried.append(pm_id)
        candidate = postmortem.model_copy(update={"id": pm_id})
        stored = _insert(session, candidate, author=author, now=now, message=message)
        if stored is not None:
            return stored
    raise Conflict(f"other writers took each new id first ({', '.join(tried)}); try again")


@_storage_errors
def save_postmortem(
    *,
    session: Session,
    postmortem: Postmortem,
    base_revision: int,
    author: str,
    now: datetime,
    message: str | None = None,
) -> Stored:
    """Save ``postmortem`` as a new revision of the stored one with its id.

    ``base_revision`` is the revision the change started from; if another revision was saved
    since, nothing is written and :class:`Conflict` says who saved it. A document identical to
    the stored one is not a change: the stored postmortem comes back, no revision is added.
    """
    _require_aware(now)
    if postmortem.id is None:
        raise InvalidInput("a postmortem needs an id to be saved; create it first")
    current = _find_exact(session, postmortem.id)
    document = as_document(postmortem)
    if document == current.document:
        return _stored(current)
    if base_revision != current.revision:
        raise _stale(current, base_revision)
    number = base_revision + 1
    values = {
        **_summary(postmortem),
        "revision": number,
        "updated_at": now,
        "updated_by": author,
        "document": document,
        "where_id": postmortem.id,
        "where_revision": base_revision,
    }
    result = cast(CursorResult[Any], session.execute(_update_if_current(), values))
    if result.rowcount != 1:
        # Another writer got in between our read and this update.
        raise _stale(_find_exact(session, postmortem.id), base_revision)
    _add_revision(
        session,
        postmortem.id,
        number=number,
        author=author,
        now=now,
        message=message,
        changes=paths_between(current.document, document),
        document=document,
    )
    _write_side_tables(session, postmortem, replace=True)
    index_postmortem(session=session, postmortem=postmortem)
    return Stored(
        postmortem=postmortem,
        revision=number,
        created_at=current.created_at,
        updated_at=now,
        updated_by=author,
    )


@_storage_errors
def import_postmortem(
    *,
    session: Session,
    postmortem: Postmortem,
    author: str,
    now: datetime,
    id_pattern: str,
) -> tuple[Stored, ImportOutcome]:
    """Create the postmortem, or save it over the stored one with the same id.

    Importing the same document twice changes nothing the second time (``"unchanged"``).
    A postmortem without an id is always created, with a new id.
    """
    if postmortem.id is not None:
        current = _find_exact_or_none(session, postmortem.id)
        if current is not None:
            stored = save_postmortem(
                session=session,
                postmortem=postmortem,
                base_revision=current.revision,
                author=author,
                now=now,
                message="imported",
            )
            return stored, "unchanged" if stored.revision == current.revision else "updated"
    stored = create_postmortem(
        session=session,
        postmortem=postmortem,
        author=author,
        now=now,
        id_pattern=id_pattern,
        message="imported",
    )
    return stored, "created"


@_storage_errors
def transition_status(
    *,
    session: Session,
    ref: str,
    to: DocumentStatus,
    author: str,
    now: datetime,
    note: str | None = None,
    base_revision: int | None = None,
) -> Stored:
    """Move the postmortem through its review (draft, in review, final) as a new revision.

    A move the review does not allow (draft straight to final) is a :class:`Conflict`.
    """
    _require_aware(now)
    current = _find(session, ref)
    if base_revision is not None and base_revision != current.revision:
        raise _stale(current, base_revision)
    stored = _stored(current)
    try:
        moved = transition(stored.postmortem, to, at=now, by=author, note=note)
    except ValueError as exc:
        raise Conflict(str(exc), where=current.id) from exc
    message = f"status: {stored.postmortem.status.value} -> {to.value}"
    return save_postmortem(
        session=session,
        postmortem=moved,
        base_revision=current.revision,
        author=author,
        now=now,
        message=f"{message} ({note})" if note else message,
    )


@_storage_errors
def delete_postmortem(*, session: Session, ref: str) -> None:
    """Delete a postmortem with all its revisions."""
    pm_id = _find(session, ref).id
    for table in (*SIDE_TABLES, revisions):
        session.execute(sa.delete(table).where(table.c.postmortem_id == pm_id))
    session.execute(sa.delete(postmortems).where(postmortems.c.id == pm_id))


# --- finding ----------------------------------------------------------------------------------


def _find_exact_or_none(session: Session, pm_id: str) -> Row[Any] | None:
    query = sa.select(postmortems).where(postmortems.c.id == pm_id)
    return session.execute(query).one_or_none()


def _find_exact(session: Session, pm_id: str) -> Row[Any]:
    row = _find_exact_or_none(session, pm_id)
    if row is None:
        raise NotFound(f"no postmortem {pm_id!r}")
    return row


def _find(session: Session, ref: str) -> Row[Any]:
    """The row for ``ref``: the exact id, else the one id that matches ignoring case."""
    ref = ref.strip()
    row = _find_exact_or_none(session, ref)
    if row is not None:
        return row
    query = sa.select(postmortems).where(sa.func.lower(postmortems.c.id) == ref.lower())
    rows = session.execute(query.limit(2)).all()
    if len(rows) > 1:
        raise InvalidInput(
            f"{ref!r} matches several postmortems when case is ignored; give it exactly"
        )
    if not rows:
        raise NotFound(f"no postmortem {ref!r}")
    return rows[0]


def _refuse_taken(session: Session, pm_id: str) -> None:
    query = sa.select(postmortems.c.id).where(sa.func.lower(postmortems.c.id) == pm_id.lower())
    taken = session.execute(query.limit(1)).scalar_one_or_none()
    if taken is not None:
        detail = "is already taken" if taken == pm_id else f"is already taken (as {taken})"
        raise Conflict(f"the id {detail}", where=pm_id)


def _next_id(session: Session, pattern: str, day: date) -> str:
    try:
        prefix = id_prefix(pattern, day=day)
        format_id(pattern, day=day, seq=1)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    like = "".join(f"/{c}" if c in "/%_" else c for c in prefix) + "%"
    found = session.execute(_ids_like(), {"pattern": like}).scalars()
    used = (sequence_of(pattern, pm_id, day=day) for pm_id in found)
    return format_id(pattern, day=day, seq=max((seq for seq in used if seq), default=0) + 1)


# --- writing rows -----------------------------------------------------------------------------


def _insert(
    session: Session, postmortem: Postmortem, *, author: str, now: datetime, message: str | None
) -> Stored | None:
    """Insert a new postmortem as revision 1; ``None`` when its id was taken meanwhile."""
    assert postmortem.id is not None
    document = as_document(postmortem)
    row = {
        "id": postmortem.id,
        **_summary(postmortem),
        "revision": 1,
        "created_at": now,
        "updated_at": now,
        "updated_by": author,
        "document": document,
    }
    # ON CONFLICT DO NOTHING rather than catching the error: on PostgreSQL a failed statement
    # would spoil the caller's whole transaction.
    statement = _insert_if_new(session.get_bind().dialect.name)
    inserted = cast(CursorResult[Any], session.execute(statement, row))
    if inserted.rowcount != 1:
        return None
    _add_revision(
        session,
        postmortem.id,
        number=1,
        author=author,
        now=now,
        message=message,
        changes=[],
        document=document,
    )
    _write_side_tables(session, postmortem, replace=False)
    index_postmortem(session=session, postmortem=postmortem, replace=False)
    return Stored(
        postmortem=postmortem, revision=1, created_at=now, updated_at=now, updated_by=author
    )


# The statements of the hot paths are built once: SQLAlchemy caches their compiled form, but
# building one costs as much as running it on SQLite.


@functools.cache
def _insert_if_new(dialect: str) -> sa.Insert:
    """An insert into ``postmortems`` that skips a row whose id is taken (rowcount 0)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        statement: sa.Insert = postgresql.insert(postmortems).on_conflict_do_nothing(
            index_elements=["id"]
        )
    else:
        # SQLAlchemy cannot cache SQLite's ON CONFLICT form, and compiling it on every create
        # costs more than the insert; OR IGNORE caches, and every NOT NULL column is always set.
        statement = sa.insert(postmortems).prefix_with("OR IGNORE", dialect="sqlite")
    # An INSERT's rowcount is only kept when asked for.
    return statement.execution_options(preserve_rowcount=True)


@functools.cache
def _update_if_current() -> sa.Update:
    """An update of ``postmortems`` that only happens while the revision is the one we read, so
    that of two racing saves only one can win (rowcount 0 for the loser)."""
    return sa.update(postmortems).where(
        postmortems.c.id == sa.bindparam("where_id"),
        postmortems.c.revision == sa.bindparam("where_revision"),
    )


@functools.cache
def _ids_like() -> sa.Select[tuple[str]]:
    return sa.select(postmortems.c.id).where(
        postmortems.c.id.like(sa.bindparam("pattern"), escape="/")
    )


@functools.cache
def _side_table_deletes() -> tuple[sa.Delete, ...]:
    return tuple(
        sa.delete(table).where(table.c.postmortem_id == sa.bindparam("pm_id"))
        for table in SIDE_TABLES
    )


def _add_revision(
    session: Session,
    pm_id: str,
    *,
    number: int,
    author: str,
    now: datetime,
    message: str | None,
    changes: list[str],
    document: Mapping[str, Any],
) -> None:
    session.execute(
        sa.insert(revisions),
        {
            "postmortem_id": pm_id,
            "number": number,
            "author": author,
            "created_at": now,
            "message": message,
            "changes": changes,
            "document": document,
        },
    )


def _summary(postmortem: Postmortem) -> dict[str, Any]:
    """The columns of ``postmortems`` that repeat parts of the document for filtering."""
    milestones = postmortem.milestones
    return {
        "title": postmortem.title,
        "status": postmortem.status.value,
        "severity": postmortem.severity.level if postmortem.severity else None,
        "incident_type": postmortem.incident_type.value,
        "incident_date": postmortem.incident_date,
        "impact_started_at": milestones.impact_started_at,
        "detected_at": milestones.detected_at,
        "resolved_at": milestones.resolved_at,
        "services": list(postmortem.services),
        "tags": list(postmortem.tags),
    }


def _write_side_tables(session: Session, postmortem: Postmortem, *, replace: bool) -> None:
    pm_id = postmortem.id
    if replace:
        for delete in _side_table_deletes():
            session.execute(delete, {"pm_id": pm_id})
    services = [{"postmortem_id": pm_id, "service": s} for s in _unique(postmortem.services)]
    tags = [{"postmortem_id": pm_id, "tag": t} for t in _unique(postmortem.tags)]
    items = [_action_values(pm_id, n, item) for n, item in enumerate(postmortem.action_items)]
    events = [_event_values(pm_id, n, event) for n, event in enumerate(postmortem.timeline)]
    for table, values in (
        (action_items, items),
        (timeline_events, events),
        (postmortem_services, services),
        (postmortem_tags, tags),
    ):
        if values:
            # One executemany per table: a typical postmortem has dozens of these rows.
            session.execute(sa.insert(table), values)


def _action_values(pm_id: str | None, position: int, item: ActionItem) -> dict[str, Any]:
    return {
        "postmortem_id": pm_id,
        "position": position,
        "item_id": item.id,
        "action": item.action,
        "owner": item.owner,
        "team": item.team,
        "priority": item.priority.value if item.priority else None,
        "due": item.due,
        "status": item.status.value,
        "status_reason": item.status_reason,
        "category": item.category.value if item.category else None,
        "tracker": item.tracker,
        "completed_on": item.completed_on,
    }


def _event_values(pm_id: str | None, position: int, event: TimelineEvent) -> dict[str, Any]:
    return {
        "postmortem_id": pm_id,
        "position": position,
        "at": event.at,
        "kind": event.kind.value,
        "text": event.text,
        "actor": event.actor,
        "source": event.source,
        "link": event.link,
        "notes": event.notes,
        "time_text": event.time_text,
        "source_ref": event.source_ref,
    }


# --- rows to values ---------------------------------------------------------------------------


def _stored(row: Row[Any]) -> Stored:
    return Stored(
        postmortem=Postmortem.model_validate(row.document),
        revision=row.revision,
        created_at=row.created_at,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def _summary_of(row: Row[Any]) -> Summary:
    # The rest: incident_date, impact_started_at, detected_at, resolved_at.
    pm_id, title, status, severity, incident_type, *when = row
    return Summary(
        pm_id,
        title,
        DocumentStatus(status),
        Severity(severity) if severity is not None else None,
        IncidentType(incident_type),
        *when,
    )


_PRIORITIES = {priority.value: priority for priority in Priority}

_ACTION_ROW = (
    action_items.c.postmortem_id,
    postmortems.c.title,
    action_items.c.position,
    action_items.c.item_id,
    action_items.c.action,
    action_items.c.owner,
    action_items.c.team,
    action_items.c.priority,
    action_items.c.due,
    action_items.c.status,
    action_items.c.status_reason,
    action_items.c.category,
    action_items.c.tracker,
    action_items.c.completed_on,
)
"""The columns :func:`_action_row` reads, in its order."""


def _action_row(row: Row[Any]) -> ActionItemRow:
    pm_id, title, position, item_id, action, owner, team, priority, *rest = row
    due, status, status_reason, category, tracker, completed_on = rest
    item = ActionItem.model_validate(
        {
            "id": item_id,
            "action": action,
            "owner": owner,
            "team": team,
            # Stored priorities are members' values: a member skips the parsing of free text.
            "priority": _PRIORITIES.get(priority, priority),
            "due": due,
            "status": status,
            "status_reason": status_reason,
            "category": category,
            "tracker": tracker,
            "completed_on": completed_on,
        }
    )
    return ActionItemRow(postmortem_id=pm_id, postmortem_title=title, position=position, item=item)


def _timeline_row(row: Row[Any]) -> TimelineRow:
    event = TimelineEvent.model_validate(
        {
            "at": row.at,
            "kind": row.kind,
            "text": row.text,
            "actor": row.actor,
            "source": row.source,
            "link": row.link,
            "notes": row.notes,
            "time_text": row.time_text,
            "source_ref": row.source_ref,
        }
    )
    return TimelineRow(
        postmortem_id=row.postmortem_id,
        postmortem_title=row.title,
        position=row.position,
        event=event,
    )


# --- small helpers ----------------------------------------------------------------------------


def _stale(current: Row[Any], base_revision: int) -> Conflict:
    if base_revision > current.revision:
        return Conflict(
            f"there is no revision {base_revision}; the latest is {current.revision}",
            where=current.id,
        )
    when = current.updated_at.strftime("%Y-%m-%d %H:%M UTC")
    return Conflict(
        f"revision {current.revision} was saved by {current.updated_by} at {when} since you "
        f"started from revision {base_revision}; nothing was overwritten",
        where=current.id,
    )


def _has(table: sa.Table, column: sa.Column[Any], value: str) -> sa.Exists:
    return (
        sa.select(table.c.postmortem_id)
        .where(table.c.postmortem_id == postmortems.c.id, sa.func.lower(column) == value.lower())
        .exists()
    )


def _batches(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), ID_BATCH):
        yield ids[start : start + ID_BATCH]


def _several(status: ActionStatus | Iterable[ActionStatus]) -> Sequence[ActionStatus]:
    # A status is a str, and a str is iterable: test for one status first.
    return [status] if isinstance(status, ActionStatus) else list(status)


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidInput(f"the time {now.isoformat()} has no zone; pass an aware datetime")
