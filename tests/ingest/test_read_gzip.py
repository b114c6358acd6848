"""Gzip-compressed inputs (``articles.jsonl.gz``, a compressed dump under any name) are read
as their content; a damaged one, or one that decompresses past the size limit, is refused
with its own reason and the batch goes on."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from tests.ingest.sources import DEPOT, MARKET, html_page, warc_bytes, write

from incidex.ingest import read
from incidex.models import Document, Rejected

RECORDS = [{"id": "g1", "text": MARKET}, {"id": "g2", "text": DEPOT}]
JSONL = "".join(json.dumps(r) + "\n" for r in RECORDS).encode()


def _ids(results: list[Document | Rejected]) -> list[str]:
    return [r.id if isinstance(r, Document) else f"rejected: {r.reason}" for r in results]


def test_read_gzip_compressed_files_by_inner_suffix_or_content(tmp_path: Path) -> None:
    named = write(tmp_path / "day.jsonl.gz", gzip.compress(JSONL))
    unnamed = write(tmp_path / "batch.in", gzip.compress(JSONL))
    text = write(tmp_path / "wire.txt.gz", gzip.compress(MARKET.encode()))
    page = write(tmp_path / "saved.gz", gzip.compress(html_page("Depot", DEPOT)))
    results = list(read([str(named), str(unnamed), str(text), str(page)]))
    assert _ids(results)[:4] == ["g1", "g2", "g1", "g2"]
    assert [r.source for r in results[:2]] == [f"{named}:1", f"{named}:2"]
    docs = [r for r in results[4:] if isinstance(r, Document)]
    assert [(d.source, d.media_type) for d in docs] == [
        (str(text), "text/plain"),
        (str(page), "text/html"),
    ]
    assert docs[0].raw == MARKET.encode()


def test_read_gzip_compressed_web_archive_under_another_name(tmp_path: Path) -> None:
    page = html_page("Depot", DEPOT)
    crawl = write(
        tmp_path / "crawl.gz", warc_bytes([{"uri": "https://x.example/d", "body": page}], gzip=True)
    )
    (doc,) = list(read([str(crawl)]))
    assert isinstance(doc, Document) and doc.url == "https://x.example/d"


def test_read_refuses_damaged_or_oversized_gzip_and_goes_on(tmp_path: Path) -> None:
    damaged = write(tmp_path / "cut.jsonl.gz", gzip.compress(JSONL)[:30])
    garbage = write(tmp_path / "noise.jsonl.gz", b"\x1f\x8b" + bytes(range(200)))
    bomb = write(tmp_path / "zeros.txt.gz", gzip.compress(b"0" * 50_000))
    good = write(tmp_path / "after.jsonl", JSONL)
    results = list(read([str(damaged), str(garbage), str(bomb), str(good)], max_bytes=10_000))
    reasons = [r.reason for r in results if isinstance(r, Rejected)]
    assert [r.source for r in results if isinstance(r, Rejected)] == [
        str(damaged),
        str(garbage),
        str(bomb),
    ]
    assert reasons[0].startswith("damaged gzip file")
    assert reasons[1].startswith("damaged gzip file")
    assert reasons[2].startswith("decompresses to over 10,000 bytes")
    assert _ids(results)[3:] == ["g1", "g2"]


def test_directory_reads_compressed_json_lines(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    write(folder / "monday.jsonl.gz", gzip.compress(JSONL))
    write(folder / "notes.gz", gzip.compress(b"not read: a suffix that names nothing"))
    assert _ids(list(read([str(folder)]))) == ["g1", "g2"]


def test_read_gzip_compressed_standard_input() -> None:
    piped = list(read(["-"], stdin=io.BytesIO(gzip.compress(JSONL))))
    assert _ids(piped) == ["g1", "g2"]
    (damaged,) = read(["-"], stdin=io.BytesIO(gzip.compress(JSONL)[:25]))
    assert isinstance(damaged, Rejected) and damaged.reason.startswith("damaged gzip file")
