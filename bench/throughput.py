"""Throughput of incidex end to end against spaCy alone (outside the test suite).

    .venv/bin/python bench/throughput.py [--size 2000] [--firehose-full] [--no-gate-stats]

Builds, in a temporary file, a mixed corpus of real news: the Reuters-21578 stories of
``../shared/eval/firehose/`` with one incident report in ten mixed in (the incident articles
of ``../shared/eval/dev/``, then the relevant MUC-4 dev messages, then relevant MUC-4 train
messages). Each configuration runs in its own process, after the spaCy model is loaded:

- spaCy alone: the model's default pipeline as its package loads it (not ``load_nlp()``,
  whose attribute ruler and lemmatizer are faster equivalents), ``nlp.pipe`` over every
  article's full text, one process;
- incidex end to end: ``pipeline.process_many`` from the JSON lines to Extractions (reading,
  cleaning, language, gate, parse, extraction), on one process and on two.

It prints documents and words per second, the ratio to spaCy alone, CPU seconds and the
peak RSS per process; then the same on incident-only input (dev incident articles and the
relevant MUC-4 dev messages), and the relevance gate's recall and firehose pass share.
``--firehose-full`` also runs all 12,000 firehose stories end to end and prints the time.
The corpora are read where they lie and never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

_EVAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval"
_RELEVANT_EVERY = 10


def _jsonl(path: Path) -> list[dict[str, Any]]:
    """Return the JSON objects of a JSON-lines file."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _record(raw: dict[str, Any]) -> dict[str, Any]:
    """Return the fields ``incidex extract`` reads from an evaluation record."""
    keys = ("id", "text", "title", "published", "url")
    return {k: raw[k] for k in keys if raw.get(k)}


def dev_incident_articles() -> list[dict[str, Any]]:
    """Return the dev articles whose gold holds at least one incident."""
    gold = {g["id"]: g for g in _jsonl(_EVAL / "dev" / "gold.jsonl")}
    return [r for r in _jsonl(_EVAL / "dev" / "input.jsonl") if gold[r["id"]]["incidents"]]


def muc_relevant(split: str) -> list[dict[str, Any]]:
    """Return the MUC-4 messages of ``split`` whose key holds at least one incident."""
    gold = {g["id"]: g for g in _jsonl(_EVAL / "muc4" / "gold.jsonl")}
    return [
        r
        for r in _jsonl(_EVAL / "muc4" / "input.jsonl")
        if r["split"] == split and gold[r["id"]]["incidents"]
    ]


def firehose() -> list[dict[str, Any]]:
    """Return the Reuters-21578 firehose stories, in file order."""
    return _jsonl(_EVAL / "firehose" / "articles.jsonl")


def incident_only() -> list[dict[str, Any]]:
    """Return the incident-only corpus: dev incident articles + relevant MUC-4 dev messages."""
    return dev_incident_articles() + muc_relevant("dev")


def mixed(size: int) -> list[dict[str, Any]]:
    """Return ``size`` articles, every tenth an incident report, the rest firehose stories."""
    relevant = incident_only() + muc_relevant("train")
    stories = iter(firehose())
    out: list[dict[str, Any]] = []
    for i in range(size):
        take_relevant = i % _RELEVANT_EVERY == _RELEVANT_EVERY - 1 and relevant
        out.append(relevant.pop(0) if take_relevant else next(stories))
    return out


def _write(records: Iterable[dict[str, Any]], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(_record(r), ensure_ascii=False) + "\n")
    return path


def _words(path: Path) -> int:
    return sum(len(r["text"].split()) for r in _jsonl(path))


# --- one configuration, run in a child process ---------------------------------------------


def _cpu_seconds() -> float:
    """Return the CPU seconds used so far by this process and its finished children."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _default_pipeline() -> Any:
    """Return the spaCy model incidex uses as its package ships it: the default pipeline,
    without the components incidex adds or swaps for faster equivalents."""
    import importlib

    from incidex.annotate import model_name

    return importlib.import_module(model_name()).load()


def _incidex_pipeline() -> Any:
    from incidex.annotate import load_nlp

    return load_nlp()


def _child(mode: str, path: Path, workers: int) -> dict[str, Any]:
    """Return the timing of one configuration over ``path`` (run in a fresh process)."""
    nlp = _default_pipeline() if mode == "spacy" else _incidex_pipeline()
    before = _cpu_seconds()
    started = time.perf_counter()
    if mode == "spacy":
        texts = [r["text"] for r in _jsonl(path)]
        count = sum(1 for _ in nlp.pipe(texts, batch_size=32))
        incidents = 0
    else:
        from incidex import ingest, pipeline
        from incidex.models import Rejected

        results = list(
            pipeline.process_many(ingest.read([str(path)], max_bytes=10**9), workers=workers)
        )
        count = len(results)
        incidents = sum(len(r.extraction.mentions) for r in results if not isinstance(r, Rejected))
    seconds = time.perf_counter() - started
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return {
        "seconds": seconds,
        "cpu": _cpu_seconds() - before,
        "rss_mib": max(me.ru_maxrss, kids.ru_maxrss) / 1024,
        "docs": count,
        "incidents": incidents,
    }


def run_config(
    mode: str, path: Path, workers: int = 1, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Return the timing of one configuration, measured in a child process."""
    cmd = [
        sys.executable,
        __file__,
        "--child",
        mode,
        "--input",
        str(path),
        "--workers",
        str(workers),
    ]
    done = subprocess.run(
        cmd, capture_output=True, text=True, check=True, env={**os.environ, **(env or {})}
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- the report ------------------------------------------------------------------------------


def _table(title: str, words: int, rows: list[tuple[str, dict[str, Any]]]) -> Table:
    table = Table(title=title)
    for col in (
        "configuration",
        "docs",
        "seconds",
        "docs/s",
        "words/s",
        "x spaCy",
        "CPU s",
        "x spaCy CPU",
        "peak RSS MiB",
    ):
        table.add_column(col, justify="left" if col == "configuration" else "right")
    base, base_cpu = rows[0][1]["seconds"], rows[0][1]["cpu"]
    for name, r in rows:
        table.add_row(
            name,
            str(r["docs"]),
            f"{r['seconds']:.1f}",
            f"{r['docs'] / r['seconds']:.1f}",
            f"{words / r['seconds']:.0f}",
            f"{base / r['seconds']:.2f}",
            f"{r['cpu']:.1f}",
            f"{base_cpu / r['cpu']:.2f}",
            f"{r['rss_mib']:.0f}",
        )
    return table


def compare(title: str, path: Path, console: Console, gate_off: bool) -> None:
    """Print spaCy alone against incidex on one and two processes over one corpus."""
    rows = [
        ("spaCy alone, 1 process", run_config("spacy", path)),
        ("incidex, 1 process", run_config("incidex", path, 1)),
        ("incidex, 2 processes", run_config("incidex", path, 2)),
    ]
    if gate_off:
        rows.append(
            ("incidex, gate off, 1 process", run_config("incidex", path, 1, {"INCIDEX_GATE": "0"}))
        )
    console.print(
        _table(f"{title}: {len(_jsonl(path))} articles, {_words(path)} words", _words(path), rows)
    )


def gate_stats(console: Console) -> None:
    """Print the gate's recall on the three labelled sets and its firehose pass share."""
    from incidex import pipeline
    from incidex.clean import clean
    from incidex.gate import may_report_incident

    def passes(r: dict[str, Any]) -> bool:
        doc = pipeline.document_from_text(r["text"], id=r["id"], title=r.get("title"))
        return may_report_incident(clean(doc))

    labels = _jsonl(_EVAL / "firehose" / "labels.jsonl")
    positives = {lab["id"] for lab in labels if lab["is_incident_report"]}
    stories = firehose()
    sets = {
        "dev incident articles": dev_incident_articles(),
        "MUC-4 dev relevant": muc_relevant("dev"),
        "firehose labelled reports": [r for r in stories if r["id"] in positives],
    }
    table = Table(title="relevance gate")
    for col in ("set", "articles", "passed", "share"):
        table.add_column(col, justify="left" if col == "set" else "right")
    for name, records in sets.items():
        passed = sum(passes(r) for r in records)
        table.add_row(name, str(len(records)), str(passed), f"{passed / len(records):.1%}")
    started = time.perf_counter()
    passed = sum(passes(r) for r in stories)
    seconds = time.perf_counter() - started
    table.add_row(
        "firehose, all stories", str(len(stories)), str(passed), f"{passed / len(stories):.1%}"
    )
    console.print(table)
    console.print(
        f"clean + gate over the firehose: {seconds:.1f} s ({len(stories) / seconds:.0f} stories/s)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=2000, help="articles in the mixed corpus")
    ap.add_argument("--firehose-full", action="store_true", help="also run all 12,000 stories")
    ap.add_argument("--gate-off", action="store_true", help="also run incidex with the gate off")
    ap.add_argument("--no-gate-stats", action="store_true", help="skip the gate recall table")
    ap.add_argument("--no-mixed", action="store_true", help="skip the mixed corpus")
    ap.add_argument("--child", choices=("spacy", "incidex"), help=argparse.SUPPRESS)
    ap.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(_child(a.child, a.input, a.workers)))
        return
    if not (_EVAL / "firehose" / "articles.jsonl").exists():
        sys.exit(f"evaluation corpora not found under {_EVAL}")
    console = Console(width=120)
    with tempfile.TemporaryDirectory(prefix="incidex_throughput_") as tmp:
        if not a.no_mixed:
            mixed_path = _write(mixed(a.size), Path(tmp) / "mixed.jsonl")
            compare("mixed corpus (1 in 10 relevant)", mixed_path, console, a.gate_off)
        only_path = _write(incident_only(), Path(tmp) / "incidents.jsonl")
        compare("incident-only corpus", only_path, console, a.gate_off)
        if not a.no_gate_stats:
            gate_stats(console)
        if a.firehose_full:
            full = run_config("incidex", _EVAL / "firehose" / "articles.jsonl", 2)
            console.print(
                f"whole firehose ({full['docs']} stories) end to end on 2 processes: "
                f"{full['seconds']:.1f} s, {full['docs'] / full['seconds']:.1f} stories/s, "
                f"peak RSS {full['rss_mib']:.0f} MiB"
            )


if __name__ == "__main__":
    main()
