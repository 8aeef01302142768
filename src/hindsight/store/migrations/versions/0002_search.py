"""Full-text search: an FTS5 table on SQLite, a weighted tsvector with a GIN index on PostgreSQL.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-01

``postmortem_search`` holds each postmortem's title, summaries and other text (see
``hindsight.store.search``). On SQLite it is an FTS5 table (Porter stemming, diacritics
folded) that a trigger empties of a deleted postmortem; on PostgreSQL a table whose ``document``
column is generated from the three texts (weights A, B, C, English stemming) and dropped with
its postmortem. Existing postmortems are indexed here; from then on every save updates the row.

Written out in full, with its own copy of the text extraction: never import hindsight code that
moves on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')"
)

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


def _texts(pm_id: str, document: Any) -> dict[str, str]:
    data = dict(json.loads(document) if isinstance(document, str) else document)
    summary = "\n".join(
        s for key in ("summary", "executive_summary") for s in _strings(data.pop(key, None))
    )
    title = str(data.pop("title", "") or "")
    return {
        "postmortem_id": pm_id,
        "title": title,
        "summary": summary,
        "body": "\n".join(_strings(data)),
    }


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE postmortem_search USING fts5("
            "postmortem_id UNINDEXED, title, summary, body, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER postmortem_search_delete AFTER DELETE ON postmortems BEGIN "
            "DELETE FROM postmortem_search WHERE postmortem_id = old.id; END"
        )
    else:
        op.create_table(
            "postmortem_search",
            sa.Column("postmortem_id", sa.String(100), nullable=False),
            sa.Column("title", sa.Text, nullable=False),
            sa.Column("summary", sa.Text, nullable=False),
            sa.Column("body", sa.Text, nullable=False),
            sa.Column("document", postgresql.TSVECTOR, sa.Computed(_DOCUMENT, persisted=True)),
            sa.PrimaryKeyConstraint("postmortem_id", name="pk_postmortem_search"),
            sa.ForeignKeyConstraint(
                ["postmortem_id"],
                ["postmortems.id"],
                name="fk_postmortem_search_postmortem_id_postmortems",
                ondelete="CASCADE",
            ),
        )
        op.create_index(
            "ix_postmortem_search_document",
            "postmortem_search",
            ["document"],
            postgresql_using="gin",
        )
    rows = bind.execute(sa.text("SELECT id, document FROM postmortems")).all()
    if rows:
        search = sa.table(
            "postmortem_search",
            sa.column("postmortem_id"),
            sa.column("title"),
            sa.column("summary"),
            sa.column("body"),
        )
        bind.execute(sa.insert(search), [_texts(row.id, row.document) for row in rows])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS postmortem_search_delete")
    op.drop_table("postmortem_search")
