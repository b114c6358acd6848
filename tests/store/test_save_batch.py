"""A batch of documents saved in one transaction (``Store.save_batch``): duplicates and
taken ids are told apart as ``save`` tells them, within the batch too, and a document
whose rows are refused costs the others nothing."""

from __future__ import annotations

import pytest
from incidex_store_builders import MARKET_TEXT, bridge_extraction, market_extraction, market_mention

from incidex.errors import StoreError
from incidex.store import Store


def test_batch_stores_and_resolves_like_one_by_one(store: Store) -> None:
    items = [(*market_extraction(f"m{i}"), None) for i in range(3)] + [(*bridge_extraction(), None)]
    # Different texts, one attack: the three market reports make one incident.
    items[1] = (*market_extraction("m1", text=MARKET_TEXT + " More soon."), None)
    items[2] = (*market_extraction("m2", text=MARKET_TEXT + " Updated."), None)
    results = store.save_batch(items)
    assert [r.status for r in results] == ["stored"] * 4
    assert store.counts().incidents == 2
    rows = {r.id: r for r in store.incidents()}
    assert rows["m0:0"].sources >= 1 and "brg:0" in rows


def test_duplicates_and_taken_ids_in_a_batch(store: Store) -> None:
    store.save(*market_extraction("first"))
    same_as_stored = market_extraction("again")  # the content of "first"
    taken = market_extraction("first", text=MARKET_TEXT + " A later edition.")
    new = market_extraction("new", text=MARKET_TEXT + " New.")
    repeat = market_extraction("new-copy", text=MARKET_TEXT + " New.")
    reused = market_extraction("new", text=MARKET_TEXT + " Other.")
    results = store.save_batch([(*x, None) for x in (same_as_stored, taken, new, repeat, reused)])
    assert [(r.status, r.message) for r in results] == [
        ("duplicate", "again: same content as stored first"),
        ("conflict", "first: id already used by different content"),
        ("stored", "new: stored"),
        ("duplicate", "new-copy: same content as stored new"),
        ("conflict", "new: id already used by different content"),
    ]
    assert store.counts().articles == 2


def test_a_refused_document_costs_the_others_nothing(store: Store) -> None:
    bad = market_mention("bad", stage="planned-but-invalid")
    items = [
        (*market_extraction("before", text=MARKET_TEXT + " One."), None),
        (*market_extraction("bad", text=MARKET_TEXT + " Two.", mentions=[bad]), None),
        (*market_extraction("after", text=MARKET_TEXT + " Three."), None),
    ]
    with pytest.raises(StoreError, match="bad"):
        store.save_batch(items)
    assert store.article("bad") is None
    assert store.article("before") is not None and store.article("after") is not None
    assert store.counts().incidents == 1
    # The store goes on resolving: a copy of a stored article joins its incident.
    later = market_extraction("later", text=MARKET_TEXT + " Four.")
    assert [r.status for r in store.save_batch([(*later, None), (*bridge_extraction(), None)])] == [
        "stored",
        "stored",
    ]
    assert store.counts().incidents == 2
