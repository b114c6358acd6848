"""Feeds and WARC archives cut short or with bytes changed never make ``read`` raise, print
nothing on stderr, and give at most one Rejected for the archive, after what it kept."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.ingest.sources import BRIDGE, DEPOT, MARKET, html_page, rss_feed, rss_item, warc_bytes

from incidex.ingest import read
from incidex.models import Document, Rejected

PAGES: list[dict[str, object]] = [
    {"uri": f"https://news.example.org/{i}", "body": html_page(f"Story {i}", text)}
    for i, text in enumerate([MARKET, DEPOT, BRIDGE])
]
ARCHIVES = {
    ".warc": warc_bytes(PAGES, gzip=False),
    ".warc.gz": warc_bytes(PAGES, gzip=True),
    ".rss": rss_feed(
        *(
            rss_item(f"Story {i}", guid=f"g{i}", summary=t)
            for i, t in enumerate([MARKET, DEPOT, BRIDGE])
        )
    ),
}


def _damaged(data: bytes, cut: float, flips: list[tuple[float, int]]) -> bytes:
    damaged = bytearray(data[: max(1, int(len(data) * cut))])
    for where, value in flips:
        damaged[int(where * (len(damaged) - 1))] = value
    return bytes(damaged)


@settings(
    max_examples=120,
    deadline=None,
    # capsys is read (so emptied) at the end of every example.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    suffix=st.sampled_from(sorted(ARCHIVES)),
    cut=st.floats(min_value=0.0, max_value=1.0),
    flips=st.lists(
        st.tuples(st.floats(min_value=0.0, max_value=1.0), st.integers(0, 255)), max_size=3
    ),
)
def test_damaged_archives_and_feeds_never_raise(
    suffix: str, cut: float, flips: list[tuple[float, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    data = _damaged(ARCHIVES[suffix], cut, flips)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        results = list(read([str(path)], max_bytes=100_000))
    assert results
    assert all(isinstance(r, (Document, Rejected)) for r in results)
    assert all("\n" not in r.reason for r in results if isinstance(r, Rejected))
    whole_file = [r for r in results if isinstance(r, Rejected) and r.source == str(path)]
    assert len(whole_file) <= 1
    if whole_file:
        assert results[-1] is whole_file[0]
    assert capsys.readouterr().err == ""


def test_undamaged_inputs_read_whole() -> None:
    for suffix, data in ARCHIVES.items():
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"input{suffix}"
            path.write_bytes(data)
            results = list(read([str(path)]))
        assert [type(r) for r in results] == [Document] * 3, suffix
