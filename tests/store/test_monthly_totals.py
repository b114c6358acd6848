"""Monthly totals for the timeline are summed by the database, per incident month, with
the same filters as the list."""

from __future__ import annotations

from incidex import pipeline
from incidex.store import IncidentFilter, Store

REPORTS = [
    ("a", "2025-03-10", "Gunmen killed 4 people at a market in Kano, Nigeria, on Sunday."),
    ("b", "2025-03-21", "A bomb killed 6 people at a bus station in Quetta, Pakistan, on Friday."),
    ("c", "2025-05-02", "Gunmen killed 3 farmers near Maiduguri, Nigeria, on Thursday."),
]


def _fill(store: Store) -> None:
    for doc_id, published, text in REPORTS:
        doc = pipeline.document_from_text(text, id=doc_id, published=published)
        assert store.save(doc, pipeline.extract_document(doc)).stored


def test_monthly_totals_sum_incidents_and_tolls_per_month(store: Store) -> None:
    _fill(store)
    totals = [(t.month, t.incidents, t.killed) for t in store.monthly_totals()]
    assert totals == [("2025-03", 2, 10), ("2025-05", 1, 3)]


def test_monthly_totals_apply_the_list_filters(store: Store) -> None:
    _fill(store)
    totals = store.monthly_totals(IncidentFilter(country="NG"))
    assert [(t.month, t.incidents, t.killed) for t in totals] == [
        ("2025-03", 1, 4),
        ("2025-05", 1, 3),
    ]
