"""process_many on several processes: same results, same order, bad inputs kept in place."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from incidex import pipeline
from incidex.models import Document, Rejected

_TEXTS = [
    "Gunmen killed four guards at a fuel depot in Kano on Monday, police said.",
    "Wheat futures closed higher on Tuesday in thin trading.",
    "A car bomb exploded outside a court in Quetta on Friday, wounding nine people.",
    "Le conseil municipal a voté le budget de la ville pour l'année prochaine.",
    "Rebels attacked an army convoy near Goma on Sunday; two soldiers died.",
]


def _inputs() -> list[Document | Rejected]:
    docs: list[Document | Rejected] = [
        pipeline.document_from_text(t, id=f"t{i}") for i, t in enumerate(_TEXTS)
    ]
    docs.insert(2, Rejected("broken.txt", "file is empty"))
    return docs


def _summary(results: list[pipeline.Processed | Rejected]) -> list[Any]:
    return [
        str(r) if isinstance(r, Rejected) else (r.document.id, r.extraction.to_dict())
        for r in results
    ]


def test_two_workers_give_the_results_of_one_in_input_order() -> None:
    one = list(pipeline.process_many(_inputs(), batch_size=2))
    two = list(pipeline.process_many(_inputs(), batch_size=2, workers=2))
    assert _summary(two) == _summary(one)
    assert [r.document.id if not isinstance(r, Rejected) else None for r in two] == [
        "t0",
        "t1",
        None,
        "t2",
        "t3",
        "t4",
    ]


def test_bad_input_stays_in_place_and_the_stream_goes_on() -> None:
    results = list(pipeline.process_many(_inputs(), batch_size=2, workers=2))
    assert isinstance(results[2], Rejected) and results[2].source == "broken.txt"
    assert len(results) == len(_TEXTS) + 1


def test_on_result_sees_every_result_once_with_workers() -> None:
    seen: list[pipeline.Processed | Rejected] = []
    results = list(pipeline.process_many(_inputs(), workers=2, on_result=seen.append))
    assert seen == results


def test_gate_skips_business_news_and_keeps_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INCIDEX_GATE", "1")
    results = list(pipeline.process_many(_inputs()))
    by_id = {r.document.id: r.extraction for r in results if not isinstance(r, Rejected)}
    assert by_id["t1"].status == "skipped" and by_id["t1"].note == pipeline.GATED_NOTE
    assert by_id["t0"].status == "extracted" and by_id["t0"].mentions
    assert by_id["t2"].status == "extracted" and by_id["t2"].mentions
    assert by_id["t3"].status == "skipped" and by_id["t3"].note != pipeline.GATED_NOTE


def test_gate_off_parses_business_news(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INCIDEX_GATE", "0")
    results = list(pipeline.process_many(_inputs()))
    by_id = {r.document.id: r.extraction for r in results if not isinstance(r, Rejected)}
    assert by_id["t1"].status == "extracted" and not by_id["t1"].mentions


def test_one_process_yields_a_result_before_reading_the_whole_input() -> None:
    pulled: list[int] = []

    def inputs() -> Iterator[Document | Rejected]:
        for i in range(40):
            pulled.append(i)
            yield pipeline.document_from_text(_TEXTS[i % len(_TEXTS)], id=f"s{i}")

    stream = pipeline.process_many(inputs(), batch_size=4, workers=1)
    first = next(stream)
    assert not isinstance(first, Rejected) and first.document.id == "s0"
    # The stream reads ahead by a few batches to pick the worker count, not to the end.
    assert len(pulled) < 40


def _niceness() -> int:
    return os.nice(0)


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process niceness on this platform")
@pytest.mark.parametrize("niceness", [0, pipeline.WORKER_NICENESS])
def test_workers_run_the_asked_niceness_below_the_consumer(niceness: int) -> None:
    pool = pipeline._pool(2, niceness)
    try:
        worker = pool.submit(_niceness).result()
    finally:
        pool.shutdown()
    assert worker == min(os.nice(0) + niceness, 19)


def test_worker_batches_start_small_and_keep_every_input_in_order() -> None:
    docs = [pipeline.document_from_text(f"Text number {i}.", id=f"d{i}") for i in range(30)]
    batches = [docs[i : i + 7] for i in range(0, len(docs), 7)]
    pieces = list(pipeline._worker_batches(iter(batches), 8))
    # One full batch is held back until the stream ends; the last 14 then go out shrinking.
    assert [len(p) for p in pieces] == [1, 1, 2, 4, 8, 7, 4, 3]
    assert [d for p in pieces for d in p] == docs
    # A chunk smaller than the first sizes caps them.
    assert [len(p) for p in pipeline._worker_batches(iter(batches), 2)][:5] == [1, 1, 2, 2, 2]


def test_worker_batches_end_in_shrinking_batches_for_every_worker() -> None:
    docs = [pipeline.document_from_text(f"Text number {i}.", id=f"d{i}") for i in range(300)]
    batches = [docs[i : i + 32] for i in range(0, len(docs), 32)]
    sizes = [len(p) for p in pipeline._worker_batches(iter(batches), 32, workers=2)]
    assert sum(sizes) == 300 and max(sizes) == 32
    last_full = len(sizes) - 1 - sizes[::-1].index(32)
    tail = sizes[last_full + 1 :]
    # after the last full batch the sizes never grow, and the stream ends on small ones
    assert tail == sorted(tail, reverse=True) and len(tail) >= 4 and tail[-1] <= 4


def test_warm_up_loads_what_workers_would_each_load() -> None:
    import gc

    from incidex import gazetteer, truecase
    from incidex.extract import roles

    pipeline._warm(None, 8, True)
    gc.unfreeze()
    # The parser and gazetteer, the tagger, and the truecaser's dictionary (which only a
    # word missing from the casing table needs) are loaded before any worker is forked.
    assert gazetteer.gazetteer.cache_info().currsize == 1
    assert roles._model.cache_info().currsize == 1
    assert truecase._dictionary.cache_info().currsize == 1


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity here")
def test_a_process_bound_to_one_core_extracts_on_one_process() -> None:
    before = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, {min(before)})
        assert pipeline._usable_cores() == 1
        assert pipeline._auto_workers(batches_ahead=10) == 1
    finally:
        os.sched_setaffinity(0, before)
    assert 1 <= pipeline._usable_cores() <= len(before)


@pytest.mark.parametrize(
    ("content", "cores"),
    [("150000 100000\n", 2), ("100000 100000\n", 1), ("max 100000\n", None), ("junk", None)],
)
def test_a_cgroup_cpu_quota_counts_as_the_cores_it_pays_for(
    tmp_path: Path, content: str, cores: int | None
) -> None:
    quota = tmp_path / "cpu.max"
    quota.write_text(content)
    assert pipeline._cgroup_cpu_quota(quota) == cores
    assert pipeline._cgroup_cpu_quota(tmp_path / "missing") is None


class _NoSemaphores:
    """The named semaphores of a sandbox without a shared-memory mount: none to be had."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise OSError(38, "Function not implemented")


def test_without_worker_processes_the_work_runs_in_one_process(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import multiprocessing.synchronize

    one = list(pipeline.process_many(_inputs(), batch_size=2))
    monkeypatch.setattr(multiprocessing.synchronize, "SemLock", _NoSemaphores)
    pipeline._pools_work.cache_clear()
    try:
        # A long stream would start workers by default, and two are asked for here.
        asked = list(pipeline.process_many(_inputs(), batch_size=2, workers=2))
        auto = list(pipeline.process_many(_inputs() * 4, batch_size=1))
    finally:
        pipeline._pools_work.cache_clear()
    assert _summary(asked) == _summary(one)
    assert len(auto) == 4 * len(_inputs())
    assert "worker processes cannot start here" in caplog.text
