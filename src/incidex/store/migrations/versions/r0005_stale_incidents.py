"""Stale incidents: a mark per report that joined an incident whose row (merged facts,
counts, attack types) has not been rewritten since.

A report joining a known incident writes its member row and a mark here in its own
transaction; the incident's row is rewritten once per batch (``Resolver.materialize``),
which deletes the marks it read. A crash between the two leaves the marks, and the next
``open_store`` materializes them. Marks go with their incident when it is deleted.
Downgrading drops the marks: materialize first (``Store.flush``, or close the store).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stale_incidents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "incident_id",
            sa.String,
            sa.ForeignKey("incidents.id", ondelete="CASCADE"),
            nullable=False,
        ),
    )
    op.create_index("ix_stale_incidents_incident_id", "stale_incidents", ["incident_id"])


def downgrade() -> None:
    op.drop_index("ix_stale_incidents_incident_id", "stale_incidents")
    op.drop_table("stale_incidents")
