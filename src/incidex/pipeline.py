"""The orchestrator: Document -> Article -> parse -> Extraction, one document or a stream.

Policy lives here and nowhere else: which documents are parsed (English ones with text),
how many are parsed together (spaCy batches), and what happens when one document fails
(it becomes a ``Rejected`` value naming the input; the stream goes on).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice

from . import annotate, clean
from .config import settings
from .errors import IncidexError, InputError
from .extract import extract as extract_article
from .ingest import documents_from_bytes, looks_like_html
from .ingest import read as read_sources
from .models import Article, Document, Extraction, Rejected
from .store import Store

__all__ = [
    "IngestSummary",
    "Processed",
    "document_from_text",
    "extract",
    "extract_document",
    "ingest",
    "process_many",
]


@dataclass(frozen=True, slots=True)
class Processed:
    """A document and what was extracted from it."""

    document: Document
    extraction: Extraction


def document_from_text(
    content: str | bytes,
    *,
    source: str = "<text>",
    id: str | None = None,
    published: dt.date | str | None = None,
    url: str | None = None,
    title: str | None = None,
) -> Document:
    """Return a Document for text or bytes given directly (not read from a file); raises
    InputError when they are not usable text (binary, empty)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if isinstance(published, str):
        try:
            published = dt.date.fromisoformat(published[:10])
        except ValueError as err:
            raise InputError(source, f"published date {published!r} is not YYYY-MM-DD") from err
    sample = data[:4096].decode("utf-8", errors="ignore")
    kind = "html" if looks_like_html(sample) else "text"
    item = next(documents_from_bytes(data, source, kind=kind))
    if isinstance(item, Rejected):
        raise InputError(item.source, item.reason)
    return replace(item, id=id or item.id, published=published, url=url, title=title)


def _skipped(article: Article) -> Extraction | None:
    if article.language != "en":
        return Extraction(
            article=article,
            status="skipped",
            note=f"language is {article.language!r}, not English: stored, not extracted",
        )
    return None


def extract_document(document: Document, model: str | None = None) -> Extraction:
    """Return the Extraction of one document; raises InputError when it has no usable text."""
    article = clean.clean(document)
    skipped = _skipped(article)
    if skipped is not None:
        return skipped
    return extract_article(article, annotate.annotate(article, model))


def extract(
    text: str | bytes,
    *,
    published: dt.date | str | None = None,
    url: str | None = None,
    title: str | None = None,
    id: str | None = None,
) -> Extraction:
    """Return what one article (plain text or HTML) reports: incidents and claims with
    their evidence. Nothing is stored. Raises InputError when the text is unusable."""
    document = document_from_text(text, id=id, published=published, url=url, title=title)
    return extract_document(document)


def _clean_batch(
    items: list[Document | Rejected],
) -> Iterator[tuple[Document, Article] | Rejected]:
    for item in items:
        if isinstance(item, Rejected):
            yield item
            continue
        try:
            yield item, clean.clean(item)
        except IncidexError as err:
            yield Rejected(item.source, getattr(err, "reason", str(err)))


def _extract_batch(
    cleaned: list[tuple[Document, Article] | Rejected], model: str | None, batch_size: int
) -> Iterator[Processed | Rejected]:
    to_parse = [
        (d, a) for d, a in (c for c in cleaned if not isinstance(c, Rejected)) if not _skipped(a)
    ]
    docs = iter(annotate.annotate_many([a for _, a in to_parse], model, batch_size))
    parsed = {id(a): next(docs) for _, a in to_parse}
    for item in cleaned:
        if isinstance(item, Rejected):
            yield item
            continue
        document, article = item
        skipped = _skipped(article)
        if skipped is not None:
            yield Processed(document, skipped)
            continue
        try:
            yield Processed(document, extract_article(article, parsed[id(article)]))
        except Exception as err:
            yield Rejected(document.source, f"extraction failed ({type(err).__name__}: {err})")


def process_many(
    items: Iterable[Document | Rejected],
    *,
    model: str | None = None,
    batch_size: int | None = None,
    on_result: Callable[[Processed | Rejected], None] | None = None,
) -> Iterator[Processed | Rejected]:
    """Yield, in input order, a Processed for every document and a Rejected for every
    input that could not be used; one bad document never stops the stream."""
    size = batch_size or settings().batch_size
    stream = iter(items)
    while batch := list(islice(stream, size)):
        cleaned = list(_clean_batch(batch))
        for result in _extract_batch(cleaned, model, size):
            if on_result is not None:
                on_result(result)
            yield result


@dataclass(slots=True)
class IngestSummary:
    """What one ingest run did, for the one-line report at its end."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    conflicts: int = 0
    failed: int = 0
    incidents: int = 0
    skipped_language: int = 0

    def sentence(self) -> str:
        """Return the summary as one sentence."""
        parts = [
            f"{self.read} document(s) read",
            f"{self.stored} stored",
            f"{self.duplicates} skipped as duplicates",
            f"{self.failed} failed",
        ]
        if self.conflicts:
            parts.append(f"{self.conflicts} refused (id already used by other content)")
        if self.skipped_language:
            parts.append(f"{self.skipped_language} not English (stored, not extracted)")
        return ", ".join(parts) + f"; {self.incidents} incident(s) found."


def ingest(
    store: Store,
    sources: Iterable[str],
    *,
    model: str | None = None,
    on_result: Callable[[Processed | Rejected], None] | None = None,
) -> IngestSummary:
    """Read, extract and store every input; return what happened. Documents already in
    the store (same content hash) are not parsed again."""
    summary = IngestSummary()

    def fresh() -> Iterator[Document | Rejected]:
        for item in read_sources(sources, max_bytes=settings().max_bytes):
            summary.read += 1
            if isinstance(item, Document) and store.has_hash(item.content_hash):
                summary.duplicates += 1
                continue
            yield item

    for result in process_many(fresh(), model=model, on_result=on_result):
        if isinstance(result, Rejected):
            summary.failed += 1
            continue
        saved = store.save(result.document, result.extraction)
        if saved.status == "duplicate":
            summary.duplicates += 1
        elif saved.status == "conflict":
            summary.conflicts += 1
            summary.failed += 1
            if on_result is not None:
                on_result(Rejected(result.document.source, saved.message or "id conflict"))
        else:
            summary.stored += 1
            summary.incidents += sum(not m.background for m in result.extraction.mentions)
            summary.skipped_language += result.extraction.status == "skipped"
    return summary
