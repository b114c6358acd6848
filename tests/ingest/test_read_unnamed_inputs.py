"""Inputs that carry no usable suffix are read by their content: temporary files, pipes
(``<(command)``, FIFOs), ``.json`` files and piped standard input with no path given."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.conftest import run_cli
from tests.ingest.sources import html_page, warc_bytes, write

from incidex.ingest import read
from incidex.models import Document, Rejected

RECORDS = [
    {"id": "u1", "text": "A car bomb exploded outside a hotel in the port city on Friday."},
    {"id": "u2", "text": "Gunmen fired on a bus near the market, wounding four passengers."},
]
JSONL = "".join(json.dumps(r) + "\n" for r in RECORDS).encode()


def _sources(results: list[Document | Rejected]) -> list[tuple[str, bool]]:
    return [(r.source, isinstance(r, Document)) for r in results]


def test_read_file_without_suffix_sniffs_json_lines_text_and_binary(tmp_path: Path) -> None:
    lines = write(tmp_path / "tmpa8x2k", JSONL)
    text = write(tmp_path / "tmpq7c0v", b"Troops shelled a village near the border at dawn.\n")
    binary = write(tmp_path / "tmpzz01", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    results = list(read([str(lines), str(text), str(binary)]))
    assert _sources(results) == [
        (f"{lines}:1", True),
        (f"{lines}:2", True),
        (str(text), True),
        (str(binary), False),
    ]
    assert [r.id for r in results[:2] if isinstance(r, Document)] == ["u1", "u2"]
    assert isinstance(results[3], Rejected) and "a PNG image" in results[3].reason


def test_read_file_without_suffix_reads_a_web_archive(tmp_path: Path) -> None:
    page = html_page("Depot", "A grenade was thrown into a bus depot, injuring two guards.")
    for gzip in (False, True):
        path = write(
            tmp_path / f"crawl{int(gzip)}",
            warc_bytes([{"uri": "https://x.example/d", "body": page}], gzip=gzip),
        )
        (doc,) = list(read([str(path)]))
        assert isinstance(doc, Document) and doc.url == "https://x.example/d"


def test_read_file_with_another_suffix_by_its_content(tmp_path: Path) -> None:
    # An evaluation script's temporary file (``batch.in``), a log or a dump: named by the
    # user, so read for what it holds rather than refused for its name.
    lines = write(tmp_path / "batch.in", JSONL)
    text = write(tmp_path / "wire.log", b"Troops shelled a village near the border at dawn.\n")
    page = write(tmp_path / "saved.page", html_page("Depot", "A grenade hit a bus depot."))
    results = list(read([str(lines), str(text), str(page)]))
    assert _sources(results) == [
        (f"{lines}:1", True),
        (f"{lines}:2", True),
        (str(text), True),
        (str(page), True),
    ]
    assert [r.id for r in results[:2] if isinstance(r, Document)] == ["u1", "u2"]
    assert [r.media_type for r in results[2:] if isinstance(r, Document)] == [
        "text/plain",
        "text/html",
    ]


def test_read_refuses_binary_documents_by_their_format(tmp_path: Path) -> None:
    inputs = {
        "notes.pdf": (b"%PDF-1.4 text", "unsupported file type (.pdf: a PDF document)"),
        "report.docx": (b"PK\x03\x04 word/document.xml", "(.docx: a ZIP archive or office"),
        "scan": (b"\xff\xd8\xff\xe0 JFIF", "unsupported file type (a JPEG image)"),
    }
    for name, (data, reason) in inputs.items():
        (result,) = read([str(write(tmp_path / name, data))])
        assert isinstance(result, Rejected) and reason in result.reason, (name, result)


def test_extract_reads_a_temporary_file_with_another_suffix(tmp_path: Path) -> None:
    batch = write(tmp_path / "tmp.k3J9x.in", JSONL)
    result = run_cli(["extract", str(batch), "--format", "jsonl"])
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["u1", "u2"]


def test_read_json_file_as_object_list_or_lines(tmp_path: Path) -> None:
    listed = write(tmp_path / "list.json", json.dumps([RECORDS[0], "oops", RECORDS[1]]).encode())
    single = write(tmp_path / "one.json", json.dumps(RECORDS[0]).encode())
    as_lines = write(tmp_path / "lines.json", JSONL)
    results = list(read([str(listed), str(single), str(as_lines)]))
    assert _sources(results) == [
        (f"{listed}#1", True),
        (f"{listed}#2", False),
        (f"{listed}#3", True),
        (str(single), True),
        (f"{as_lines}:1", True),
        (f"{as_lines}:2", True),
    ]
    assert isinstance(results[1], Rejected) and "a string, not an object" in results[1].reason


def test_read_json_file_that_is_broken_or_holds_no_articles(tmp_path: Path) -> None:
    broken = write(tmp_path / "broken.json", b'[{"id": "a", "text": "Shots were fired."},')
    scalar = write(tmp_path / "scalar.json", b"42")
    first, second = read([str(broken), str(scalar)])
    assert isinstance(first, Rejected) and first.reason.startswith("malformed JSON:")
    assert "line 1" in first.reason
    assert isinstance(second, Rejected) and "holds a number, not articles" in second.reason


def test_read_named_pipe_like_standard_input(tmp_path: Path) -> None:
    fifo = tmp_path / "feed"
    os.mkfifo(fifo)
    # A writer already at the pipe, as the shell's command is behind `<(command)`; opening
    # the write end needs a reader, so one is held open meanwhile.
    holder = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    pipe = os.open(fifo, os.O_WRONLY)

    def feed() -> None:
        os.write(pipe, JSONL[:30])
        time.sleep(0.2)  # a writer that takes its time: the reader waits for the end
        os.write(pipe, JSONL[30:])
        os.close(pipe)

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        results = list(read([str(fifo)]))
    finally:
        writer.join()
        os.close(holder)
    assert _sources(results) == [(f"{fifo}:1", True), (f"{fifo}:2", True)]


def test_read_named_pipe_without_writer_ends_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    (result,) = read([str(fifo)])
    assert isinstance(result, Rejected) and "empty" in result.reason
    assert time.monotonic() - started < 5


def test_read_refuses_devices(tmp_path: Path) -> None:
    (result,) = read(["/dev/null"])
    assert isinstance(result, Rejected) and "not a regular file (a device" in result.reason


def test_cli_reads_piped_input_when_no_path_is_given() -> None:
    done = run_cli(["extract", "--format", "jsonl"], stdin=JSONL)
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == ["u1", "u2"]


def test_cli_reads_a_process_substitution(tmp_path: Path) -> None:
    # What `incidex extract <(grep ... input.jsonl)` passes: a /dev/fd path to a pipe.
    reader, writer = os.pipe()
    os.write(writer, JSONL)
    os.close(writer)
    done = subprocess.run(
        [sys.executable, "-m", "incidex", "extract", "--format", "jsonl", f"/dev/fd/{reader}"],
        capture_output=True,
        text=True,
        pass_fds=(reader,),
        timeout=600,
    )
    os.close(reader)
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == ["u1", "u2"]


def test_cli_asks_for_input_at_a_terminal_without_paths() -> None:
    main, terminal = pty.openpty()
    done = subprocess.run(
        [sys.executable, "-m", "incidex", "extract"],
        stdin=terminal,
        capture_output=True,
        text=True,
        timeout=600,
    )
    os.close(terminal)
    os.close(main)
    assert done.returncode == 2
    assert "name the files, directories or URLs to read, or pipe articles in" in done.stderr


def test_read_directory_leaves_json_and_unsuffixed_files_alone(tmp_path: Path) -> None:
    write(tmp_path / "story.txt", b"Rebels burned a customs post on the river crossing.")
    write(tmp_path / "settings.json", b'{"theme": "dark"}')
    write(tmp_path / "README", b"Notes about this folder.")
    assert _sources(list(read([str(tmp_path)]))) == [(str(tmp_path / "story.txt"), True)]


def test_read_json_list_item_without_text_names_the_record(tmp_path: Path) -> None:
    listed = write(
        tmp_path / "list.json", json.dumps([{"id": "x", "title": "Only a title"}]).encode()
    )
    (result,) = read([str(listed)])
    assert isinstance(result, Rejected) and result.source == f"{listed}#1"
    assert result.reason.startswith('JSON record has no "text" or "html" field')
