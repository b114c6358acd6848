"""A report merging with the members of a stored incident stores one mention link to it,
not one per member: the links then join exactly the mentions that every merging pair
joins (an incident's members are linked already), so incidents stay the same while the
links of an incident of n reports grow with n, not n squared. A report merging with
the members of two incidents stores a link to each."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa
from incidex_store_builders import fact, market_extraction, market_mention, stored_links

from incidex.models import PartialDate, Place
from incidex.store import Store, open_store
from incidex.store.schema import incident_members

_TAIL = (
    " opened fire at a {venue} in Port Selin on {day} May 2024,"
    " killing at least 12 and wounding 30."
)


def _save_market(
    store: Store, doc_id: str, opener: str, day: int, dated: int = 3, venue: str = "market"
) -> None:
    """Save a report, published on ``day`` of May 2024, of the shooting at ``venue`` on
    ``dated`` May."""
    text = "Red Hand Front " + opener + _TAIL.format(day=dated, venue=venue)
    date = fact(PartialDate(2024, 5, dated), doc_id, text, f"{dated} May 2024", "date.absolute")
    place = Place(venue=venue, city="Port Selin", country="KE", lat=-1.5, lon=37.1, precision=1)
    mention = market_mention(
        doc_id,
        text,
        date=date,
        place=fact(place, doc_id, text, "Port Selin", "place.gazetteer"),
        target_type=fact("business", doc_id, text, venue, "target.lexicon"),
    )
    doc, ext = market_extraction(
        doc_id,
        dt.date(2024, 5, day),
        mentions=[mention],
        claims=[],
        text=text,
    )
    assert store.save(doc, ext).stored


def _incidents(store: Store) -> list[list[str]]:
    with store.engine.connect() as conn:
        stmt = sa.select(incident_members.c.incident_id, incident_members.c.mention_id)
        members: dict[str, list[str]] = {}
        for iid, mid in conn.execute(stmt):
            members.setdefault(iid, []).append(mid)
    return sorted(sorted(m) for m in members.values())


OPENERS = ["gunmen", "attackers", "raiders", "militants", "assailants"]


def test_reports_of_one_attack_link_to_its_lead_once_each(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s.db"))
    for i, opener in enumerate(OPENERS):
        _save_market(store, f"r{i}", opener, 4 + i % 2)
    assert _incidents(store) == [[f"r{i}:0" for i in range(5)]]
    # One link per later report, each to the incident's lead; the ten pairs all merge.
    assert stored_links(store) == [("r0:0", f"r{i}:0") for i in range(1, 5)]
    store.close()


def test_a_new_process_links_a_report_once_to_a_stored_incident(tmp_path: Path) -> None:
    path = str(tmp_path / "s.db")
    first = open_store(path)
    for i, opener in enumerate(OPENERS[:3]):
        _save_market(first, f"r{i}", opener, 4)
    first.close()
    store = open_store(path)
    _save_market(store, "late", "militants", 5)
    assert _incidents(store) == [["late:0", "r0:0", "r1:0", "r2:0"]]
    assert [p for p in stored_links(store) if "late:0" in p] == [("late:0", "r0:0")]
    store.close()


def _save_month(store: Store, doc_id: str, day: int) -> None:
    """Save a report, published on ``day`` of May 2024, dating a shooting in Port Selin to
    May only, naming no venue."""
    text = (
        "Red Hand Front attackers opened fire in Port Selin in May 2024,"
        " killing at least 12 and wounding 30."
    )
    date = fact(PartialDate(2024, 5), doc_id, text, "May 2024", "date.absolute")
    place = Place(city="Port Selin", country="KE", lat=-1.5, lon=37.1, precision=1)
    mention = market_mention(
        doc_id,
        text,
        date=date,
        place=fact(place, doc_id, text, "Port Selin", "place.gazetteer"),
        target_type=None,
    )
    doc, ext = market_extraction(
        doc_id, dt.date(2024, 5, day), mentions=[mention], claims=[], text=text
    )
    assert store.save(doc, ext).stored


def test_a_report_merging_with_two_incidents_links_to_each(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s.db"))
    # Two shootings on different days at different venues are two incidents...
    _save_market(store, "a", "gunmen", 10, dated=3)
    _save_market(store, "c", "raiders", 10, dated=9, venue="bus station")
    assert _incidents(store) == [["a:0"], ["c:0"]]
    # ...and a report dating one to May alone, naming no venue, merges with each: a link
    # to each incident.
    _save_month(store, "b", 11)
    assert stored_links(store) == [("a:0", "b:0"), ("b:0", "c:0")]
    store.close()
