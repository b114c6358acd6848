"""Mention links stored once per pair: the row whose ``mention_id`` is the smaller id, with
an index on ``other_id`` so the links of a mention are found from either side.

Resolution wrote every link in both directions, doubling the rows (and their reasons)
written for each article. A pair stored only in its larger-first direction is turned
around before the larger-first rows go.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TURN_LONE_ROWS = """
    INSERT INTO mention_links (mention_id, other_id, score, reasons)
    SELECT l.other_id, l.mention_id, l.score, l.reasons FROM mention_links l
    WHERE l.mention_id > l.other_id AND NOT EXISTS (
        SELECT 1 FROM mention_links k WHERE k.mention_id = l.other_id AND k.other_id = l.mention_id
    )
"""
DROP_MIRRORS = "DELETE FROM mention_links WHERE mention_id > other_id"
ADD_MIRRORS = """
    INSERT INTO mention_links (mention_id, other_id, score, reasons)
    SELECT other_id, mention_id, score, reasons FROM mention_links WHERE mention_id < other_id
"""


def upgrade() -> None:
    op.execute(TURN_LONE_ROWS)
    op.execute(DROP_MIRRORS)
    op.create_index("ix_mention_links_other_id", "mention_links", ["other_id"])


def downgrade() -> None:
    op.drop_index("ix_mention_links_other_id", "mention_links")
    op.execute(ADD_MIRRORS)
