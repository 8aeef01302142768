"""Postmortems in a database: SQLite by default, PostgreSQL for teams, every save a revision.

- :mod:`hindsight.store.engine`: ``make_engine(settings)`` (schema migrated to the newest
  revision) and ``make_sessionmaker(engine)``.
- :mod:`hindsight.store.repository`: keyword-only functions over a session that never commit.
- :mod:`hindsight.store.diff`: what changed between two versions (pure).
- :mod:`hindsight.store.tables`: the tables, for people who query them.

This package imports nothing itself, so that importing it stays free: SQLAlchemy and Alembic
load with the module that needs them (Alembic only when a migration has to run).
"""
