"""Ingest: read inputs (files, directories, JSON lines, stdin, RSS/Atom feeds, WARC archives,
http(s) URLs) into ``Document`` values.

``read(sources)`` is the entry point; bad inputs come out as ``Rejected`` values, never as
exceptions. ``incidex.ingest.files`` has the rules for files, directories and JSON lines,
``feeds`` for RSS/Atom, ``warc`` for web archives, ``urls`` for downloads and ``url_safety``
for the rules that refuse hostile URLs.
"""

from __future__ import annotations

from .documents import hash_hex, looks_like_html
from .feeds import documents_from_feed, looks_like_feed
from .files import (
    DEFAULT_MAX_BYTES,
    SUPPORTED_SUFFIXES,
    document_from_record,
    documents_from_bytes,
    documents_from_jsonl,
    file_kind,
    read,
    read_directory,
    read_file,
    read_stream,
)
from .url_safety import UrlPolicy, is_url, url_policy_from_settings
from .warc import documents_from_warc

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "UrlPolicy",
    "document_from_record",
    "documents_from_bytes",
    "documents_from_feed",
    "documents_from_jsonl",
    "documents_from_warc",
    "file_kind",
    "hash_hex",
    "is_url",
    "looks_like_feed",
    "looks_like_html",
    "read",
    "read_directory",
    "read_file",
    "read_stream",
    "url_policy_from_settings",
]
