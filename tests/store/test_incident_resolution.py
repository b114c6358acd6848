"""The store resolves saved articles into incidents: copies join one copy group, mentions of
one attack merge, a later article can undo a merge (the move is logged with its reasons),
and stores written before incidents existed are resolved when opened."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import sqlalchemy as sa
from incidex_store_builders import MARKET_TEXT, fact, market_extraction, market_mention

from incidex.models import Place
from incidex.store import Store, open_store
from incidex.store.schema import incidents, resolution_log

LONG_TEXT = MARKET_TEXT + (
    " Traders closed their stalls for the rest of the week and the county commissioner "
    "promised extra patrols around the market and the bus station before the holiday."
)
JUNK = "Share this page:\nFacebook\nTwitter\n\n"


def _vague(doc_id: str, text: str) -> object:
    """Return a market mention of ``text`` without a venue (fits either venue)."""
    place = Place(city="Port Selin", country="KE", lat=-1.5, lon=37.1, precision=1)
    return market_mention(
        doc_id, text, place=fact(place, doc_id, text, "Port Selin", "place.gazetteer")
    )


def _at(doc_id: str, text: str, venue: str) -> object:
    place = Place(venue=venue, city="Port Selin", country="KE", lat=-1.5, lon=37.1, precision=1)
    return market_mention(
        doc_id, text, place=fact(place, doc_id, text, "Port Selin", "place.gazetteer")
    )


def _save(store: Store, doc_id: str, text: str, mention: object, day: int) -> None:
    doc, ext = market_extraction(
        doc_id,
        dt.date(2024, 5, day),
        mentions=[mention],
        claims=[],
        text=text,  # type: ignore[list-item]
    )
    assert store.save(doc, ext).stored


def _members(store: Store) -> dict[str, list[str]]:
    return {r.id: store.incident(r.id).to_dict()["articles"] for r in store.incidents()}  # type: ignore[union-attr]


def test_verbatim_copy_under_other_junk_joins_the_original(store: Store) -> None:
    _save(store, "orig", LONG_TEXT, _at("orig", LONG_TEXT, "market"), 4)
    _save(store, "synd", JUNK + LONG_TEXT, _at("synd", JUNK + LONG_TEXT, "market"), 5)
    groups = store.copy_groups()
    assert [[a.id for a in g.articles] for g in groups] == [["orig", "synd"]]
    row = store.incidents()[0]
    assert row.sources == 1 and len(store.incidents()) == 1


def test_later_evidence_moves_a_mention_and_logs_why(store: Store) -> None:
    # A venue-less report first merges with the market report...
    other = MARKET_TEXT.replace("Gunmen", "Armed men").replace("crowded", "busy")
    _save(store, "mkt", other, _at("mkt", other, "market"), 4)
    _save(store, "vague", LONG_TEXT, _vague("vague", LONG_TEXT), 5)
    assert sorted(_members(store)["mkt:0"]) == ["mkt", "vague"]
    # ...until a copy of it reports the shooting at the bus station: the vague report is a
    # copy of that story, so it moves to the bus-station incident.
    bus = JUNK + LONG_TEXT
    _save(store, "bus", bus, _at("bus", bus, "bus station"), 5)
    members = _members(store)
    assert sorted(members.values()) == [["bus", "vague"], ["mkt"]]
    with store.engine.connect() as conn:
        moved = conn.execute(sa.select(resolution_log)).mappings().all()
    assert any(r["mention_id"] == "vague:0" and r["previous_incident"] == "mkt:0" for r in moved)
    assert all(r["reasons"] for r in moved)
    # The reasons are stored as the JSON column encodes a list of strings (json.dumps).
    with store.engine.connect() as conn:
        raw = conn.exec_driver_sql("SELECT CAST(reasons AS TEXT) FROM resolution_log").scalars()
        assert sorted(raw) == sorted(json.dumps(r["reasons"]) for r in moved)


def test_store_written_before_incidents_is_resolved_on_open(tmp_path: Path) -> None:
    path = str(tmp_path / "old.db")
    with open_store(path) as store:
        assert store.save(*market_extraction("mkt")).stored
        with store.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM copy_members"))
            conn.execute(sa.text("DELETE FROM copy_fingerprints"))
            conn.execute(incidents.delete())
        assert store.incidents() == []
    with open_store(path) as store:
        assert [r.id for r in store.incidents()] == ["mkt:0"]


def test_export_record_lists_articles_and_copy_groups(store: Store) -> None:
    _save(store, "orig", LONG_TEXT, _at("orig", LONG_TEXT, "market"), 4)
    _save(store, "synd", JUNK + LONG_TEXT, _at("synd", JUNK + LONG_TEXT, "market"), 5)
    detail = store.incident("orig:0")
    assert detail is not None
    record = detail.to_dict()
    assert record["articles"] == ["orig", "synd"]
    assert record["copy_groups"] == [["orig", "synd"]]
    assert [h["article_id"] for h in record["toll_history"] if h["field"] == "killed"] == [
        "orig",
        "synd",
    ]
