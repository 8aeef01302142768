"""Full-text search over every text field of every postmortem, ranked, with highlighted
snippets.

The index is the ``postmortem_search`` table of migration 0002: SQLite's FTS5 (BM25 ranking,
Porter stemming) or PostgreSQL's ``tsvector`` with a GIN index (``ts_rank``, English
stemming). Each postmortem is indexed in three parts weighted apart: the title, the summaries,
and every other text field (:func:`search_text`). :func:`index_postmortem` must run whenever a
postmortem is created or saved; deleting a postmortem drops its row by itself.

Queries read like a web search: words must all appear (in any form: ``timeouts`` finds
``timeout``), ``"a phrase"`` must appear as written, ``OR`` between words accepts either, and
``-word`` excludes. Snippets mark the matches with « and ».

A folder of documents is searched the same way in an in-memory SQLite FTS5 table
(:func:`search_collection`).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hindsight.errors import InvalidInput
from hindsight.model import DocumentStatus, Postmortem, Severity
from hindsight.store.tables import postmortem_services, postmortem_tags, postmortems

MARK_START, MARK_END = "«", "»"
FTS5_WEIGHTS = (0.0, 10.0, 4.0, 1.0)
"""BM25 weights of the FTS5 columns: postmortem id (not searched), title, summaries, the rest."""
SNIPPET_TOKENS = 24

search_table = sa.table(
    "postmortem_search",
    sa.column("postmortem_id", sa.String),
    sa.column("title", sa.Text),
    sa.column("summary", sa.Text),
    sa.column("body", sa.Text),
)

# Keys whose values are identifiers, links, times or enumerations, not prose to search.
_NOT_TEXT = frozenset(
    [
        "id",
        "ref",
        "link",
        "url",
        "tracker",
        "source_ref",
        "time_text",
        "at",
        "date",
        "due",
        "completed_on",
        "postmortem_date",
        "updated",
        "status",
        "incident_status",
        "incident_type",
        "severity",
        "priority",
        "category",
        "kind",
        "level",
        "method",
        "layout",
        "template_version",
        "milestones",
        "stated_durations",
        "durations",
        "status_history",
        "language",
        "approved",
        "breached",
    ]
)
_SUMMARY_FIELDS = ("summary", "executive_summary")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if value.strip():
            yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _NOT_TEXT:
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def search_text(postmortem: Postmortem) -> tuple[str, str, str]:
    """The postmortem's words in three parts, weighted apart when ranking: the title, the
    summaries, and every other text field (timeline, causes, factors, actions, lessons...)."""
    data = postmortem.model_dump(mode="json", exclude={"durations"})
    summary = "\n".join(s for name in _SUMMARY_FIELDS for s in _strings(data.pop(name, None)))
    title = data.pop("title", "") or ""
    body = "\n".join(_strings(data))
    return title, summary, body


# --- results and filters ----------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    """What a search can be narrowed to; ``since``/``until`` bound the incident date
    (inclusive), ``service`` and ``tag`` match ignoring case."""

    severity: Severity | None = None
    service: str | None = None
    tag: str | None = None
    status: DocumentStatus | None = None
    since: date | None = None
    until: date | None = None

    def matches(self, pm: Postmortem) -> bool:
        day = pm.incident_date
        return all(
            (
                self.severity is None or pm.severity == self.severity,
                self.status is None or pm.status is self.status,
                self.service is None or _has(pm.services, self.service),
                self.tag is None or _has(pm.tags, self.tag),
                self.since is None or (day is not None and day >= self.since),
                self.until is None or (day is not None and day <= self.until),
            )
        )


def _has(values: Iterable[str], wanted: str) -> bool:
    return wanted.lower() in (v.lower() for v in values)


@dataclass(frozen=True)
class SearchHit:
    """A postmortem that matched, best first: ``score`` is higher for better matches."""

    id: str
    title: str
    status: str
    severity: Severity | None
    incident_date: date | None
    services: list[str]
    score: float
    snippet: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "severity": self.severity.label() if self.severity else None,
            "date": self.incident_date.isoformat() if self.incident_date else None,
            "services": self.services,
            "score": round(self.score, 6),
            "snippet": self.snippet,
        }


# --- queries ----------------------------------------------------------------------------------

_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def fts5_query(text: str) -> str:
    """A user's query as an FTS5 expression: every word quoted (so that nothing in it is read
    as syntax), ``OR`` kept, ``-word`` as ``NOT``. Raises :class:`InvalidInput` when the query
    has no word to look for."""
    positive: list[str] = []
    negative: list[str] = []
    pending_or = False
    for match in _TOKEN.finditer(text):
        minus, phrase, bare = match.groups()
        if bare is not None and bare == "OR":
            pending_or = bool(positive)
            continue
        if bare is not None:
            minus, phrase = ("-", bare[1:]) if bare.startswith("-") else ("", bare)
        words = _WORD.findall(phrase or "")
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if minus:
            negative.append(term)
        elif pending_or:
            positive[-1] = f"{positive[-1]} OR {term}"
        else:
            positive.append(term)
        pending_or = False
    if not positive:
        raise InvalidInput(f"the query {text!r} has no word to search for")
    expression = " AND ".join(f"({p})" if " OR " in p else p for p in positive)
    return expression + "".join(f" NOT {n}" for n in negative)


def _bm25(match_table: str) -> sa.ColumnElement[Any]:
    table: sa.ColumnElement[Any] = sa.literal_column(match_table)
    return sa.func.bm25(table, *(sa.literal(w) for w in FTS5_WEIGHTS))


def _snippet(match_table: str) -> sa.ColumnElement[Any]:
    table: sa.ColumnElement[Any] = sa.literal_column(match_table)
    return sa.func.snippet(
        table, -1, sa.literal(MARK_START), sa.literal(MARK_END), sa.literal("…"), SNIPPET_TOKENS
    )


def _filter_store(query: sa.Select[Any], filters: SearchFilters) -> sa.Select[Any]:
    if filters.severity is not None:
        query = query.where(postmortems.c.severity == filters.severity.level)
    if filters.status is not None:
        query = query.where(postmortems.c.status == filters.status.value)
    for table, column, value in (
        (postmortem_services, postmortem_services.c.service, filters.service),
        (postmortem_tags, postmortem_tags.c.tag, filters.tag),
    ):
        if value is not None:
            query = query.where(
                sa.select(table.c.postmortem_id)
                .where(
                    table.c.postmortem_id == postmortems.c.id,
                    sa.func.lower(column) == value.lower(),
                )
                .exists()
            )
    if filters.since is not None:
        query = query.where(postmortems.c.incident_date >= filters.since)
    if filters.until is not None:
        query = query.where(postmortems.c.incident_date <= filters.until)
    return query


_SUMMARY_COLUMNS = (
    postmortems.c.id,
    postmortems.c.title,
    postmortems.c.status,
    postmortems.c.severity,
    postmortems.c.incident_date,
    postmortems.c.services,
)


def _hit(row: Any, score: float, snippet: str) -> SearchHit:
    return SearchHit(
        id=row.id,
        title=row.title,
        status=row.status,
        severity=Severity(row.severity) if row.severity is not None else None,
        incident_date=row.incident_date,
        services=list(row.services),
        score=score,
        snippet=" ".join(snippet.split()),
    )


def _matching(
    rank: sa.ColumnElement[Any], match: sa.ColumnElement[bool], filters: SearchFilters
) -> sa.Select[Any]:
    """Ids of the matching postmortems with their rank: narrow rows, cheap to sort."""
    query = sa.select(search_table.c.postmortem_id.label("id"), rank.label("rank")).where(match)
    if filters != SearchFilters():
        query = query.join(postmortems, postmortems.c.id == search_table.c.postmortem_id)
        query = _filter_store(query, filters)
    return query


def _search_sqlite(
    session: Session, query: str, filters: SearchFilters, limit: int
) -> list[SearchHit]:
    expression = fts5_query(query)
    match = sa.literal_column("postmortem_search").op("MATCH")(expression)
    rowid: sa.ColumnElement[int] = sa.literal_column("postmortem_search.rowid")
    best = _matching(_bm25("postmortem_search"), match, filters).add_columns(rowid.label("rowid"))
    ranked = session.execute(best.order_by(sa.text("rank"), sa.text("id")).limit(limit)).all()
    if not ranked:
        return []
    found = [row.id for row in ranked]
    details = {
        row.id: row
        for row in session.execute(sa.select(*_SUMMARY_COLUMNS).where(postmortems.c.id.in_(found)))
    }
    # SQLite would compute a snippet for every match before sorting: only for those shown.
    shown = session.execute(
        sa.select(rowid, _snippet("postmortem_search"))
        .select_from(search_table)
        .where(match, rowid.in_([row.rowid for row in ranked]))
    )
    snippets: dict[int, str] = {number: text for number, text in shown}
    return [
        _hit(details[row.id], -row.rank, snippets.get(row.rowid, ""))
        for row in ranked
        if row.id in details
    ]


def _search_postgres(
    session: Session, query: str, filters: SearchFilters, limit: int
) -> list[SearchHit]:
    _require_words(query)
    english = sa.literal("english", sa.Text).cast(_REGCONFIG)
    tsquery = sa.func.websearch_to_tsquery(english, query)
    document: sa.ColumnElement[Any] = sa.literal_column("postmortem_search.document")
    # ts_rank reads the weighted vector (title A, summaries B, the rest C); it is cheaper
    # than ts_rank_cd, and every match is ranked.
    rank = sa.func.ts_rank(document, tsquery)
    top = (
        _matching(rank, document.op("@@")(tsquery), filters)
        .order_by(sa.desc("rank"), sa.text("id"))
        .limit(limit)
        .subquery("top")
    )
    # ts_headline reads whole documents: only for the rows shown.
    text = sa.func.concat_ws(
        " … ", search_table.c.title, search_table.c.summary, search_table.c.body
    )
    options = (
        f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, "
        'MaxFragments=2, FragmentDelimiter=" … "'
    )
    headline = sa.func.ts_headline(english, text, tsquery, options)
    rows = session.execute(
        sa.select(*_SUMMARY_COLUMNS, top.c.rank, headline.label("snippet"))
        .select_from(top)
        .join(postmortems, postmortems.c.id == top.c.id)
        .join(search_table, search_table.c.postmortem_id == top.c.id)
        .order_by(sa.desc(top.c.rank), top.c.id)
    ).all()
    return [_hit(row, float(row.rank), row.snippet) for row in rows]


class _RegConfig(sa.types.UserDefinedType[str]):
    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "regconfig"


_REGCONFIG = _RegConfig()


def _require_words(text: str) -> None:
    fts5_query(text)


def search_store(
    *, session: Session, query: str, filters: SearchFilters | None = None, limit: int = 20
) -> list[SearchHit]:
    """Stored postmortems matching ``query``, best first, at most ``limit``."""
    filters = filters or SearchFilters()
    if session.get_bind().dialect.name == "sqlite":
        return _search_sqlite(session, query, filters, limit)
    return _search_postgres(session, query, filters, limit)


# --- keeping the index current ----------------------------------------------------------------


def _row(postmortem: Postmortem) -> dict[str, str | None]:
    title, summary, body = search_text(postmortem)
    return {"postmortem_id": postmortem.id, "title": title, "summary": summary, "body": body}


def index_postmortem(*, session: Session, postmortem: Postmortem, replace: bool = True) -> None:
    """Index (or index again) a stored postmortem; call it on every create, save and import.

    ``replace=False`` is for a postmortem just created, which cannot be in the index yet: it
    skips the delete, which on SQLite scans the whole index (its id column is not indexed).
    """
    if postmortem.id is None:
        raise InvalidInput("a postmortem needs an id to be indexed")
    if replace:
        remove_postmortem(session=session, postmortem_id=postmortem.id)
    session.execute(sa.insert(search_table), _row(postmortem))


def remove_postmortem(*, session: Session, postmortem_id: str) -> None:
    session.execute(sa.delete(search_table).where(search_table.c.postmortem_id == postmortem_id))


@dataclass(frozen=True)
class IndexedPostmortem:
    """A stored postmortem as the index holds it: the three parts of :func:`search_text`, with
    its services and tags."""

    id: str
    title: str
    summary: str
    body: str
    services: list[str]
    tags: list[str]


def indexed_postmortems(*, session: Session) -> list[IndexedPostmortem]:
    """Every indexed postmortem, in id order. The text is the one the index keeps, rewritten on
    every save: reading it costs no document parsing, which makes it the cheap way to read the
    words of every postmortem (related incidents do)."""
    query = (
        sa.select(
            postmortems.c.id,
            search_table.c.title,
            search_table.c.summary,
            search_table.c.body,
            postmortems.c.services,
            postmortems.c.tags,
        )
        .select_from(search_table)
        .join(postmortems, postmortems.c.id == search_table.c.postmortem_id)
        .order_by(postmortems.c.id)
    )
    return [
        IndexedPostmortem(pm_id, title or "", summary or "", body or "", services, tags)
        for pm_id, title, summary, body, services, tags in session.execute(query)
    ]


def reindex(*, session: Session, batch: int = 500) -> int:
    """Rebuild the whole index from the stored documents; returns how many were indexed."""
    session.execute(sa.delete(search_table))
    count = 0
    rows: list[dict[str, str | None]] = []
    for document in session.execute(sa.select(postmortems.c.document)).scalars():
        rows.append(_row(Postmortem.model_validate(document)))
        if len(rows) >= batch:
            session.execute(sa.insert(search_table), rows)
            count, rows = count + len(rows), []
    if rows:
        session.execute(sa.insert(search_table), rows)
        count += len(rows)
    return count


# --- documents without a database -------------------------------------------------------------


def search_collection(
    postmortems: Sequence[Postmortem],
    *,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """Search documents read from files, in a throwaway in-memory FTS5 table."""
    filters = filters or SearchFilters()
    expression = fts5_query(query)
    chosen = {str(index): pm for index, pm in enumerate(postmortems) if filters.matches(pm)}
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, title, summary, body, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        connection.executemany(
            "INSERT INTO docs VALUES (?, ?, ?, ?)",
            [(key, *search_text(pm)) for key, pm in chosen.items()],
        )
        weights = ", ".join(str(w) for w in FTS5_WEIGHTS)
        found = connection.execute(
            f"SELECT key, bm25(docs, {weights}) AS rank, "
            f"snippet(docs, -1, ?, ?, '…', {SNIPPET_TOKENS}) "
            "FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?",
            (MARK_START, MARK_END, expression, limit),
        ).fetchall()
    finally:
        connection.close()
    return [_document_hit(chosen[key], -rank, snippet) for key, rank, snippet in found]


def _document_hit(pm: Postmortem, score: float, snippet: str) -> SearchHit:
    return SearchHit(
        id=pm.id or pm.title,
        title=pm.title,
        status=pm.status.value,
        severity=pm.severity,
        incident_date=pm.incident_date,
        services=list(pm.services),
        score=score,
        snippet=" ".join(snippet.split()),
    )
