"""Resolution fixtures: a fresh store, and ingesting our own texts through the pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from incidex.store import Store, open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(str(tmp_path / "store.db"))
    yield s
    s.close()
