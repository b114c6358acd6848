"""Export fixtures: a store on a real SQLite file holding hand-built incidents."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The hand-built documents live beside the store tests; share them instead of copying.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))

from incidex_store_builders import bridge_extraction, market_extraction

from incidex.store import Store, open_store


@pytest.fixture
def filled_store(tmp_path: Path) -> Iterator[Store]:
    """Return a store with the market shooting (KE) and the bridge bombing (UA)."""
    store = open_store(str(tmp_path / "export.db"))
    assert store.save(*market_extraction("mkt")).stored
    assert store.save(*bridge_extraction("brg")).stored
    yield store
    store.close()
