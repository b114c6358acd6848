"""The extractor codes every bundled demo article as ``expected.json`` (hand-coded) says:
the number of incidents, and per incident its date, place, attack types, tolls and
perpetrators, and the article's claims. A regression anywhere in extraction that touches
these well-formed articles shows here, field by field."""

from __future__ import annotations

from typing import Any

import pytest

from incidex import pipeline
from incidex.demo import demo_files, expected
from incidex.extract.actors import canonical_group
from incidex.ingest import read
from incidex.models import Document

FIELDS = ("date", "country", "city", "attack_types", "killed", "wounded", "perpetrators")


# Known misses, kept visible: strict xfail fails the day the extractor gets them right.
INCIDENT_GAPS: dict[str, str] = {}
CLAIM_GAPS: dict[str, str] = {}


def _cases(gaps: dict[str, str]) -> list[Any]:
    return [
        pytest.param(n, marks=pytest.mark.xfail(reason=gaps[n], strict=True)) if n in gaps else n
        for n in sorted(expected())
    ]


def _group(name: str) -> str:
    """Return one spelling per known group ("al-Shabab" and "al-Shabaab" are one)."""
    return canonical_group(name) or name


def _comparable(inc: dict[str, Any]) -> dict[str, Any]:
    date, place = inc.get("date") or {}, inc.get("place") or {}
    return {
        "date": (date.get("year"), date.get("month"), date.get("day")),
        "country": place.get("country"),
        "city": place.get("city"),
        "attack_types": sorted(inc.get("attack_types") or []),
        "killed": (inc.get("killed") or {}).get("min"),
        "wounded": (inc.get("wounded") or {}).get("min"),
        "perpetrators": sorted(_group(p) for p in inc.get("perpetrators") or []),
    }


@pytest.fixture(scope="module")
def extracted() -> dict[str, dict[str, Any]]:
    out = {}
    for result in read([str(f) for f in demo_files()]):
        assert isinstance(result, Document)
        name = result.source.rsplit("/", 1)[-1]
        out[name] = pipeline.extract_document(result).to_dict()
    return out


@pytest.mark.parametrize("name", _cases(INCIDENT_GAPS))
def test_demo_article_incidents_match_hand_coding(
    name: str, extracted: dict[str, dict[str, Any]]
) -> None:
    gold = [_comparable(i) for i in expected()[name]["incidents"]]
    found = [_comparable(i) for i in extracted[name]["incidents"] if not i.get("background")]
    assert len(found) == len(gold), f"{name}: {len(found)} incidents, expected {len(gold)}"
    for g, f in zip(gold, found, strict=True):
        wrong = {k: (f[k], g[k]) for k in FIELDS if f[k] != g[k]}
        assert not wrong, f"{name}: (found, expected) {wrong}"


@pytest.mark.parametrize("name", _cases(CLAIM_GAPS))
def test_demo_article_claims_match_hand_coding(
    name: str, extracted: dict[str, dict[str, Any]]
) -> None:
    gold = {(c["kind"], _group(c["party"])) for c in expected()[name]["claims"]}
    found = {(c["kind"], _group(c["party"] or "")) for c in extracted[name]["claims"]}
    assert gold <= found, f"{name}: missing {gold - found}"
