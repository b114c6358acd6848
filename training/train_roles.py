"""Train the role-filler tagger of ``incidex.extract.roles`` on the MUC-4 *train* split and
write ``src/incidex/data/roles_model.json``.

Run outside the test suite, from the repository root::

    .venv/bin/python training/train_roles.py            # parse (cached), cross-validate, train
    .venv/bin/python training/train_roles.py --no-cv    # train only
    # needs scikit-learn: .venv/bin/pip install -e '.[train]'

The messages are parsed exactly as the extractor parses them (``incidex.clean`` then
``incidex.annotate``, truecased); the parses are cached under ``/tmp/incidex_roles_cache``.
Gold role strings (``ree`` of ``../shared/eval/muc4/gold.jsonl``, train split only) are
found back in the text to label tokens. Only feature weights are shipped, never text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from muc_cache import cached_parses, messages
from muc_cache import golds as read_golds
from scipy import sparse
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "incidex" / "data" / "roles_model.json"

CACHE = Path("/tmp/incidex_roles_cache")
REE_ROLES = {
    "PerpInd": "PERPIND",
    "PerpOrg": "PERPORG",
    "Target": "TARGET",
    "Victim": "VICTIM",
    "Weapon": "WEAPON",
}
MIN_COUNT = 2
MIN_WEIGHT = 0.02
FOLDS = 4
# Thresholds chosen on the MUC-4 dev split with the whole extractor (incident detection
# gates the fillers there, which cross-validation of the tagger alone cannot see).
# Out-of-fold taggers run through the whole extractor on train (training/cv_roles.py tune)
# prefer PERPORG 0.4, TARGET 0.55, VICTIM 0.25 there, but those cost 3.2 REE points on dev
# (the fold taggers are surer of train's messages than of the later TST1/TST2 reports).
DEV_THRESHOLDS = {"PERPIND": 0.4, "PERPORG": 0.65, "TARGET": 0.4, "VICTIM": 0.1, "WEAPON": 0.15}


def parsed(split: str) -> list[tuple[Any, Any]]:
    """Return (Article, spaCy Doc) per message of a split, parsed as the extractor does
    (cached on disk after the first run)."""

    from incidex import clean
    from incidex.pipeline import document_from_text

    articles = [
        clean.clean(document_from_text(m["text"], id=m["id"], published=m.get("published")))
        for m in messages(split)
    ]
    docs = cached_parses(articles, CACHE / f"{split}.spacy")
    return list(zip(articles, docs, strict=True))


def _occurrences(text: str, phrase: str) -> Iterator[tuple[int, int]]:
    words = phrase.split()
    if not words:
        return
    pattern = r"(?<!\w)" + r"[\s\-]+".join(re.escape(w) for w in words) + r"(?!\w)"
    for m in re.finditer(pattern, text, flags=re.IGNORECASE):
        yield m.start(), m.end()


def token_labels(doc: Any, text: str, ree: dict[str, Any]) -> list[str]:
    """Return a role or O per token: every occurrence of a gold string, longest first."""
    labels = ["O"] * len(doc)
    found: list[tuple[int, int, str]] = []
    for role, entities in (ree or {}).items():
        for entity in entities:
            for string in entity:
                found.extend((s, e, REE_ROLES[role]) for s, e in _occurrences(text, string))
    found.sort(key=lambda f: -(f[1] - f[0]))
    for start, end, role in found:
        span = doc.char_span(start, end, alignment_mode="contract")
        if span is None or any(labels[t.i] != "O" for t in span):
            continue
        for t in span:
            labels[t.i] = role
    return labels


def featurise(
    items: list[tuple[Any, Any]], lexs: dict[str, frozenset[str]]
) -> list[list[list[str]]]:
    from incidex.extract.roles import sentence_of_tokens, token_features

    return [token_features(doc, lexs, sentence_of_tokens(doc)) for _, doc in items]


def _matrix(feats: list[list[list[str]]], index: dict[str, int]) -> sparse.csr_matrix:
    rows, cols = [], []
    r = 0
    for doc in feats:
        for tok in doc:
            for f in tok:
                j = index.get(f)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
            r += 1
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(r, len(index)))


def _index(feats: list[list[list[str]]]) -> dict[str, int]:
    counts = Counter(f for doc in feats for tok in doc for f in tok)
    kept = sorted(f for f, c in counts.items() if c >= MIN_COUNT)
    return {f: i for i, f in enumerate(kept)}


def fit(
    feats: list[list[list[str]]], labels: list[list[str]], c: float
) -> tuple[LogisticRegression, dict[str, int]]:
    index = _index(feats)
    x = _matrix(feats, index)
    y = np.array([lab for doc in labels for lab in doc])
    clf = LogisticRegression(C=c, max_iter=300)
    clf.fit(x, y)
    return clf, index


def lexicons() -> dict[str, frozenset[str]]:
    """Return the word lists the tagger's features look words up in, copied into the model
    so that later edits of the extractors' lists do not shift its features: attack words,
    weapons, words for people and perpetrators, target words by GTD type."""
    from incidex.data import load_data

    targets = load_data("targets.json")
    lexicon = load_data("lexicon.json")
    out = {
        "trigger": set(targets["attack_verbs"])
        | set(targets["harm_verbs"])
        | set(targets["attack_nouns"])
        | set(lexicon["trigger_nouns"])
        | set(lexicon["trigger_verbs"]),
        "weapon": set(lexicon["weapon_words"]),
        "human": set(targets["human"]),
        "perp": set(targets["perpetrator_individual_heads"]) | set(lexicon["perpetrator_nouns"]),
        "group_head": set(targets["group_heads"]),
        "title": set(targets["titles"]),
        "perform": set(targets["perform_verbs"]),
    }
    for word, kind in targets["lemmas"].items():
        out.setdefault(f"target_{kind}", set()).add(word)
    return {k: frozenset(str(w).lower() for w in v) for k, v in out.items()}


def export(
    clf: LogisticRegression,
    index: dict[str, int],
    thresholds: dict[str, float],
    lexs: dict[str, frozenset[str]],
) -> dict[str, Any]:
    labels = [str(label) for label in clf.classes_]
    coef = clf.coef_
    weights: dict[str, dict[str, float]] = {}
    for feat, j in index.items():
        row = {str(k): round(float(coef[k, j]), 3) for k in range(len(labels))}
        row = {k: v for k, v in row.items() if abs(v) >= MIN_WEIGHT}
        if row:
            weights[feat] = row
    return {
        "_about": "Role-filler tagger (multinomial logistic regression) trained on the MUC-4 "
        "train split by training/train_roles.py; feature weights only.",
        "labels": labels,
        "bias": [round(float(b), 4) for b in clf.intercept_],
        "thresholds": thresholds,
        "lexicons": {k: sorted(v) for k, v in sorted(lexs.items())},
        "weights": weights,
    }


# --- evaluation (the MUC scorer's REE, per role, on decoded document-level entities) -------


def predicted_entities(
    probs: np.ndarray, labels: list[str], doc: Any, text: str, thresholds: dict[str, float]
) -> dict[str, list[str]]:
    from incidex.extract import roles

    tagged: list[tuple[str, float]] = []
    for row in probs:
        best, best_p = "O", 0.0
        for lab, p in zip(labels, row, strict=True):
            if lab != "O" and p >= thresholds[lab] and p > best_p:
                best, best_p = lab, float(p)
        tagged.append((best, best_p))
    spans = roles.decode_spans(tagged, doc, roles.sentence_of_tokens(doc))
    out: dict[str, list[str]] = {}
    for role in roles.ROLES:
        out[role] = roles.entity_strings(text, [s for s in spans if s.role == role], role)
    return out


def ree_counts(pred: dict[str, list[str]], ree: dict[str, Any]) -> dict[str, list[int]]:
    from incidex.extract.roles import normalise

    out: dict[str, list[int]] = {}
    for gold_role, role in REE_ROLES.items():
        gold = [{normalise(s) for s in e} for e in (ree or {}).get(gold_role, [])]
        used: set[int] = set()
        tp = 0
        for p in dict.fromkeys(normalise(s) for s in pred.get(role, [])):
            j = next((k for k, g in enumerate(gold) if k not in used and p in g), None)
            if j is not None:
                used.add(j)
                tp += 1
        out[role] = [tp, len(set(normalise(s) for s in pred.get(role, []))), len(gold)]
    return out


def report(totals: dict[str, list[int]]) -> str:
    lines = []
    all_ = [0, 0, 0]
    for role, (tp, npred, ngold) in totals.items():
        all_ = [a + b for a, b in zip(all_, (tp, npred, ngold), strict=True)]
        lines.append(f"  {role:8} {_prf(tp, npred, ngold)}")
    lines.append(f"  {'micro':8} {_prf(*all_)}")
    return "\n".join(lines)


def _prf(tp: int, npred: int, ngold: int) -> str:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {100 * p:5.1f} R {100 * r:5.1f} F1 {100 * f:5.1f} ({npred} pred, {ngold} gold)"


def _micro_f1(totals: dict[str, list[int]]) -> float:
    tp = sum(v[0] for v in totals.values())
    npred = sum(v[1] for v in totals.values())
    ngold = sum(v[2] for v in totals.values())
    return 2 * tp / (npred + ngold) if npred + ngold else 0.0


def evaluate(
    held: list[tuple[Any, Any]],
    probs: list[np.ndarray],
    labels: list[str],
    golds: dict[str, dict[str, Any]],
    thresholds: dict[str, float],
) -> dict[str, list[int]]:
    totals = {r: [0, 0, 0] for r in REE_ROLES.values()}
    for (article, doc), p in zip(held, probs, strict=True):
        pred = predicted_entities(p, labels, doc, article.text, thresholds)
        for role, c in ree_counts(pred, golds[article.id].get("ree") or {}).items():
            totals[role] = [a + b for a, b in zip(totals[role], c, strict=True)]
    return totals


def tune_thresholds(
    held: list[tuple[Any, Any]],
    probs: list[np.ndarray],
    labels: list[str],
    golds: dict[str, dict[str, Any]],
) -> dict[str, float]:
    """Return per role the probability threshold with the best held-out F1 of that role."""
    thresholds = {r: 0.5 for r in REE_ROLES.values()}
    for role in REE_ROLES.values():
        best = (-1.0, 0.5)
        for t in (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6):
            trial = {**thresholds, role: t}
            tp, npred, ngold = evaluate(held, probs, labels, golds, trial)[role]
            f = 2 * tp / (npred + ngold) if npred + ngold else 0.0
            best = max(best, (f, t))
        thresholds[role] = best[1]
    return thresholds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--no-cv", action="store_true")
    ap.add_argument("--c", type=float, default=0.5)
    ap.add_argument("--dev", action="store_true", help="also report the tagger alone on dev")
    args = ap.parse_args(argv)
    lexs = lexicons()
    items = parsed("train")
    golds = read_golds("train")
    feats = featurise(items, lexs)
    labels = [token_labels(doc, a.text, golds[a.id].get("ree") or {}) for a, doc in items]
    print(f"{len(items)} messages, {sum(map(len, labels))} tokens", file=sys.stderr)
    thresholds = {r: 0.4 for r in REE_ROLES.values()}
    if not args.no_cv:
        fold_probs: list[np.ndarray] = [np.zeros(0)] * len(items)
        classes: list[str] = []
        for k in range(FOLDS):
            train = [i for i in range(len(items)) if i % FOLDS != k]
            held = [i for i in range(len(items)) if i % FOLDS == k]
            clf, index = fit([feats[i] for i in train], [labels[i] for i in train], args.c)
            classes = [str(c) for c in clf.classes_]
            for i in held:
                fold_probs[i] = clf.predict_proba(_matrix([feats[i]], index))
            print(f"fold {k} done", file=sys.stderr)
        thresholds = tune_thresholds(items, fold_probs, classes, golds)
        totals = evaluate(items, fold_probs, classes, golds, thresholds)
        print(f"{FOLDS}-fold CV on train, thresholds {thresholds}\n{report(totals)}")
    thresholds = DEV_THRESHOLDS
    clf, index = fit(feats, labels, args.c)
    model = export(clf, index, thresholds, lexs)
    OUT.write_text(json.dumps(model, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB, {len(model['weights'])} features)")
    if args.dev:
        dev = parsed("dev")
        dev_gold = read_golds("dev")
        dev_feats = featurise(dev, lexs)
        probs = [clf.predict_proba(_matrix([f], index)) for f in dev_feats]
        totals = evaluate(dev, probs, [str(c) for c in clf.classes_], dev_gold, thresholds)
        print(f"dev, tagger alone on every message:\n{report(totals)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
