"""``ingest`` runs the cycle collector less often while it runs, and leaves it as it was."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from incidex import pipeline
from incidex.store import open_store

DEMO = Path(pipeline.__file__).parent / "demo"
# Not Python's own (700, 10, 10): restoring the default would not tell restored from reset.
HOST_THRESHOLDS = (1234, 5, 6)


@pytest.fixture
def host_thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(*HOST_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def test_ingest_raises_the_thresholds_while_it_runs_and_restores_them(
    host_thresholds: None, tmp_path: Path
) -> None:
    seen: list[tuple[int, ...]] = []
    with open_store(str(tmp_path / "s.db")) as store:
        summary = pipeline.ingest(
            store,
            [str(p) for p in sorted(DEMO.glob("*.txt"))],
            on_result=lambda _: seen.append(gc.get_threshold()),
        )
    assert summary.stored == len(seen) > 0
    assert set(seen) == {pipeline.BATCH_GC_THRESHOLDS}
    assert gc.get_threshold() == HOST_THRESHOLDS


def test_ingest_that_fails_still_restores_the_thresholds(
    host_thresholds: None, tmp_path: Path
) -> None:
    def fail(_: object) -> None:
        raise RuntimeError("stop")

    with open_store(str(tmp_path / "s.db")) as store, pytest.raises(RuntimeError):
        pipeline.ingest(store, [str(p) for p in sorted(DEMO.glob("*.txt"))], on_result=fail)
    assert gc.get_threshold() == HOST_THRESHOLDS


def test_overlapping_runs_keep_the_thresholds_raised_until_the_last_ends(
    host_thresholds: None,
) -> None:
    first_in, second_out = threading.Event(), threading.Event()
    during_second: list[tuple[int, ...]] = []

    def second() -> None:
        first_in.wait(timeout=30)
        with pipeline.fewer_collections():
            during_second.append(gc.get_threshold())
        second_out.set()

    thread = threading.Thread(target=second, daemon=True)
    thread.start()
    with pipeline.fewer_collections():
        first_in.set()
        assert second_out.wait(timeout=30)
        # The other run has ended; this one still runs with its thresholds.
        assert gc.get_threshold() == pipeline.BATCH_GC_THRESHOLDS
    thread.join(timeout=30)
    assert during_second == [pipeline.BATCH_GC_THRESHOLDS]
    assert gc.get_threshold() == HOST_THRESHOLDS
