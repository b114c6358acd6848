"""The resolver keeps what it learns for as long as the process runs, and every full
garbage collection goes over each object of it that the collector tracks: the links,
copy partners, candidate entries per article and incidents' votes are plain tuples and
dictionaries of plain values, which the collector stops tracking, and equal pair
decisions are one object."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

from incidex_store_builders import MARKET_TEXT, market_extraction, market_mention

from incidex.store import Store, open_store

REPORTS = [
    ("first", MARKET_TEXT, 4),
    ("second", MARKET_TEXT + " Officials gave no further details.", 5),
    ("third", MARKET_TEXT + " The market stayed closed the next day.", 6),
    ("fourth", MARKET_TEXT + " Shops nearby were shut too.", 7),
]


def _saved(tmp_path: Path) -> Store:
    store = open_store(str(tmp_path / "a.db"))
    for doc_id, text, day in REPORTS:
        mention = market_mention(doc_id, text)
        doc, ext = market_extraction(doc_id, dt.date(2024, 5, day), mentions=[mention], text=text)
        assert store.save(doc, ext).stored
    # The joined incident's row is written (and kept as written) once materialized.
    store.flush()
    return store


def test_links_partners_and_votes_are_left_to_reference_counting(tmp_path: Path) -> None:
    store = _saved(tmp_path)
    resolver, known = store.resolver, store.resolver.known
    # A collection stops tracking a tuple once what it holds is untracked: a vote nests
    # three deep, and the collector may meet the outer tuples first (compiled, it can).
    for _ in range(3):
        gc.collect()
    # Every later report links with the incident's lead, and all are one incident.
    assert sorted(known.links["first:0"]) == ["fourth:0", "second:0", "third:0"]
    assert [len(v) for v in known.links.values()] == [3, 1, 1, 1]
    assert not any(gc.is_tracked(v) for v in known.links.values())
    assert known.partners and not any(gc.is_tracked(v) for v in known.partners.values())
    assert resolver.candidates is not None
    by_article = resolver.candidates.by_article
    assert set(by_article) == {"first", "second", "third", "fourth"}
    assert not any(gc.is_tracked(v) for v in by_article.values())
    (tally,) = known.tallies.values()
    assert tally.ids == {"first:0", "second:0", "third:0", "fourth:0"}
    votes = [*tally.lists.values(), tally.day_votes, tally.countries, tally.target_types]
    assert tally.lists["attack_types"] and tally.day_votes
    assert not any(gc.is_tracked(v) for v in votes)
    assert [m.id for m in tally.members] == ["first:0", "second:0", "third:0", "fourth:0"]
    assert tally.orders == sorted(tally.orders)
    assert not any(gc.is_tracked(o) for o in tally.orders)
    # The incident row as last written: tuples where the merged fields hold lists.
    row = known.rows["first:0"]
    assert row["attack_types"] == ("armed_assault",) and row["fields"]["attack_types"]
    kept = [*row.values(), *row["fields"].values()]
    assert not any(isinstance(v, list) for v in kept)
    assert not any(gc.is_tracked(v) for v in kept if isinstance(v, tuple))
    store.close()


def test_equal_pair_decisions_are_one_object(tmp_path: Path) -> None:
    store = _saved(tmp_path)
    resolver = store.resolver
    decisions = list(resolver.by_keys.values())
    assert decisions and all(d.merge for d in decisions)
    for d in decisions:
        assert resolver.distinct[d] is d
    assert len({id(d) for d in decisions}) == len(set(decisions))
    store.close()
