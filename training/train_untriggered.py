"""Train the untriggered-report model of ``incidex.extract.relevance`` on the MUC-4 *train*
split and write ``src/incidex/data/wire_untriggered.json``.

Run outside the test suite, from the repository root (needs scikit-learn, the 'train' extra)::

    .venv/bin/python training/cv_roles.py fit             # out-of-fold role taggers, once
    .venv/bin/python training/train_untriggered.py

Two logistic regressions over a message's words (``relevance.message_features``):

- whether a message the rule detector finds no attack word in still reports an incident the
  MUC-4 key counts (old events recalled in a later report, acts told with words the detector
  does not read as attacks). Examples: the train messages with no live incident.
- the attack type of a reported incident (the type of the key's first incident), trained on
  every relevant train message.

The decision threshold is chosen by 5-fold cross-validation on train for the detection F1
over all train messages, those with an attack word kept or dropped by the shipped relevance
model as it decides out of fold. Only feature weights are shipped, never text.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cv_roles
import muc_cache
import train_relevance

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "incidex" / "data" / "wire_untriggered.json"
FOLDS = 5
C_GRID = (0.1, 0.3, 1.0)
TYPE_C = 0.3
THRESHOLDS = tuple(round(0.3 + 0.025 * i, 3) for i in range(21))


def _first_type(gold: dict[str, Any]) -> str:
    """Return the attack type of the key's first incident (its first GTD type)."""
    types = gold["incidents"][0].get("attack_types") or ["unknown"]
    return str(types[0])


def examples() -> dict[str, Any]:
    """Return, from the out-of-fold extraction of the train split: the features and labels
    of messages with no live incident, the features and types of relevant messages, and
    the features and labels of messages with one (for the shipped relevance model)."""
    from incidex.extract.context import Context
    from incidex.extract.relevance import message_features
    from incidex.truecase import is_mostly_upper

    golds = muc_cache.golds("train")
    out: dict[str, Any] = {k: [] for k in ("x", "y", "tx", "ty", "rx", "ry")}
    out["gateless"] = 0
    for article, doc, result in cv_roles.out_of_fold(wire_relevance=False):
        gold = golds[article.id]
        relevant = int(bool(gold["incidents"]))
        if doc is None or not is_mostly_upper(article.text):
            out["gateless"] += relevant
            continue
        feats = message_features(Context(article, doc), result.mentions, result.claims)
        if relevant:
            out["tx"].append(feats)
            out["ty"].append(_first_type(gold))
        live = [m for m in result.mentions if not m.background]
        key = "r" if live else ""
        out[key + "x"].append(feats)
        out[key + "y"].append(relevant)
    return out


def relevance_kept(data: dict[str, Any]) -> np.ndarray:
    """Return which messages with a live incident the shipped relevance model keeps when
    it decides out of fold (its C and threshold as shipped)."""
    shipped = json.loads(train_relevance.OUT.read_text(encoding="utf-8"))
    c = float(shipped["_about"].split("C=")[1].split(",")[0])
    probs = train_relevance.cross_validated(data["rx"], data["ry"], c)
    kept: np.ndarray = probs >= float(shipped["threshold"])
    return kept


def detection_f1(untriggered: np.ndarray, data: dict[str, Any], kept: np.ndarray) -> float:
    """Return the train detection F1 when the ``untriggered`` messages are reported too."""
    y, ry = np.array(data["y"], dtype=bool), np.array(data["ry"], dtype=bool)
    tp = int((untriggered & y).sum() + (kept & ry).sum())
    npred = int(untriggered.sum() + kept.sum())
    ngold = int(y.sum() + ry.sum()) + data["gateless"]
    return 2 * tp / (npred + ngold)


def type_model(data: dict[str, Any]) -> dict[str, Any]:
    """Return the exported attack-type model, after printing its cross-validated accuracy."""
    feats, labels = data["tx"], data["ty"]
    index = train_relevance._index(feats)
    x = train_relevance._matrix(feats, index)
    y = np.array(labels)
    right = 0
    for k in range(FOLDS):
        tr = np.array([i % FOLDS != k for i in range(len(labels))])
        clf = LogisticRegression(C=TYPE_C, max_iter=3000).fit(x[tr], y[tr])
        right += int((clf.predict(x[~tr]) == y[~tr]).sum())
    majority = Counter(labels).most_common(1)[0][1]
    print(
        f"type: {FOLDS}-fold CV accuracy {100 * right / len(labels):.1f} "
        f"(majority class {100 * majority / len(labels):.1f}, {len(labels)} messages)"
    )
    clf = LogisticRegression(C=TYPE_C, max_iter=3000).fit(x, y)
    weights: dict[str, dict[str, float]] = {}
    for f, j in index.items():
        row = {str(i): round(float(clf.coef_[i, j]), 4) for i in range(len(clf.classes_))}
        row = {i: w for i, w in row.items() if abs(w) >= train_relevance.MIN_WEIGHT}
        if row:
            weights[f] = row
    return {
        "labels": [str(c) for c in clf.classes_],
        "bias": [round(float(b), 4) for b in clf.intercept_],
        "weights": weights,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.parse_args(argv)
    data = examples()
    print(f"{len(data['y'])} messages without an attack word, {sum(data['y'])} relevant")
    kept = relevance_kept(data)
    none = np.zeros(len(data["y"]), dtype=bool)
    print(f"train detection F1 without the model: {100 * detection_f1(none, data, kept):.1f}")
    best = (-1.0, 0.0, 0.5)
    for c in C_GRID:
        probs = train_relevance.cross_validated(data["x"], data["y"], c)
        for t in THRESHOLDS:
            best = max(best, (detection_f1(probs >= t, data, kept), c, t))
    f1, c, threshold = best
    probs = train_relevance.cross_validated(data["x"], data["y"], c)
    chosen = probs >= threshold
    y = np.array(data["y"], dtype=bool)
    print(
        f"{FOLDS}-fold CV on train (C={c}, threshold {threshold}): detection F1 "
        f"{100 * f1:.1f}; {int((chosen & y).sum())} relevant and {int((chosen & ~y).sum())} "
        "irrelevant messages reported"
    )
    clf, index = train_relevance.fit(data["x"], data["y"], c)
    model = train_relevance.export(clf, index, threshold, c)
    model["_about"] = (
        "Wire reports with no attack word (logistic regression: does a message the detector "
        "finds no live incident in still report one the MUC-4 keys count; and the attack "
        "type of a reported incident), trained on the MUC-4 train split by "
        f"training/train_untriggered.py (C={c}, threshold by {FOLDS}-fold CV); weights only."
    )
    model["types"] = type_model(data)
    OUT.write_text(json.dumps(model, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB, {len(model['weights'])} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
