"""WARC archives: pages become documents, other records are skipped, damage is one line
and everything read before it is kept."""

from __future__ import annotations

import datetime as dt
import gzip
import zlib
from pathlib import Path

import pytest
from tests.ingest.sources import (
    BRIDGE,
    DEPOT,
    MARKET,
    html_page,
    only_rejection,
    raw_warc_record,
    warc_bytes,
    write,
)

from incidex.ingest import read
from incidex.models import Document, Rejected

RECORDS: list[dict[str, object]] = [
    {"uri": "https://news.example.org/market", "body": html_page("Market", MARKET)},
    {"uri": "https://news.example.org/robots.txt", "type": "request", "body": b"GET / HTTP/1.1"},
    {
        "uri": "https://news.example.org/depot.txt",
        "body": DEPOT.encode(),
        "content_type": "text/plain",
        "date": "2025-02-03T04:05:06Z",
    },
    {"uri": "https://news.example.org/gone", "status": "404 Not Found", "body": b"<p>gone</p>"},
    {"uri": "https://news.example.org/logo.png", "content_type": "image/png", "body": b"\x89PNG"},
    {
        "uri": "https://news.example.org/meta",
        "type": "metadata",
        "content_type": "application/warc-fields",
        "body": b"outlink: x\r\n",
    },
    {
        "uri": "https://news.example.org/market",
        "type": "revisit",
        "content_type": "application/http; msgtype=response",
        "body": b"",
    },
    {
        "uri": "https://news.example.org/bridge.html",
        "type": "resource",
        "content_type": "text/html",
        "body": html_page("Bridge", BRIDGE),
    },
]


@pytest.mark.parametrize("compressed", [False, True])
def test_archive_pages_become_documents_and_other_records_are_skipped(
    tmp_path: Path, compressed: bool
) -> None:
    name = "crawl.warc.gz" if compressed else "crawl.warc"
    path = write(tmp_path / name, warc_bytes(RECORDS, gzip=compressed))
    results = list(read([str(path)]))
    assert all(isinstance(r, Document) for r in results), results
    docs = [r for r in results if isinstance(r, Document)]
    assert [d.url for d in docs] == [
        "https://news.example.org/market",
        "https://news.example.org/depot.txt",
        "https://news.example.org/bridge.html",
    ]
    market, depot, bridge = docs
    assert market.media_type == "text/html" and MARKET.encode() in market.raw
    assert depot.media_type == "text/plain" and depot.raw == DEPOT.encode()
    assert bridge.media_type == "text/html" and BRIDGE.encode() in bridge.raw
    assert depot.fetched_at == dt.datetime(2025, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
    # Sources name the record by its byte offset in the file: distinct, increasing.
    offsets = [int(d.source.rsplit("#", 1)[1]) for d in docs]
    assert all(d.source.startswith(f"{path}#") for d in docs)
    assert offsets[0] == 0 and offsets == sorted(set(offsets))


def test_archive_read_twice_gives_the_same_hashes(tmp_path: Path) -> None:
    path = write(tmp_path / "crawl.warc", warc_bytes(RECORDS, gzip=False))
    first = [d.content_hash for d in read([str(path)]) if isinstance(d, Document)]
    assert first == [d.content_hash for d in read([str(path)]) if isinstance(d, Document)]


PAGES: list[dict[str, object]] = [
    {"uri": f"https://news.example.org/{i}", "body": html_page(f"Story {i}", text)}
    for i, text in enumerate([MARKET, DEPOT, BRIDGE, MARKET + " " + DEPOT])
]


def _member_ends(data: bytes) -> list[int]:
    """Return the byte offsets where the gzip members of a .warc.gz end."""
    ends: list[int] = []
    while data:
        member = zlib.decompressobj(wbits=31)
        member.decompress(data)
        ends.append((ends[-1] if ends else 0) + len(data) - len(member.unused_data))
        data = member.unused_data
    return ends


def _decompressed_whole_from(data: bytes, start: int, end: int) -> int:
    """Return the offset from which a cut gzip member already gives its whole record (all
    but the blank lines closing it)."""
    record = _inflated(data[start:end]).rstrip(b"\r\n")
    for cut in range(end - 1, start, -1):
        if not _inflated(data[start:cut]).startswith(record):
            return cut + 1
    return start


def _inflated(member: bytes) -> bytes:
    """Return all a (possibly cut) gzip member gives."""
    inflater = zlib.decompressobj(wbits=31)
    return inflater.decompress(member) + inflater.flush()


def test_gzip_archive_cut_in_the_middle_keeps_records_before_the_cut(tmp_path: Path) -> None:
    whole = warc_bytes(PAGES, gzip=True)
    ends = _member_ends(whole)
    # The middle of the third record's member, wherever the dates put it.
    path = write(tmp_path / "cut.warc.gz", whole[: (ends[1] + ends[2]) // 2])
    results = list(read([str(path)]))
    kept = [r for r in results if isinstance(r, Document)]
    assert [d.url for d in kept] == [f"https://news.example.org/{i}" for i in range(len(kept))]
    assert len(kept) >= 2
    assert isinstance(results[-1], Rejected)
    assert results[-1].source == str(path)
    assert "truncated or corrupt at byte" in results[-1].reason
    assert sum(isinstance(r, Rejected) for r in results) == 1


def test_no_cut_of_a_gzip_archive_passes_a_part_record_for_a_whole_one(tmp_path: Path) -> None:
    whole = warc_bytes(PAGES, gzip=True)
    ends = _member_ends(whole)
    complete = read([str(write(tmp_path / "whole.warc.gz", whole))])
    hashes = {d.url: d.content_hash for d in complete if isinstance(d, Document)}
    assert len(hashes) == len(PAGES)
    trailers = [
        (_decompressed_whole_from(whole, start, end), end)
        for start, end in zip([0, *ends], ends, strict=False)
    ]
    path = tmp_path / "cut.warc.gz"
    for cut in range(1, len(whole), 3):
        results = list(read([str(write(path, whole[:cut]))]))
        kept = [r for r in results if isinstance(r, Document)]
        # every page kept is the whole page...
        assert all(d.content_hash == hashes[d.url] for d in kept), cut
        # ...and a cut anywhere but past the last compressed byte of a member's record (in
        # its gzip trailer, or between members: nothing is lost) ends in one line naming
        # the archive.
        in_trailer = any(whole_from <= cut <= end for whole_from, end in trailers)
        if not in_trailer:
            assert isinstance(results[-1], Rejected), cut
            assert results[-1].source == str(path), (cut, results[-1])


def test_plain_archive_cut_inside_a_record_rejects_the_archive_once(tmp_path: Path) -> None:
    whole = warc_bytes(RECORDS[:3], gzip=False)
    path = write(tmp_path / "cut.warc", whole[: whole.index(b"Kessaly")])
    results = list(read([str(path)]))
    assert [type(r) for r in results] == [Document, Rejected]
    assert "truncated or corrupt" in results[1].reason  # type: ignore[union-attr]


def test_record_with_a_broken_http_header_is_rejected_and_reading_goes_on(
    tmp_path: Path,
) -> None:
    broken = raw_warc_record(
        "https://news.example.org/broken", b"this is no status line\r\nfoo\r\n\r\n<p>x</p>"
    )
    fine = raw_warc_record(
        "https://news.example.org/fine",
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>" + DEPOT.encode() + b"</p>",
    )
    path = write(tmp_path / "mixed.warc", broken + fine)
    bad, good = list(read([str(path)]))
    assert isinstance(bad, Rejected) and bad.source == f"{path}#0"
    assert "malformed HTTP header" in bad.reason and "/broken" in bad.reason
    assert isinstance(good, Document) and good.url == "https://news.example.org/fine"


def test_binary_record_labelled_html_is_rejected_by_name(tmp_path: Path) -> None:
    records: list[dict[str, object]] = [
        {"uri": "https://news.example.org/blob", "body": bytes(range(256)) * 4},
        {"uri": "https://news.example.org/market", "body": html_page("Market", MARKET)},
    ]
    path = write(tmp_path / "blob.warc.gz", warc_bytes(records, gzip=True))
    bad, good = list(read([str(path)]))
    assert isinstance(bad, Rejected) and "/blob" in bad.reason and "binary" in bad.reason
    assert bad.source.startswith(f"{path}#")
    assert isinstance(good, Document)


def test_oversize_record_is_refused_while_a_bigger_archive_streams(tmp_path: Path) -> None:
    small = [
        {"uri": f"https://news.example.org/{i}", "body": html_page(str(i), DEPOT)}
        for i in range(30)
    ]
    big = {"uri": "https://news.example.org/huge", "body": html_page("Huge", MARKET * 40)}
    path = write(tmp_path / "big.warc", warc_bytes([*small[:15], big, *small[15:]], gzip=False))
    limit = 4_000
    assert path.stat().st_size > 2 * limit  # the archive itself is over the limit
    results = list(read([str(path)], max_bytes=limit))
    rejected = [r for r in results if isinstance(r, Rejected)]
    assert len(rejected) == 1 and "/huge" in rejected[0].reason
    assert "4,000-byte limit" in rejected[0].reason
    assert sum(isinstance(r, Document) for r in results) == 30


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("notes.warc", b"These are my notes, not an archive.\n" * 5),
        ("fake.warc.gz", gzip.compress(b"WARC/1.0\r\nWARC-Type: resp")[:30]),
        ("empty.warc", b""),
    ],
)
def test_something_that_is_not_an_archive_is_one_rejected_line(
    tmp_path: Path, name: str, data: bytes
) -> None:
    path = write(tmp_path / name, data)
    assert only_rejection(str(path)).source == str(path)


def test_archive_with_no_pages_says_so(tmp_path: Path) -> None:
    skipped = [r for r in RECORDS if r.get("type") in ("request", "revisit")]
    path = write(tmp_path / "requests.warc", warc_bytes([*skipped, RECORDS[4]], gzip=False))
    (only,) = list(read([str(path)]))
    assert isinstance(only, Rejected) and "no HTML or plain-text" in only.reason


def test_directory_reading_picks_up_archives_and_feeds(tmp_path: Path) -> None:
    write(tmp_path / "a.warc.gz", warc_bytes(RECORDS[:1], gzip=True))
    write(tmp_path / "b.WARC", warc_bytes(RECORDS[2:3], gzip=False))
    write(tmp_path / "c.gz", b"ignored: not an archive suffix")
    results = list(read([str(tmp_path)]))
    assert [type(r) for r in results] == [Document, Document]


def test_declared_charset_of_an_archived_page_is_turned_into_utf8(tmp_path: Path) -> None:
    text = "Des hommes armés ont attaqué un dépôt à Kessaly."
    record = {
        "uri": "https://news.example.org/fr",
        "content_type": "text/plain; charset=iso-8859-1",
        "body": text.encode("latin-1"),
    }
    path = write(tmp_path / "fr.warc", warc_bytes([record], gzip=False))
    (doc,) = list(read([str(path)]))
    assert isinstance(doc, Document) and doc.raw == text.encode("utf-8")
