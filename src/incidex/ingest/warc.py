"""Reading WARC archives (warcio), plain or gzipped, as a stream of ``Document`` values.

One document per ``response`` record with a 2xx HTTP status and per ``resource`` record,
when the content type is HTML or plain text: source ``PATH#OFFSET`` (the record's byte
offset in the file, compressed offset for .warc.gz), url the WARC-Target-URI, fetched_at
the WARC-Date. Requests, metadata, revisits, other statuses and other content types are
skipped and counted in one log line. A record over ``max_bytes``, with a malformed HTTP
header or binary content is rejected on its own and reading goes on.

The archive is read record by record, never whole. When it is cut short or corrupt, every
record read before the damage is kept and one ``Rejected`` for the archive says where it
broke, since nothing after that point can be trusted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import re
import types
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, TypeVar

import warcio.archiveiterator  # type: ignore[import-untyped]
import warcio.bufferedreaders  # type: ignore[import-untyped]
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed  # type: ignore[import-untyped]
from warcio.statusandheaders import (  # type: ignore[import-untyped]
    StatusAndHeadersParserException,
)

from ..models import Document, Rejected
from .documents import as_utf8, hash_hex, new_document, not_text_reason

__all__ = ["documents_from_warc"]

log = logging.getLogger(__name__)

T = TypeVar("T")

# Payload content type -> the media type of the Document.
_TEXT_TYPES = {
    "text/html": "text/html",
    "application/xhtml+xml": "text/html",
    "text/plain": "text/plain",
}
_READ_TYPES = frozenset({"response", "resource"})
_STATUS_LINE = re.compile(r"[1-5]\d\d\b")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_DRAIN_CHUNK = 65_536
_SHOWN_URI = 200
# What warcio and the decompressors raise on a damaged archive; warcio's parser trusts
# its input, so a missing header can surface as an AttributeError, IndexError or TypeError.
_DAMAGE = (
    ArchiveLoadFailed,
    StatusAndHeadersParserException,
    EOFError,
    zlib.error,
    OSError,
    ValueError,
    AttributeError,
    IndexError,
    KeyError,
    TypeError,
)
_PARSER_SLIPS = (AttributeError, IndexError, KeyError, TypeError)
# The warcio modules that write warnings to stderr (``sys.stderr.write``).
_WARCIO_MODULES = (warcio.archiveiterator, warcio.bufferedreaders)


@dataclass
class _Tally:
    kept: int = 0
    skipped: int = 0
    rejected: int = 0


class _Damaged(Exception):
    """The archive cannot be read past this point."""

    def __init__(self, offset: int, detail: str) -> None:
        super().__init__(detail)
        self.offset = offset
        self.detail = detail


def documents_from_warc(
    stream: BinaryIO, source: str, *, max_bytes: int
) -> Iterator[Document | Rejected]:
    """Return the documents of an open WARC archive (plain or gzip), records streamed."""
    tally = _Tally()
    end = 0
    try:
        records = ArchiveIterator(stream, arc2warc=False)
        for record in _records(records):
            item = _record_item(record, source, records, max_bytes)
            # Also for a record skipped or refused unread: one cut short is the archive's
            # damage, not the record's, and must not pass for a whole one.
            _read_to_end(record, records)
            end = _record_end(records)
            if item is None:
                tally.skipped += 1
            elif isinstance(item, Rejected):
                tally.rejected += 1
                yield item
            else:
                tally.kept += 1
                yield item
        _check_tail(stream, end)
    except _Damaged as err:
        yield Rejected(source, _damage_reason(err, tally))
        return
    except _DAMAGE as err:
        yield Rejected(source, _damage_reason(_Damaged(0, _first_line(err)), tally))
        return
    if tally.skipped:
        log.info("%s: skipped %d record(s) that are not HTML or text pages", source, tally.skipped)
    if not tally.kept and not tally.rejected:
        yield Rejected(source, "the archive holds no HTML or plain-text responses")


def _records(records: Any) -> Iterator[Any]:
    """Return the archive's WARC records, raising ``_Damaged`` with the offset where the
    archive broke."""
    iterator = iter(records)
    while True:
        try:
            record = _archive_step(lambda: next(iterator), records)
        except StopIteration:
            return
        if getattr(record, "format", "warc") != "warc":
            # warcio reads anything as the older ARC format rather than fail.
            raise _Damaged(_offset(records), "not a WARC record (the file is not a WARC archive)")
        yield record


def _archive_step(step: Callable[[], T], records: Any) -> T:
    """Return ``step()``, a read from the archive, raising ``_Damaged`` when warcio fails or
    warns: it reports a bad record length or broken compression on stderr and reads on."""
    try:
        with _warcio_warnings() as captured:
            result = step()
    except _PARSER_SLIPS as err:
        raise _Damaged(_offset(records), "a record header is malformed") from err
    except _DAMAGE as err:
        raise _Damaged(_offset(records), _first_line(err)) from err
    warning = captured.getvalue().strip()
    if warning:
        raise _Damaged(_offset(records), _first_text_line(warning))
    return result


def _record_item(
    record: Any, source: str, records: Any, max_bytes: int
) -> Document | Rejected | None:
    """Return the record's document, a Rejected for a bad record, or None to skip it."""
    offset = _offset(records)
    name = f"{source}#{offset}"
    if not _has_whole_header(record):
        raise _Damaged(offset, "a record header is cut short or malformed")
    if record.rec_type not in _READ_TYPES:
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or None
    content_type = _record_content_type(record)
    if content_type is None:
        return Rejected(name, f"{_what(uri)} has a malformed HTTP header")
    if record.rec_type == "response" and not _is_success(record):
        return None
    media_type = _TEXT_TYPES.get(content_type.split(";")[0].strip().lower())
    if media_type is None:
        return None
    body = _record_body(record, records, max_bytes)
    if isinstance(body, Rejected):
        return Rejected(name, f"{_what(uri)}: {body.reason}")
    if body is None:
        return Rejected(name, f"{_what(uri)} is over the {max_bytes:,}-byte limit")
    problem = not_text_reason(body, "record")
    if problem is not None:
        return Rejected(name, f"{_what(uri)}: {problem}")
    raw = as_utf8(body, _charset(content_type))
    return new_document(
        raw,
        name,
        media_type,
        hash_hex(raw),
        url=uri,
        fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
    )


@contextlib.contextmanager
def _warcio_warnings() -> Iterator[io.StringIO]:
    """Yield a buffer that takes what warcio writes to stderr meanwhile.

    warcio's readers write their warnings (several lines each) straight to ``sys.stderr``,
    where the CLI allows one line per bad input. Only warcio's own name for the ``sys``
    module is swapped, not ``sys.stderr`` itself, so that output from other threads (a
    progress display) is neither taken for a warning nor lost."""
    captured = io.StringIO()
    quiet = types.SimpleNamespace(stderr=captured)
    saved = [(module, module.sys) for module in _WARCIO_MODULES]
    for module, _ in saved:
        module.sys = quiet
    try:
        yield captured
    finally:
        for module, real in saved:
            module.sys = real


def _has_whole_header(record: Any) -> bool:
    """Return whether a record's WARC header names its type and length, as every WARC
    record's must: warcio makes a record of a header cut short by the end of the archive."""
    length = str(record.rec_headers.get_header("Content-Length") or "").strip()
    return record.rec_type is not None and length.isdigit()


def _record_content_type(record: Any) -> str | None:
    """Return the content type of the record's payload ("" when not given), or None when
    a response's HTTP header is malformed."""
    if record.rec_type == "resource":
        return str(record.rec_headers.get_header("Content-Type") or "")
    headers = record.http_headers
    if headers is None or not str(headers.protocol or "").upper().startswith("HTTP/"):
        return None
    if not _STATUS_LINE.match(str(headers.statusline or "")):
        return None
    return str(headers.get_header("Content-Type") or "")


def _is_success(record: Any) -> bool:
    return str(record.http_headers.get_statuscode() or "").startswith("2")


def _record_body(record: Any, records: Any, max_bytes: int) -> bytes | Rejected | None:
    """Return the record's payload (transfer and content encodings undone), None when it
    is over ``max_bytes``, a Rejected (with an empty source) when its content encoding is
    broken. Whether the archive ends inside the record is checked by the caller, which
    reads every record to its end."""
    try:
        body = _archive_step(lambda: record.content_stream().read(max_bytes + 1), records)
    except _Damaged as err:
        # The archive itself may be fine; if it is not, reading to the record's end says so.
        return Rejected("", f"content cannot be decoded ({err.detail})")
    return None if len(body) > max_bytes else body


def _read_to_end(record: Any, records: Any) -> None:
    """Read the rest of the record, raising ``_Damaged`` when the archive ends inside it."""
    _archive_step(lambda: _drain(record.raw_stream), records)
    if getattr(record.raw_stream, "limit", 0) > 0:
        raise _Damaged(_offset(records), "the archive ends inside this record")


def _drain(stream: Any) -> None:
    # The rest of the record is read (and dropped) now so that a cut in it is seen now.
    while stream.read(_DRAIN_CHUNK):
        pass


def _record_end(records: Any) -> int:
    """Return the byte offset just past the current record (its gzip member, if any)."""
    return _archive_step(
        lambda: int(records.get_record_offset()) + int(records.get_record_length()), records
    )


def _check_tail(stream: BinaryIO, end: int) -> None:
    """Raise ``_Damaged`` when bytes other than blank lines follow the last whole record:
    warcio stops quietly at a gzip member or a record header that was cut short."""
    try:
        stream.seek(end)
        tail = stream.read(_DRAIN_CHUNK)
    except (OSError, ValueError):
        return  # not seekable: the records read are all that can be checked
    if tail.strip():
        raise _Damaged(end, "the archive ends with an incomplete record")


def _offset(records: Any) -> int:
    value = getattr(records, "offset", 0)
    return value if isinstance(value, int) else 0


def _damage_reason(err: _Damaged, tally: _Tally) -> str:
    if err.offset == 0 and not (tally.kept or tally.skipped or tally.rejected):
        return f"not a WARC archive, or damaged at its very start ({err.detail})"
    return (
        f"archive is truncated or corrupt at byte {err.offset:,} ({err.detail}); "
        f"{tally.kept} document(s) read before it were kept"
    )


def _what(uri: str | None) -> str:
    return f"record for {uri[:_SHOWN_URI]}" if uri else "record"


def _charset(content_type: str) -> str | None:
    match = _CHARSET.search(content_type)
    return match.group(1) if match else None


def _warc_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def _first_line(err: BaseException) -> str:
    return _first_text_line(str(err)) or type(err).__name__


def _first_text_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0][:_SHOWN_URI] if lines else ""
