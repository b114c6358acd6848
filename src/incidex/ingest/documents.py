"""Building ``Document`` values and judging raw bytes, shared by every kind of input.

Content hash: the sha256 of the bytes, so one content read twice (or under two names) is one
document. Records that carry their own key (a JSON line's id, a feed entry's guid) hash the
key with the content (``keyed_hash``): two records someone keyed separately survive storage
as two documents even with equal text; copy detection downstream decides whether they are
the same story.

``not_text_reason`` says why bytes are not plausibly text (empty, UTF-16, binary,
undecodable); decoding them is the clean stage's job.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from ..models import Document

__all__ = [
    "as_utf8",
    "hash_hex",
    "keyed_hash",
    "looks_like_html",
    "looks_like_markup",
    "new_document",
    "not_text_reason",
    "utf8",
]

# Bytes that never occur in text files (everything below 0x20 except \t \n \f \r, and ESC
# which some terminals' logs carry).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"
# Bytes Windows-1252 leaves undefined: a file holding them was not written in cp1252.
_CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"
_SNIFF_BYTES = 65_536
# Share of control bytes above which a file counts as binary even without NUL bytes.
_MAX_CONTROL_SHARE = 0.05
# Share of bytes >= 0x80 above which undecodable bytes are not Western text in cp1252.
_MAX_CP1252_HIGH_SHARE = 0.25

_HTML_START = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*(?:<\?xml[^>]*>\s*)?(?:<!doctype\s+html|<html[\s>]|<head[\s>]"
    r"|<body[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG = re.compile(r"</?(?:p|div|br|span|a|article|section|h[1-6]|ul|li|table)\b[^<>]{0,500}>")
# An HTML fragment needs several tags, so prose that mentions one "<a>" stays text.
_MIN_FRAGMENT_TAGS = 3
_SNIFF_CHARS = 8_192
# Any tag or character reference: text holding none reads the same as plain text.
_MARKUP = re.compile(r"<[A-Za-z/!]|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]\w*);")


def not_text_reason(data: bytes, what: str = "file") -> str | None:
    """Return why ``data`` is not plausibly text, or None when it is; ``what`` names the
    input in the reason ("file", "record", "page")."""
    if not data:
        return f"{what} is empty"
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        return f"{what} holds only whitespace, no text"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return f"UTF-16 encoded text is not supported: save the {what} as UTF-8"
    if b"\x00" in data:
        return f"binary {what}, not text (it contains NUL bytes)"
    sample = data[:_SNIFF_BYTES]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > _MAX_CONTROL_SHARE * len(sample):
        return f"binary {what}, not text (mostly control bytes)"
    if not _decodes_plausibly(data):
        return "undecodable bytes: neither UTF-8 nor Windows-1252 text; save it as UTF-8"
    return None


def as_utf8(data: bytes, charset: str | None) -> bytes:
    """Return ``data`` re-encoded as UTF-8 when a declared ``charset`` other than UTF-8
    decodes it and UTF-8 does not; otherwise ``data`` unchanged (the cleaner decides)."""
    if not charset or charset.strip().lower().replace("_", "-") in ("utf-8", "utf8"):
        return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return data
    try:
        return data.decode(charset.strip()).encode("utf-8")
    except (LookupError, UnicodeDecodeError, ValueError):
        return data


def _decodes_plausibly(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return _plausible_cp1252(data)
    return True


def _plausible_cp1252(data: bytes) -> bool:
    # Western text in cp1252 uses a few accented letters and typographic quotes; text in
    # another single-byte code page (Cyrillic, Greek) or random bytes use many more.
    if any(b in data for b in _CP1252_UNDEFINED):
        return False
    high = len(data) - len(data.translate(None, bytes(range(128, 256))))
    return high <= _MAX_CP1252_HIGH_SHARE * len(data)


def looks_like_html(text: str) -> bool:
    """Return True when ``text`` starts like an HTML page or holds several HTML tags."""
    head = text[:_SNIFF_CHARS]
    if _HTML_START.match(head):
        return True
    return len(_HTML_TAG.findall(head)) >= _MIN_FRAGMENT_TAGS


def looks_like_markup(text: str) -> bool:
    """Return True when ``text`` holds any tag or character reference."""
    return _MARKUP.search(text) is not None


def hash_hex(data: bytes) -> str:
    """Return the sha256 hex digest of ``data``."""
    return hashlib.sha256(data).hexdigest()


def keyed_hash(key: str, raw: bytes) -> str:
    """Return the sha256 hex digest of a record's own key together with its content."""
    key_bytes = utf8(key)
    # Length prefix: no key/content pair can collide with another split of the same bytes.
    return hash_hex(b"%d:" % len(key_bytes) + key_bytes + raw)


def utf8(text: str) -> bytes:
    """Return ``text`` as UTF-8, lone surrogates (which JSON and XML may carry) as U+FFFD."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace").encode("utf-8")


def new_document(
    raw: bytes,
    source: str,
    media_type: str,
    digest: str,
    *,
    doc_id: str | None = None,
    title: str | None = None,
    published: dt.date | None = None,
    url: str | None = None,
    site: str | None = None,
    fetched_at: dt.datetime | None = None,
) -> Document:
    """Return a Document; its id is ``doc_id`` or ``doc-`` and the hash's first 12 digits."""
    return Document(
        id=doc_id if doc_id is not None else "doc-" + digest[:12],
        source=source,
        content_hash=digest,
        media_type=media_type,
        raw=raw,
        fetched_at=fetched_at if fetched_at is not None else dt.datetime.now(dt.UTC),
        title=title,
        published=published,
        url=url,
        site=site,
    )
