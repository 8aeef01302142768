"""The first schema: postmortems, their revisions, and the side tables rebuilt on each save.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

Write the schema out in full here; never import hindsight.store.tables, which moves on.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INSTANT = sa.DateTime(timezone=True)


def _postmortem_id() -> sa.Column[str]:
    return sa.Column("postmortem_id", sa.String(100), nullable=False)


def _postmortem_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["postmortem_id"],
        ["postmortems.id"],
        name=f"fk_{table}_postmortem_id_postmortems",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "postmortems",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("severity", sa.Integer, nullable=True),
        sa.Column("incident_type", sa.String(20), nullable=False),
        sa.Column("incident_date", sa.Date, nullable=True),
        sa.Column("impact_started_at", INSTANT, nullable=True),
        sa.Column("detected_at", INSTANT, nullable=True),
        sa.Column("resolved_at", INSTANT, nullable=True),
        sa.Column("services", sa.JSON, nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("updated_at", INSTANT, nullable=False),
        sa.Column("updated_by", sa.Text, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_postmortems"),
    )
    for column in ("status", "severity", "incident_date"):
        op.create_index(f"ix_postmortems_{column}", "postmortems", [column])

    op.create_table(
        "revisions",
        _postmortem_id(),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("message", sa.Text, nullable=True),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("postmortem_id", "number", name="pk_revisions"),
        _postmortem_fk("revisions"),
    )

    op.create_table(
        "action_items",
        _postmortem_id(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("item_id", sa.Text, nullable=True),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("owner", sa.Text, nullable=True),
        sa.Column("team", sa.Text, nullable=True),
        sa.Column("priority", sa.String(2), nullable=True),
        sa.Column("due", sa.Date, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_reason", sa.Text, nullable=True),
        sa.Column("category", sa.String(20), nullable=True),
        sa.Column("tracker", sa.Text, nullable=True),
        sa.Column("completed_on", sa.Date, nullable=True),
        sa.PrimaryKeyConstraint("postmortem_id", "position", name="pk_action_items"),
        _postmortem_fk("action_items"),
    )
    for column in ("owner", "due", "status"):
        op.create_index(f"ix_action_items_{column}", "action_items", [column])

    op.create_table(
        "timeline_events",
        _postmortem_id(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("at", INSTANT, nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("actor", sa.Text, nullable=True),
        sa.Column("source", sa.Text, nullable=True),
        sa.Column("link", sa.Text, nullable=True),
        sa.Column("notes", sa.Text, nullable=True),
        sa.Column("time_text", sa.Text, nullable=True),
        sa.Column("source_ref", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("postmortem_id", "position", name="pk_timeline_events"),
        _postmortem_fk("timeline_events"),
    )
    for column in ("at", "kind"):
        op.create_index(f"ix_timeline_events_{column}", "timeline_events", [column])

    for table, column in (("postmortem_services", "service"), ("postmortem_tags", "tag")):
        op.create_table(
            table,
            _postmortem_id(),
            sa.Column(column, sa.Text, nullable=False),
            sa.PrimaryKeyConstraint("postmortem_id", column, name=f"pk_{table}"),
            _postmortem_fk(table),
        )
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    for table in (
        "postmortem_tags",
        "postmortem_services",
        "timeline_events",
        "action_items",
        "revisions",
        "postmortems",
    ):
        op.drop_table(table)
