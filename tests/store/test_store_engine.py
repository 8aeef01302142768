"""Engines, migrations and the errors a user sees when the database is out of reach."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

import hindsight
from hindsight.errors import StorageError
from hindsight.settings import Settings
from hindsight.store.engine import (
    MIGRATIONS_DIR,
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
    migrate,
)
from hindsight.store.tables import metadata

TABLES = {
    "postmortems",
    "revisions",
    "action_items",
    "timeline_events",
    "postmortem_services",
    "postmortem_tags",
}


def settings_for(url: str, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, database_url=url)


def test_an_empty_database_is_migrated_to_the_newest_schema(engine: Engine) -> None:
    inspector = sa.inspect(engine)

    assert TABLES | {"alembic_version"} <= set(inspector.get_table_names())
    with engine.connect() as connection:
        assert current_revision(connection) == head_revision()
    index_columns = {
        (table, column)
        for table in TABLES
        for index in inspector.get_indexes(table)
        for column in index["column_names"]
    }
    assert {
        ("postmortems", "status"),
        ("postmortems", "severity"),
        ("action_items", "owner"),
        ("action_items", "due"),
        ("timeline_events", "at"),
    } <= index_columns


def test_migrating_again_changes_nothing(engine: Engine, store_settings: Settings) -> None:
    migrate(engine)
    # Through Alembic itself, past the shortcut that skips it when the schema is current.
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    make_engine(store_settings).dispose()

    with engine.connect() as connection:
        assert current_revision(connection) == head_revision()
        count = connection.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar_one()
    assert count == 1


def test_the_migrations_build_exactly_the_tables_the_code_uses(engine: Engine) -> None:
    def ours(name: str | None, type_: str, parent_names: object) -> bool:
        # Tables other modules define for themselves (the search index) are theirs to check.
        return type_ != "table" or name in metadata.tables

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": ours}
        )
        assert compare_metadata(context, metadata) == []


def test_migrations_are_numbered_in_one_line() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    chain = list(reversed(list(script.walk_revisions())))

    assert script.get_heads() == [head_revision()]
    for number, revision in enumerate(chain, start=1):
        assert revision.revision == f"{number:04d}"
        assert Path(revision.path).name.startswith(f"{number:04d}_")
        assert revision.down_revision == (f"{number - 1:04d}" if number > 1 else None)


def test_the_migrations_ship_inside_the_package() -> None:
    package = Path(hindsight.__file__).parent

    assert MIGRATIONS_DIR.is_relative_to(package)
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert (MIGRATIONS_DIR / "script.py.mako").is_file()
    assert list((MIGRATIONS_DIR / "versions").glob("0001_*.py"))


def test_a_newer_schema_than_this_version_knows_is_a_storage_error(
    engine: Engine, store_settings: Settings
) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")

    with pytest.raises(StorageError, match="9999") as caught:
        make_engine(store_settings)

    assert "\n" not in str(caught.value)


def test_sqlite_gets_its_directory_and_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "hindsight.db"

    engine = make_engine(settings_for(f"sqlite:///{path}", tmp_path))
    try:
        with engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA foreign_keys").scalar_one() == 1
            assert pragma("PRAGMA journal_mode").scalar_one() == "wal"
            assert pragma("PRAGMA busy_timeout").scalar_one() == 5000
    finally:
        engine.dispose()

    assert path.is_file()


def test_an_in_memory_sqlite_database_keeps_its_schema(tmp_path: Path) -> None:
    engine = make_engine(settings_for("sqlite://", tmp_path))
    try:
        assert "postmortems" in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url", "cannot read 'not a url' as a database URL"),
        ("nosuchdb://x/y", "cannot use nosuchdb://x/y"),
        ("postgresql+psycopg://u:secret@127.0.0.1:{port}/db", "cannot use the database"),
        ("postgresql://u:secret@127.0.0.1:{port}/db", "postgresql+psycopg://u:***@"),
    ],
)
def test_a_bad_or_unreachable_database_is_a_one_line_storage_error(
    url: str, expected: str, tmp_path: Path
) -> None:
    url = url.format(port=_closed_port())

    with pytest.raises(StorageError) as caught:
        make_engine(settings_for(url, tmp_path))

    message = str(caught.value)
    assert expected in message
    assert "\n" not in message
    assert "secret" not in message
    assert caught.value.exit_code == 5


def test_a_directory_that_cannot_be_made_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")

    with pytest.raises(StorageError, match=r"cannot create .*file/sub") as caught:
        make_engine(settings_for(f"sqlite:///{blocker}/sub/hindsight.db", tmp_path))

    assert "\n" not in str(caught.value)


def test_importing_the_store_package_loads_no_database_library() -> None:
    code = (
        "import sys, hindsight.store; "
        "print(sorted(m for m in ('sqlalchemy', 'alembic') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )

    assert done.stdout.strip() == "[]"


def test_a_current_schema_is_opened_without_loading_alembic(
    store_settings: Settings, engine: Engine
) -> None:
    code = (
        "import sys; from hindsight.settings import Settings; "
        "from hindsight.store.engine import make_engine; "
        f"make_engine(Settings(data_dir=__import__('pathlib').Path('.'), "
        f"database_url={store_settings.database_url!r})).dispose(); "
        "print('alembic' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )

    assert done.stdout.strip() == "False"


def test_processes_opening_an_empty_database_together_migrate_it_once(
    store_settings: Settings,
) -> None:
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            make_engine(store_settings).dispose()
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)

    threads = [threading.Thread(target=open_it, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    engine = make_engine(store_settings)
    try:
        with engine.connect() as connection:
            assert current_revision(connection) == head_revision()
    finally:
        engine.dispose()
