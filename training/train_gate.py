"""Check the relevance gate's lexicon (src/incidex/data/gate.json) on the MUC-4 TRAIN split.

    .venv/bin/python training/train_gate.py [--muc ../shared/eval/muc4] [--min-recall 0.995]

The gate is a hand-kept lexicon, not a fitted model: this script is how it is tuned. On the
train split only (never dev, never the firehose) it prints the share of relevant messages
(with at least one incident in the key) the gate passes and the share of irrelevant ones it
turns away, every relevant message it would miss with the weak words it does hold (candidates
for the word lists), and the gate words that occur in the most irrelevant messages (candidates
for the weak list). It exits with status 1 when the recall is under ``--min-recall``.
The corpus is read where it lies and never copied.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from incidex.gate import attack_cues, may_report_incident_text

_MUC = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "muc4"


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def train_split(muc: Path) -> tuple[list[str], list[str]]:
    """Return the texts of the relevant and of the irrelevant MUC-4 train messages."""
    gold = {g["id"]: g for g in _jsonl(muc / "gold.jsonl")}
    train = [r for r in _jsonl(muc / "input.jsonl") if r["split"] == "train"]
    relevant = [r["text"] for r in train if gold[r["id"]]["incidents"]]
    irrelevant = [r["text"] for r in train if not gold[r["id"]]["incidents"]]
    return relevant, irrelevant


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--muc", type=Path, default=_MUC)
    ap.add_argument("--min-recall", type=float, default=0.995)
    a = ap.parse_args()
    if not (a.muc / "input.jsonl").exists():
        sys.exit(f"MUC-4 corpus not found at {a.muc}")
    relevant, irrelevant = train_split(a.muc)
    missed = [t for t in relevant if not may_report_incident_text(t)]
    turned_away = sum(not may_report_incident_text(t) for t in irrelevant)
    recall = 1 - len(missed) / len(relevant)
    print(f"relevant train messages passed: {len(relevant) - len(missed)}/{len(relevant)}")
    print(f"recall {recall:.4f}; irrelevant turned away {turned_away}/{len(irrelevant)}")
    for text in missed:
        print(f"  MISSED (gate words held: {sorted(set(attack_cues(text)))}) {text[:100]!r}")
    in_irrelevant = Counter(c for t in irrelevant for c in set(attack_cues(t)))
    print("gate words in the most irrelevant messages:")
    print("  " + ", ".join(f"{w} {n}" for w, n in in_irrelevant.most_common(25)))
    if recall < a.min_recall:
        sys.exit(1)


if __name__ == "__main__":
    main()
