"""Places: venues, towns, regions and countries from the parse and the gazetteer."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from incidex.annotate import load_nlp
from incidex.extract.context import Context
from incidex.extract.places import PlaceMention, find_places, incident_place
from incidex.models import Article, Place

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
SEED = SHARED / "seed" / "crocus-commentary.txt"


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp()


def context(nlp: Any, text: str) -> Context:
    art = Article(id="t1", text=text, language="en", published=datetime.date(2024, 3, 25))
    return Context(art, nlp(text))


def places(nlp: Any, text: str) -> list[Place]:
    return [m.fact.value for m in find_places(context(nlp, text))]


def with_city(found: list[Place], city: str) -> Place:
    matches = [p for p in found if p.city == city]
    assert matches, f"no place with city {city!r} in {found}"
    return matches[0]


def test_places_venue_city_and_country_from_possessive(nlp: Any) -> None:
    text = "Gunmen stormed Lagos's Tafawa Balewa Square concert venue on Saturday night."
    place = with_city(places(nlp, text), "Lagos")
    assert place.venue == "Tafawa Balewa Square"
    assert place.country == "NG"
    assert place.precision == 1
    assert place.lat is not None and 6.0 < place.lat < 7.0


def test_places_town_of_name(nlp: Any) -> None:
    text = "A car bomb exploded near a crowded market in the southern town of Kut on Tuesday."
    place = with_city(places(nlp, text), "Kut")
    assert place.country == "IQ"
    assert place.venue == "crowded market"


def test_places_district_of_city_becomes_venue(nlp: Any) -> None:
    text = "A bomb hit a wedding party in Kabul's western neighbourhood of Dasht-e-Barchi."
    place = with_city(places(nlp, text), "Kabul")
    assert place.country == "AF"
    assert place.venue is not None and "Dasht-e-Barchi" in place.venue


def test_places_admin1_with_country_possessive(nlp: Any) -> None:
    text = "Militants attacked a police post in northeastern Nigeria's Yobe state overnight."
    found = [p for p in places(nlp, text) if p.admin1 == "Yobe"]
    assert found, "Yobe state not found"
    assert found[0].country == "NG"
    assert found[0].city is None
    assert found[0].precision == 4


def test_places_demonym_gives_country(nlp: Any) -> None:
    text = "Five soldiers died when a mine exploded near the Malian town of Gao."
    place = with_city(places(nlp, text), "Gao")
    assert place.country == "ML"


def test_places_city_with_region_and_country(nlp: Any) -> None:
    text = "The blast in Quetta, Balochistan, Pakistan killed nine."
    place = with_city(places(nlp, text), "Quetta")
    assert place.admin1 == "Balochistan"
    assert place.country == "PK"


def test_places_dateline_is_a_place(nlp: Any) -> None:
    text = "MOGADISHU, May 4 (Reuters) — Militants fired mortars at the presidential palace."
    mentions = find_places(context(nlp, text))
    assert mentions[0].fact.rule == "places.dateline"
    assert mentions[0].fact.value.city is not None
    assert mentions[0].fact.value.country == "SO"


def test_places_ambiguous_city_follows_region_named_nearby(nlp: Any) -> None:
    text = "Police said a man opened fire at a church in Paris, Texas, wounding two."
    place = with_city(places(nlp, text), "Paris")
    assert place.country == "US"
    assert place.lon is not None and place.lon < -90


def test_places_ambiguous_city_defaults_to_most_populous(nlp: Any) -> None:
    text = "A man opened fire at a cafe in Paris, wounding two."
    assert with_city(places(nlp, text), "Paris").country == "FR"


def test_places_country_votes_disambiguate_small_town(nlp: Any) -> None:
    text = (
        "Uruguayan police said a bomb damaged a bank branch in Florida on Monday. "
        "Uruguay has seen few such attacks."
    )
    place = with_city(places(nlp, text), "Florida")
    assert place.country == "UY"


def test_places_country_that_only_qualifies_is_no_place(nlp: Any) -> None:
    text = "U.S. officials condemned the shooting."
    assert places(nlp, text) == []


def test_places_evidence_is_article_text(nlp: Any) -> None:
    text = "A suicide bomber struck a checkpoint in the city of Mosul.\nIraqi officials said so."
    ctx = context(nlp, text)
    for mention in find_places(ctx):
        for ev in mention.fact.evidence:
            assert text[ev.start : ev.end] == ev.text
            assert mention.fact.rule.startswith("places.")


def incident(nlp: Any, text: str, sentence_with: str) -> Place | None:
    ctx = context(nlp, text)
    mentions: list[PlaceMention] = find_places(ctx)
    indices = [i for i, s in enumerate(ctx.sents) if sentence_with in s.text]
    fact = incident_place(ctx, mentions, indices)
    return fact.value if fact is not None else None


def test_incident_place_ignores_unrelated_sentences(nlp: Any) -> None:
    text = (
        "A gunman killed four worshippers at a mosque in Herat on Friday. "
        "The group has carried out attacks in Syria, Iraq and Libya for years. "
        "Analysts blame the war in Yemen for its growth."
    )
    place = incident(nlp, text, "gunman")
    assert place is not None
    assert place.city == "Herat"
    assert place.country == "AF"
    assert place.venue == "mosque"


def test_incident_place_completes_venue_with_nearby_city(nlp: Any) -> None:
    text = (
        "Two blasts shook the Pakistani city of Multan on Sunday. "
        "The second bomb went off at a bus terminal, killing seven."
    )
    place = incident(nlp, text, "second bomb")
    assert place is not None
    assert place.venue == "bus terminal"
    assert place.city == "Multan"
    assert place.country == "PK"


def test_incident_place_none_without_sentences(nlp: Any) -> None:
    ctx = context(nlp, "Nothing happened in Oslo.")
    assert incident_place(ctx, find_places(ctx), []) is None


def test_places_seed_incident_is_crocus_city_hall_moscow(nlp: Any) -> None:
    if not SEED.exists():
        pytest.skip("shared seed article not available")
    text = SEED.read_text(encoding="utf-8")
    ctx = context(nlp, text)
    mentions = find_places(ctx)
    first = next(i for i, s in enumerate(ctx.sents) if "Crocus" in s.text)
    fact = incident_place(ctx, mentions, [first])
    assert fact is not None
    place = fact.value
    assert (place.venue, place.city, place.country) == ("Crocus City Hall", "Moscow", "RU")
    assert place.lat is not None and place.lon is not None
    assert abs(place.lat - 55.75) < 0.2 and abs(place.lon - 37.62) < 0.2
    assert all(text[e.start : e.end] == e.text for e in fact.evidence)


def test_places_moves_past_punctuation_tagged_as_proper_noun() -> None:
    """A lone "." tagged PROPN (upper-case wire copy: "DR.  RAFAEL") once looped forever."""
    text = "THE REPORT WAS RENDERED BY DR.  RAFAEL MORENO AFTER THE ATTACK IN LIMA."
    doc = load_nlp()(text)
    assert any(t.is_punct and t.pos_ == "PROPN" for t in doc)
    art = Article(id="p", text=text, language="en", published=datetime.date(1990, 1, 5))
    find_places(Context(art, doc))
