"""Train the attack-type classifier of ``incidex.extract.relevance`` on the MUC-4 *train*
split and write ``src/incidex/data/wire_untriggered.json``.

Run outside the test suite, from the repository root (needs scikit-learn, the 'train' extra)::

    .venv/bin/python training/cv_roles.py fit             # out-of-fold role taggers, once
    .venv/bin/python training/train_untriggered.py

A logistic regression over a message's words (``relevance.message_features``): the attack
type of a reported incident (the type of the key's first incident), trained on every
relevant upper-case train message. It types the incident the relevance model adds to a
message with no attack word the detector reads, and wire attack words of no type. Whether
such a message reports an incident at all is the relevance model's (``train_relevance.py``).
Only feature weights are shipped, never text.
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
TYPE_C = 0.3


def _first_type(gold: dict[str, Any]) -> str:
    """Return the attack type of the key's first incident (its first GTD type)."""
    types = gold["incidents"][0].get("attack_types") or ["unknown"]
    return str(types[0])


def examples() -> tuple[list[list[str]], list[str]]:
    """Return the features and first-incident types of the relevant upper-case train
    messages the gate lets through, from their out-of-fold extraction."""
    from incidex.extract.context import Context
    from incidex.extract.relevance import message_features
    from incidex.truecase import is_mostly_upper

    golds = muc_cache.golds("train")
    feats: list[list[str]] = []
    types: list[str] = []
    for article, doc, result in cv_roles.out_of_fold(wire_relevance=False):
        gold = golds[article.id]
        if doc is None or not is_mostly_upper(article.text) or not gold["incidents"]:
            continue
        feats.append(message_features(Context(article, doc), result.mentions, result.claims))
        types.append(_first_type(gold))
    return feats, types


def type_model(feats: list[list[str]], labels: list[str]) -> dict[str, Any]:
    """Return the exported attack-type model, after printing its cross-validated accuracy."""
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
    feats, types = examples()
    model = {
        "_about": "Attack type of a wire report's incident from the message's words "
        "(multinomial logistic regression, C="
        f"{TYPE_C}), trained on the MUC-4 train split by training/train_untriggered.py; "
        "weights only.",
        "types": type_model(feats, types),
    }
    OUT.write_text(json.dumps(model, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
