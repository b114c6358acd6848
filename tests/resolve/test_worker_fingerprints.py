"""Copy fingerprints computed in the extraction workers (``process_many(fingerprints=True)``)
are the ones the store would compute, and a store saving them ends up exactly as one that
fingerprints every text itself."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa
from incidex_resolve_articles import MARKET_BOMBING, RESOLVE_ARTICLES

from incidex import pipeline
from incidex.copies import Fingerprint, fingerprint
from incidex.models import Rejected
from incidex.store import open_store
from incidex.store.schema import (
    copy_fingerprints,
    copy_links,
    copy_members,
    incident_members,
    incidents,
    mention_links,
    resolution_log,
)

ARTICLES = [
    *RESOLVE_ARTICLES,
    ("wheat", "Wheat futures closed higher on Tuesday in thin trading.", "2025-03-05"),
]


@pytest.fixture(scope="module")
def processed() -> list[pipeline.Processed]:
    """Return every article extracted and fingerprinted on two worker processes."""
    docs = [pipeline.document_from_text(t, id=i, published=p) for i, t, p in ARTICLES]
    out = []
    for result in pipeline.process_many(docs, batch_size=2, workers=2, fingerprints=True):
        assert not isinstance(result, Rejected)
        out.append(result)
    return out


def _same(a: Fingerprint, b: Fingerprint) -> bool:
    return (
        a.article_id == b.article_id
        and a.published == b.published
        and np.array_equal(a.text_hashes, b.text_hashes)
        and np.array_equal(a.skeleton_hashes, b.skeleton_hashes)
        and (a.text_size, a.skeleton_size, a.anchors) == (b.text_size, b.skeleton_size, b.anchors)
        and (a.text_keys, a.skeleton_keys) == (b.text_keys, b.skeleton_keys)
    )


def test_workers_ship_the_fingerprint_of_each_text(processed: list[pipeline.Processed]) -> None:
    assert [p.document.id for p in processed] == [a[0] for a in ARTICLES]
    for p in processed:
        assert p.fingerprint is not None and p.fingerprint_cpu >= 0.0
        published = p.extraction.article.published or p.document.published
        here = fingerprint(p.document.id, p.extraction.article.text, published)
        assert _same(p.fingerprint, here)
        # A short text is looked up by its whole signature, not by bands.
        assert bool(p.fingerprint.text_keys) == (not p.fingerprint.is_short)


def test_fingerprints_only_when_asked() -> None:
    doc = pipeline.document_from_text(MARKET_BOMBING, id="mkt", published="2025-03-04")
    (result,) = pipeline.process_many([doc])
    assert isinstance(result, pipeline.Processed) and result.fingerprint is None


def _tables(items: list[pipeline.Processed], shipped: bool) -> list[str]:
    """Return the resolution tables of a fresh store that saved ``items``, with or without
    their shipped fingerprints, as sorted JSON lines (times and serial ids left out)."""
    leave_out = {"resolved_at", "at", "id"}
    tables = (
        copy_fingerprints,
        copy_links,
        copy_members,
        incidents,
        incident_members,
        mention_links,
        resolution_log,
    )
    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "s.db")) as store:
        for p in items:
            fp = p.fingerprint if shipped else None
            assert store.save(p.document, p.extraction, fp).stored
        lines = []
        with store.engine.connect() as conn:
            for table in tables:
                for row in conn.execute(sa.select(table)).mappings():
                    kept = {
                        k: v
                        for k, v in row.items()
                        if k not in leave_out or (table is incidents and k == "id")
                    }
                    lines.append(f"{table.name} {json.dumps(kept, sort_keys=True, default=str)}")
    return sorted(lines)


def test_store_with_shipped_fingerprints_is_the_same(processed: list[pipeline.Processed]) -> None:
    own = _tables(processed, shipped=False)
    assert any(line.startswith("copy_links ") for line in own)
    assert any(line.startswith("incidents ") for line in own)
    assert _tables(processed, shipped=True) == own


def test_a_fingerprint_of_another_article_is_not_used(
    processed: list[pipeline.Processed],
) -> None:
    # A caller pairing a document with the wrong fingerprint gets the right groups anyway.
    wrong = [
        pipeline.Processed(p.document, p.extraction, processed[0].fingerprint) for p in processed
    ]
    assert _tables(wrong, shipped=True) == _tables(processed, shipped=False)
