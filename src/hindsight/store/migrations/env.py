"""Alembic environment for Hindsight's packaged migrations.

Hindsight runs migrations from code (``hindsight.store.engine.migrate``), handing over an open
connection in ``config.attributes["connection"]``. Alembic's own commands work too, given a
``sqlalchemy.url`` (see ``hindsight.store.engine.alembic_config``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from hindsight.store.tables import metadata


def _include_name(name: str | None, type_: str, parent_names: object) -> bool:
    # The search index (an FTS5 table and its shadow tables on SQLite, a generated column on
    # PostgreSQL) is made by migration 0002 in raw SQL: autogenerate must not propose to drop it.
    return not (name or "").startswith("postmortem_search")


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=_include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_offline() -> None:
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        include_name=_include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("no connection and no sqlalchemy.url to migrate")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as fresh:
            _run(fresh)
    finally:
        engine.dispose()


if context.is_offline_mode():
    _run_offline()
else:
    _run_online()
