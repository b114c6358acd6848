"""A failed save leaves nothing behind; concurrent saves of one document store it once."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

import pytest
import sqlalchemy as sa
from incidex_store_builders import market_extraction, market_mention

from incidex.errors import StoreError
from incidex.store import Store, open_store
from incidex.store.schema import metadata


def total_rows(store: Store) -> int:
    with store.engine.connect() as conn:
        return sum(
            conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in metadata.sorted_tables
        )


def test_failing_second_mention_leaves_no_article_rows(store: Store) -> None:
    good = market_mention("atom")
    bad = market_mention("atom", index=1, stage="planned-but-invalid")
    doc, ext = market_extraction("atom", mentions=[good, bad])
    with pytest.raises(StoreError, match="atom"):
        store.save(doc, ext)
    assert total_rows(store) == 0
    assert not store.has_hash(doc.content_hash)
    assert store.article("atom") is None


def test_save_after_failed_save_stores_everything(store: Store) -> None:
    bad = market_mention("retry", index=0, confidence=3.5)
    doc, ext = market_extraction("retry", mentions=[bad])
    with pytest.raises(StoreError):
        store.save(doc, ext)
    doc, ext = market_extraction("retry")
    assert store.save(doc, ext).status == "stored"
    assert store.counts().incidents == 1


def _save_in_child(path: str, barrier: mp.synchronize.Barrier, queue: mp.Queue[str]) -> None:
    barrier.wait()
    store = open_store(path)
    try:
        doc, ext = market_extraction("race")
        queue.put(store.save(doc, ext).status)
    finally:
        store.close()


@pytest.mark.slow
def test_concurrent_saves_from_processes_store_document_once(tmp_path: Path) -> None:
    path = str(tmp_path / "race.db")
    ctx = mp.get_context("spawn")
    n = 4
    barrier = ctx.Barrier(n)
    queue: mp.Queue[str] = ctx.Queue()
    # Each child opens the fresh file itself, so the migration races as well.
    procs = [ctx.Process(target=_save_in_child, args=(path, barrier, queue)) for _ in range(n)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0] * n
    statuses = sorted(queue.get(timeout=5) for _ in range(n))
    assert statuses == ["duplicate"] * (n - 1) + ["stored"]
    store = open_store(path)
    try:
        c = store.counts()
        assert (c.documents, c.articles, c.incidents, c.claims) == (1, 1, 1, 3)
    finally:
        store.close()
