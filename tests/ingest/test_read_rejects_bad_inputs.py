"""One ``read`` call over good and bad inputs: good ones become Documents, each bad one one
Rejected naming the problem, in input order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.ingest.sources import only_rejection

from incidex.ingest import read
from incidex.models import Document, Rejected

MAX_BYTES = 5_000

GOOD_TEXT = "Gunmen attacked a police post in a northern town on Monday, officials said.\n"
GOOD_HTML = "<html><head><title>Storm</title></head><body><p>Heavy rain fell.</p></body></html>"
JSONL_LINES = [
    '{"id": "n1", "text": "A bomb exploded near a bus station.", "published": "2024-05-02"}',
    '{"id": "n2", "text": "Police said the fire was set on purpose.", "published": "last week"}',
    '{"id": "n3", "text": "truncated',
    '["a list", "not an object"]',
    '{"id": "n5", "title": "No body here"}',
    '{"id": "n6", "text": 42}',
    "",
    '{"id": 7, "html": "<p>One</p><p>Two</p><p>Three</p>"}',
]


def _write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def _inputs(tmp: Path) -> list[tuple[str, str | None]]:
    """Return (source, expected reason fragment or None for a Document) in reading order."""
    (tmp / "nothing").mkdir()
    (tmp / "nothing" / "scan.pdf").write_bytes(b"%PDF-1.4")
    (tmp / "nothing" / ".hidden.txt").write_text("hidden text", encoding="utf-8")
    cyrillic = "Вчера в городе произошёл сильный взрыв, сообщила полиция. ".encode("cp1251")
    return [
        (_write(tmp / "good.txt", GOOD_TEXT.encode()), None),
        (str(tmp / "missing.txt"), "no such file or directory"),
        (str(tmp / "nothing"), "directory holds no readable files"),
        (_write(tmp / "report.pdf", b"%PDF-1.4 text"), "file type (.pdf: a PDF document)"),
        (_write(tmp / "nul.txt", b"text\x00with\x00nuls"), "binary file"),
        (_write(tmp / "controls.txt", bytes(range(1, 9)) * 40), "binary file"),
        (_write(tmp / "empty.txt", b""), "file is empty"),
        (_write(tmp / "blank.md", b" \n\t\r\n  "), "only whitespace"),
        (_write(tmp / "cyrillic.txt", cyrillic * 3), "undecodable"),
        (_write(tmp / "big.txt", b"word " * (MAX_BYTES // 4)), "too big"),
        (_write(tmp / "page.html", GOOD_HTML.encode()), None),
        *_unreadable(tmp),
    ]


def _unreadable(tmp: Path) -> list[tuple[str, str | None]]:
    # Root reads files whatever their permissions, so the case only exists for other users.
    if os.geteuid() == 0:
        return []
    path = tmp / "secret.txt"
    path.write_text(GOOD_TEXT, encoding="utf-8")
    path.chmod(0)
    return [(str(path), "permission denied")]


def _jsonl_expectations(path: str) -> list[tuple[str, str | None]]:
    return [
        (f"{path}:1", None),
        (f"{path}:2", None),
        (f"{path}:3", "malformed JSON line"),
        (f"{path}:4", "is a list, not an object"),
        (f"{path}:5", 'no "text" or "html" field'),
        (f"{path}:6", '"text" is a number, not a string'),
        (f"{path}:8", None),
    ]


def _outcome(item: Document | Rejected) -> tuple[str, str | None]:
    if isinstance(item, Rejected):
        return item.source, item.reason
    return item.source, None


def test_read_yields_one_result_per_input_in_order(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    jsonl = _write(tmp_path / "wire.jsonl", "\n".join(JSONL_LINES).encode())
    expected = [*inputs, *_jsonl_expectations(jsonl)]
    results = list(read([src for src, _ in inputs] + [jsonl], max_bytes=MAX_BYTES))
    got = [_outcome(r) for r in results]
    assert [src for src, _ in got] == [src for src, _ in expected]
    for (source, reason), (_, fragment) in zip(got, expected, strict=True):
        if fragment is None:
            assert reason is None, f"{source} rejected: {reason}"
        else:
            assert reason is not None and fragment in reason, f"{source}: {reason!r}"
            assert "\n" not in reason


def test_read_rejection_reasons_are_distinct(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    reasons = [
        r.reason
        for r in read([s for s, _ in inputs], max_bytes=MAX_BYTES)
        if isinstance(r, Rejected)
    ]
    # The two binary cases share a prefix but say what they found.
    assert len(set(reasons)) == len(reasons)


def test_read_keeps_good_documents_fields(tmp_path: Path) -> None:
    jsonl = _write(tmp_path / "wire.jsonl", "\n".join(JSONL_LINES).encode())
    docs = [r for r in read([jsonl]) if isinstance(r, Document)]
    assert [d.id for d in docs] == ["n1", "n2", "7"]
    assert docs[0].published is not None and docs[0].published.isoformat() == "2024-05-02"
    # A bad "published" keeps the document and drops the date.
    assert docs[1].published is None
    assert docs[1].raw == b"Police said the fire was set on purpose."
    assert docs[2].media_type == "text/html"
    assert docs[0].media_type == "text/plain"


def test_read_text_and_html_files_get_media_types_and_hash_ids(tmp_path: Path) -> None:
    txt = _write(tmp_path / "a.txt", GOOD_TEXT.encode())
    html = _write(tmp_path / "b.HTM", GOOD_HTML.encode())
    first, second = list(read([txt, html]))
    assert isinstance(first, Document) and isinstance(second, Document)
    assert first.media_type == "text/plain" and second.media_type == "text/html"
    assert first.raw == GOOD_TEXT.encode()
    assert first.id == "doc-" + first.content_hash[:12]
    assert first.fetched_at.tzinfo is not None


def test_read_refuses_oversized_file_instead_of_truncating(tmp_path: Path) -> None:
    path = _write(tmp_path / "long.txt", b"a" * 101)
    (result,) = read([path], max_bytes=100)
    assert isinstance(result, Rejected) and "101" in result.reason
    (ok,) = read([path], max_bytes=101)
    assert isinstance(ok, Document) and len(ok.raw) == 101


def test_read_accepts_windows_1252_text(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "cp.txt", "Caf\u00e9 owners \u201cfled\u201d the blaze.".encode("cp1252")
    )
    (result,) = read([path])
    assert isinstance(result, Document)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_read_rejects_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(GOOD_TEXT, encoding="utf-8")
    path.chmod(0)
    good = _write(tmp_path / "good.txt", GOOD_TEXT.encode())
    first, second = list(read([str(path), good]))
    assert isinstance(first, Rejected) and "permission denied" in first.reason
    assert isinstance(second, Document)


def test_read_rejects_urls_and_empty_paths() -> None:
    # Only a URL refused before any lookup: nothing in the tests reaches the network.
    url, empty = list(read(["ftp://example.org/news", ""]))
    assert isinstance(url, Rejected) and "only http and https URLs" in url.reason
    assert isinstance(empty, Rejected) and "empty path" in empty.reason


def test_read_rejects_a_file_holding_only_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf\n")
    assert "whitespace" in only_rejection(str(path)).reason
