"""Search and fast lists: the incidents' sort date with its indexes, and (SQLite) a full-text
index of the articles kept in step by triggers.

``incidents.sort_date`` is the day a list sorts by: the incident's first possible day, else
its article's publication date. Triggers fill it on every write, so the writers of incidents
need not know about it, and a list can walk an index instead of sorting the whole table.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SQLITE_SORT_TRIGGERS = (
    """
    CREATE TRIGGER incidents_sort_date_insert AFTER INSERT ON incidents BEGIN
        UPDATE incidents SET sort_date = coalesce(
            NEW.date_start, (SELECT published FROM articles WHERE id = NEW.article_id)
        ) WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER incidents_sort_date_update AFTER UPDATE OF date_start, article_id
    ON incidents BEGIN
        UPDATE incidents SET sort_date = coalesce(
            NEW.date_start, (SELECT published FROM articles WHERE id = NEW.article_id)
        ) WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER articles_published_sort_date AFTER UPDATE OF published ON articles BEGIN
        UPDATE incidents SET sort_date = coalesce(date_start, NEW.published)
        WHERE article_id = NEW.id;
    END
    """,
)

# A plain (not external-content) FTS5 table: external content keys on the articles' rowid,
# which VACUUM may renumber since articles has a text primary key.
SQLITE_FTS = (
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        article_id UNINDEXED, title, text, tokenize = 'porter unicode61 remove_diacritics 2'
    )
    """,
    "INSERT INTO articles_fts (article_id, title, text) "
    "SELECT id, coalesce(title, ''), text FROM articles",
    """
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (article_id, title, text)
        VALUES (NEW.id, coalesce(NEW.title, ''), NEW.text);
    END
    """,
    """
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        DELETE FROM articles_fts WHERE article_id = OLD.id;
    END
    """,
    """
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        DELETE FROM articles_fts WHERE article_id = OLD.id;
        INSERT INTO articles_fts (article_id, title, text)
        VALUES (NEW.id, coalesce(NEW.title, ''), NEW.text);
    END
    """,
)

POSTGRES_SORT_TRIGGER = (
    """
    CREATE FUNCTION incidex_incident_sort_date() RETURNS trigger AS $$
    BEGIN
        NEW.sort_date := coalesce(
            NEW.date_start, (SELECT published FROM articles WHERE id = NEW.article_id)
        );
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER incidents_sort_date BEFORE INSERT OR UPDATE OF date_start, article_id
    ON incidents FOR EACH ROW EXECUTE FUNCTION incidex_incident_sort_date()
    """,
)

# Every list leaves background incidents out, then walks one of these in order; they also
# cover the count of a whole list.
SORT_INDEXES = {
    "ix_incidents_list_date": ["background", "sort_date", "id"],
    "ix_incidents_list_killed": ["background", "killed_min", "id"],
    "ix_incidents_list_wounded": ["background", "wounded_min", "id"],
    "ix_incidents_list_country": ["background", "country", "id"],
    "ix_incidents_attribution_status": ["attribution_status"],
}


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("sort_date", sa.Date))
    for name, columns in SORT_INDEXES.items():
        op.create_index(name, "incidents", columns)
    op.execute(
        "UPDATE incidents SET sort_date = coalesce(date_start, "
        "(SELECT published FROM articles WHERE articles.id = incidents.article_id))"
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in (*SQLITE_SORT_TRIGGERS, *SQLITE_FTS):
            op.execute(statement)
    elif dialect == "postgresql":
        for statement in POSTGRES_SORT_TRIGGER:
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in (
            "articles_fts_insert",
            "articles_fts_delete",
            "articles_fts_update",
            "incidents_sort_date_insert",
            "incidents_sort_date_update",
            "articles_published_sort_date",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS incidents_sort_date ON incidents")
        op.execute("DROP FUNCTION IF EXISTS incidex_incident_sort_date()")
    for name in SORT_INDEXES:
        op.drop_index(name, "incidents")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("sort_date")
