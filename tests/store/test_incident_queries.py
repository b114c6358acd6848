"""Listing incidents with filters, and one incident in full with evidence and claims."""

from __future__ import annotations

import datetime as dt

import pytest
from incidex_store_builders import (
    MARKET_TEXT,
    bridge_extraction,
    claim,
    evidence,
    fact,
    market_extraction,
    market_mention,
)

from incidex.models import Count, PartialDate, Place
from incidex.store import IncidentFilter, Store


@pytest.fixture
def filled(store: Store) -> Store:
    """Return a store with a market shooting (KE, 2024-05-03, 12 killed), a bridge
    bombing (UA, March 2023, 4 killed), an undated stabbing published 2022-01-10 (KE),
    and a background mention."""
    assert store.save(*market_extraction("mkt")).stored
    assert store.save(*bridge_extraction("brg")).stored
    text = MARKET_TEXT.replace("Gunmen", "Attackers")
    undated = market_mention(
        "und",
        text,
        date=None,
        attack_types=(fact("unarmed_assault", "und", text, "opened fire", "trigger.x"),),
        killed=fact(Count(1), "und", text, "at least 12", "toll.killing"),
    )
    old = market_mention(
        "und",
        text,
        index=1,
        background=True,
        date=fact(PartialDate(2001, 9, 11), "und", text, "3 May 2024", "date.absolute"),
    )
    assert store.save(
        *market_extraction("und", dt.date(2022, 1, 10), [undated, old], [], text)
    ).stored
    return store


def ids(store: Store, **kw: object) -> list[str]:
    return [r.id for r in store.incidents(IncidentFilter(**kw))]  # type: ignore[arg-type]


def test_incidents_default_lists_foreground_newest_first(filled: Store) -> None:
    assert ids(filled) == ["mkt:0", "brg:0", "und:0"]


def test_incidents_include_background_on_request(filled: Store) -> None:
    assert "und:1" in ids(filled, include_background=True)
    assert "und:1" not in ids(filled)


def test_incidents_filter_by_country(filled: Store) -> None:
    assert ids(filled, country="ua") == ["brg:0"]
    assert set(ids(filled, country="KE")) == {"mkt:0", "und:0"}
    assert ids(filled, country="FR") == []


def test_incidents_since_uses_partial_date_range_and_publication_fallback(filled: Store) -> None:
    # "March 2023" may mean 31 March, so it is still in range from 15 March.
    assert ids(filled, since=dt.date(2023, 3, 15)) == ["mkt:0", "brg:0"]
    assert ids(filled, since=dt.date(2023, 4, 1)) == ["mkt:0"]
    # The undated incident falls back to its article's publication date, 2022-01-10.
    assert ids(filled, until=dt.date(2022, 12, 31)) == ["und:0"]
    assert ids(filled, since=dt.date(2022, 1, 1), until=dt.date(2023, 3, 1)) == [
        "brg:0",
        "und:0",
    ]


def test_incidents_filter_by_attack_type(filled: Store) -> None:
    assert ids(filled, attack_type="bombing_explosion") == ["brg:0"]
    assert ids(filled, attack_type="armed_assault") == ["mkt:0"]
    assert ids(filled, attack_type="hijacking") == []


def test_incidents_filter_by_min_killed(filled: Store) -> None:
    assert ids(filled, min_killed=4) == ["mkt:0", "brg:0"]
    assert ids(filled, min_killed=5) == ["mkt:0"]


def test_incidents_text_query_matches_title_venue_city(filled: Store) -> None:
    assert ids(filled, query="old mill") == ["brg:0"]
    assert ids(filled, query="tarvik") == ["brg:0"]
    assert ids(filled, query="BRIDGE") == ["brg:0"]
    assert ids(filled, query="100%") == []


def test_incidents_order_and_paging(filled: Store) -> None:
    assert ids(filled, order="date_asc") == ["und:0", "brg:0", "mkt:0"]
    assert ids(filled, order="killed_desc") == ["mkt:0", "brg:0", "und:0"]
    assert ids(filled, limit=1, offset=1) == ["brg:0"]
    assert filled.count_incidents(IncidentFilter(country="KE", limit=1)) == 2


def test_incident_row_carries_fields_and_article(filled: Store) -> None:
    row = filled.incidents(IncidentFilter(country="UA"))[0]
    assert row.date == "2023-03"
    assert (row.city, row.venue, row.country) == ("Tarvik", "Old Mill bridge", "UA")
    assert row.attack_types == ("bombing_explosion",)
    assert (row.killed, row.killed_qualifier) == (4, None)
    assert row.article_id == "brg" and row.title == "Bomb near bridge"
    assert row.sources == 1
    assert row.summary.startswith("A car bomb exploded")


def test_incident_detail_has_evidence_for_every_fact(filled: Store) -> None:
    detail = filled.incident("mkt:0")
    assert detail is not None
    assert set(detail.evidence) >= {"mention", "killed", "wounded", "date", "place"}
    killed = detail.evidence["killed"][0]
    assert killed.rule == "toll.killing"
    assert MARKET_TEXT[killed.start : killed.end] == killed.text == "at least 12"
    assert killed.text in killed.sentence
    assert killed.value == {"min": 12, "max": None, "qualifier": "at least"}
    assert detail.fields["killed"]["min"] == 12
    assert detail.article.id == "mkt" and detail.article.published == "2024-05-04"


def test_incident_detail_lists_linked_claims_first(store: Store) -> None:
    doc, ext = market_extraction("lnk")
    claims = (
        claim("lnk", MARKET_TEXT, "accusation", "minister", "Blue Dawn", "blamed", incident=None),
        claim("lnk", MARKET_TEXT, "responsibility", "RHF", "Red Hand Front", "carried out"),
    )
    second = market_mention("lnk", index=1)
    store.save(doc, ext.__class__(ext.article, (ext.mentions[0], second), claims))
    detail = store.incident("lnk:0")
    assert detail is not None
    assert [(c.kind, c.linked) for c in detail.claims] == [
        ("responsibility", True),
        ("accusation", False),
    ]
    assert detail.row.attribution_status == "claimed"
    other = store.incident("lnk:1")
    assert other is not None and other.row.attribution_status == "unknown"


def test_unlinked_claims_belong_to_an_articles_only_incident(store: Store) -> None:
    doc, ext = market_extraction(
        "solo",
        claims=[claim("solo", MARKET_TEXT, "accusation", "x", "Blue Dawn", "blamed", None)],
    )
    store.save(doc, ext)
    detail = store.incident("solo:0")
    assert detail is not None
    assert detail.claims[0].linked
    assert detail.row.attribution_status == "suspected"


def test_incident_unknown_id_is_none(store: Store) -> None:
    assert store.incident("nope:0") is None


def test_incident_details_pages_through_all_matches(filled: Store) -> None:
    got = [d.id for d in filled.incident_details(IncidentFilter(country="KE"))]
    assert got == ["mkt:0", "und:0"]
    limited = [d.id for d in filled.incident_details(IncidentFilter(limit=2))]
    assert limited == ["mkt:0", "brg:0"]


def test_place_country_is_stored_upper_case(store: Store) -> None:
    place = fact(Place(city="Port Selin", country="ke"), "lc", MARKET_TEXT, "Port Selin", "p")
    doc, ext = market_extraction("lc", mentions=[market_mention("lc", place=place)])
    store.save(doc, ext)
    assert ids(store, country="KE") == ["lc:0"]


def test_evidence_offsets_point_into_article_text(filled: Store) -> None:
    detail = filled.incident("brg:0")
    assert detail is not None
    stored = filled.article("brg")
    assert stored is not None
    for rows in detail.evidence.values():
        for e in rows:
            assert stored.text[e.start : e.end] == e.text
    assert evidence("brg", stored.text, "Tarvik").start == detail.evidence["place"][0].start
