"""Opening a store: schema creation by migration, reopening, and errors a user can act on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from incidex_store_builders import market_extraction

from incidex.errors import StoreError
from incidex.store import open_store
from incidex.store.schema import SCHEMA_REVISION, SEARCH_TABLE, head_revision, metadata

TABLES = {"documents", "articles", "mentions", "mention_attack_types", "evidence", "claims"}


def test_open_store_creates_schema_on_fresh_store(store_url: str) -> None:
    store = open_store(store_url)
    try:
        names = set(sa.inspect(store.engine).get_table_names())
        assert names >= TABLES | {"alembic_version"}
        with store.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() is not None
    finally:
        store.close()


def _not_search_table(name: str | None, type_: str, _parent: object) -> bool:
    """Return False for the full-text index and its shadow tables (not SQLAlchemy tables)."""
    return not (type_ == "table" and (name or "").startswith(SEARCH_TABLE))


def test_migrated_schema_matches_table_definitions(store_url: str) -> None:
    store = open_store(store_url)
    try:
        with store.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_name": _not_search_table})
            diff = compare_metadata(context, metadata)
        assert diff == []
    finally:
        store.close()


def test_reopen_keeps_data_and_revision(store_url: str) -> None:
    first = open_store(store_url)
    doc, ext = market_extraction()
    assert first.save(doc, ext).status == "stored"
    first.close()
    again = open_store(store_url)
    try:
        assert again.counts().incidents == 1
        assert again.has_hash(doc.content_hash)
    finally:
        again.close()


def test_sqlite_store_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "w.db"))
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert (conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) > 0
    finally:
        store.close()


def test_open_store_accepts_sqlite_url(tmp_path: Path) -> None:
    path = tmp_path / "by-url.db"
    store = open_store(f"sqlite:///{path}")
    store.close()
    assert path.is_file()


def test_open_store_uses_setting_when_no_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "from-env.db"
    monkeypatch.setenv("INCIDEX_DB", str(path))
    open_store().close()
    assert path.is_file()


def test_open_store_in_missing_readonly_location_raises_store_error() -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_store("/proc/no-such-dir/incidex.db")


def test_open_store_on_non_database_file_raises_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are notes, not a database\n" * 200)
    with pytest.raises(StoreError, match="not an incidex database"):
        open_store(str(path))


def test_open_store_on_directory_raises_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="directory"):
        open_store(str(tmp_path))


def test_open_store_on_bad_url_raises_store_error() -> None:
    with pytest.raises(StoreError):
        open_store("nosuchdriver://host/db")


def test_fresh_file_is_a_valid_sqlite_database(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    open_store(str(path)).close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()


def test_schema_revision_constant_is_newest_migration() -> None:
    assert head_revision() == SCHEMA_REVISION


def test_store_with_unknown_newer_schema_raises_store_error(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    open_store(str(path)).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00d'")
    conn.close()
    with pytest.raises(StoreError, match="does not know"):
        open_store(str(path))
