"""Property tests: no input crashes extract or ingest; ingesting twice in any order stores
nothing new the second time."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import incidex
from incidex import pipeline
from incidex.store import open_store

NEWSY = st.lists(
    st.sampled_from(
        [
            "Gunmen opened fire on a bus in Quetta on Tuesday, killing nine passengers.",
            "A car bomb exploded outside a hotel in Mogadishu.",
            "At least 12 people were wounded.",
            "The group claimed responsibility in a statement.",
            "Officials blamed the attack on rebels, who denied any involvement.",
            "Shares in the company rose 3% in early trading.",
            "<p>Police said the blast</p>",
            "\u0000\ufffd\u202e",
        ]
    ),
    max_size=6,
).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), NEWSY, st.binary(max_size=400)))
def test_extract_never_crashes(value: str | bytes) -> None:
    try:
        result = incidex.extract(value)
    except incidex.InputError as err:
        assert str(err)
        return
    assert isinstance(result, incidex.Extraction)


ARTICLES = [
    ("a.txt", "Gunmen killed four guards at a bank in Lagos, Nigeria, on Monday."),
    ("b.txt", "A bomb exploded at a market in Peshawar, Pakistan, wounding 11 people."),
    ("c.txt", "Rain is expected across the north of the country this weekend."),
    (
        "d.html",
        "<html><body><article><h1>Blast</h1><p>A bomb killed three soldiers in "
        "Kirkuk, Iraq, on Sunday, the army said.</p></article></body></html>",
    ),
    ("e.txt", ""),
]


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.permutations(ARTICLES), st.permutations(ARTICLES))
def test_ingest_twice_in_any_order_stores_nothing_new(
    tmp_path_factory: object, first: list[tuple[str, str]], second: list[tuple[str, str]]
) -> None:
    d: Path = tmp_path_factory.mktemp("articles")  # type: ignore[attr-defined]
    for name, text in ARTICLES:
        (d / name).write_text(text, encoding="utf-8")
    store = open_store(str(d / "store.db"))
    try:
        one = pipeline.ingest(store, [str(d / n) for n, _ in first])
        counts = store.counts()
        two = pipeline.ingest(store, [str(d / n) for n, _ in second])
        assert store.counts() == counts
    finally:
        store.close()
    assert one.stored == 4 and one.failed == 1
    assert two.stored == 0 and two.duplicates == 4 and two.failed == 1


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.binary(max_size=600), st.sampled_from([".txt", ".html", ".md", ".jsonl"]))
def test_ingest_never_crashes_on_arbitrary_bytes(
    tmp_path_factory: object, data: bytes, suffix: str
) -> None:
    d: Path = tmp_path_factory.mktemp("raw")  # type: ignore[attr-defined]
    path = d / f"input{suffix}"
    path.write_bytes(data)
    store = open_store(str(d / "store.db"))
    try:
        summary = pipeline.ingest(store, [str(path)])
    finally:
        store.close()
    assert summary.read >= 1
    assert summary.stored + summary.failed + summary.duplicates == summary.read
