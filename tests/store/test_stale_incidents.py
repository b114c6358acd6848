"""A report joining a known incident writes its member row and marks the incident stale;
the incident's row is written once per batch. Whoever reads through a Store (this process,
another one, or the next to open the store after a crash) gets the incident as writing it
at every report would have left it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from incidex_store_builders import MARKET_TEXT, fact, market_extraction, market_mention

from incidex.models import Count
from incidex.store import Store, open_store
from incidex.store.schema import incident_attack_types, incident_members, incidents

SECOND = MARKET_TEXT + " By evening officials said at least 19 people had died."
THIRD = MARKET_TEXT + " The next day the hospital said at least 23 of the wounded had died."
REPORTS = [("first", MARKET_TEXT, 12, 4), ("second", SECOND, 19, 5), ("third", THIRD, 23, 6)]


def _save(store: Store, doc_id: str, text: str, killed: int, day: int) -> None:
    toll = fact(Count(killed, None, "at least"), doc_id, text, f"at least {killed}", "toll.k")
    mention = market_mention(doc_id, text, killed=toll)
    doc, ext = market_extraction(doc_id, dt.date(2024, 5, day), mentions=[mention], text=text)
    assert store.save(doc, ext).stored


def _marks(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        found = conn.execute(sa.text("SELECT incident_id FROM stale_incidents ORDER BY id"))
        return [r[0] for r in found]


def _killed(store: Store) -> list[int]:
    """Return the stored tolls as they are in the table (no flush)."""
    with store.engine.connect() as conn:
        return list(conn.execute(sa.select(incidents.c.killed_min)).scalars())


def _members_and_types(store: Store) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with store.engine.connect() as conn:
        members = sorted(tuple(r) for r in conn.execute(sa.select(incident_members)))
        types = sorted(tuple(r) for r in conn.execute(sa.select(incident_attack_types)))
    return members, types


def _shown(store: Store) -> dict[str, Any]:
    """Return the incident as a reader gets it (a read flushes), with its member rows and
    attack types, without the time it was written."""
    detail = store.incident("first:0")
    assert detail is not None
    shown = detail.to_dict()
    shown.pop("resolved_at", None)
    return {"incident": shown, "rows": _members_and_types(store)}


def _expected(tmp_path: Path) -> dict[str, Any]:
    """Return what a reader gets after the three reports, each materialized as soon as it
    is stored (what writing the row at every report stored)."""
    with open_store(str(tmp_path / "expected.db")) as store:
        for report in REPORTS:
            _save(store, *report)
            store.flush()
            assert _marks(store) == []
        return _shown(store)


def test_joins_are_marked_and_written_once_when_read(store: Store) -> None:
    for report in REPORTS:
        _save(store, *report)
    # The two later reports joined the first one's incident: its members are stored, its
    # row still says what the first report said.
    assert _marks(store) == ["first:0", "first:0"]
    assert _killed(store) == [12]
    assert len(_members_and_types(store)[0]) == 3
    (row,) = store.incidents()
    assert row.killed == 23
    assert _marks(store) == []
    assert _killed(store) == [23]


def test_marks_are_written_when_a_batch_is_full(store: Store) -> None:
    store.resolver.flush_marks = 2
    for report in REPORTS:
        _save(store, *report)
    assert _marks(store) == []
    assert _killed(store) == [23]


def test_a_second_store_reading_during_an_ingest_sees_every_stored_report(
    store_url: str, tmp_path: Path
) -> None:
    expected = _expected(tmp_path)
    writer = open_store(store_url)
    for report in REPORTS[:2]:
        _save(writer, *report)
    assert _marks(writer) == ["first:0"]
    reader = open_store(store_url)
    try:
        (row,) = reader.incidents()
        assert row.killed == 19
        assert _marks(reader) == []
        # The writer goes on: its next report joins the incident the reader wrote.
        _save(writer, *REPORTS[2])
        assert _marks(writer) == ["first:0"]
        assert _shown(reader) == expected
        assert _marks(writer) == []
        writer.close()
        assert _shown(reader) == expected
    finally:
        reader.close()


# Publication order, and the first report last: it comes before the lead, and the row,
# copied under its id, is marked stale with the marks the incident had.
ORDERS = [REPORTS, [*REPORTS[1:], REPORTS[0]]]


@pytest.mark.parametrize("reports", ORDERS, ids=["in_order", "lead_last"])
def test_marks_left_by_a_stopped_process_are_written_on_open(
    store_url: str, tmp_path: Path, reports: list[tuple[str, str, int, int]]
) -> None:
    store = open_store(store_url)
    for report in reports:
        _save(store, *report)
    assert _marks(store) == ["first:0", "first:0"]
    # The process stops before materializing (it never closes the store).
    store.engine.dispose()
    with open_store(store_url) as reopened:
        assert _marks(reopened) == []
        assert _killed(reopened) == [23]
        assert _shown(reopened) == _expected(tmp_path)


def test_a_row_another_store_wrote_meanwhile_is_written_in_full(store_url: str) -> None:
    # The latest report's toll is the incident's: 12, then 19, then 12 again.
    again = (
        "third",
        MARKET_TEXT + " The next day the hospital said 12 had died after all.",
        12,
        6,
    )
    writer = open_store(store_url)
    try:
        for report in REPORTS[:2]:
            _save(writer, *report)
        reader = open_store(store_url)
        (row,) = reader.incidents()
        assert row.killed == 19
        reader.close()
        # Back to the toll the writer last wrote itself: its row as it wrote it is not
        # the stored one any more, so comparing with it would leave the reader's 19.
        _save(writer, *again)
        writer.flush()
        assert _killed(writer) == [12]
    finally:
        writer.close()


def test_two_stores_saving_in_turn_leave_the_incident_one_store_would(
    store_url: str, tmp_path: Path
) -> None:
    expected = _expected(tmp_path)
    stores = [open_store(store_url), open_store(store_url)]
    try:
        for i, report in enumerate(REPORTS):
            _save(stores[i % 2], *report)
    finally:
        for s in stores:
            s.close()
    with open_store(store_url) as reopened:
        assert _shown(reopened) == expected


def test_a_store_that_cannot_be_written_is_read_as_last_written(
    tmp_path: Path, caplog: Any
) -> None:
    path = tmp_path / "incidex.db"
    store = open_store(str(path))
    for report in REPORTS:
        _save(store, *report)
    store.engine.dispose()  # stopped before materializing: two marks are left
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    with open_store(read_only) as reader:
        (row,) = reader.incidents()
        assert row.killed == 12
    (warning,) = [r.getMessage() for r in caplog.records]
    assert warning == (
        "cannot bring the stale incidents up to date (attempt to write a readonly database);"
        " showing incidents as last written"
    )
    with open_store(str(path)) as writer:
        (row,) = writer.incidents()
        assert row.killed == 23


def _save_targeting(store: Store, doc_id: str, text: str, day: int, target: str) -> None:
    mention = market_mention(
        doc_id, text, target_type=fact(target, doc_id, text, "market", "target.lexicon")
    )
    doc, ext = market_extraction(doc_id, dt.date(2024, 5, day), mentions=[mention], text=text)
    assert store.save(doc, ext).stored


def _target_types(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.execute(sa.select(incidents.c.target_type)).scalars())


def test_a_report_before_the_lead_of_a_row_another_store_wrote_writes_it_in_full(
    store_url: str,
) -> None:
    # The most reported target type, ties going to the first name: police, then
    # civilians, then police again once the earliest report arrives last.
    writer = open_store(store_url)
    try:
        _save_targeting(writer, "second", SECOND, 5, "police")
        _save_targeting(writer, "third", THIRD, 6, "civilians")
        reader = open_store(store_url)
        assert len(reader.incidents()) == 1
        assert _target_types(reader) == ["civilians"]
        reader.close()
        # The row moves to the new lead's id as the reader wrote it: the writer's own
        # row (police) is not the stored one, so comparing with it would leave civilians.
        _save_targeting(writer, "first", MARKET_TEXT, 4, "police")
        writer.flush()
        assert _target_types(writer) == ["police"]
        assert [r.id for r in writer.incidents()] == ["first:0"]
    finally:
        writer.close()
