"""Copy groups and resolved incidents: article fingerprints, copy links and groups, mention
links, incidents with their members and attack types, and the resolution log.

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "copy_fingerprints",
        sa.Column(
            "article_id",
            sa.String,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        # Rows are read back in this order so an index loaded piecemeal stays in step.
        sa.Column("seq", sa.Integer, nullable=False, unique=True),
        sa.Column("published", sa.Date),
        sa.Column("text_hashes", sa.LargeBinary, nullable=False),
        sa.Column("text_size", sa.Integer, nullable=False),
        sa.Column("skeleton_hashes", sa.LargeBinary, nullable=False),
        sa.Column("skeleton_size", sa.Integer, nullable=False),
        sa.Column("anchors", sa.JSON, nullable=False),
    )
    op.create_table(
        "copy_links",
        sa.Column(
            "article_a",
            sa.String,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "article_b",
            sa.String,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
    )
    op.create_index("ix_copy_links_article_b", "copy_links", ["article_b"])
    op.create_table(
        "copy_members",
        sa.Column(
            "article_id",
            sa.String,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        # The id of the group's original (its earliest article).
        sa.Column("group_id", sa.String, nullable=False),
    )
    op.create_index("ix_copy_members_group_id", "copy_members", ["group_id"])
    op.create_table(
        "mention_links",
        sa.Column(
            "mention_id",
            sa.String,
            sa.ForeignKey("mentions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "other_id",
            sa.String,
            sa.ForeignKey("mentions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("reasons", sa.JSON, nullable=False),
    )
    op.create_table(
        "incidents",
        # The id of the incident's lead mention (the earliest report).
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("article_id", sa.String, nullable=False),
        sa.Column("stage", sa.String, nullable=False),
        sa.Column("background", sa.Boolean, nullable=False),
        sa.Column("attack_types", sa.JSON, nullable=False),
        sa.Column("weapons", sa.JSON, nullable=False),
        sa.Column("date_year", sa.Integer),
        sa.Column("date_month", sa.Integer),
        sa.Column("date_day", sa.Integer),
        sa.Column("date_iso", sa.String),
        sa.Column("date_inferred", sa.JSON, nullable=False),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("venue", sa.Text),
        sa.Column("city", sa.Text),
        sa.Column("admin1", sa.Text),
        sa.Column("country", sa.String(2)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("precision", sa.Integer, nullable=False),
        sa.Column("target_type", sa.String),
        sa.Column("killed_min", sa.Integer),
        sa.Column("killed_max", sa.Integer),
        sa.Column("killed_qualifier", sa.String),
        sa.Column("wounded_min", sa.Integer),
        sa.Column("wounded_max", sa.Integer),
        sa.Column("wounded_qualifier", sa.String),
        sa.Column("perpetrators", sa.JSON, nullable=False),
        sa.Column("attribution", sa.String),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("sources", sa.Integer, nullable=False),
        sa.Column("attribution_status", sa.String, nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_incidents_country", "incidents", ["country"])
    op.create_index("ix_incidents_date_start", "incidents", ["date_start"])
    op.create_index("ix_incidents_killed_min", "incidents", ["killed_min"])
    op.create_table(
        "incident_members",
        sa.Column(
            "mention_id",
            sa.String,
            sa.ForeignKey("mentions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "incident_id",
            sa.String,
            sa.ForeignKey("incidents.id", ondelete="CASCADE"),
            nullable=False,
        ),
    )
    op.create_index("ix_incident_members_incident_id", "incident_members", ["incident_id"])
    op.create_table(
        "incident_attack_types",
        sa.Column(
            "incident_id",
            sa.String,
            sa.ForeignKey("incidents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("attack_type", sa.String, primary_key=True),
    )
    op.create_index("ix_incident_attack_types_type", "incident_attack_types", ["attack_type"])
    op.create_table(
        "resolution_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mention_id", sa.String, nullable=False),
        sa.Column("previous_incident", sa.String),
        sa.Column("incident_id", sa.String, nullable=False),
        sa.Column("decision", sa.String, nullable=False),
        sa.Column("reasons", sa.JSON, nullable=False),
    )
    op.create_index("ix_resolution_log_mention_id", "resolution_log", ["mention_id"])


def downgrade() -> None:
    for table in (
        "resolution_log",
        "incident_attack_types",
        "incident_members",
        "incidents",
        "mention_links",
        "copy_members",
        "copy_links",
        "copy_fingerprints",
    ):
        op.drop_table(table)
