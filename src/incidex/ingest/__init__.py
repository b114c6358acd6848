"""Ingest: read inputs (files, directories, JSON lines, stdin) into ``Document`` values.

``read(sources)`` is the entry point; bad inputs come out as ``Rejected`` values, never as
exceptions. See ``incidex.ingest.files`` for the rules.
"""

from __future__ import annotations

from .files import (
    DEFAULT_MAX_BYTES,
    SUPPORTED_SUFFIXES,
    document_from_record,
    documents_from_bytes,
    documents_from_jsonl,
    hash_hex,
    looks_like_html,
    read,
    read_directory,
    read_file,
    read_stream,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "document_from_record",
    "documents_from_bytes",
    "documents_from_jsonl",
    "hash_hex",
    "looks_like_html",
    "read",
    "read_directory",
    "read_file",
    "read_stream",
]
