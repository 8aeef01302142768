"""The tables of the store, as SQLAlchemy Core.

``postmortems`` holds the current document of each postmortem with the columns people filter by;
``revisions`` keeps every saved document. The side tables (``action_items``, ``timeline_events``,
``postmortem_services``, ``postmortem_tags``) are rewritten from the document on every save so
that they can be queried across postmortems; the document is the truth, they are an index.

The migrations in ``migrations/versions`` create the same schema; a test compares the two.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(sa.types.TypeDecorator[datetime]):
    """A timezone-aware instant, stored in UTC and read back aware in UTC on every backend.

    SQLite has no zone-aware type: values are stored as naive UTC text and given their zone back
    when read. A naive datetime is refused rather than guessed at.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} refused; give it a zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {value!r}")
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _postmortem_fk() -> sa.ForeignKey:
    return sa.ForeignKey("postmortems.id", ondelete="CASCADE")


postmortems = sa.Table(
    "postmortems",
    metadata,
    sa.Column("id", sa.String(100), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False, index=True),
    sa.Column("severity", sa.Integer, nullable=True, index=True),
    sa.Column("incident_type", sa.String(20), nullable=False),
    sa.Column("incident_date", sa.Date, nullable=True, index=True),
    sa.Column("impact_started_at", UtcDateTime, nullable=True),
    sa.Column("detected_at", UtcDateTime, nullable=True),
    sa.Column("resolved_at", UtcDateTime, nullable=True),
    sa.Column("services", sa.JSON, nullable=False),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False),
    sa.Column("document", sa.JSON, nullable=False),
)

revisions = sa.Table(
    "revisions",
    metadata,
    sa.Column("postmortem_id", sa.String(100), _postmortem_fk(), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("message", sa.Text, nullable=True),
    sa.Column("changes", sa.JSON, nullable=False),
    sa.Column("document", sa.JSON, nullable=False),
)

action_items = sa.Table(
    "action_items",
    metadata,
    sa.Column("postmortem_id", sa.String(100), _postmortem_fk(), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("item_id", sa.Text, nullable=True),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("owner", sa.Text, nullable=True, index=True),
    sa.Column("team", sa.Text, nullable=True),
    sa.Column("priority", sa.String(2), nullable=True),
    sa.Column("due", sa.Date, nullable=True, index=True),
    sa.Column("status", sa.String(20), nullable=False, index=True),
    sa.Column("status_reason", sa.Text, nullable=True),
    sa.Column("category", sa.String(20), nullable=True),
    sa.Column("tracker", sa.Text, nullable=True),
    sa.Column("completed_on", sa.Date, nullable=True),
)

timeline_events = sa.Table(
    "timeline_events",
    metadata,
    sa.Column("postmortem_id", sa.String(100), _postmortem_fk(), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("at", UtcDateTime, nullable=True, index=True),
    sa.Column("kind", sa.String(20), nullable=False, index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("actor", sa.Text, nullable=True),
    sa.Column("source", sa.Text, nullable=True),
    sa.Column("link", sa.Text, nullable=True),
    sa.Column("notes", sa.Text, nullable=True),
    sa.Column("time_text", sa.Text, nullable=True),
    sa.Column("source_ref", sa.Text, nullable=True),
)

postmortem_services = sa.Table(
    "postmortem_services",
    metadata,
    sa.Column("postmortem_id", sa.String(100), _postmortem_fk(), primary_key=True),
    sa.Column("service", sa.Text, primary_key=True, index=True),
)

postmortem_tags = sa.Table(
    "postmortem_tags",
    metadata,
    sa.Column("postmortem_id", sa.String(100), _postmortem_fk(), primary_key=True),
    sa.Column("tag", sa.Text, primary_key=True, index=True),
)

SIDE_TABLES = (action_items, timeline_events, postmortem_services, postmortem_tags)
"""Tables rebuilt from the document on every save."""
