"""Saving articles a batch to a transaction (``Store.save_batch``, as ``incidex ingest``
does) leaves every table as saving them one by one does: same copy groups and links, same
incidents, members, mention links and log."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from incidex_resolve_articles import RESOLVE_ARTICLES as ARTICLES

from incidex import pipeline
from incidex.copies import fingerprint
from incidex.models import Document, Extraction, Rejected
from incidex.store import Store, open_store
from incidex.store.schema import metadata

# Written at the time of writing, which differs between two runs.
_CLOCK_COLUMNS = {"stored_at", "resolved_at", "at"}

Item = tuple[Document, Extraction]


def _tables(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of every table (the clock columns left out), sorted."""
    store.flush()
    out = {}
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            columns = [c for c in table.c if c.name not in _CLOCK_COLUMNS]
            rows = conn.execute(sa.select(*columns)).all()
            out[table.name] = sorted((tuple(map(repr, r)) for r in rows), key=str)
    return out


def _one_by_one(items: list[Item]) -> dict[str, list[tuple[Any, ...]]]:
    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "s.db")) as store:
        for document, extraction in items:
            assert store.save(document, extraction).stored
        return _tables(store)


def _in_batches(items: list[Item], size: int) -> dict[str, list[tuple[Any, ...]]]:
    """Return the tables after saving ``items`` ``size`` to a transaction; fail when a
    batch was saved document by document instead (which would write the same rows)."""
    with (
        tempfile.TemporaryDirectory() as tmp,
        open_store(str(Path(tmp) / "s.db")) as store,
        _warnings("incidex.store") as warned,
    ):
        for start in range(0, len(items), size):
            batch = [
                (d, e, fingerprint(d.id, e.article.text, e.published(d)))
                for d, e in items[start : start + size]
            ]
            assert all(r.stored for r in store.save_batch(batch))
        assert not warned, warned
        return _tables(store)


@contextmanager
def _warnings(name: str) -> Iterator[list[str]]:
    """Collect the warnings logged under ``name`` meanwhile."""
    found: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                found.append(record.getMessage())

    handler, logger = Collect(), logging.getLogger(name)
    logger.addHandler(handler)
    try:
        yield found
    finally:
        logger.removeHandler(handler)


@pytest.mark.parametrize("latest_first", [False, True])
def test_batches_of_any_size_write_the_rows_of_one_by_one(
    extracted: list[Item], latest_first: bool
) -> None:
    items = extracted[::-1] if latest_first else extracted
    expected = _one_by_one(items)
    assert len(expected["incidents"]) >= 3 and expected["copy_links"]
    assert expected["mention_links"]
    # Reports that come before their incident's lead move its members (and log it).
    assert bool(expected["resolution_log"]) == latest_first
    for size in (2, 3, len(items)):
        assert _in_batches(items, size) == expected, size


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(order=st.permutations(range(len(ARTICLES))), size=st.integers(2, 6))
def test_batches_in_any_order_write_the_rows_of_one_by_one(
    extracted: list[Item], order: list[int], size: int
) -> None:
    shuffled = [extracted[i] for i in order]
    assert _in_batches(shuffled, size) == _one_by_one(shuffled)


def test_ingest_stores_a_batch_to_a_transaction(extracted: list[Item], tmp_path: Path) -> None:
    """``save_processed`` hands ``ingest``'s results to the store in batches, in order,
    and yields each with how it was saved; a rejected input goes by unsaved."""
    calls: list[list[str]] = []
    rejected = Rejected("test:broken", "not an article")
    with open_store(str(tmp_path / "s.db")) as store:

        def save_batch(items: list[tuple[Document, Extraction, Any]]) -> Any:
            calls.append([d.id for d, _, _ in items])
            return store.save_batch(items)

        stream: list[pipeline.Processed | Rejected] = [
            pipeline.Processed(d, e) for d, e in extracted
        ]
        stream.insert(2, rejected)
        out = list(pipeline.save_processed(save_batch, stream, batch=4))
        got = _tables(store)
    ids = [d.id for d, _ in extracted]
    assert calls == [ids[i : i + 4] for i in range(0, len(ids), 4)]
    # The rejected input goes by as it comes, before the batch it arrived in is saved.
    assert [(r, s) for r, s in out if isinstance(r, Rejected)] == [(rejected, None)]
    assert [r.document.id for r, _ in out if not isinstance(r, Rejected)] == ids
    assert all(s is not None and s.stored for r, s in out if r is not rejected)
    assert got == _one_by_one(extracted)


def test_a_result_that_waited_long_enough_is_saved_without_the_rest(
    extracted: list[Item], tmp_path: Path
) -> None:
    """With no time to wait, each result is saved as it comes (slow inputs such as fetched
    URLs are not held back for a full batch)."""
    calls: list[list[str]] = []
    with open_store(str(tmp_path / "s.db")) as store:

        def save_batch(items: list[tuple[Document, Extraction, Any]]) -> Any:
            calls.append([d.id for d, _, _ in items])
            return store.save_batch(items)

        stream = [pipeline.Processed(d, e) for d, e in extracted[:3]]
        out = list(pipeline.save_processed(save_batch, stream, batch=32, wait=0.0))
    assert calls == [[d.id] for d, _ in extracted[:3]]
    assert all(s is not None and s.stored for _, s in out)
