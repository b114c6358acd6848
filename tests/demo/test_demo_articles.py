"""The bundled demo articles exist, read cleanly, and ``expected.json`` codes each of them
in the FORMAT.md gold shape. Extraction accuracy on them is tested elsewhere."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from incidex.demo import demo_files, expected
from incidex.ingest import read
from incidex.models import ATTACK_TYPES, CLAIM_KINDS, WEAPON_TYPES, Document

MONTHS = [dt.date(2000, m, 1).strftime("%B") for m in range(1, 13)]


@pytest.fixture(scope="module")
def gold() -> dict[str, Any]:
    return expected()


def _texts() -> dict[str, str]:
    return {f.name: f.read_text(encoding="utf-8") for f in demo_files()}


def _incidents(gold: dict[str, Any]) -> list[dict[str, Any]]:
    return [inc for entry in gold.values() for inc in entry["incidents"]]


def test_demo_expected_covers_exactly_the_demo_files(gold: dict[str, Any]) -> None:
    names = [f.name for f in demo_files()]
    assert len(names) == 7
    assert sorted(gold) == names
    assert sum(name.endswith(".html") for name in names) == 1


def test_demo_expected_entries_have_gold_shape(gold: dict[str, Any]) -> None:
    for name, entry in gold.items():
        published = dt.date.fromisoformat(entry["published"])
        for inc in entry["incidents"]:
            date = inc["date"]
            happened = dt.date(date["year"], date["month"], date["day"])
            assert happened <= published, name
            assert set(inc["place"]) == {"venue", "city", "admin1", "country"}
            assert re.fullmatch(r"[A-Z]{2}", inc["place"]["country"]), name
            assert inc["attack_types"] and set(inc["attack_types"]) <= set(ATTACK_TYPES)
            assert set(inc["weapons"]) <= set(WEAPON_TYPES), name
            for toll in (inc["killed"], inc["wounded"]):
                assert set(toll) == {"min", "max"}
            assert isinstance(inc["perpetrators"], list)
        for claim in entry["claims"]:
            assert claim["kind"] in CLAIM_KINDS and claim["speaker"] and claim["party"]


def test_demo_covers_attack_types_countries_and_claim_kinds(gold: dict[str, Any]) -> None:
    incidents = _incidents(gold)
    kinds = {c["kind"] for entry in gold.values() for c in entry["claims"]}
    assert kinds == set(CLAIM_KINDS)
    assert len({t for inc in incidents for t in inc["attack_types"]}) >= 6
    assert len({inc["place"]["country"] for inc in incidents}) >= 6
    assert any(not entry["incidents"] for entry in gold.values())


def test_demo_texts_carry_their_publication_date(gold: dict[str, Any]) -> None:
    for name, text in _texts().items():
        published = dt.date.fromisoformat(gold[name]["published"])
        month = MONTHS[published.month - 1]
        spelled = (
            f"{month} {published.day}, {published.year}",
            f"{published.day} {month} {published.year}",
        )
        assert any(s in text for s in spelled) or published.isoformat() in text, name


def test_demo_text_files_open_with_headline_and_blank_line(gold: dict[str, Any]) -> None:
    for name, text in _texts().items():
        if name.endswith(".txt"):
            lines = text.split("\n")
            assert lines[0] == gold[name]["title"] and lines[1] == "", name


def test_demo_has_dateline_page_junk_and_html_furniture() -> None:
    texts = _texts()
    assert any(
        re.search(r"^[A-Z ]+, \w+ \d+, \d{4} \(Incidex Wire\) —", t, re.M) for t in texts.values()
    )
    assert any("Share this article" in t and "Related content" in t for t in texts.values())
    (page,) = [t for n, t in texts.items() if n.endswith(".html")]
    for part in ("<nav", "share-widget", "related-stories", "<footer"):
        assert part in page


def test_demo_files_read_as_documents() -> None:
    paths = [str(f) for f in demo_files()]
    results = list(read(paths))
    assert all(isinstance(r, Document) for r in results)
    media = {r.source.rsplit("/", 1)[-1]: r.media_type for r in results if isinstance(r, Document)}
    assert media["nantes-car-ramming.html"] == "text/html"
    assert media["mogadishu-market-bombing.txt"] == "text/plain"
