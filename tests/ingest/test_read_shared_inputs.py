"""The evaluation inputs under ../shared read as one Document per line, ids kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from incidex.ingest import read
from incidex.models import Document

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
DEV_INPUT = SHARED / "eval" / "dev" / "input.jsonl"
SEED = SHARED / "seed" / "crocus-commentary.txt"


@pytest.mark.skipif(not DEV_INPUT.exists(), reason="shared dev set not present")
def test_read_dev_input_keeps_every_line_and_id() -> None:
    lines = [ln for ln in DEV_INPUT.read_text(encoding="utf-8").splitlines() if ln.strip()]
    wanted = [str(json.loads(ln)["id"]) for ln in lines]
    results = list(read([str(DEV_INPUT)]))
    assert all(isinstance(r, Document) for r in results)
    assert [r.id for r in results if isinstance(r, Document)] == wanted


@pytest.mark.skipif(not SEED.exists(), reason="shared seed article not present")
def test_read_seed_article_is_plain_text() -> None:
    (doc,) = read([str(SEED)])
    assert isinstance(doc, Document)
    assert doc.media_type == "text/plain" and doc.raw == SEED.read_bytes()
