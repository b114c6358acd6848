"""RSS and Atom feeds: one document per entry, bad entries and bad feeds one line each."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from tests.ingest.sources import (
    BRIDGE,
    DEPOT,
    MARKET,
    WEATHER,
    atom_entry,
    atom_feed,
    only_rejection,
    rss_feed,
    rss_item,
    write,
)

from incidex.ingest import read
from incidex.models import Document, Rejected


def _rss(tmp_path: Path, name: str = "wire.rss") -> Path:
    items = [
        rss_item(
            "Grenade hits Orvana market",
            link="https://wire.example.org/orvana",
            guid="wire-1001",
            date="Sun, 04 May 2025 09:30:00 GMT",
            summary="Three traders killed.",
            content=f"<p>{MARKET}</p><p>{WEATHER}</p>",
        ),
        rss_item(
            "Depot attacked near Kessaly",
            link="https://wire.example.org/kessaly",
            summary=DEPOT,
        ),
        rss_item("Photo gallery", link="https://wire.example.org/photos"),
    ]
    return write(tmp_path / name, rss_feed(*items))


def test_rss_entries_become_documents_with_their_metadata(tmp_path: Path) -> None:
    path = _rss(tmp_path)
    first, second, third = list(read([str(path)]))
    assert isinstance(first, Document) and isinstance(second, Document)
    assert first.source == f"{path}#1" and second.source == f"{path}#2"
    assert first.url == "https://wire.example.org/orvana"
    assert first.title == "Grenade hits Orvana market"
    assert first.published == dt.date(2025, 5, 4)
    assert first.site == "Example Wire"
    # The full content wins over the summary, and it is HTML.
    assert first.media_type == "text/html"
    assert MARKET.encode() in first.raw and b"Three traders killed" not in first.raw
    # A summary without markup is plain text, so offsets into it stay exact.
    assert second.media_type == "text/plain" and second.raw == DEPOT.encode()
    assert second.published is None
    assert isinstance(third, Rejected)
    assert third.source == f"{path}#3" and "no text" in third.reason


def test_atom_entries_use_content_and_updated_date(tmp_path: Path) -> None:
    feed = atom_feed(
        atom_entry(
            "Bridge bombing",
            "urn:example:bridge",
            "2025-03-07T08:00:00Z",
            f"<p>{BRIDGE}</p>",
            link="https://atom.example.org/bridge",
        ),
        atom_entry("Depot", "urn:example:depot", "2025-03-08T10:00:00Z", DEPOT, kind="text"),
    )
    path = write(tmp_path / "news.atom", feed)
    bridge, depot = list(read([str(path)]))
    assert isinstance(bridge, Document) and isinstance(depot, Document)
    assert bridge.media_type == "text/html" and BRIDGE.encode() in bridge.raw
    assert bridge.url == "https://atom.example.org/bridge"
    assert bridge.published == dt.date(2025, 3, 7)
    assert depot.media_type == "text/plain" and depot.raw == DEPOT.encode()
    # A guid that is not a web address is not taken for the entry's link.
    assert depot.url is None


def test_reading_a_feed_twice_gives_the_same_hashes(tmp_path: Path) -> None:
    path = _rss(tmp_path)
    first = [d.content_hash for d in read([str(path)]) if isinstance(d, Document)]
    again = [d.content_hash for d in read([str(path)]) if isinstance(d, Document)]
    assert first == again and len(set(first)) == 2


def test_entries_with_equal_text_but_different_guids_stay_two_documents(
    tmp_path: Path,
) -> None:
    items = [rss_item("A", guid="g-1", summary=DEPOT), rss_item("B", guid="g-2", summary=DEPOT)]
    path = write(tmp_path / "twice.rss", rss_feed(*items))
    docs = [d for d in read([str(path)]) if isinstance(d, Document)]
    assert len(docs) == 2
    assert docs[0].content_hash != docs[1].content_hash
    assert docs[0].id != docs[1].id


def test_an_xml_file_holding_a_feed_is_read_as_one(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.xml", rss_feed(rss_item("Depot", summary=DEPOT)))
    (doc,) = list(read([str(path)]))
    assert isinstance(doc, Document) and doc.raw == DEPOT.encode()


def test_truncated_feed_keeps_the_entries_read_before_the_cut(tmp_path: Path) -> None:
    whole = rss_feed(
        rss_item("One", guid="t-1", summary=MARKET),
        rss_item("Two", guid="t-2", summary=DEPOT),
        rss_item("Three", guid="t-3", summary=BRIDGE),
    )
    cut = whole[: whole.index(b"Tarnow")]
    path = write(tmp_path / "cut.rss", cut)
    results = list(read([str(path)]))
    kept = [r for r in results if isinstance(r, Document)]
    assert [d.raw for d in kept[:2]] == [MARKET.encode(), DEPOT.encode()]
    assert all(isinstance(r, (Document, Rejected)) for r in results)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.rss", rss_feed(), "holds no entries"),
        ("note.xml", b'<?xml version="1.0"?><note><to>Ana</to></note>', "not an RSS or Atom"),
        ("junk.rss", b"<rss><channel><item><title>\x01\x02 &&& <<", "malformed XML"),
        ("zero.atom", b"", "empty"),
    ],
)
def test_a_feed_with_nothing_readable_is_one_rejected_line(
    tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    path = write(tmp_path / name, data)
    only = only_rejection(str(path))
    assert only.source == str(path) and expected in only.reason


def test_a_feed_never_reads_a_path_or_url_named_in_its_bytes(tmp_path: Path) -> None:
    secret = write(tmp_path / "secret.txt", b"attack plans")
    path = write(tmp_path / "pointer.rss", str(secret).encode())
    results = list(read([str(path)]))
    assert all(isinstance(r, Rejected) for r in results)
    assert all(b"attack plans" not in getattr(r, "raw", b"") for r in results)


def test_a_feed_on_standard_input_is_read_entry_by_entry() -> None:
    feed = rss_feed(rss_item("One", guid="s1", summary=MARKET), rss_item("Two", summary=DEPOT))
    results = list(read(["-"], stdin=io.BytesIO(feed)))
    assert [r.source for r in results] == ["<stdin>#1", "<stdin>#2"]
    assert all(isinstance(r, Document) for r in results)
