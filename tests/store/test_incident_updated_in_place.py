"""An incident that gains a report is updated in place: same id, one member row per
mention, attack types listed once, and the same stored facts as when the reports arrive
in the other order. Reports arriving after the lead join the incident in place (the
resolver's short path); in reverse order every report becomes the new lead and the
component is re-clustered, so the two orders compare the two paths."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from incidex_store_builders import MARKET_TEXT, claim, fact, market_extraction, market_mention

from incidex.models import Claim, Count
from incidex.store import Store, open_store
from incidex.store.schema import (
    incident_attack_types,
    incident_members,
    incidents,
    resolution_log,
)

SECOND = MARKET_TEXT + " By evening officials said at least 19 people had died."
THIRD = MARKET_TEXT + " The next day the hospital said at least 23 of the wounded had died."
REPORTS = [("first", MARKET_TEXT, 12, 4), ("second", SECOND, 19, 5), ("third", THIRD, 23, 6)]


def _save(
    store: Store, doc_id: str, text: str, killed: int, day: int, claims: tuple[Claim, ...] = ()
) -> None:
    toll = fact(Count(killed, None, "at least"), doc_id, text, f"at least {killed}", "toll.k")
    mention = market_mention(doc_id, text, killed=toll)
    doc, ext = market_extraction(
        doc_id, dt.date(2024, 5, day), mentions=[mention], claims=claims, text=text
    )
    assert store.save(doc, ext).stored


def _claims(doc_id: str, text: str) -> tuple[Claim, ...]:
    """The second report blames a group, the third has the group deny it (a claim not
    linked to a mention: about the article's only one)."""
    if doc_id == "second":
        return (claim(doc_id, text, "accusation", "a witness", "Blue Dawn", "shooting"),)
    if doc_id == "third":
        return (claim(doc_id, text, "denial", "Blue Dawn", "Blue Dawn", "hospital", None),)
    return ()


def _tables(store: Store) -> dict[str, Any]:
    # Read from the tables, as a reader going to the database itself must: after the
    # incidents marked stale are written.
    store.flush()
    with store.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(sa.select(incidents)).mappings()]
        members = sorted(tuple(r) for r in conn.execute(sa.select(incident_members)))
        types = sorted(tuple(r) for r in conn.execute(sa.select(incident_attack_types)))
    for r in rows:
        r.pop("resolved_at")
    return {"incidents": rows, "members": members, "types": types}


def test_each_new_report_updates_the_one_incident(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "a.db"))
    for doc_id, text, killed, day in REPORTS:
        _save(store, doc_id, text, killed, day)
        found = _tables(store)
        assert [r["id"] for r in found["incidents"]] == ["first:0"]
        assert found["types"] == [("first:0", "armed_assault")]
    (row,) = found["incidents"]
    assert row["killed_min"] == 23
    assert row["detail"]["articles"] == ["first", "second", "third"]
    assert found["members"] == [
        ("first:0", "first:0"),
        ("second:0", "first:0"),
        ("third:0", "first:0"),
    ]
    store.close()


def test_arrival_order_does_not_change_the_stored_incident(tmp_path: Path) -> None:
    stores = [open_store(str(tmp_path / f"{n}.db")) for n in ("forward", "backward")]
    for doc_id, text, killed, day in REPORTS:
        _save(stores[0], doc_id, text, killed, day)
    for doc_id, text, killed, day in reversed(REPORTS):
        _save(stores[1], doc_id, text, killed, day)
    forward, backward = (_tables(s) for s in stores)
    assert forward == backward
    for s in stores:
        s.close()


def test_reports_joining_with_claims_store_what_reclustering_stores(tmp_path: Path) -> None:
    stores = [open_store(str(tmp_path / f"{n}.db")) for n in ("forward", "backward")]
    for doc_id, text, killed, day in REPORTS:
        _save(stores[0], doc_id, text, killed, day, _claims(doc_id, text))
    for doc_id, text, killed, day in reversed(REPORTS):
        _save(stores[1], doc_id, text, killed, day, _claims(doc_id, text))
    forward, backward = (_tables(s) for s in stores)
    assert forward == backward
    (row,) = forward["incidents"]
    assert row["attribution_status"] == "disputed"
    assert row["detail"]["copy_groups"] == [["first", "second", "third"]]
    assert row["detail"]["mentions"] == ["first:0", "second:0", "third:0"]
    for s in stores:
        s.close()


def test_a_report_published_before_the_lead_moves_the_incident_and_logs_why(
    store_url: str, tmp_path: Path
) -> None:
    """The second and third reports arrive first (the third joins after its lead), then
    the first, published earlier: it leads the incident, which moves to its id with every
    member. The tables are those of the reports arriving in publication order, and the
    log holds each move with its decision against the new lead."""
    late, on_time = open_store(store_url), open_store(str(tmp_path / "on_time.db"))
    for doc_id, text, killed, day in [*REPORTS[1:], REPORTS[0]]:
        _save(late, doc_id, text, killed, day, _claims(doc_id, text))
    for doc_id, text, killed, day in REPORTS:
        _save(on_time, doc_id, text, killed, day, _claims(doc_id, text))
    assert _tables(late) == _tables(on_time)
    with late.engine.connect() as conn:
        logged = conn.execute(sa.select(resolution_log)).mappings().all()
    mentions, lead = late.resolver.mentions, late.resolver.mentions["first:0"]
    assert sorted((r["mention_id"], r["previous_incident"], r["incident_id"]) for r in logged) == [
        ("second:0", "second:0", "first:0"),
        ("third:0", "second:0", "first:0"),
    ]
    for r in logged:
        assert r["decision"] == "merged"
        assert r["reasons"] == list(late.resolver._decide(mentions[r["mention_id"]], lead).reasons)
        assert r["reasons"]
    for s in (late, on_time):
        s.close()
