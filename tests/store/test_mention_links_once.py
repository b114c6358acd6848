"""Store revision 0004: a pair of linked mentions is one row (the smaller id first), a store
written with both directions upgrades to that, and a later article still finds an incident
through links stored on either side of a pair."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from incidex_store_builders import fact, market_extraction, market_mention, stored_links

import incidex.store
from incidex.models import PartialDate
from incidex.store import Store, open_store

# Short texts (too short to be copies unless identical), each naming what the mention's
# evidence points at.
_TAIL = " opened fire at a market in Port Selin on 3 May 2024, killing at least 12 and wounding 30."


def _save_market(store: Store, doc_id: str, opener: str, day: int) -> None:
    """Save a report of the market shooting dated and published on ``day`` of May 2024."""
    text = "Red Hand Front " + opener + _TAIL
    date = fact(PartialDate(2024, 5, day), doc_id, text, "3 May 2024", "date.absolute")
    doc, ext = market_extraction(
        doc_id,
        dt.date(2024, 5, day),
        mentions=[market_mention(doc_id, text, date=date)],
        claims=[],
        text=text,
    )
    assert store.save(doc, ext).stored


def _downgrade_to_0003(store: Store) -> None:
    with store.engine.begin() as conn:
        cfg = Config()
        migrations = Path(incidex.store.__file__).resolve().parent / "migrations"
        cfg.set_main_option("script_location", str(migrations))
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")


@pytest.mark.parametrize("downgraded", [False, True], ids=["reopened", "upgraded_from_0003"])
def test_later_report_finds_incident_through_links_stored_once(
    tmp_path: Path, downgraded: bool
) -> None:
    path = str(tmp_path / "links.db")
    first = open_store(path)
    _save_market(first, "a1", "gunmen", 4)
    _save_market(first, "b2", "attackers", 5)
    assert stored_links(first) == [("a1:0", "b2:0")]
    if downgraded:
        # Revision 0005's marks go with the downgrade: the incidents are written first.
        first.flush()
        _downgrade_to_0003(first)
        assert stored_links(first) == [("a1:0", "b2:0"), ("b2:0", "a1:0")]
    first.close()
    # A new process: nothing of the stored links is cached. The third report is dated
    # too late to be compared with the first, so the incident of all three is found only
    # through the stored link of the first two, read from its second column.
    store = open_store(path)
    try:
        assert stored_links(store) == [("a1:0", "b2:0")]
        _save_market(store, "n3", "raiders", 8)
        rows = store.incidents()
        assert len(rows) == 1
        detail = store.incident(rows[0].id)
        assert detail is not None
        assert detail.to_dict()["articles"] == ["a1", "b2", "n3"]
        assert stored_links(store) == [("a1:0", "b2:0"), ("b2:0", "n3:0")]
    finally:
        store.close()
