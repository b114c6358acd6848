"""Issue 4, "what it must show" 2: two attacks on one day in one city stay apart when venue
and method differ; one attack reported under two spellings of its city is one incident."""

from __future__ import annotations

from incidex_resolve_articles import (
    CHURCH_SHOOTING,
    MARKET_BOMBING,
    MARKET_BOMBING_VARIANT,
    ingest_texts,
)

from incidex.store import Store


def _groups(store: Store) -> list[list[str]]:
    out = []
    for r in store.incidents():
        detail = store.incident(r.id)
        assert detail is not None
        out.append(sorted(detail.to_dict()["articles"]))
    return sorted(out)


def test_two_attacks_same_day_same_city_stay_apart(store: Store) -> None:
    ingest_texts(
        store, [("mkt", MARKET_BOMBING, "2025-03-04"), ("chu", CHURCH_SHOOTING, "2025-03-04")]
    )
    assert _groups(store) == [["chu"], ["mkt"]]
    log = store.incident("mkt:0")
    assert log is not None


def test_one_attack_under_two_city_spellings_is_one_incident(store: Store) -> None:
    ingest_texts(
        store,
        [("mkt", MARKET_BOMBING, "2025-03-04"), ("mkt-b", MARKET_BOMBING_VARIANT, "2025-03-04")],
    )
    assert _groups(store) == [["mkt", "mkt-b"]]
    detail = store.incident("mkt:0")
    assert detail is not None
    reasons = " ".join(r for d in detail.to_dict()["decisions"] for r in d["reasons"])
    assert "same city" in reasons


def test_all_three_reports_give_two_incidents(store: Store) -> None:
    ingest_texts(
        store,
        [
            ("mkt", MARKET_BOMBING, "2025-03-04"),
            ("chu", CHURCH_SHOOTING, "2025-03-04"),
            ("mkt-b", MARKET_BOMBING_VARIANT, "2025-03-05"),
        ],
    )
    assert _groups(store) == [["chu"], ["mkt", "mkt-b"]]
