"""Reading documents from files, directories, JSON lines and standard input, and the
entry point ``read`` that also sends feeds, WARC archives and URLs to their readers.

Suffixes: ``.txt`` ``.md`` (text), ``.html`` ``.htm``, ``.jsonl``, ``.json`` (an object, a
list of objects with sources ``path#N``, or JSON lines), ``.rss`` ``.atom`` ``.xml``
(RSS/Atom feeds, ``incidex.ingest.feeds``: one document per entry, source ``path#N``; an
``.xml`` file that is not a feed is rejected), ``.warc`` ``.warc.gz``
(``incidex.ingest.warc``: streamed, one document per HTML or text response, source
``path#OFFSET``; ``max_bytes`` bounds each record, not the archive). A gzip-compressed file
(``articles.jsonl.gz``, or any file whose bytes say so) is read as its content, which
``max_bytes`` bounds once decompressed. A file named without a suffix or with another one
(a temporary file, a pipe such as ``<(command)``, ``batch.in``) is read by its content, as
standard input is, or as a web archive when it starts like one; one that starts like a PDF,
an office document or an image is refused by that name. A source that starts like
``scheme://`` is a URL (``incidex.ingest.urls``, under the rules of
``incidex.ingest.url_safety``). Directories are read for all these suffixes but ``.json``.

Every input becomes a ``Document`` or a ``Rejected`` naming it with a one-line reason; nothing
raises out of ``read``. Checks happen in a fixed order, each with its own reason: missing or
special path (a device or socket; a named pipe is read), binary document format, too big
(refused, never truncated), unreadable, empty,
UTF-16, binary, undecodable. Decoding bytes to text is the clean stage's job; ingest only
decides whether the bytes are plausibly text.

JSON lines: one ``Document`` per non-empty line, source ``path:LINE``. A line needs a
non-empty ``text`` or ``html`` string (``html`` wins when both are given, since it carries
the page metadata the cleaner extracts). ``id`` is kept as a string. ``title``, ``url``,
``source`` (the site) and ``published`` are optional; a ``published`` value that is not an
ISO date, or an optional field of the wrong type, is dropped with a logged warning and the
document is kept, because a bad date should not cost the article.

Standard input is JSON lines when every non-empty line starts with ``{`` and the first one
parses as a JSON object (so one broken line is rejected on its own instead of turning the
whole stream into one text document), else a feed when it starts with an RSS, Atom or RDF
root element, else HTML when it starts like a page or holds several
block tags, else plain text.

Content hash: a file's hash is the sha256 of its bytes, so the same file read twice (or
under two names) is one document. A JSON line's hash covers its given id as well as its
content: two lines with the same text and different ids are two records someone keyed
separately (an evaluation set, two outlets carrying one wire story) and must both survive
storage; copy detection downstream decides whether they are the same story. A line
without an id hashes its content alone, so re-ingesting it is a no-op. Feed entries hash
like JSON lines, with the guid (else the link) as the id; archived and downloaded pages
hash their bytes.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import logging
import os
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from ..config import DEFAULT_MAX_BYTES
from ..errors import InputError
from ..models import Document, Rejected
from .documents import (
    hash_hex,
    keyed_hash,
    looks_like_html,
    new_document,
    not_text_reason,
    utf8,
)
from .feeds import documents_from_feed, looks_like_feed
from .url_safety import UrlPolicy, is_url
from .warc import documents_from_warc

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "document_from_record",
    "documents_from_bytes",
    "documents_from_jsonl",
    "file_kind",
    "hash_hex",
    "looks_like_html",
    "read",
    "read_directory",
    "read_file",
    "read_stream",
]

log = logging.getLogger(__name__)

STDIN_SOURCE = "<stdin>"

# Suffix -> how the bytes are read: "text", "html", "jsonl", "feed" or "warc".
SUPPORTED_SUFFIXES: Mapping[str, str] = {
    ".txt": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".json": "json",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".warc": "warc",
    ".warc.gz": "warc",
}
_SUFFIX_LIST = ", ".join(SUPPORTED_SUFFIXES)
# Read only when named: a directory's .json files are as often settings or metadata as
# articles, and files without a suffix (READMEs, licences) are rarely articles.
_NAMED_ONLY = (None, "json")

# Binary document formats an analyst may pass by mistake, by their magic bytes: refused with
# their name, since the text they hold would need a converter we do not ship.
_DOCUMENT_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or office document"),
    (b"\xd0\xcf\x11\xe0", "an old office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)
_MEDIA_TYPES = {"text": "text/plain", "html": "text/html"}
_GZIP_MAGIC = b"\x1f\x8b"
# zlib's window bits for a gzip header and trailer around the deflate stream.
_GZIP_WBITS = 31
_SNIFF_CHARS = 8_192


def read(
    sources: Iterable[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    url_policy: UrlPolicy | None = None,
) -> Iterator[Document | Rejected]:
    """Return the documents of each source in order, bad inputs as ``Rejected``.

    A source is a file path, a directory (read recursively: supported suffixes only,
    hidden entries skipped, sorted by path), an http(s) URL (fetched under ``url_policy``,
    by default the settings' one; see ``incidex.ingest.urls``) or ``-`` for standard input
    (``stdin`` if given, else the process's), whose content is sniffed as JSON lines, an
    RSS/Atom feed, HTML or text.
    """
    for source in sources:
        name = str(source)
        if name == "-":
            yield from read_stream(
                stdin if stdin is not None else sys.stdin.buffer, max_bytes=max_bytes
            )
        elif is_url(name):
            yield from _read_url(name, max_bytes=max_bytes, policy=url_policy)
        else:
            yield from _read_path(name, max_bytes=max_bytes)


def _read_url(
    url: str, *, max_bytes: int, policy: UrlPolicy | None
) -> Iterator[Document | Rejected]:
    """Return the documents at ``url`` (see ``incidex.ingest.urls``)."""
    # Imported on first use: the HTTP client adds a sizeable share to the start-up time of
    # every command, most of which never read a URL.
    from .urls import read_url

    yield from read_url(url, max_bytes=max_bytes, policy=policy)


def _read_path(name: str, *, max_bytes: int) -> Iterator[Document | Rejected]:
    if not name.strip():
        yield Rejected(repr(name), "empty path: name a file, a directory or '-' for stdin")
        return
    path = Path(name)
    try:
        info = path.stat()
    except FileNotFoundError:
        yield Rejected(name, "no such file or directory")
        return
    except PermissionError:
        yield Rejected(name, "permission denied: cannot look at this path")
        return
    except OSError as err:
        yield Rejected(name, f"cannot open: {_os_reason(err)}")
        return
    if stat.S_ISDIR(info.st_mode):
        yield from read_directory(path, max_bytes=max_bytes)
    else:
        yield from read_file(path, max_bytes=max_bytes, source=name)


def read_directory(
    directory: Path, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Document | Rejected]:
    """Return the documents of every supported file under ``directory``, sorted by path.

    Hidden files and directories are skipped, and so are files with other suffixes;
    a directory with no supported file at all is one ``Rejected``.
    """
    problems: list[Rejected] = []
    files = _supported_files(directory, problems)
    yield from problems
    if not files and not problems:
        yield Rejected(
            str(directory), f"directory holds no readable files (looked for {_SUFFIX_LIST})"
        )
    for path in files:
        yield from read_file(path, max_bytes=max_bytes)


def _supported_files(directory: Path, problems: list[Rejected]) -> list[Path]:
    def note(err: OSError) -> None:
        where = err.filename if err.filename is not None else str(directory)
        problems.append(Rejected(str(where), f"cannot list directory: {_os_reason(err)}"))

    found: list[Path] = []
    # followlinks=False: a symlink loop must not make the walk endless.
    for root, dirs, names in os.walk(directory, onerror=note, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for fname in names:
            if not fname.startswith(".") and file_kind(fname) not in _NAMED_ONLY:
                found.append(Path(root) / fname)
    return sorted(found, key=lambda p: p.relative_to(directory).parts)


def read_file(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, source: str | None = None
) -> Iterator[Document | Rejected]:
    """Return the documents of one file: one for text or HTML, one per JSON line, feed
    entry or archived page."""
    name = source if source is not None else str(path)
    kind = file_kind(path.name)
    handle = _open_readable(path, name)
    if isinstance(handle, Rejected):
        yield handle
        return
    with handle:
        gzipped = _gunzipped_head(handle)
        if kind is None:
            format_name = _document_format(handle)
            if format_name is not None:
                yield Rejected(name, _unsupported(path.suffix, format_name))
                return
            kind = _kind_by_content(handle, gzipped)
        if kind == "warc":
            yield from _warc_documents(handle, name, max_bytes)
            return
        if gzipped is None:
            data = _handle_bytes(handle, name, max_bytes)
        else:
            data = _gunzipped_bytes(handle, name, max_bytes)
    if isinstance(data, Rejected):
        yield data
        return
    yield from documents_from_bytes(data, name, kind=kind)


def _kind_by_content(handle: io.BufferedReader, gzipped: bytes | None) -> str | None:
    """Return how to read a file whose name does not say (no suffix, or one we do not know:
    a temporary file, a pipe such as ``<(command)``, ``articles.in``): a web archive by its
    first bytes (``gzipped``: those of its content when it is gzip-compressed), else None
    to sniff its text."""
    head = handle.peek(8)[:8] if gzipped is None else gzipped
    return "warc" if head.startswith(b"WARC/") else None


def _gunzipped_head(handle: io.BufferedReader) -> bytes | None:
    """Return the first bytes of a gzip-compressed file's content (empty when they cannot
    be decompressed), or None when the file is not gzip-compressed. Nothing is consumed:
    a FIFO cannot be rewound."""
    head = handle.peek(_SNIFF_CHARS)
    if not head.startswith(_GZIP_MAGIC):
        return None
    try:
        return zlib.decompressobj(wbits=_GZIP_WBITS).decompress(head, 64)
    except zlib.error:
        return b""


def _gunzipped_bytes(handle: BinaryIO, name: str, max_bytes: int) -> bytes | Rejected:
    """Return the content of a gzip-compressed file, refused past ``max_bytes`` as it is
    decompressed (a small file can hold gigabytes of zeros)."""
    try:
        with gzip.GzipFile(fileobj=handle, mode="rb") as inner:
            data = inner.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as err:
        return Rejected(name, f"damaged gzip file: {_first_line(str(err)).lower()}")
    if len(data) > max_bytes:
        return Rejected(
            name,
            f"decompresses to over {max_bytes:,} bytes: split it or raise the size limit",
        )
    return data


def _document_format(handle: io.BufferedReader) -> str | None:
    """Return the name of the binary document format the file starts like (PDF, an office
    document, an image), or None: those are refused by name rather than as binary bytes."""
    head = handle.peek(8)[:8]
    return next((fmt for magic, fmt in _DOCUMENT_MAGIC if head.startswith(magic)), None)


def _unsupported(suffix: str, format_name: str) -> str:
    shown = f"{suffix}: " if suffix else ""
    return (
        f"unsupported file type ({shown}{format_name}): save its text, or use one of {_SUFFIX_LIST}"
    )


def file_kind(name: str) -> str | None:
    """Return how a file with this name is read (a ``SUPPORTED_SUFFIXES`` value), or None;
    ``NAME.gz`` is read as ``NAME`` once decompressed."""
    lowered = name.lower()
    if lowered.endswith(".warc.gz"):
        return "warc"
    return SUPPORTED_SUFFIXES.get(os.path.splitext(lowered.removesuffix(".gz"))[1])


def _warc_documents(handle: BinaryIO, name: str, max_bytes: int) -> Iterator[Document | Rejected]:
    # An archive is streamed record by record: ``max_bytes`` bounds each record, not the file.
    try:
        yield from documents_from_warc(handle, name, max_bytes=max_bytes)
    except OSError as err:
        yield Rejected(name, f"cannot read: {_os_reason(err)}")


def _open_readable(path: Path, name: str) -> io.BufferedReader | Rejected:
    """Return ``path`` opened for reading, or why it cannot be: missing, denied, a device
    or a socket. A named pipe (``<(command)``, a FIFO) is read like standard input."""
    try:
        # O_NONBLOCK: opening a FIFO that no one writes to must not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return Rejected(name, "no such file or directory")
    except PermissionError:
        return Rejected(name, "permission denied: cannot read the file (check its permissions)")
    except OSError as err:
        return Rejected(name, f"cannot read: {_os_reason(err)}")
    mode = os.fstat(fd).st_mode
    if stat.S_ISFIFO(mode):
        # Reads wait for the writer from here on; with no writer they end at once.
        os.set_blocking(fd, True)
    elif not stat.S_ISREG(mode):
        os.close(fd)
        return Rejected(name, "not a regular file (a device or socket): pass a file")
    return os.fdopen(fd, "rb")


def _handle_bytes(handle: BinaryIO, name: str, max_bytes: int) -> bytes | Rejected:
    size = os.fstat(handle.fileno()).st_size
    if size > max_bytes:
        return Rejected(name, _too_big(size, max_bytes))
    try:
        data = handle.read(max_bytes + 1)
    except OSError as err:
        return Rejected(name, f"cannot read: {_os_reason(err)}")
    # The file may have grown between stat and read (and a pipe has no size).
    if len(data) > max_bytes:
        return Rejected(name, _too_big(len(data), max_bytes))
    return data


def read_stream(
    stream: BinaryIO, *, source: str = STDIN_SOURCE, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Document | Rejected]:
    """Return the documents of a byte stream, sniffed as JSON lines, HTML or text, once
    decompressed when gzip-compressed (``zcat`` left out)."""
    try:
        data = stream.read(max_bytes + 1)
    except OSError as err:
        yield Rejected(source, f"cannot read: {_os_reason(err)}")
        return
    if len(data) > max_bytes:
        yield Rejected(source, f"input is over the {max_bytes:,}-byte limit: split it into files")
        return
    content = (
        _gunzipped_bytes(io.BytesIO(data), source, max_bytes)
        if data.startswith(_GZIP_MAGIC)
        else data
    )
    if isinstance(content, Rejected):
        yield content
        return
    yield from documents_from_bytes(content, source, kind=None)


def documents_from_bytes(
    data: bytes, source: str, *, kind: str | None = None
) -> Iterator[Document | Rejected]:
    """Return the documents held in ``data``: one, or one per JSON line for ``jsonl``.

    ``kind`` is ``text``, ``html``, ``jsonl`` or ``feed``; None sniffs it from the content.
    """
    if kind == "feed" or (kind is None and looks_like_feed(data)):
        # A feed declares its own encoding (possibly UTF-16): the parser judges the bytes.
        yield from documents_from_feed(data, source)
        return
    problem = not_text_reason(data)
    if problem is not None:
        yield Rejected(source, problem)
        return
    if kind is None:
        kind = _sniffed_kind(data)
    if kind == "jsonl":
        yield from _jsonl_documents(data, source)
        return
    if kind == "json":
        yield from _json_documents(data, source)
        return
    media_type = _MEDIA_TYPES.get(kind, "text/plain")
    yield new_document(data, source, media_type, hash_hex(data))


def _sniffed_kind(data: bytes) -> str:
    lines = [line.strip() for line in data.split(b"\n") if line.strip()]
    if lines and all(line.startswith(b"{") for line in lines) and _is_json_object(lines[0]):
        return "jsonl"
    head = data[:_SNIFF_CHARS].decode("utf-8", errors="replace")
    return "html" if looks_like_html(head) else "text"


def _is_json_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line.removeprefix(b"\xef\xbb\xbf")), dict)
    except (ValueError, RecursionError):
        return False


def documents_from_jsonl(data: bytes, source: str) -> Iterator[Document | Rejected]:
    """Return one document per non-empty JSON line of ``data``; sources are ``source:LINE``."""
    problem = not_text_reason(data)
    if problem is not None:
        yield Rejected(source, problem)
        return
    yield from _jsonl_documents(data, source)


def _jsonl_documents(data: bytes, source: str) -> Iterator[Document | Rejected]:
    for number, line in enumerate(data.split(b"\n"), start=1):
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        if line.strip():
            yield _document_from_line(line, f"{source}:{number}")


def _json_documents(data: bytes, source: str) -> Iterator[Document | Rejected]:
    """Return the documents of a JSON file: one for an object, one per item of a list of
    objects (sources ``source#N``), one per line when it holds JSON lines instead."""
    try:
        value = json.loads(data.removeprefix(b"\xef\xbb\xbf"))
    except (ValueError, RecursionError) as err:
        if _sniffed_kind(data) == "jsonl":
            yield from _jsonl_documents(data, source)
        else:
            yield Rejected(source, f"malformed JSON: {_json_problem(err)}")
        return
    if isinstance(value, dict):
        yield document_from_record(value, source)
    elif isinstance(value, list):
        for number, item in enumerate(value, start=1):
            yield _document_from_value(item, f"{source}#{number}", "JSON list item")
    else:
        yield Rejected(source, f"JSON file holds {_json_type(value)}, not articles")


def _json_problem(err: Exception) -> str:
    if isinstance(err, RecursionError):
        return "nested too deeply"
    if isinstance(err, UnicodeDecodeError):
        return "not valid UTF-8"
    if isinstance(err, json.JSONDecodeError):
        return f"{err.msg.lower()} at line {err.lineno}, column {err.colno}"
    return _first_line(str(err))


def _document_from_line(line: bytes, source: str) -> Document | Rejected:
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as err:
        return Rejected(source, f"malformed JSON line: {_json_problem(err)}")
    return _document_from_value(record, source, "JSON line")


def _document_from_value(value: object, source: str, what: str) -> Document | Rejected:
    if not isinstance(value, dict):
        return Rejected(
            source, f'{what} is {_json_type(value)}, not an object with a "text" or "html" field'
        )
    return document_from_record(value, source)


def document_from_record(record: Mapping[str, Any], source: str) -> Document | Rejected:
    """Return the document described by one JSON record (see the module docstring)."""
    try:
        return _record_document(record, source)
    except InputError as err:
        return Rejected(err.source, err.reason)


def _record_document(record: Mapping[str, Any], source: str) -> Document:
    field, body = _record_content(record, source)
    doc_id = _record_id(record, source)
    raw = utf8(body)
    digest = hash_hex(raw) if doc_id is None else keyed_hash(doc_id, raw)
    media_type = "text/html" if field == "html" or looks_like_html(body) else "text/plain"
    return new_document(
        raw,
        source,
        media_type,
        digest,
        doc_id=doc_id,
        title=_optional_str(record, "title", source),
        published=_published(record.get("published"), source),
        url=_optional_str(record, "url", source),
        site=_optional_str(record, "source", source) or _optional_str(record, "site", source),
    )


def _record_content(record: Mapping[str, Any], source: str) -> tuple[str, str]:
    """Return the field name and content of a record, ``html`` before ``text``."""
    present = [f for f in ("html", "text") if record.get(f) is not None]
    if not present:
        raise InputError(
            source, 'JSON record has no "text" or "html" field: add the article text as "text"'
        )
    for field in present:
        value = record[field]
        if isinstance(value, str) and value.strip():
            return field, value
    value = record[present[0]]
    if isinstance(value, str):
        raise InputError(source, f'JSON record\'s "{present[0]}" is empty')
    raise InputError(source, f'JSON record\'s "{present[0]}" is {_json_type(value)}, not a string')


def _record_id(record: Mapping[str, Any], source: str) -> str | None:
    """Return the record's id as a string, or None when it gives none."""
    value = record.get("id")
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise InputError(source, 'the "id" field must be a non-empty string or a number')


def _optional_str(record: Mapping[str, Any], key: str, source: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    log.warning("%s: ignoring %r: expected a string, got %s", source, key, _json_type(value))
    return None


def _published(value: object, source: str) -> dt.date | None:
    """Return the ISO date or date-time ``value`` as a date; None, with a warning, if bad."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
        try:
            return dt.datetime.fromisoformat(text).date()
        except ValueError:
            pass
    log.warning('%s: ignoring "published" %.40r: not an ISO date', source, value)
    return None


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return "a number"


def _too_big(size: int, max_bytes: int) -> str:
    return (
        f"file is too big ({size:,} bytes, limit {max_bytes:,}): split it or raise the size limit"
    )


def _os_reason(err: OSError) -> str:
    return (err.strerror or str(err)).lower()


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else "not JSON"
