"""Resolution benchmark: ingest generated articles (bench/generate.py) into a fresh store and
report the share of pipeline time spent grouping copies and resolving incidents (of the wall
time, and of the CPU time of the main process and the extraction workers), how that
per-article cost grows with the store, and pairwise precision/recall/F1 of the incidents
against the generator's truth.

As `incidex ingest` does, each text's copy fingerprint is computed in the extraction worker
beside its extraction: that is grouping time too. The worker measures its CPU per document;
``share`` counts it at its wall-clock cost on the parallel workers (its CPU over the number
of workers), ``share_conservative`` in full, as if it ran in the main process.

Those shares divide time the main process spent grouping by the run's wall time; but while
it groups, the workers go on extracting on the other cores, so they are not what grouping
adds to the pipeline's time. ``added_share`` measures that directly: the same articles are
ingested a second time into a fresh store by the same pipeline with grouping and resolution
left out (each article's document, extraction and mention rows written as before, no copy
fingerprints, no incidents), and the share is the wall time the full run took beyond that
one, over the full run's; ``added_cpu_share`` the same in CPU seconds of the main process
and the workers, which the machine's load skews less. Both runs start with the models
loaded (a short untimed run first) and the one without grouping goes second, so any
warm-up it still gains counts against grouping.

    .venv/bin/python bench/resolution.py 1000 10000 [--extra-sentences 10] [--repeat 3]

``--extra-sentences`` lengthens the generated reports (``generate.py``: about 120 words by
default, about 280 with 10) to show the shares at the length of real web articles.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate

from incidex import native, pipeline
from incidex.models import Rejected
from incidex.store import Store, open_store, write
from incidex.store.schema import incident_members, incidents, mentions


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def predicted_incident(store: Store) -> dict[str, str]:
    """Return, per article, the foreground incident holding its first foreground mention."""
    stmt = (
        sa.select(mentions.c.article_id, incident_members.c.incident_id)
        .join(incident_members, incident_members.c.mention_id == mentions.c.id)
        .join(incidents, incidents.c.id == incident_members.c.incident_id)
        .where(mentions.c.background == sa.false())
        .order_by(mentions.c.article_id, mentions.c.index)
    )
    out: dict[str, str] = {}
    with store.engine.connect() as conn:
        for article_id, incident_id in conn.execute(stmt):
            out.setdefault(article_id, incident_id)
    return out


def pairwise(truth: dict[str, str | None], predicted: dict[str, str]) -> dict[str, float]:
    """Return pairwise precision, recall and F1 over all article pairs; articles without
    an attack (truth None) or without an incident are singletons on their side."""
    t = {a: v or f"none:{a}" for a, v in truth.items()}
    p = {a: predicted.get(a) or f"none:{a}" for a in truth}
    same_both = sum(_pairs(n) for n in Counter((t[a], p[a]) for a in truth).values())
    same_truth = sum(_pairs(n) for n in Counter(t.values()).values())
    same_pred = sum(_pairs(n) for n in Counter(p.values()).values())
    precision = same_both / same_pred if same_pred else 1.0
    recall = same_both / same_truth if same_truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _cpu_seconds() -> tuple[float, float]:
    """Return the user+system CPU seconds of this process and of its waited-for children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _ingest_without_grouping(docs: list[Any]) -> tuple[float, float]:
    """Return the wall and CPU seconds (this process and its workers) of ingesting ``docs``
    into a fresh store as ``run`` does, with no copy fingerprints and no grouping or
    resolution: only each article's own rows."""
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "plain.db"))
        start = time.perf_counter()
        cpu_start = sum(_cpu_seconds())
        with pipeline.fewer_collections():
            stream = pipeline.process_many(docs, worker_niceness=pipeline.WORKER_NICENESS)
            # In the same transactions as the full run: a batch of articles each.
            for _ in pipeline.save_processed(
                lambda items: write.save_batch(store.engine, [(d, e) for d, e, _ in items]),
                stream,
            ):
                pass
        elapsed = time.perf_counter() - start
        cpu = sum(_cpu_seconds()) - cpu_start
        store.close()
    return elapsed, cpu


def _load_models(docs: list[Any]) -> None:
    """Run the pipeline on a few documents, untimed, so that timed runs find every model
    loaded."""
    for _ in pipeline.process_many(docs[:8], workers=1):
        pass


def run(n: int, extra_sentences: int = 0) -> dict[str, Any]:
    records = generate(n, extra_sentences=extra_sentences)
    docs = [
        pipeline.document_from_text(
            str(r["text"]), id=str(r["id"]), published=str(r["published"]), title=str(r["title"])
        )
        for r in records
    ]
    _load_models(docs)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "bench.db"))
        start = time.perf_counter()
        own_start, children_start = _cpu_seconds()
        # As `incidex ingest` runs it: workers below the process that saves and resolves,
        # fingerprinting each text where they extract it; articles stored and resolved a
        # batch to a transaction; the cycle collector run less often.
        with pipeline.fewer_collections():
            stream = pipeline.process_many(
                docs, worker_niceness=pipeline.WORKER_NICENESS, fingerprints=True
            )
            fingerprint_cpu, workers = 0.0, 0
            for i, (result, _) in enumerate(pipeline.save_processed(store.save_batch, stream)):
                if not isinstance(result, Rejected):
                    fingerprint_cpu += result.fingerprint_cpu
                if i % 256 == 0:
                    workers = max(workers, len(multiprocessing.active_children()))
            # As `incidex ingest` ends: the incidents the last reports joined are written
            # (the time counts as resolution).
            store.flush()
        total = time.perf_counter() - start
        own_end, children_end = _cpu_seconds()
        # Extraction runs in forked worker processes; their CPU is in RUSAGE_CHILDREN only
        # once they have been waited for, which process_many does when the stream ends.
        workers_exited = not multiprocessing.active_children()
        t = store.timings
        truth: dict[str, str | None] = {str(r["id"]): r["truth"] for r in records}  # type: ignore[misc]
        predicted = predicted_incident(store)
        # Resolution is judged on the articles the extractor found an attack in; the
        # overall figures also count the extractor's misses as split incidents.
        found = {a: t for a, t in truth.items() if a in predicted or t is None}
        scores = pairwise(found, predicted)
        overall = pairwise(truth, predicted)
        n_incidents = store.count_incidents()
        n_groups = len(store.copy_groups())
        store.close()
    without_grouping, without_grouping_cpu = _ingest_without_grouping(docs)
    main_grouping = t.copies + t.resolution
    main_grouping_cpu = t.copies_cpu + t.resolution_cpu
    # Fingerprints computed on the workers run beside each other: their wall-clock cost is
    # their CPU over the number of workers (in full when computed in this process).
    grouping = main_grouping + fingerprint_cpu / max(1, workers)
    grouping_cpu = main_grouping_cpu + fingerprint_cpu
    main_cpu, workers_cpu = own_end - own_start, children_end - children_start
    return {
        "articles": n,
        "extra_sentences": extra_sentences,
        # Whether grouping and resolution ran compiled (setup.py), or as source.
        "compiled": native.compiled(),
        "attacks": len({r["truth"] for r in records if r["truth"]}),
        "incidents": n_incidents,
        "copy_groups": n_groups,
        "total_s": round(total, 1),
        "copies_s": round(t.copies, 2),
        "resolution_s": round(t.resolution, 2),
        "workers": workers,
        "fingerprint_worker_cpu_s": round(fingerprint_cpu, 2),
        "share": round(grouping / total, 4),
        # What grouping and resolution add to the pipeline's wall time (see the docstring).
        "total_without_grouping_s": round(without_grouping, 1),
        "added_share": round((total - without_grouping) / total, 4),
        "added_cpu_share": round(1 - without_grouping_cpu / (main_cpu + workers_cpu), 4),
        # The worker fingerprints' CPU added in full, as if it had run in the main process.
        "share_conservative": round((main_grouping + fingerprint_cpu) / total, 4),
        # The main process's own grouping and resolution (lookups and writes) alone.
        "main_share": round(main_grouping / total, 4),
        # The same share in CPU seconds: grouping and resolution over the CPU of the main
        # process plus every extraction worker, which the machine's load does not skew.
        "cpu_share": round(grouping_cpu / (main_cpu + workers_cpu), 4),
        "main_cpu_s": round(main_cpu, 1),
        "workers_cpu_s": round(workers_cpu, 1),
        "workers_exited": workers_exited,
        "per_article_ms": round(1000 * grouping / n, 3),
        # CPU seconds of grouping and resolution: comparable between runs when other
        # processes share the machine, unlike the wall-time share. Per article: the main
        # process's, and with the workers' fingerprints.
        "copies_cpu_s": round(t.copies_cpu, 2),
        "resolution_cpu_s": round(t.resolution_cpu, 2),
        "main_per_article_cpu_ms": round(1000 * main_grouping_cpu / n, 3),
        "fingerprint_per_article_cpu_ms": round(1000 * fingerprint_cpu / n, 3),
        "per_article_cpu_ms": round(1000 * grouping_cpu / n, 3),
        "articles_with_incident": len(predicted),
        **scores,
        "overall": overall,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[1000, 10_000])
    ap.add_argument("--extra-sentences", type=int, default=0, metavar="N")
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="runs per size; a last line per size gives the medians (the wall-time shares "
        "move by several points between identical runs on a busy 2-core machine)",
    )
    args = ap.parse_args()
    medians = []
    for n in args.sizes:
        runs = [run(n, args.extra_sentences) for _ in range(max(1, args.repeat))]
        for r in runs:
            print(json.dumps(r), flush=True)
        medians.append(_medians(runs))
        if len(runs) > 1:
            print(json.dumps(medians[-1]), flush=True)
    if len(medians) > 1:
        growth = medians[-1]["per_article_ms"] / medians[0]["per_article_ms"]
        cpu_growth = medians[-1]["per_article_cpu_ms"] / medians[0]["per_article_cpu_ms"]
        print(
            json.dumps(
                {
                    "per_article_cost_growth": round(growth, 3),
                    "per_article_cpu_growth": round(cpu_growth, 3),
                }
            )
        )


# The figures a repeated run reports as medians.
_MEDIAN_KEYS = (
    "total_s",
    "share",
    "added_share",
    "added_cpu_share",
    "cpu_share",
    "main_share",
    "per_article_ms",
    "per_article_cpu_ms",
    "f1",
)


def _medians(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the median of each ``_MEDIAN_KEYS`` figure over the runs of one size."""
    return {
        "articles": runs[0]["articles"],
        "runs": len(runs),
        **{k: round(statistics.median(r[k] for r in runs), 4) for k in _MEDIAN_KEYS},
    }


if __name__ == "__main__":
    main()
