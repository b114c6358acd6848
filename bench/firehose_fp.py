"""Count false and true incident reports over the Reuters-21578 firehose (outside the tests).

    .venv/bin/python bench/firehose_fp.py [--articles PATH] [--labels PATH]
        [--predictions PRED.jsonl] [--subset labelled|all] [--keep PRED.jsonl]

Runs ``incidex extract --format jsonl`` over the articles (or reads earlier predictions with
``--predictions``), then prints: the articles wrongly reported as incidents (with their
label category and title), the labelled attack reports found and missed, how many articles
the relevance gate turned away unparsed, and the run time.
An article counts as reported when it has an incident that is neither threatened nor
background (as ``score.py`` reads it). The corpus is read where it lies and never copied.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from incidex.pipeline import GATED_NOTE

_REPO = Path(__file__).resolve().parents[1]
_FIREHOSE = _REPO / ".." / "shared" / "eval" / "firehose"


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Return the JSON objects of a JSON-lines file."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _subset_file(articles: Path, ids: set[str], out: Path) -> Path:
    """Return a file holding only the articles whose id is in ``ids``."""
    with articles.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            if line.strip() and json.loads(line)["id"] in ids:
                dst.write(line)
    return out


def _run_extract(source: Path, keep: Path | None) -> tuple[list[dict[str, Any]], float]:
    """Return the predictions of ``incidex extract`` over ``source`` and the seconds taken."""
    incidex = Path(sys.executable).parent / "incidex"
    out = keep or Path(tempfile.mkstemp(prefix="firehose_fp_", suffix=".jsonl")[1])
    started = time.perf_counter()
    with out.open("w", encoding="utf-8") as fh:
        subprocess.run(
            [str(incidex), "extract", str(source), "--format", "jsonl"], stdout=fh, check=True
        )
    return _read_jsonl(out), time.perf_counter() - started


def _reports_incident(prediction: dict[str, Any]) -> bool:
    """Return whether a prediction reports an attack as news (not threatened, not background)."""
    return any(
        i.get("stage") != "threatened" and not i.get("background")
        for i in prediction.get("incidents") or []
    )


def _summary(
    predictions: list[dict[str, Any]], labels: dict[str, dict[str, Any]], seconds: float | None
) -> None:
    """Print false positives, found and missed attack reports, and the run time."""
    reported = {p["id"] for p in predictions if _reports_incident(p)}
    titles = {p["id"]: p.get("title") or "" for p in predictions}
    positives = {i for i, lab in labels.items() if lab["is_incident_report"]}
    wrong = sorted(reported - positives)
    kinds = Counter(labels[i]["category"] if i in labels else "unlabelled" for i in wrong)
    borderline = sum(1 for i in wrong if labels.get(i, {}).get("borderline"))
    military = kinds.get("military_action", 0)
    gated = sum(1 for p in predictions if p.get("note") == GATED_NOTE)
    print(f"articles run: {len(predictions)}; reported as incidents: {len(reported)}")
    print(f"turned away unparsed by the relevance gate: {gated}")
    print(f"false positives: {len(wrong)} (borderline {borderline}; military_action {military})")
    print("  by kind: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    for i in wrong:
        kind = labels[i]["category"] if i in labels else "unlabelled"
        print(f"  FP {i} [{kind}] {titles.get(i, '')[:90]}")
    run = {p["id"] for p in predictions}
    found = sorted(positives & reported)
    missed = sorted((positives & run) - reported)
    print(f"attack reports found: {len(found)} of {len(positives & run)}")
    for i in missed:
        print(f"  MISSED {i} [{labels[i]['category']}] {labels[i].get('title', '')[:90]}")
    if seconds is not None:
        rate = len(predictions) / seconds if seconds else 0.0
        print(f"run time: {seconds:.1f} s ({rate:.1f} articles/s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=Path, default=_FIREHOSE / "articles.jsonl")
    ap.add_argument("--labels", type=Path, default=_FIREHOSE / "labels.jsonl")
    ap.add_argument("--predictions", type=Path, help="score these instead of running extract")
    ap.add_argument("--subset", choices=("all", "labelled"), default="all")
    ap.add_argument("--keep", type=Path, help="write the predictions to this file")
    a = ap.parse_args()
    if not a.articles.exists() or not a.labels.exists():
        sys.exit(f"firehose corpus not found at {a.articles.parent}")
    labels = {lab["id"]: lab for lab in _read_jsonl(a.labels)}
    if a.predictions:
        _summary(_read_jsonl(a.predictions), labels, None)
        return
    source = a.articles
    if a.subset == "labelled":
        tmp = Path(tempfile.mkstemp(prefix="firehose_fp_in_", suffix=".jsonl")[1])
        source = _subset_file(a.articles, set(labels), tmp)
    predictions, seconds = _run_extract(source, a.keep)
    _summary(predictions, labels, seconds)


if __name__ == "__main__":
    main()
