"""Engines and sessions for the store: SQLite by default, PostgreSQL for teams.

:func:`make_engine` builds an engine from the settings and brings the schema to the newest
migration. Every failure to reach, create or migrate the database is a one-line
:class:`~hindsight.errors.StorageError`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from hindsight.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config

    from hindsight.settings import Settings

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
BACKENDS = ("sqlite", "postgresql")
SQLITE_BUSY_TIMEOUT_MS = 5_000
POSTGRES_CONNECT_TIMEOUT_S = 10
MIGRATION_LOCK = 0x48696E64  # "Hind": the PostgreSQL advisory lock held while migrating


def make_engine(settings: Settings) -> Engine:
    """An engine on ``settings.database_url`` with the schema at the newest migration."""
    url = _parse_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        _create_sqlite_directory(url)
    engine = _create_engine(url)
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions on ``engine``; the caller commits (``with factory.begin() as session: ...``)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration; does nothing when it is already there."""
    head = head_revision()
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Web workers starting together: one migrates, the others wait and find it done.
                # (On SQLite, BEGIN IMMEDIATE already lets one transaction in at a time.)
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
            # Loading Alembic costs more than the rest of a CLI command: only when needed.
            if current_revision(connection) == head:
                return
            from alembic import command
            from alembic.util import CommandError

            try:
                command.upgrade(alembic_config(connection), "head")
            except CommandError as exc:
                raise StorageError(
                    f"cannot migrate {_safe(engine.url)}: {_first_line(exc)} "
                    f"(this Hindsight knows schema revisions up to {head})"
                ) from exc
    except sa.exc.SQLAlchemyError as exc:
        reason = describe_database_error(exc)
        raise StorageError(f"cannot use the database {_safe(engine.url)}: {reason}") from exc


def head_revision() -> str:
    """The newest migration, read from the file names without loading Alembic.

    Migrations are ``versions/NNNN_what.py`` with revision id ``NNNN``, each revising the one
    before; a test holds them to it.
    """
    numbers = [path.name[:4] for path in (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py")]
    return max(numbers)


def current_revision(connection: sa.Connection) -> str | None:
    """The migration the database is at, or ``None`` for an empty database."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    versions = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars()
    return next(iter(versions), None)


def alembic_config(connection: sa.Connection | None = None, *, url: str | None = None) -> Config:
    """An Alembic configuration for the packaged migrations, no ``alembic.ini`` needed.

    Pass an open ``connection`` to migrate inside it, or a ``url`` for Alembic's own commands;
    to write the next migration against a database at head::

        command.revision(alembic_config(url=...), "what it does", autogenerate=True, rev_id="0003")
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


# --- building the engine ----------------------------------------------------------------------


def _parse_url(text: str) -> URL:
    try:
        url = make_url(text)
    except sa.exc.ArgumentError as exc:
        raise StorageError(
            f"cannot read {text!r} as a database URL; expected one like "
            "sqlite:///path/to/hindsight.db or postgresql+psycopg://user:password@host/database"
        ) from exc
    # ``postgresql://`` and ``postgres://`` would ask for psycopg2; Hindsight ships psycopg 3.
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in BACKENDS:
        raise StorageError(
            f"cannot use {_safe(url)}: Hindsight stores postmortems in SQLite or PostgreSQL"
        )
    return url


def _create_sqlite_directory(url: URL) -> None:
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return
    directory = Path(database).expanduser().parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot create {directory} for the database: {exc.strerror}") from exc


def _create_engine(url: URL) -> Engine:
    options: dict[str, Any] = {"json_serializer": _json_dumps}
    sqlite = url.get_backend_name() == "sqlite"
    if sqlite and url.database in (None, "", ":memory:"):
        # One connection, or every session would see its own empty in-memory database.
        options |= {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    elif url.get_backend_name() == "postgresql":
        options |= {"pool_pre_ping": True}
        if "connect_timeout" not in url.query:
            options["connect_args"] = {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S}
    try:
        engine = sa.create_engine(url, **options)
    except ImportError as exc:
        raise StorageError(
            f"{url.get_backend_name()} needs a driver that is not installed ({exc.name}); "
            "for PostgreSQL: pip install 'hindsight[postgres]'"
        ) from exc
    except sa.exc.ArgumentError as exc:
        raise StorageError(f"cannot use {_safe(url)}: {_first_line(exc)}") from exc
    if sqlite:
        _add_sqlite_pragmas(engine)
    return engine


def _add_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling would commit at the first SAVEPOINT release;
        # turn it off and begin transactions ourselves (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            _set_wal(cursor)
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # Take the write lock up front: a transaction that read and then tries to write after
        # another writer committed would fail at once instead of waiting its turn.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _set_wal(cursor: Any) -> None:
    """Switch to WAL, waiting for other connections as the busy timeout would.

    Changing the journal mode needs the database to itself, and SQLite may answer "database is
    locked" at once instead of calling the busy handler: several processes opening a new
    database together (two CLI commands, web workers) would then fail.
    """
    import sqlite3
    import time

    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# --- messages ---------------------------------------------------------------------------------


def _safe(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0].strip() if text else type(exc).__name__


def describe_database_error(exc: sa.exc.SQLAlchemyError) -> str:
    """The first line of the driver's own words, without SQLAlchemy's statement and link."""
    original = getattr(exc, "orig", None)
    return _first_line(original if isinstance(original, BaseException) else exc)
