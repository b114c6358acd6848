"""Store revision 0003: upgrading a filled store builds the search index and the sort dates;
the index follows the articles as they are saved and deleted."""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

import incidex.store
from incidex.store import open_store
from incidex.store.schema import articles, documents, incidents
from incidex.store.search import search_articles


def _copy(demo_db: Path, to: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(demo_db) + suffix)
        if src.exists():
            shutil.copy(src, Path(str(to) + suffix))
    return to


def test_upgrade_from_0002_fills_search_index_and_sort_dates(demo_db: Path, tmp_path: Path) -> None:
    path = _copy(demo_db, tmp_path / "old.db")
    store = open_store(str(path))
    with store.engine.begin() as conn:
        cfg = Config()
        migrations = Path(incidex.store.__file__).resolve().parent / "migrations"
        cfg.set_main_option("script_location", str(migrations))
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
        assert "articles_fts" not in sa.inspect(conn).get_table_names()
    store.close()
    store = open_store(str(path))  # migrates back to the newest revision
    try:
        assert search_articles(store.engine, "Mogadishu")
        with store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(incidents.c.sort_date, incidents.c.date_start, articles.c.published).join(
                    articles, articles.c.id == incidents.c.article_id
                )
            ).all()
        assert rows
        for sort_date, start, published in rows:
            assert sort_date == (start or published)
    finally:
        store.close()


def test_search_index_forgets_a_deleted_article(demo_db: Path, tmp_path: Path) -> None:
    store = open_store(str(_copy(demo_db, tmp_path / "del.db")))
    try:
        hit = search_articles(store.engine, "Mogadishu")[0]
        with store.engine.begin() as conn:
            conn.execute(documents.delete().where(documents.c.id == hit.id))
        assert all(h.id != hit.id for h in search_articles(store.engine, "Mogadishu"))
    finally:
        store.close()
