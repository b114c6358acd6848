"""Parse the MUC-4 messages of a split as the extractor does and cache the parses, for the
training scripts (run outside the test suite, from the repository root).

The messages go through ``incidex.clean``, the relevance gate and ``incidex.annotate``
exactly as ``incidex extract`` runs them; parses are cached as spaCy DocBins under
``/tmp/incidex_muc_cache``, or the directory ``INCIDEX_MUC_CACHE`` names (messages the gate
turns away get no parse; fold models of different code then need not overwrite each other).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared" / "eval" / "muc4"
CACHE = Path(os.environ.get("INCIDEX_MUC_CACHE", "/tmp/incidex_muc_cache"))


def messages(split: str) -> list[dict[str, Any]]:
    """Return the MUC-4 input messages of a split."""
    with (SHARED / "input.jsonl").open(encoding="utf-8") as f:
        return [m for m in map(json.loads, f) if m.get("split") == split]


def golds(split: str) -> dict[str, dict[str, Any]]:
    """Return the gold records of a split by message id."""
    with (SHARED / "gold.jsonl").open(encoding="utf-8") as f:
        return {g["id"]: g for g in map(json.loads, f) if g.get("split") == split}


def parsed(split: str) -> list[tuple[Any, Any | None]]:
    """Return (Article, spaCy Doc or None when the gate skips it) per message of a split."""
    from incidex import clean, gate
    from incidex.pipeline import document_from_text

    articles = [
        clean.clean(document_from_text(m["text"], id=m["id"], published=m.get("published")))
        for m in messages(split)
    ]
    passed = [a for a in articles if gate.may_report_incident(a)]
    docs = cached_parses(passed, CACHE / f"{split}.spacy")
    by_id = {a.id: d for a, d in zip(passed, docs, strict=True)}
    return [(a, by_id.get(a.id)) for a in articles]


def cached_parses(articles: list[Any], path: Path) -> list[Any]:
    """Return the parses of ``articles`` as ``incidex extract`` makes them, read from the
    DocBin at ``path`` when it exists, else parsed and written there."""
    from spacy.tokens import DocBin

    from incidex import annotate

    nlp = annotate.load_nlp()
    if path.exists():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    path.parent.mkdir(parents=True, exist_ok=True)
    docs = list(annotate.annotate_many(articles))
    bin_ = DocBin()
    for d in docs:
        bin_.add(d)
    bin_.to_disk(path)
    return docs


def extractions(split: str, wire_relevance: bool = True) -> list[tuple[Any, Any | None, Any]]:
    """Return (Article, Doc or None, Extraction) per message of a split."""
    from incidex.extract import extract
    from incidex.models import Extraction

    out = []
    for article, doc in parsed(split):
        result = (
            extract(article, doc, wire_relevance=wire_relevance)
            if doc is not None
            else Extraction(article=article)
        )
        out.append((article, doc, result))
    return out


def write_predictions(split: str, path: Path, wire_relevance: bool = True) -> None:
    """Write ``incidex extract`` output lines for a split to ``path`` (for score_muc.py)."""
    with path.open("w", encoding="utf-8") as f:
        for _, _, result in extractions(split, wire_relevance):
            f.write(json.dumps(result.to_dict()) + "\n")
