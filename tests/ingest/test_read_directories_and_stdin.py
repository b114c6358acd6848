"""Directories are read recursively and deterministically; stdin content is sniffed."""

from __future__ import annotations

import io
from pathlib import Path

from incidex.ingest import read
from incidex.models import Document, Rejected


def _tree(root: Path) -> None:
    files = {
        "b.txt": "Second story.",
        "a.md": "First story.",
        "sub/c.html": "<html><body><p>Third story.</p></body></html>",
        "sub/deeper/d.jsonl": '{"id": "d1", "text": "Fourth."}\n{"id": "d2", "text": "Fifth."}\n',
        "sub/notes.pdf": "not read",
        ".git/e.txt": "hidden directory",
        ".f.txt": "hidden file",
        "zz/UPPER.TXT": "Suffixes are matched without case.",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_read_directory_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    _tree(tmp_path)
    results = list(read([str(tmp_path)]))
    assert all(isinstance(r, Document) for r in results)
    rel = [r.source.removeprefix(str(tmp_path) + "/") for r in results]
    assert rel == [
        "a.md",
        "b.txt",
        "sub/c.html",
        "sub/deeper/d.jsonl:1",
        "sub/deeper/d.jsonl:2",
        "zz/UPPER.TXT",
    ]


def test_read_same_file_twice_gives_same_id(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text("A repeated story.", encoding="utf-8")
    first, second = list(read([str(path), str(path)]))
    assert isinstance(first, Document) and isinstance(second, Document)
    assert first.id == second.id and first.content_hash == second.content_hash


def test_read_jsonl_same_text_different_ids_are_distinct_documents(tmp_path: Path) -> None:
    path = tmp_path / "dup.jsonl"
    path.write_text(
        '{"id": "x", "text": "Same wire story."}\n'
        '{"id": "y", "text": "Same wire story."}\n'
        '{"text": "Same wire story."}\n',
        encoding="utf-8",
    )
    docs = [r for r in read([str(path)]) if isinstance(r, Document)]
    assert [d.id for d in docs[:2]] == ["x", "y"]
    assert len({d.content_hash for d in docs}) == 3
    assert docs[2].id == "doc-" + docs[2].content_hash[:12]


def test_read_jsonl_metadata_fields(tmp_path: Path) -> None:
    path = tmp_path / "meta.jsonl"
    path.write_text(
        '{"id": "m", "text": "Body.", "title": "Head", "url": "https://example.org/a",'
        ' "source": "Example News", "published": "2024-03-22T18:05:00Z"}\n',
        encoding="utf-8",
    )
    (doc,) = read([str(path)])
    assert isinstance(doc, Document)
    assert (doc.title, doc.url, doc.site) == ("Head", "https://example.org/a", "Example News")
    assert doc.published is not None and doc.published.isoformat() == "2024-03-22"


def test_read_stdin_sniffs_json_lines() -> None:
    data = b'{"id": "s1", "text": "One."}\n{"id": "s2", "text": "Two."}\n{"id": "s3", "tex\n'
    results = list(read(["-"], stdin=io.BytesIO(data)))
    assert [r.source for r in results] == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]
    assert isinstance(results[2], Rejected) and "malformed JSON" in results[2].reason


def test_read_stdin_sniffs_html_and_text() -> None:
    page = b"<!DOCTYPE html><html><body><p>Flood waters rose.</p></body></html>"
    (html,) = read(["-"], stdin=io.BytesIO(page))
    (text,) = read(["-"], stdin=io.BytesIO(b"Flood waters rose in the delta.\n{not json}\n"))
    assert isinstance(html, Document) and html.media_type == "text/html"
    assert isinstance(text, Document) and text.media_type == "text/plain"
    assert html.source == text.source == "<stdin>"


def test_read_stdin_over_limit_is_refused() -> None:
    (result,) = read(["-"], stdin=io.BytesIO(b"x" * 50), max_bytes=10)
    assert isinstance(result, Rejected) and "limit" in result.reason
