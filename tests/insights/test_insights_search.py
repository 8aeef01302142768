"""Full-text search on the icco corpus, on real SQLite (FTS5) and real PostgreSQL (tsvector),
and on documents without a database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from insights_data import icco_corpus
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hindsight.errors import InvalidInput
from hindsight.model import DocumentStatus, Postmortem, Severity
from hindsight.settings import Settings
from hindsight.store import repository
from hindsight.store.diff import as_document
from hindsight.store.engine import alembic_config, make_engine, make_sessionmaker
from hindsight.store.search import (
    SearchFilters,
    SearchHit,
    fts5_query,
    index_postmortem,
    reindex,
    search_collection,
    search_store,
    search_text,
)
from hindsight.store.tables import postmortems

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
SIMPLEDB = "00b7f759-21f8-4767-8803-f09d863005cd"
EVE = "01494547-7ee9-4169-a0c0-d921fa309d83"
HOMEBREW = "018edf27-f738-448d-8c46-947cd3b6d5b0"


def _store(session: Session, postmortems: list[Postmortem]) -> None:
    """Store postmortems; the repository indexes each as it saves it."""
    for pm in postmortems:
        repository.create_postmortem(
            session=session, postmortem=pm, author="tester", now=NOW, id_pattern="INC-{seq:03d}"
        )


@pytest.fixture
def corpus_session(engine: Engine) -> Iterator[Session]:
    with make_sessionmaker(engine).begin() as session:
        _store(session, icco_corpus())
    with make_sessionmaker(engine)() as session:
        yield session


def ids(hits: list[SearchHit]) -> list[str]:
    return [hit.id for hit in hits]


def test_search_ranks_the_corpus_and_highlights_matches(corpus_session: Session) -> None:
    hits = search_store(session=corpus_session, query="handshake timeouts")
    assert hits[0].id == SIMPLEDB
    assert "«handshake" in hits[0].snippet.lower()
    scores = [h.score for h in hits]
    assert scores[0] > 0 and scores == sorted(scores, reverse=True)
    assert search_store(session=corpus_session, query="boot.ini")[0].id == EVE
    token = search_store(session=corpus_session, query='"personal access token" Jenkins')
    assert token[0].id == HOMEBREW
    not_homebrew = search_store(session=corpus_session, query="Jenkins token -homebrew")
    assert HOMEBREW not in ids(not_homebrew)
    either = ids(search_store(session=corpus_session, query="simpledb OR trinity", limit=50))
    assert {SIMPLEDB, EVE} <= set(either)
    assert search_store(session=corpus_session, query="zxqvwy") == []
    assert len(search_store(session=corpus_session, query="outage", limit=3)) == 3


def test_search_filters(corpus_session: Session) -> None:
    def search(query: str, **filters: object) -> list[str]:
        return ids(
            search_store(
                session=corpus_session, query=query, filters=SearchFilters(**filters), limit=500
            )
        )

    everywhere = search("database")
    assert len(everywhere) > 5
    security = search("database", tag="SECURITY")
    assert security and set(security) < set(everywhere)
    corpus = {pm.id: pm for pm in icco_corpus()}
    assert all("security" in corpus[i].tags for i in security)
    google = search("outage", service="google")
    assert google and all(corpus[i].services == ["Google"] for i in google)
    in_2017 = search("outage", since=date(2017, 1, 1), until=date(2017, 12, 31))
    assert in_2017 and all(corpus[i].date and corpus[i].date.year == 2017 for i in in_2017)
    assert search("outage", severity=Severity(1)) == []
    assert search("handshake", status=DocumentStatus.DRAFT) == [SIMPLEDB]
    assert search("handshake", status=DocumentStatus.FINAL) == []


def test_the_index_follows_saves_and_deletes(engine: Engine) -> None:
    pm = Postmortem(id="INC-1", title="Queue backlog", summary="Consumers stalled.")
    with make_sessionmaker(engine).begin() as session:
        _store(session, [pm])
    with make_sessionmaker(engine).begin() as session:
        stored = repository.get_postmortem(session=session, ref="INC-1")
        changed = pm.model_copy(update={"summary": "Consumers stalled on a poisoned message."})
        repository.save_postmortem(
            session=session, postmortem=changed, base_revision=stored.revision, author="t", now=NOW
        )
    with make_sessionmaker(engine).begin() as session:
        index_postmortem(session=session, postmortem=changed)  # again: still one row
        assert ids(search_store(session=session, query="poisoned")) == ["INC-1"]
        assert ids(search_store(session=session, query="backlog")) == ["INC-1"]
        repository.delete_postmortem(session=session, ref="INC-1")
    with make_sessionmaker(engine)() as session:
        assert search_store(session=session, query="backlog") == []
        count = session.execute(sa.text("SELECT count(*) FROM postmortem_search")).scalar_one()
        assert count == 0


def test_creating_through_the_repository_indexes(engine: Engine) -> None:
    with make_sessionmaker(engine).begin() as session:
        repository.create_postmortem(
            session=session,
            postmortem=Postmortem(id="INC-9", title="Cache stampede"),
            author="t",
            now=NOW,
            id_pattern="INC-{seq:03d}",
        )
    with make_sessionmaker(engine)() as session:
        assert ids(search_store(session=session, query="stampede")) == ["INC-9"]


def _row_0001(pm: Postmortem) -> dict[str, object]:
    return {
        "id": pm.id,
        "title": pm.title,
        "status": pm.status.value,
        "severity": None,
        "incident_type": pm.incident_type.value,
        "incident_date": pm.incident_date,
        "services": pm.services,
        "tags": pm.tags,
        "revision": 1,
        "created_at": NOW,
        "updated_at": NOW,
        "updated_by": "t",
        "document": as_document(pm),
    }


def test_the_migration_indexes_existing_postmortems(store_settings: Settings) -> None:
    from alembic import command

    engine = sa.create_engine(store_settings.database_url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0001")
        # Rows as schema 0001 held them: the repository of today would index them too.
        with engine.begin() as connection:
            connection.execute(sa.insert(postmortems), [_row_0001(pm) for pm in icco_corpus()[:20]])
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
    finally:
        engine.dispose()
    migrated = make_engine(store_settings)
    try:
        with make_sessionmaker(migrated)() as session:
            assert ids(search_store(session=session, query="handshake"))[:1] == [SIMPLEDB]
        with make_sessionmaker(migrated).begin() as session:
            assert reindex(session=session) == 20
        with make_sessionmaker(migrated)() as session:
            assert ids(search_store(session=session, query="handshake"))[:1] == [SIMPLEDB]
    finally:
        migrated.dispose()


def test_documents_search_like_the_store() -> None:
    corpus = icco_corpus()
    hits = search_collection(corpus, query="handshake timeouts")
    assert hits[0].id == SIMPLEDB and "«" in hits[0].snippet
    by_id = {pm.id: pm for pm in corpus}
    tagged = search_collection(corpus, query="database", filters=SearchFilters(tag="security"))
    assert tagged and all("security" in by_id[h.id].tags for h in tagged)
    assert search_collection(corpus, query="zxqvwy") == []


@pytest.mark.parametrize(
    ("query", "expression"),
    [
        ("handshake timeout", '"handshake" AND "timeout"'),
        ('"lock service" OR bgp', '("lock service" OR "bgp")'),
        ("dns -aws", '"dns" NOT "aws"'),
        ('boot.ini NEAR(x) "', '"boot ini" AND "NEAR x"'),
        ("OR OR a", '"a"'),
    ],
)
def test_queries_never_reach_fts5_as_syntax(query: str, expression: str) -> None:
    assert fts5_query(query) == expression


@pytest.mark.parametrize("query", ["", "   ", "-only", "***", '""'])
def test_a_query_without_words_is_refused(query: str) -> None:
    with pytest.raises(InvalidInput, match="no word to search for"):
        fts5_query(query)


def test_search_text_takes_every_text_field_and_no_identifiers() -> None:
    pm = Postmortem.model_validate(
        {
            "id": "INC-77",
            "title": "Disk full",
            "summary": "Logs filled the disk.",
            "executive_summary": "Writes failed for an hour.",
            "status": "in_review",
            "timeline": [{"text": "Pager fired", "kind": "alert", "link": "https://x.example"}],
            "action_items": [{"action": "Rotate logs", "owner": "Ana", "tracker": "JIRA-9"}],
            "lessons": {"learned": ["Watch disk growth"]},
            "contributing_factors": ["No log rotation"],
        }
    )
    title, summary, body = search_text(pm)
    assert title == "Disk full"
    assert summary == "Logs filled the disk.\nWrites failed for an hour."
    for text in ("Pager fired", "Rotate logs", "Ana", "Watch disk growth", "No log rotation"):
        assert text in body
    for identifier in ("INC-77", "in_review", "alert", "x.example", "JIRA-9"):
        assert identifier not in body
