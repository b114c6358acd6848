"""Initial schema: documents, articles, mentions with their attack types and evidence, claims.

Revision ID: 0001
Revises:
Create Date: 2025-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("content_hash", sa.String, nullable=False, unique=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("media_type", sa.String, nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "articles",
        sa.Column(
            "id", sa.String, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("site", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("language", sa.String, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("note", sa.Text),
        sa.CheckConstraint("status IN ('extracted', 'skipped')", name="ck_articles_status"),
    )
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_table(
        "mentions",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column(
            "article_id",
            sa.String,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("index", sa.Integer, nullable=False),
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
        sa.UniqueConstraint("article_id", "index", name="uq_mentions_article_index"),
        sa.CheckConstraint(
            "stage IN ('accomplished', 'attempted', 'threatened')", name="ck_mentions_stage"
        ),
        sa.CheckConstraint("date_month BETWEEN 1 AND 12", name="ck_mentions_month"),
        sa.CheckConstraint("date_day BETWEEN 1 AND 31", name="ck_mentions_day"),
        sa.CheckConstraint("precision BETWEEN 1 AND 5", name="ck_mentions_precision"),
        sa.CheckConstraint("killed_min >= 0", name="ck_mentions_killed_min"),
        sa.CheckConstraint("wounded_min >= 0", name="ck_mentions_wounded_min"),
        sa.CheckConstraint("confidence BETWEEN 0 AND 1", name="ck_mentions_confidence"),
    )
    op.create_index("ix_mentions_country", "mentions", ["country"])
    op.create_index("ix_mentions_date_start", "mentions", ["date_start"])
    op.create_index("ix_mentions_killed_min", "mentions", ["killed_min"])
    op.create_index("ix_mentions_article_id", "mentions", ["article_id"])
    op.create_table(
        "mention_attack_types",
        sa.Column(
            "mention_id",
            sa.String,
            sa.ForeignKey("mentions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("attack_type", sa.String, primary_key=True),
    )
    op.create_index("ix_mention_attack_types_type", "mention_attack_types", ["attack_type"])
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "mention_id",
            sa.String,
            sa.ForeignKey("mentions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("field", sa.String, nullable=False),
        sa.Column("fact_index", sa.Integer, nullable=False),
        sa.Column("value", sa.JSON),
        sa.Column("rule", sa.String),
        sa.Column("start_char", sa.Integer, nullable=False),
        sa.Column("end_char", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("sentence_start", sa.Integer, nullable=False),
        sa.CheckConstraint("start_char <= end_char", name="ck_evidence_span"),
    )
    op.create_index("ix_evidence_mention_id", "evidence", ["mention_id"])
    op.create_table(
        "claims",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column(
            "article_id",
            sa.String,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "mention_id",
            sa.String,
            sa.ForeignKey("mentions.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("index", sa.Integer, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("speaker", sa.Text),
        sa.Column("party", sa.Text),
        sa.Column("hedged", sa.Boolean, nullable=False),
        sa.Column("rule", sa.String, nullable=False),
        sa.Column("start_char", sa.Integer, nullable=False),
        sa.Column("end_char", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("sentence_start", sa.Integer, nullable=False),
        sa.CheckConstraint(
            "kind IN ('responsibility', 'accusation', 'denial', 'warning')", name="ck_claims_kind"
        ),
    )
    op.create_index("ix_claims_article_id", "claims", ["article_id"])
    op.create_index("ix_claims_mention_id", "claims", ["mention_id"])


def downgrade() -> None:
    for table in ("claims", "evidence", "mention_attack_types", "mentions", "articles"):
        op.drop_table(table)
    op.drop_table("documents")
