"""Issue 4, "what it must show" 3: ingesting the same articles in shuffled orders gives the
same incidents and copy groups."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from incidex_resolve_articles import RESOLVE_ARTICLES as ARTICLES

from incidex.models import Document, Extraction
from incidex.store import open_store


def _outcome(items: list[tuple[Document, Extraction]]) -> tuple[Any, ...]:
    """Return the incidents (id, articles, copy groups, status, toll) and the copy groups
    of a fresh store that received ``items`` in this order."""
    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "s.db")) as store:
        for document, extraction in items:
            assert store.save(document, extraction).stored
        incidents = []
        for row in store.incidents():
            d = store.incident(row.id)
            assert d is not None
            x = d.to_dict()
            groups = sorted(tuple(g) for g in x["copy_groups"])
            incidents.append(
                (
                    x["id"],
                    tuple(x["articles"]),
                    tuple(groups),
                    x["attribution_status"],
                    x["killed"]["min"],
                    x["sources"],
                )
            )
        copies = sorted(tuple(a.id for a in g.articles) for g in store.copy_groups())
    return tuple(sorted(incidents)), tuple(copies)


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(order=st.permutations(range(len(ARTICLES))))
def test_shuffled_arrival_gives_same_incidents_and_copy_groups(
    extracted: list[tuple[Document, Extraction]], order: list[int]
) -> None:
    expected = _outcome(extracted)
    assert len(expected[0]) >= 3 and expected[1]
    assert _outcome([extracted[i] for i in order]) == expected
