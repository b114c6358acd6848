"""The orchestrator: Document -> Article -> parse -> Extraction, one document or a stream.

Policy lives here and nowhere else: which documents are parsed (English ones with text in
which the relevance gate finds a word of an attack), how many are parsed together (spaCy
batches), on how many processes, and what happens when one document fails (it becomes a
``Rejected`` value naming the input; the stream goes on, in input order).
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache, partial
from itertools import chain, islice, repeat
from pathlib import Path
from typing import TYPE_CHECKING

from . import annotate, clean, gate, gazetteer
from .config import settings
from .errors import IncidexError, InputError
from .extract import extract as extract_article
from .ingest import documents_from_bytes, looks_like_html
from .ingest import read as read_sources
from .ingest.documents import keyed_hash
from .models import Article, Document, Extraction, Rejected

if TYPE_CHECKING:
    # Only types here: importing the store pulls in SQLAlchemy, and the copy fingerprints
    # datasketch, which `extract` never needs.
    from .copies import Fingerprint
    from .store import SaveResult, Store

    # Saves documents together (``Store.save_batch``): returns how each was saved.
    BatchSaver = Callable[[list[tuple[Document, Extraction, Fingerprint | None]]], list[SaveResult]]

__all__ = [
    "IngestSummary",
    "Processed",
    "document_from_text",
    "extract",
    "extract_document",
    "fewer_collections",
    "ingest",
    "process_many",
    "save_processed",
]


@dataclass(frozen=True, slots=True)
class Processed:
    """A document and what was extracted from it; with, when the stream was asked for
    them (``process_many(fingerprints=True)``), the copy fingerprint of its text and the
    CPU seconds that fingerprint took in the process that extracted it."""

    document: Document
    extraction: Extraction
    fingerprint: Fingerprint | None = None
    fingerprint_cpu: float = 0.0


def document_from_text(
    content: str | bytes,
    *,
    source: str = "<text>",
    id: str | None = None,
    published: dt.date | str | None = None,
    url: str | None = None,
    title: str | None = None,
) -> Document:
    """Return a Document for text or bytes given directly (not read from a file); raises
    InputError when they are not usable text (binary, empty). As for a JSON line, a given
    ``id`` is part of the content hash: two outlets' identical texts under their own ids
    are two documents, and the same id with the same text is one."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if isinstance(published, str):
        try:
            published = dt.date.fromisoformat(published[:10])
        except ValueError as err:
            raise InputError(source, f"published date {published!r} is not YYYY-MM-DD") from err
    sample = data[:4096].decode("utf-8", errors="ignore")
    kind = "html" if looks_like_html(sample) else "text"
    item = next(documents_from_bytes(data, source, kind=kind))
    if isinstance(item, Rejected):
        raise InputError(item.source, item.reason)
    digest = item.content_hash if id is None else keyed_hash(id, item.raw)
    return replace(
        item, id=id or item.id, content_hash=digest, published=published, url=url, title=title
    )


log = logging.getLogger(__name__)

GATED_NOTE = "no word of an attack in the text: not parsed"
# A stream of at least this many batches is worth starting worker processes for.
_PARALLEL_AFTER = 3
# One worker per core this process may use (more only thrash), up to this many: each holds
# 100-200 MB of its own beside what it shares with the others.
_MAX_AUTO_WORKERS = 8
# Documents per batch handed to a worker process, parsed as one spaCy batch: spaCy's
# per-batch work costs less per document in larger batches (200 MUC-4 dev messages, parse
# CPU at batch 8 against 32: 7.7, 8.2, 8.0 s against 6.8 s; the same parses at 1, 8, 32, 64).
_WORKER_BATCH = 32
# The first batches handed to workers hold this many documents, then the full batch: the
# first result comes after one document's work rather than a whole batch's.
_FIRST_WORKER_BATCHES = (1, 1, 2, 4, 8, 16)
# The last documents of a stream go out in batches that shrink toward its end, so that no
# worker is left parsing a full batch while the others idle: one full batch per worker is
# held back until the stream's end is known, and tail batches hold at least this many.
_MIN_TAIL_BATCH = 4
# Batches queued per worker. Results are yielded in input order, so a slow batch at the
# head holds back submissions; with 2 a worker idled behind it (mixed corpus of 2,000, two
# workers, alternating runs: 19.3, 19.4 s at 2 against 16.1, 18.1 s at 8). 128 documents
# in flight cost little memory.
_IN_FLIGHT_PER_WORKER = 8
# Workers run this much below a process that consumes their results with work of its own
# (a store saving and resolving each one, one at a time). With both cores taken by workers
# the consumer waited for a core while they filled their queues and then waited for it;
# lowered, they yield the core whenever the consumer has work and keep both cores when it
# has none. At +5 the consumer still ran 1.3x slower than its CPU time (1,000 generated
# articles, grouping wall/CPU 1.32 at +5, 1.13 at +10, 1.03-1.04 at +19, total wall no
# worse), so workers take the lowest priority: batch ingest yields to everything
# interactive. Extraction alone (`incidex extract`) keeps its workers at the caller's
# priority: its consumer only writes, and at +19 beside three busy processes 200 wire
# messages took 72 s, against 15 s on an idle machine.
WORKER_NICENESS = 19


def _skipped(article: Article, gated: bool) -> Extraction | None:
    """Return the Extraction of an article that is not parsed (not English, or turned away
    by the relevance gate when ``gated``), or None when it must be parsed."""
    if article.language != "en":
        return Extraction(
            article=article,
            status="skipped",
            note=f"language is {article.language!r}, not English: stored, not extracted",
        )
    if gated and not gate.may_report_incident(article):
        return Extraction(article=article, status="skipped", note=GATED_NOTE)
    return None


def extract_document(document: Document, model: str | None = None) -> Extraction:
    """Return the Extraction of one document; raises InputError when it has no usable text."""
    article = clean.clean(document)
    skipped = _skipped(article, settings().gate)
    if skipped is not None:
        return skipped
    gazetteer.build_cache_in_background()
    return extract_article(article, annotate.annotate(article, model))


def extract(
    text: str | bytes,
    *,
    published: dt.date | str | None = None,
    url: str | None = None,
    title: str | None = None,
    id: str | None = None,
) -> Extraction:
    """Return what one article (plain text or HTML) reports: incidents and claims with
    their evidence. Nothing is stored. Raises InputError when the text is unusable."""
    document = document_from_text(text, id=id, published=published, url=url, title=title)
    return extract_document(document)


def _clean_batch(
    items: list[Document | Rejected],
) -> Iterator[tuple[Document, Article] | Rejected]:
    for item in items:
        if isinstance(item, Rejected):
            yield item
            continue
        try:
            yield item, clean.clean(item)
        except IncidexError as err:
            yield Rejected(item.source, getattr(err, "reason", str(err)))


def _extract_batch(
    cleaned: list[tuple[Document, Article] | Rejected],
    model: str | None,
    batch_size: int,
    gated: bool,
    fingerprints: bool = False,
) -> Iterator[Processed | Rejected]:
    skipped = {id(c[1]): _skipped(c[1], gated) for c in cleaned if not isinstance(c, Rejected)}
    # The batch's fingerprints one after another, before the parser runs: each one finds
    # the tables and code the others used in the processor's caches, which parsing and
    # extracting in between would have evicted.
    prints = _fingerprints(cleaned) if fingerprints else {}
    to_parse = [a for _, a in (c for c in cleaned if not isinstance(c, Rejected))]
    to_parse = [a for a in to_parse if skipped[id(a)] is None]
    if to_parse:
        gazetteer.build_cache_in_background()
    # Parses come in input order and are taken one by one, so each result is yielded as soon
    # as its spaCy batch is done rather than after the whole batch of inputs.
    docs = iter(annotate.annotate_many(to_parse, model, batch_size))
    for item in cleaned:
        if isinstance(item, Rejected):
            yield item
            continue
        document, article = item
        done = skipped[id(article)]
        if done is None:
            parsed = next(docs)
            try:
                done = extract_article(article, parsed)
            except Exception as err:
                yield Rejected(document.source, f"extraction failed ({type(err).__name__}: {err})")
                continue
        yield Processed(document, done, *prints.get(id(article), (None, 0.0)))


def _fingerprints(
    cleaned: list[tuple[Document, Article] | Rejected],
) -> dict[int, tuple[Fingerprint, float]]:
    """Return, by the id of each cleaned article, the copy fingerprint of its text as the
    store would compute it (same id and publication date) and the CPU seconds it took.
    Computed beside the extraction, on a worker when there are workers: it depends on the
    text alone, and the process that saves then only looks it up."""
    from .copies import fingerprint  # datasketch costs half a second to import: only here

    out: dict[int, tuple[Fingerprint, float]] = {}
    for item in cleaned:
        if isinstance(item, Rejected):
            continue
        document, article = item
        # This thread's CPU alone: the process's would count any other thread's meanwhile.
        start = time.thread_time()
        try:
            fp = fingerprint(document.id, article.text, article.published_date(document))
        except Exception:
            # The extraction stands; the store computes the fingerprint again and reports a
            # failure there, for this document alone, as it does without workers.
            continue
        out[id(article)] = (fp, time.thread_time() - start)
    return out


def _process_batch(
    batch: list[Document | Rejected],
    model: str | None,
    batch_size: int,
    gated: bool,
    fingerprints: bool = False,
) -> list[Processed | Rejected]:
    """Return the results of one batch of inputs, in order."""
    cleaned = list(_clean_batch(batch))
    return list(_extract_batch(cleaned, model, batch_size, gated, fingerprints))


# What a worker sends back for a document: its extraction, fingerprint and fingerprint CPU.
_WorkerResult = tuple[Extraction, "Fingerprint | None", float]


def _worker_batch(
    batch: list[Document | Rejected],
    model: str | None,
    batch_size: int,
    gated: bool,
    fingerprints: bool = False,
) -> list[_WorkerResult | Rejected]:
    """Return the results of one batch computed in a worker process, without the documents
    (the parent holds them: sending their bytes back would only cost time)."""
    return [
        (r.extraction, r.fingerprint, r.fingerprint_cpu) if isinstance(r, Processed) else r
        for r in _process_batch(batch, model, batch_size, gated, fingerprints)
    ]


def _with_documents(
    batch: list[Document | Rejected], results: list[_WorkerResult | Rejected]
) -> list[Processed | Rejected]:
    """Return a worker's results with each extraction joined again to its document."""
    return [_joined(item, r) for item, r in zip(batch, results, strict=True)]


def _joined(item: Document | Rejected, result: _WorkerResult | Rejected) -> Processed | Rejected:
    if isinstance(result, Rejected):
        return result
    if isinstance(item, Rejected):
        return item
    return Processed(item, *result)


def _batches(
    items: Iterable[Document | Rejected], size: int
) -> Iterator[list[Document | Rejected]]:
    stream = iter(items)
    while batch := list(islice(stream, size)):
        yield batch


def process_many(
    items: Iterable[Document | Rejected],
    *,
    model: str | None = None,
    batch_size: int | None = None,
    on_result: Callable[[Processed | Rejected], None] | None = None,
    workers: int | None = None,
    worker_niceness: int = 0,
    fingerprints: bool = False,
) -> Iterator[Processed | Rejected]:
    """Yield, in input order, a Processed for every document and a Rejected for every
    input that could not be used; one bad document never stops the stream. ``workers``
    above 1 parses and extracts on that many processes (the input is still read here),
    run ``worker_niceness`` below this one's priority; None picks one per usable core (up
    to eight) for streams longer than a few batches read from the main thread of a program
    without other busy threads, else one. ``fingerprints`` adds each text's copy fingerprint,
    computed where it was extracted, for a store to save it with."""
    size = batch_size or settings().batch_size
    gated = settings().gate
    batches = _batches(items, size)
    head = list(islice(batches, _PARALLEL_AFTER))
    count = _auto_workers(len(head)) if workers is None else workers
    batches = chain(head, batches)
    if count > 1 and not _pools_work():
        count = 1
    if count > 1:
        # Smaller batches keep both workers busy to the end of a short stream.
        chunk = max(1, min(size, _WORKER_BATCH))
        results = _in_workers(
            _worker_batches(batches, chunk, count),
            model,
            chunk,
            gated,
            count,
            worker_niceness,
            fingerprints,
        )
    else:
        if len(head) >= _PARALLEL_AFTER:
            # A long stream almost surely holds a text whose language only the identifier
            # tells: its model loads beside the first batches instead of stopping one.
            clean.load_identifier_in_background()
        results = (
            r
            for b in batches
            for r in _extract_batch(list(_clean_batch(b)), model, size, gated, fingerprints)
        )
    for result in results:
        if on_result is not None:
            on_result(result)
        yield result


def _worker_batches(
    batches: Iterable[list[Document | Rejected]], chunk: int, workers: int = 1
) -> Iterator[list[Document | Rejected]]:
    """Yield the inputs of ``batches`` again, in order, in batches of ``chunk`` documents,
    the first few smaller (``_FIRST_WORKER_BATCHES``) and the last ones shrinking so that
    ``workers`` processes finish together."""
    sizes = chain((min(n, chunk) for n in _FIRST_WORKER_BATCHES), repeat(chunk))
    held_back = chunk * workers
    pending: list[Document | Rejected] = []
    size = next(sizes)
    for batch in batches:
        pending.extend(batch)
        while len(pending) >= size + held_back:
            yield pending[:size]
            del pending[:size]
            size = next(sizes)
    yield from _tail_batches(pending, size, workers)


def _tail_batches(
    pending: list[Document | Rejected], size: int, workers: int
) -> Iterator[list[Document | Rejected]]:
    """Yield the last inputs of a stream in batches of at most ``size`` that shrink as the
    stream ends: each takes a share of what is left, so the final ones are small."""
    while pending:
        share = -(-len(pending) // (2 * workers))
        n = min(size, max(_MIN_TAIL_BATCH, share))
        yield pending[:n]
        del pending[:n]


def _auto_workers(batches_ahead: int) -> int:
    """Return how many processes to use by default: one per usable core (up to
    ``_MAX_AUTO_WORKERS``) when the stream holds more than a few batches and this is the
    main thread of a program whose other threads (a progress display) are daemons, else
    one. A server's request threads never fork: forking beside busy threads can copy a
    held lock."""
    cores = min(_usable_cores(), _MAX_AUTO_WORKERS)
    if batches_ahead < _PARALLEL_AFTER or cores < 2:
        return 1
    main = threading.main_thread()
    if threading.current_thread() is not main:
        return 1
    others = [t for t in threading.enumerate() if t is not main]
    return cores if all(t.daemon for t in others) else 1


def _usable_cores() -> int:
    """Return how many cores this process can keep busy: those it may run on, fewer when
    a container's CPU quota (cgroup v2 ``cpu.max``) allows less."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # platforms without affinity
        cores = os.cpu_count() or 1
    quota = _cgroup_cpu_quota()
    return max(1, min(cores, quota)) if quota else cores


def _cgroup_cpu_quota(path: Path = Path("/sys/fs/cgroup/cpu.max")) -> int | None:
    """Return the cores a cgroup v2 CPU quota amounts to (rounded up), None without one."""
    try:
        limit, period = path.read_text().split()[:2]
        return -(-int(limit) // int(period)) if limit != "max" else None
    except (OSError, ValueError):
        return None


# Run once before forking workers so that every model, table and pattern the stages load
# lazily (parser, gazetteer, casing table, compiled patterns) is loaded
# once and shared by the workers instead of loaded by each.
# They are plain English prose of 20 words or more, which clean.detect_language recognises
# without its identifier. "DYNAMITED" is a word the casing table lacks: the truecaser then
# loads the dictionary it looks such words up in.
_WARM_UP = (
    "Gunmen killed two guards at a depot in Kano on Monday, police said, and the army said "
    "that it was the work of a group that has attacked the town before.",
    "GUNMEN KILLED TWO GUARDS AT A DEPOT IN SAN SALVADOR ON MONDAY, POLICE SAID, AND THE ARMY "
    "SAID THAT IT WAS THE WORK OF A GROUP THAT HAS DYNAMITED THE TOWN BEFORE.",
)


def _warm(model: str | None, size: int, gated: bool) -> None:
    """Run the whole pipeline on two short texts (mixed and upper case), loading what
    every document needs before workers are forked."""
    samples: list[Document | Rejected] = [
        document_from_text(text, id=f"warm-up-{i}") for i, text in enumerate(_WARM_UP)
    ]
    # The language identifier (needed by most long streams) loads beside the warm-up: its
    # model's decompression runs on another core. Joined before the workers are forked.
    loader = clean.load_identifier_in_background()
    _process_batch(samples, model, size, gated)
    if loader is not None:
        loader.join()
    # Out of the collector's sight: a collection in a worker would otherwise walk (and so
    # copy, page by page) every object the workers share with this process.
    gc.freeze()


def _lower_priority(niceness: int) -> None:
    """Lower this worker process's scheduling priority by ``niceness`` (where the platform
    has niceness)."""
    if niceness and hasattr(os, "nice"):
        os.nice(niceness)


def _pool_context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    # Forked workers inherit the loaded model and gazetteer; spawned ones would reload them.
    return multiprocessing.get_context("fork" if "fork" in methods else None)


@cache
def _pools_work() -> bool:
    """Return whether worker processes can be started here. A process pool needs the
    system's named semaphores, which containers and sandboxes without a shared-memory
    mount lack: there the work runs in this one process instead of failing."""
    try:
        _pool_context().Lock()
    except (OSError, ImportError, NotImplementedError) as err:
        log.warning("worker processes cannot start here (%s); working in one process", err)
        return False
    return True


def _pool(workers: int, niceness: int = 0) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_pool_context(),
        initializer=_lower_priority,
        initargs=(niceness,),
    )


def _in_workers(
    batches: Iterator[list[Document | Rejected]],
    model: str | None,
    size: int,
    gated: bool,
    workers: int,
    niceness: int,
    fingerprints: bool = False,
) -> Iterator[Processed | Rejected]:
    """Yield the results of every batch, in order, computed on ``workers`` processes (run
    ``niceness`` below this one) with at most ``_IN_FLIGHT_PER_WORKER`` batches per worker
    in flight. A batch whose worker dies (a crash in native code) becomes one Rejected per
    input, and a fresh pool takes the rest."""
    _warm(model, size, gated)
    new_pool = partial(_pool, workers, niceness)
    run = partial(
        _worker_batch, model=model, batch_size=size, gated=gated, fingerprints=fingerprints
    )
    pool = new_pool()
    pending: deque[tuple[list[Document | Rejected], Future[list[_WorkerResult | Rejected]]]]
    pending = deque()
    try:
        for batch in batches:
            pending.append((batch, pool.submit(run, batch)))
            while len(pending) > _IN_FLIGHT_PER_WORKER * workers:
                results, pool = _collect(pending, pool, new_pool, run)
                yield from results
        while pending:
            results, pool = _collect(pending, pool, new_pool, run)
            yield from results
    finally:
        pool.shutdown(cancel_futures=True)


def _collect(
    pending: deque[tuple[list[Document | Rejected], Future[list[_WorkerResult | Rejected]]]],
    pool: ProcessPoolExecutor,
    new_pool: Callable[[], ProcessPoolExecutor],
    run: Callable[[list[Document | Rejected]], list[_WorkerResult | Rejected]],
) -> tuple[list[Processed | Rejected], ProcessPoolExecutor]:
    """Return the results of the oldest pending batch and the pool to go on with. When a
    worker died every pending batch fails, so the oldest is run again alone on a fresh pool
    (its inputs are Rejected if that dies too) and the others are resubmitted."""
    batch, future = pending.popleft()
    try:
        return _with_documents(batch, future.result()), pool
    except BrokenProcessPool:
        pool.shutdown(cancel_futures=True)
    pool = new_pool()
    try:
        results = _with_documents(batch, pool.submit(run, batch).result())
    except BrokenProcessPool:
        pool.shutdown(cancel_futures=True)
        pool = new_pool()
        results = [_crashed(item) for item in batch]
    for i, (other, _) in enumerate(pending):
        pending[i] = (other, pool.submit(run, other))
    return results, pool


def _crashed(item: Document | Rejected) -> Rejected:
    if isinstance(item, Rejected):
        return item
    return Rejected(item.source, "processing crashed (the worker process died)")


@dataclass(slots=True)
class IngestSummary:
    """What one ingest run did, for the one-line report at its end."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    conflicts: int = 0
    failed: int = 0
    incidents: int = 0
    skipped_language: int = 0

    def sentence(self) -> str:
        """Return the summary as one sentence."""
        parts = [
            f"{self.read} document(s) read",
            f"{self.stored} stored",
            f"{self.duplicates} skipped as duplicates",
            f"{self.failed} failed",
        ]
        if self.conflicts:
            parts.append(f"{self.conflicts} refused (id already used by other content)")
        if self.skipped_language:
            parts.append(f"{self.skipped_language} not English (stored, not extracted)")
        return ", ".join(parts) + f"; {self.incidents} incident(s) found."


# ``ingest`` stores its articles this many to a transaction (``Store.save_batch``), or fewer
# when the first of them has waited this long for the rest (slow inputs, such as fetched
# URLs, are stored about as they come). 32 to a transaction took the main process a third
# less CPU on the 10k bench articles than one; 128 saved little more.
SAVE_BATCH = 32
SAVE_WAIT_SECONDS = 2.0


def save_processed(
    save_batch: BatchSaver,
    results: Iterable[Processed | Rejected],
    batch: int = SAVE_BATCH,
    wait: float = SAVE_WAIT_SECONDS,
) -> Iterator[tuple[Processed | Rejected, SaveResult | None]]:
    """Yield each of ``results`` with how ``save_batch`` saved it (None for a rejected
    input, yielded as it comes), saving them ``batch`` at a time, or fewer when one comes
    ``wait`` seconds or more after the first of those waiting."""
    pending: list[Processed] = []
    first = 0.0
    for result in results:
        if isinstance(result, Rejected):
            yield result, None
            continue
        if not pending:
            first = time.monotonic()
        pending.append(result)
        if len(pending) >= batch or time.monotonic() - first >= wait:
            yield from _saved(save_batch, pending)
            pending = []
    yield from _saved(save_batch, pending)


def _saved(
    save_batch: BatchSaver, pending: list[Processed]
) -> Iterator[tuple[Processed, SaveResult]]:
    if pending:
        saved = save_batch([(p.document, p.extraction, p.fingerprint) for p in pending])
        yield from zip(pending, saved, strict=True)


def ingest(
    store: Store,
    sources: Iterable[str],
    *,
    model: str | None = None,
    on_result: Callable[[Processed | Rejected], None] | None = None,
) -> IngestSummary:
    """Read, extract and store every input; return what happened. Documents already in
    the store (same content hash) are not parsed again."""
    summary = IngestSummary()

    def fresh() -> Iterator[Document | Rejected]:
        for item in read_sources(sources, max_bytes=settings().max_bytes):
            summary.read += 1
            if isinstance(item, Document) and store.has_hash(item.content_hash):
                summary.duplicates += 1
                continue
            yield item

    with fewer_collections():
        stream = process_many(
            fresh(),
            model=model,
            on_result=on_result,
            worker_niceness=WORKER_NICENESS,
            fingerprints=True,
        )
        for result, saved in save_processed(store.save_batch, stream):
            _count_saved(summary, result, saved, on_result)
        # The incidents the last batch of reports joined are rewritten now, not at close.
        store.flush()
    return summary


def _count_saved(
    summary: IngestSummary,
    result: Processed | Rejected,
    saved: SaveResult | None,
    on_result: Callable[[Processed | Rejected], None] | None,
) -> None:
    """Add to ``summary`` what became of one input of ``ingest``."""
    if isinstance(result, Rejected) or saved is None:
        summary.failed += 1
    elif saved.status == "duplicate":
        summary.duplicates += 1
    elif saved.status == "conflict":
        summary.conflicts += 1
        summary.failed += 1
        if on_result is not None:
            on_result(Rejected(result.document.source, saved.message or "id conflict"))
    else:
        summary.stored += 1
        summary.incidents += sum(not m.background for m in result.extraction.mentions)
        summary.skipped_language += result.extraction.article.language != "en"


# The cycle collector's thresholds while ``ingest`` runs (``fewer_collections``); Python's
# are (700, 10, 10).
BATCH_GC_THRESHOLDS = (50_000, 20, 20)
_gc_lock = threading.Lock()
_gc_runs = 0
_gc_before = gc.get_threshold()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cycle collector less often until the block ends (``BATCH_GC_THRESHOLDS``),
    then as before. A batch run keeps alive what the store's resolver has seen (every
    mention, tally and copy band), and at Python's thresholds the collector went over it
    again and again: the 10k bench articles saved in batches of 32 spent 0.38 s CPU in
    collections at Python's thresholds, 0.16 s at these, and grouping and resolution
    took 4.03 s CPU against 3.80 (two runs each, alternated). Young objects are still
    collected every 50,000 allocations. Blocks run at once (threads) keep the thresholds
    raised until the last one ends."""
    global _gc_runs, _gc_before
    with _gc_lock:
        if _gc_runs == 0:
            _gc_before = gc.get_threshold()
            gc.set_threshold(*BATCH_GC_THRESHOLDS)
        _gc_runs += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_runs -= 1
            if _gc_runs == 0:
                gc.set_threshold(*_gc_before)
