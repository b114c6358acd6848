"""Issue 4, "what it must show" 1: one attack reported by several outlets over three days,
with a syndicated copy, a reworded copy, a rising toll, a claim, an accusation and a denial,
becomes one incident with its toll history, a disputed status and its copy groups."""

from __future__ import annotations

import pytest
from incidex_resolve_articles import MOMBASA_ARTICLES, ingest_texts

from incidex.store import IncidentDetail, Store


@pytest.fixture
def hotel(store: Store) -> IncidentDetail:
    ingest_texts(store, MOMBASA_ARTICLES)
    found = [r for r in store.incidents() if "first" in _articles(store, r.id)]
    assert len(found) == 1
    detail = store.incident(found[0].id)
    assert detail is not None
    return detail


def _articles(store: Store, incident_id: str) -> list[str]:
    detail = store.incident(incident_id)
    return detail.to_dict()["articles"] if detail else []


def test_outlets_resolve_into_one_incident(store: Store, hotel: IncidentDetail) -> None:
    assert sorted(hotel.to_dict()["articles"]) == sorted(a for a, _, _ in MOMBASA_ARTICLES)
    foreground = [r for r in store.incidents() if not r.background]
    assert [r.id for r in foreground] == [hotel.id]


def test_toll_history_is_in_time_order_and_toll_is_latest_highest(hotel: IncidentDetail) -> None:
    d = hotel.to_dict()
    killed = [(h["published"], h["min"]) for h in d["toll_history"] if h["field"] == "killed"]
    assert [m for _, m in killed] == [40, 40, 61, 61, 139]
    assert [p for p, _ in killed] == sorted(p for p, _ in killed)
    assert d["killed"]["min"] == 139
    assert d["rules"]["killed"] == "toll:highest_min_of_most_recent_reports"


def test_claim_accusation_and_denial_make_it_disputed(hotel: IncidentDetail) -> None:
    d = hotel.to_dict()
    assert d["attribution_status"] == "disputed"
    kinds = {c["kind"] for c in d["claims_ledger"]}
    assert {"responsibility", "accusation", "denial"} <= kinds
    assert all(c["sentence"] and c["article_id"] for c in d["claims_ledger"])


def test_copies_share_a_group_and_count_once(store: Store, hotel: IncidentDetail) -> None:
    d = hotel.to_dict()
    groups = sorted(sorted(g) for g in d["copy_groups"])
    assert groups == [["first", "first-syndicated"], ["second", "second-spun"], ["third"]]
    originals = {g[0] for g in d["copy_groups"]}
    assert {"first", "second", "third"} == originals
    assert d["sources"] == 3
    listed = {tuple(a.id for a in g.articles) for g in store.copy_groups()}
    assert listed == {("first", "first-syndicated"), ("second", "second-spun")}


def test_merged_facts_keep_every_source_value_with_evidence(hotel: IncidentDetail) -> None:
    d = hotel.to_dict()
    assert d["fields"]["place"]["city"] == "Mombasa"
    assert d["rules"]["place"] == "place:most_specific_consistent"
    killed = d["source_values"]["killed"]
    assert {v["article_id"] for v in killed} == {a for a, _, _ in MOMBASA_ARTICLES}
    assert all(v["evidence"] and v["evidence"][0]["sentence"] for v in killed)
