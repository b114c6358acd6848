"""Provenance: every extracted value carries evidence that is an exact substring of the
cleaned text at its offsets (checked through the Python API on real and demo articles)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import DEMO, shared_file

import incidex


def _check(extraction: incidex.Extraction) -> int:
    text = extraction.article.text
    checked = 0
    for mention in extraction.mentions:
        evidences = [mention.evidence]
        for facts in mention.facts().values():
            for fact in facts:
                assert fact.evidence, f"{fact} has no evidence"
                evidences.extend(fact.evidence)
        for ev in evidences:
            assert text[ev.start : ev.end] == ev.text
            assert text[ev.sentence_start : ev.sentence_start + len(ev.sentence)] == ev.sentence
            assert ev.sentence_start <= ev.start and ev.end <= ev.sentence_start + len(ev.sentence)
            checked += 1
    for claim in extraction.claims:
        ev = claim.evidence
        assert text[ev.start : ev.end] == ev.text
        checked += 1
    return checked


def test_seed_evidence_is_exact_substring() -> None:
    seed = shared_file("seed", "crocus-commentary.txt").read_text(encoding="utf-8")
    assert _check(incidex.extract(seed)) > 10


@pytest.mark.parametrize(
    "path", sorted(p for p in DEMO.iterdir() if p.suffix in {".txt", ".html"}), ids=lambda p: p.name
)
def test_demo_evidence_is_exact_substring(path: Path) -> None:
    _check(incidex.extract(path.read_bytes()))
