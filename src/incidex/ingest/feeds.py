"""Reading RSS and Atom feeds (feedparser): one ``Document`` per entry.

An entry's text is its full content (RSS ``content:encoded``, Atom ``content``) when present,
else its summary; media type ``text/html`` when that text holds markup, else
``text/plain``. Source ``SOURCE#N`` (N counts entries from 1), url the entry's link,
title, published the entry's published (else updated) date, site the feed's title.

Content hash: the entry's content with its guid (else its link) as the key, like a JSON
line with an id, so two entries sharing a summary stay two documents and re-reading a
feed stores nothing new. The id is ``doc-`` and the first digits of that hash: a guid is
often a long URL, and an entry edited later under the same guid must be stored as a new
version, not clash with the old one.

Malformed XML: feedparser reads what it can (``bozo``); the entries it read are kept, and
the feed is rejected only when it yielded none. An entry with no text is rejected on its
own. Bytes are parsed from memory only: nothing here opens a path or a URL.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import time
from collections.abc import Iterator, Mapping
from typing import Any

from ..models import Document, Rejected
from .documents import hash_hex, keyed_hash, looks_like_markup, new_document, utf8

__all__ = ["documents_from_feed", "looks_like_feed"]

log = logging.getLogger(__name__)

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# An RSS or Atom root element after an optional XML declaration, comments and doctype.
_FEED_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*"
    rb"|<\?[^>]*>\s*)*<(?:[A-Za-z_][\w.-]*:)?(?:rss|feed|RDF)[\s>]",
    re.DOTALL,
)
_SNIFF_BYTES = 4_096
_PARSER_FAILURES = (UnicodeError, LookupError, ValueError, RecursionError)


def looks_like_feed(data: bytes) -> bool:
    """Return True when ``data`` starts with an RSS, Atom or RDF root element."""
    return _FEED_START.match(data[:_SNIFF_BYTES]) is not None


def documents_from_feed(
    data: bytes, source: str, *, fetched_at: dt.datetime | None = None
) -> Iterator[Document | Rejected]:
    """Return one document per feed entry (sources ``source#N``), bad entries and an
    unreadable feed as ``Rejected``."""
    if not data.strip():
        yield Rejected(source, "file is empty")
        return
    # Imported on first use: feedparser adds a noticeable share to the start-up time of
    # every command, most of which never read a feed.
    import feedparser  # type: ignore[import-untyped]

    try:
        parsed = feedparser.parse(io.BytesIO(data))
    except _PARSER_FAILURES as err:
        # feedparser catches XML errors itself, but not a garbled encoding declaration.
        yield Rejected(source, f"malformed XML, no feed entries could be read ({_first_line(err)})")
        return
    entries: list[Mapping[str, Any]] = list(parsed.get("entries") or [])
    if not entries:
        yield Rejected(source, _no_entries_reason(parsed))
        return
    site = _text_field(parsed.get("feed") or {}, "title")
    items = [
        _entry_document(entry, f"{source}#{number}", site, fetched_at)
        for number, entry in enumerate(entries, start=1)
    ]
    if parsed.get("bozo"):
        problem = _first_line(parsed.get("bozo_exception"))
        kept = sum(isinstance(item, Document) for item in items)
        if not kept:
            yield Rejected(
                source, f"malformed XML, no feed entry with text could be read ({problem})"
            )
            return
        log.warning("%s: malformed feed XML (%s); kept the %d entries read", source, problem, kept)
    yield from items


def _no_entries_reason(parsed: Mapping[str, Any]) -> str:
    """Return why a parse gave no entries: not a feed, malformed, or an empty feed."""
    if parsed.get("version"):
        return "the feed holds no entries"
    if parsed.get("bozo"):
        problem = _first_line(parsed.get("bozo_exception"))
        return f"malformed XML, no feed entries could be read ({problem})"
    return "XML that is not an RSS or Atom feed"


def _entry_document(
    entry: Mapping[str, Any], source: str, site: str | None, fetched_at: dt.datetime | None
) -> Document | Rejected:
    body = _entry_body(entry)
    if body is None:
        return Rejected(source, "feed entry has no text (no content and no summary)")
    text, media_type = body
    raw = utf8(text)
    link = _link(entry)
    key = _text_field(entry, "id") or link
    digest = hash_hex(raw) if key is None else keyed_hash(key, raw)
    return new_document(
        raw,
        source,
        media_type,
        digest,
        title=_text_field(entry, "title"),
        published=_entry_date(entry),
        url=link,
        site=site,
        fetched_at=fetched_at,
    )


def _entry_body(entry: Mapping[str, Any]) -> tuple[str, str] | None:
    """Return the entry's text and media type: full content first, then the summary."""
    candidates: list[Mapping[str, Any]] = [c for c in entry.get("content") or [] if c]
    summary = entry.get("summary_detail")
    if summary:
        candidates.append(summary)
    for candidate in candidates:
        value = candidate.get("value")
        if isinstance(value, str) and value.strip():
            is_html = candidate.get("type") in _HTML_TYPES and looks_like_markup(value)
            return value, "text/html" if is_html else "text/plain"
    return None


def _link(entry: Mapping[str, Any]) -> str | None:
    # feedparser copies a non-URL guid ("urn:...") into ``link`` when an entry has none.
    link = _text_field(entry, "link")
    if link and link.lower().startswith(("http://", "https://")):
        return link
    return None


def _entry_date(entry: Mapping[str, Any]) -> dt.date | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(name)
        if isinstance(value, time.struct_time):
            try:
                return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
            except ValueError:
                continue
    return None


def _text_field(record: Mapping[str, Any], name: str) -> str | None:
    value = record.get(name)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _first_line(value: object) -> str:
    text = str(value or "unknown error").strip()
    return text.splitlines()[0] if text else "unknown error"
