"""API fixtures: one SQLite file store filled from the demo articles (parsed once per
session) and a TestClient over the app with a known token."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from incidex import pipeline
from incidex.api import create_app
from incidex.store import Store, open_store

DEMO = Path(__file__).resolve().parents[2] / "src" / "incidex" / "demo"
TOKEN = "api-test-token-7f3a"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the path of an SQLite store holding the ingested demo articles."""
    path = tmp_path_factory.mktemp("api") / "demo.db"
    with open_store(str(path)) as store:
        summary = pipeline.ingest(store, [str(DEMO)])
    assert summary.stored == 7 and summary.failed == 0
    return path


@pytest.fixture(scope="module")
def store(demo_db: Path) -> Iterator[Store]:
    s = open_store(str(demo_db))
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store, token=TOKEN)) as c:
        yield c


@pytest.fixture
def writable(demo_db: Path, tmp_path: Path) -> Iterator[TestClient]:
    """Return a client over a private copy of the demo store (writes stay in this test)."""
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(demo_db) + suffix)
        if src.exists():
            shutil.copy(src, tmp_path / ("copy.db" + suffix))
    with TestClient(create_app(str(tmp_path / "copy.db"), token=TOKEN)) as c:
        yield c
