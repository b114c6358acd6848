"""Train the wire-report relevance model of ``incidex.extract.relevance`` on the MUC-4
*train* split and write ``src/incidex/data/wire_relevance.json``.

Run outside the test suite, from the repository root (needs scikit-learn, the 'train' extra)::

    .venv/bin/python training/cv_roles.py fit             # out-of-fold role taggers, once
    .venv/bin/python training/train_relevance.py          # cross-validate, then train

Each train message the rule detector finds an incident in is one example; its label is
whether the MUC-4 key has an incident for it. The regularisation strength and the decision
threshold are chosen by cross-validation on train (detection F1 over all train messages,
those the detector finds nothing in counting as predicted negatives). Only feature weights
are shipped, never text.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared" / "eval"))
import cv_roles
import muc_cache
import score_muc

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "incidex" / "data" / "wire_relevance.json"
FOLDS = 5
MIN_COUNT = 3
MIN_WEIGHT = 0.005
C_GRID = (0.03, 0.1, 0.3, 1.0)
THRESHOLDS = tuple(round(0.2 + 0.025 * i, 3) for i in range(25))


@dataclass
class Examples:
    """The train messages the detector finds an incident in: features, gold label, and
    the REE counts (matched, predicted) per role their fillers give when kept; plus the
    REE totals of all other messages and the relevant messages the detector misses."""

    feats: list[list[str]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    ree: list[np.ndarray] = field(default_factory=list)
    rest: np.ndarray = field(default_factory=lambda: np.zeros(2))
    n_gold_fillers: int = 0
    missed: int = 0


def _ree_counts(result: dict[str, Any], gold: dict[str, Any]) -> np.ndarray:
    """Return (matched, predicted) role fillers of one message, as score_muc.py counts."""
    g, p = score_muc.gold_ree(gold, False), score_muc.pred_ree(result, True)
    tp = sum(score_muc.max_matching(p[r], g[r], "any") for r in score_muc.ROLES)
    return np.array([tp, sum(len(p[r]) for r in score_muc.ROLES)], dtype=np.float64)


def examples() -> Examples:
    """Return the train examples (``Examples``). The role fillers among the features come
    from out-of-fold taggers (``cv_roles.py``), so that they are as good here as on
    unseen messages."""
    from incidex.extract.context import Context
    from incidex.extract.relevance import message_features
    from incidex.truecase import is_mostly_upper

    golds = muc_cache.golds("train")
    out = Examples()
    for article, doc, result in cv_roles.out_of_fold(wire_relevance=False):
        gold = golds[article.id]
        relevant = int(bool(gold["incidents"]))
        out.n_gold_fillers += sum(len(e) for e in (gold.get("ree") or {}).values())
        counts = _ree_counts(result.to_dict(), gold)
        live = [m for m in result.mentions if not m.background] if doc is not None else []
        if not live or not is_mostly_upper(article.text):
            out.missed += relevant
            out.rest += counts
            continue
        out.feats.append(message_features(Context(article, doc), result.mentions, result.claims))
        out.labels.append(relevant)
        out.ree.append(counts)
    return out


def _index(feats: list[list[str]]) -> dict[str, int]:
    counts = Counter(f for fs in feats for f in fs)
    return {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= MIN_COUNT))}


def _matrix(feats: list[list[str]], index: dict[str, int]) -> sparse.csr_matrix:
    rows = [r for r, fs in enumerate(feats) for f in fs if f in index]
    cols = [index[f] for fs in feats for f in fs if f in index]
    data = np.ones(len(rows), dtype=np.float64)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(feats), len(index)))


def fit(feats: list[list[str]], labels: list[int], c: float) -> tuple[Any, dict[str, int]]:
    index = _index(feats)
    clf = LogisticRegression(C=c, max_iter=2000)
    clf.fit(_matrix(feats, index), np.array(labels))
    return clf, index


def detection_f1(kept: np.ndarray, data: Examples) -> float:
    """Return the detection F1 over all train messages when ``kept`` ones are reported."""
    y = np.array(data.labels, dtype=bool)
    tp = int((kept & y).sum())
    npred = int(kept.sum())
    ngold = int(y.sum()) + data.missed
    return 2 * tp / (npred + ngold) if npred + ngold else 0.0


def ree_f1(kept: np.ndarray, data: Examples) -> float:
    """Return the REE micro F1 over all train messages when ``kept`` ones are reported."""
    tp, npred = data.rest + sum((c for c, k in zip(data.ree, kept, strict=True) if k), np.zeros(2))
    return 2 * tp / (npred + data.n_gold_fillers) if npred + data.n_gold_fillers else 0.0


def objective(kept: np.ndarray, data: Examples) -> float:
    """Return what the threshold is chosen for: REE micro F1 plus detection F1."""
    return ree_f1(kept, data) + detection_f1(kept, data)


def cross_validated(feats: list[list[str]], labels: list[int], c: float) -> np.ndarray:
    probs = np.zeros(len(feats))
    for k in range(FOLDS):
        train = [i for i in range(len(feats)) if i % FOLDS != k]
        held = [i for i in range(len(feats)) if i % FOLDS == k]
        clf, index = fit([feats[i] for i in train], [labels[i] for i in train], c)
        probs[held] = clf.predict_proba(_matrix([feats[i] for i in held], index))[:, 1]
    return probs


def export(clf: Any, index: dict[str, int], threshold: float, c: float) -> dict[str, Any]:
    coef = clf.coef_[0]
    weights = {f: round(float(coef[j]), 4) for f, j in index.items()}
    return {
        "_about": "Wire-report relevance (logistic regression: does a message the detector "
        "finds an attack in report an incident the MUC-4 keys count), trained on the MUC-4 "
        f"train split by training/train_relevance.py (C={c}, threshold by {FOLDS}-fold CV); "
        "feature weights only.",
        "bias": round(float(clf.intercept_[0]), 4),
        "threshold": threshold,
        "weights": {f: w for f, w in sorted(weights.items()) if abs(w) >= MIN_WEIGHT},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.parse_args(argv)
    data = examples()
    print(f"{len(data.labels)} examples, {sum(data.labels)} relevant, {data.missed} missed")
    everything = np.ones(len(data.labels), dtype=bool)
    print(
        f"train without the model: detection F1 {100 * detection_f1(everything, data):.1f}, "
        f"REE F1 {100 * ree_f1(everything, data):.1f}"
    )
    best = (-1.0, 0.0, 0.5)
    for c in C_GRID:
        probs = cross_validated(data.feats, data.labels, c)
        for t in THRESHOLDS:
            best = max(best, (objective(probs >= t, data), c, t))
        print(f"C={c}: best so far {best}", file=sys.stderr)
    _, c, threshold = best
    kept = cross_validated(data.feats, data.labels, c) >= threshold
    print(
        f"{FOLDS}-fold CV on train (C={c}, threshold {threshold}): detection F1 "
        f"{100 * detection_f1(kept, data):.1f}, REE F1 {100 * ree_f1(kept, data):.1f}"
    )
    clf, index = fit(data.feats, data.labels, c)
    model = export(clf, index, threshold, c)
    OUT.write_text(json.dumps(model, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB, {len(model['weights'])} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
