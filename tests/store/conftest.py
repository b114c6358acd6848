"""Store fixtures: a fresh store per test on every configured backend.

SQLite always runs; PostgreSQL runs when INCIDEX_TEST_POSTGRES_URL names a scratch
database (its public schema is emptied before each test).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from incidex.store import Store, open_store

POSTGRES_URL = os.environ.get("INCIDEX_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


def _postgres_url() -> str:
    url = POSTGRES_URL or ""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        # Migrations also create functions and triggers: start from an empty schema.
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return the URL of an empty store on one backend."""
    if request.param == "postgresql":
        return _postgres_url()
    return str(tmp_path / "store.db")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = open_store(store_url)
    yield s
    s.close()
