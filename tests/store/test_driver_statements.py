"""Rows written straight through the DB-API driver (store/driver.py) read back exactly as
the rows SQLAlchemy writes: JSON, dates, times with a zone, booleans and floats alike."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import sqlalchemy as sa
from incidex_store_builders import market_extraction

from incidex.store import Store
from incidex.store.driver import delete_of, insert_of, scalar, update_of
from incidex.store.schema import copy_fingerprints, incidents

WHEN = dt.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=dt.UTC)


def _row(incident_id: str) -> dict[str, Any]:
    return {
        "id": incident_id,
        "article_id": "a1",
        "stage": "accomplished",
        "background": False,
        "attack_types": ["armed_assault", "bombing"],
        "weapons": ["firearms"],
        "date_year": 2024,
        "date_month": 5,
        "date_day": 3,
        "date_iso": "2024-05-03",
        "date_inferred": ["year"],
        "date_start": dt.date(2024, 5, 3),
        "date_end": dt.date(2024, 5, 3),
        "venue": "market",
        "city": "Port Selin",
        "admin1": None,
        "country": "KE",
        "lat": -1.5,
        "lon": 37.125,
        "precision": 1,
        "target_type": "business",
        "killed_min": 12,
        "killed_max": None,
        "killed_qualifier": "at least",
        "wounded_min": 30,
        "wounded_max": 31,
        "wounded_qualifier": None,
        "perpetrators": ["Red Hand Front"],
        "attribution": "claimed",
        "fields": {"place": {"city": "Port Selin", "lat": -1.5}, "nested": [1, "two", None]},
        "confidence": 0.75,
        "sources": 2,
        "attribution_status": "disputed",
        "detail": {"toll_history": [{"min": 12, "published": "2024-05-04"}], "ü": "é"},
        "resolved_at": WHEN,
    }


def _stored(store: Store, incident_id: str) -> dict[str, Any]:
    with store.engine.connect() as conn:
        found = conn.execute(sa.select(incidents).where(incidents.c.id == incident_id)).mappings()
        row = dict(found.one())
    row.pop("id")
    return row


def test_driver_insert_reads_back_like_a_sqlalchemy_insert(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(incidents.insert(), [_row("by-sqlalchemy")])
        insert_of(incidents, skip=("sort_date",)).run(conn, [_row("by-driver")])
    by_driver = _stored(store, "by-driver")
    assert by_driver == _stored(store, "by-sqlalchemy")
    assert by_driver["fields"]["nested"] == [1, "two", None]
    assert by_driver["date_start"] == dt.date(2024, 5, 3)
    assert by_driver["background"] is False


def test_column_update_changes_only_the_columns_it_names(store: Store) -> None:
    with store.engine.begin() as conn:
        insert_of(incidents, skip=("sort_date",)).run(conn, [_row("i1")])
        changed = {**_row("i1"), "sources": 5, "city": "Elsewhere", "b_id": "i1"}
        update_of(incidents, "id", only=("sources",)).run(conn, [changed])
    row = _stored(store, "i1")
    assert row["sources"] == 5
    assert row["city"] == "Port Selin"


def test_full_update_rewrites_every_column_of_the_keyed_row_only(store: Store) -> None:
    with store.engine.begin() as conn:
        insert_of(incidents, skip=("sort_date",)).run(conn, [_row("i1"), _row("i2")])
        new = {**_row("i1"), "venue": "bus station", "detail": {"x": [1]}, "b_id": "i1"}
        update_of(incidents, "id", skip=("sort_date",)).run(conn, [new])
    assert _stored(store, "i1")["venue"] == "bus station"
    assert _stored(store, "i1")["detail"] == {"x": [1]}
    assert _stored(store, "i2")["venue"] == "market"


def test_scalar_returns_the_first_value_or_none(store: Store) -> None:
    with store.engine.begin() as conn:
        assert scalar(conn, "SELECT max(sources) FROM incidents") is None
        insert_of(incidents, skip=("sort_date",)).run(conn, [_row("i1")])
        assert scalar(conn, "SELECT max(sources) FROM incidents") == 2


def test_delete_removes_only_the_rows_of_the_given_keys(store: Store) -> None:
    with store.engine.begin() as conn:
        insert_of(incidents, skip=("sort_date",)).run(conn, [_row(i) for i in ("i1", "i2", "i3")])
        delete_of(incidents, "id").run(conn, [{"id": "i1"}, {"id": "i3"}, {"id": "absent"}])
        left = sorted(conn.execute(sa.select(incidents.c.id)).scalars())
    assert left == ["i2"]


def test_a_value_shared_by_rows_is_stored_in_each_row(store: Store) -> None:
    shared = {"reasons": ["same day", "same city"]}
    rows = [{**_row(i), "detail": shared} for i in ("i1", "i2")]
    rows[1]["fields"] = {"other": True}
    with store.engine.begin() as conn:
        insert_of(incidents, skip=("sort_date",)).run(conn, rows)
    assert _stored(store, "i1")["detail"] == shared
    assert _stored(store, "i2")["detail"] == shared
    assert _stored(store, "i2")["fields"] == {"other": True}
    assert _stored(store, "i1")["fields"]["nested"] == [1, "two", None]


def test_ready_values_read_back_like_the_values_sqlalchemy_encodes(store: Store) -> None:
    # A ready JSON column takes the text its bind processor would make (json.dumps), and a
    # ready float column a float: the rows go to the driver unconverted.
    row = _row("by-driver")
    ready = {**row, "detail": json.dumps(row["detail"]), "confidence": 0.75}
    with store.engine.begin() as conn:
        conn.execute(incidents.insert(), [_row("by-sqlalchemy")])
        insert_of(incidents, skip=("sort_date",), ready=("detail", "confidence")).run(conn, [ready])
    by_driver = _stored(store, "by-driver")
    assert by_driver == _stored(store, "by-sqlalchemy")
    assert by_driver["detail"] == {
        "toll_history": [{"min": 12, "published": "2024-05-04"}],
        "ü": "é",
    }


def test_driver_errors_are_raised_as_sqlalchemy_raises_them(store: Store) -> None:
    # Callers tell a refused row from a failing database by SQLAlchemy's error classes.
    insert = insert_of(incidents, skip=("sort_date",))
    with store.engine.connect() as conn:
        insert.run(conn, [_row("i1")])
        with pytest.raises(sa.exc.IntegrityError):
            insert.run(conn, [_row("i1")])
    with store.engine.connect() as conn, pytest.raises(sa.exc.DBAPIError):
        scalar(conn, "SELECT no_such_column FROM incidents")


def test_statements_run_in_the_transaction_of_their_own_connection(store: Store) -> None:
    # The driver reuses a cursor per connection checkout: two connections open at once,
    # used in turn, must each keep to their own transaction.
    count = "SELECT count(*) FROM incidents"
    insert = insert_of(incidents, skip=("sort_date",))
    with store.engine.connect() as writer, store.engine.connect() as reader:
        with writer.begin():
            insert.run(writer, [_row("i1")])
            assert scalar(reader, count) == 0
            insert.run(writer, [_row("i2")])
            assert scalar(writer, count) == 2
        assert scalar(reader, count) == 2
    with store.engine.connect() as again:
        with again.begin() as transaction:
            insert.run(again, [_row("i3")])
            transaction.rollback()
        assert scalar(again, count) == 2


# Raw as stored: the JSON column as its text, so a differently spelled encoding shows.
RAW_FINGERPRINTS = (
    "SELECT article_id, seq, published, text_hashes, text_size, skeleton_hashes, "
    "skeleton_size, CAST(anchors AS TEXT) FROM copy_fingerprints"
)


def _fingerprint_columns(store: Store) -> list[tuple[Any, ...]]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(RAW_FINGERPRINTS)]


def test_fingerprint_rows_read_back_like_the_rows_sqlalchemy_writes(store: Store) -> None:
    # The resolver hands its fingerprint rows over with the hashes as bytes and the anchors
    # as JSON text, unconverted; SQLAlchemy converts them itself.
    assert store.save(*market_extraction("mkt")).stored
    by_driver = _fingerprint_columns(store)
    with store.engine.begin() as conn:
        (row,) = conn.execute(sa.select(copy_fingerprints)).mappings().all()
        conn.execute(copy_fingerprints.delete())
        conn.execute(copy_fingerprints.insert(), dict(row))
    assert _fingerprint_columns(store) == by_driver
    (stored,) = by_driver
    assert bytes(stored[3]) == bytes(row["text_hashes"]) and len(stored[3]) == 128 * 8
    assert json.loads(stored[7]) == sorted(row["anchors"]) != []
    if store.engine.dialect.name == "sqlite":
        kinds = "SELECT typeof(text_hashes), typeof(skeleton_hashes), typeof(anchors) FROM "
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql(kinds + "copy_fingerprints").one() == (
                "blob",
                "blob",
                "text",
            )
