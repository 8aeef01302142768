"""Fixtures shared by every test: an empty database on SQLite and on PostgreSQL, and the
environment the CLI tests run the command in (``env``).

``store_url`` runs each test that uses it twice, on a new SQLite file and on an empty PostgreSQL
database (a schema of its own). The PostgreSQL server is started once per run (see
``tests/pg.py``), or taken from ``HINDSIGHT_TEST_DATABASE_URL`` (its user needs CREATE on that
database). When PostgreSQL cannot be started the tests fail; ``HINDSIGHT_SKIP_POSTGRES=1`` skips
them instead, and only when set on purpose. ``-m "not postgres"`` leaves them out without
starting anything.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hindsight.settings import Settings

# tests/ is on sys.path (rootdir conftest, no tests/__init__.py), so pg.py imports as ``pg``.
from pg import Databases, PostgresServer, PostgresUnavailable, create_database, start_server


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Settings for running the CLI: a new SQLite store in ``tmp_path``, no custom layouts."""
    values = {
        "HINDSIGHT_DATA_DIR": str(tmp_path / "data"),
        "HINDSIGHT_USER": "tester",
        "HINDSIGHT_DATABASE_URL": "",
        "HINDSIGHT_LAYOUTS_DIR": "",
        "HINDSIGHT_LAYOUT": "",
        "HINDSIGHT_SEVERITY_SCHEME": "sev",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[Databases]:
    """Makes empty PostgreSQL databases on the run's server."""
    if os.environ.get("HINDSIGHT_SKIP_POSTGRES") == "1":
        pytest.skip("HINDSIGHT_SKIP_POSTGRES=1: PostgreSQL tests skipped on purpose")
    started = _start_postgres()
    if isinstance(started, str):
        pytest.fail(
            f"PostgreSQL is needed for these tests and could not be started: {started}. "
            "Install the server, set HINDSIGHT_TEST_DATABASE_URL, or set "
            "HINDSIGHT_SKIP_POSTGRES=1 to skip them on purpose.",
            pytrace=False,
        )
    server, databases = started
    try:
        yield databases
    finally:
        databases.close()
        if server is not None:
            server.stop()


def _start_postgres() -> tuple[PostgresServer | None, Databases] | str:
    """The server started (``None`` for one given by URL) and its databases, or why not."""
    server: PostgresServer | None = None
    try:
        url = os.environ.get("HINDSIGHT_TEST_DATABASE_URL")
        if not url:
            server = start_server()
            url = create_database(server, "hindsight_test")
        return server, Databases(url)
    except PostgresUnavailable as exc:
        if server is not None:
            server.stop()
        return str(exc)


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database (no tables yet) on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hindsight.db'}"
        return
    databases: Databases = request.getfixturevalue("postgres_databases")
    with databases.fresh() as url:
        yield url


@pytest.fixture
def store_settings(store_url: str, tmp_path: Path) -> Settings:
    """Settings pointing at the empty database of ``store_url``."""
    return Settings(data_dir=tmp_path, database_url=store_url, user="tester")


@pytest.fixture
def engine(store_settings: Settings) -> Iterator[Engine]:
    """An engine on the test's database, schema migrated; disposed after the test."""
    from hindsight.store.engine import make_engine

    built = make_engine(store_settings)
    try:
        yield built
    finally:
        built.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the test's database; the test commits when it wants to."""
    from hindsight.store.engine import make_sessionmaker

    with make_sessionmaker(engine)() as opened:
        yield opened
