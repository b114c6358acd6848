"""Resolution fixtures: a fresh store, and ingesting our own texts through the pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from incidex_resolve_articles import RESOLVE_ARTICLES

from incidex import pipeline
from incidex.models import Document, Extraction, Rejected
from incidex.store import Store, open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(str(tmp_path / "store.db"))
    yield s
    s.close()


@pytest.fixture(scope="module")
def extracted() -> list[tuple[Document, Extraction]]:
    """Return every resolution article parsed once (the parse does not depend on the
    order in which they are stored)."""
    docs = [pipeline.document_from_text(t, id=i, published=p) for i, t, p in RESOLVE_ARTICLES]
    out = []
    for result in pipeline.process_many(docs):
        assert not isinstance(result, Rejected)
        out.append((result.document, result.extraction))
    return out
