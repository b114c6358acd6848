"""Saving one article's extraction: all of it in one transaction, or nothing.

A document is identified by its content hash: saving content already stored is a
``duplicate`` and writes nothing; an article id already used by different content is a
``conflict``. Both are results, not errors, so a batch goes on. Two processes saving the
same document at once rely on the unique content hash: the loser sees the IntegrityError
and reports ``duplicate``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from .. import resolve
from ..errors import StoreError
from ..models import Claim, Count, Document, Evidence, Extraction, Fact, Mention, PartialDate, Place
from .schema import (
    BEGIN_OPTION,
    articles,
    claims,
    documents,
    evidence,
    mention_attack_types,
    mentions,
)

__all__ = ["SaveResult", "claim_id", "mention_id", "save", "save_batch"]

SaveStatus = Literal["stored", "duplicate", "conflict"]


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What became of a document handed to the store, with a sentence for the user."""

    status: SaveStatus
    document_id: str
    message: str = ""

    @property
    def stored(self) -> bool:
        return self.status == "stored"


def mention_id(article_id: str, index: int) -> str:
    """Return the stored id of the ``index``-th mention of an article."""
    return f"{article_id}:{index}"


def claim_id(article_id: str, index: int) -> str:
    """Return the stored id of the ``index``-th claim of an article."""
    return f"{article_id}:c{index}"


def save(
    engine: Engine,
    document: Document,
    extraction: Extraction,
    after: Callable[[sa.Connection], None] | None = None,
) -> SaveResult:
    """Return how ``document`` was saved: ``stored`` with every row of ``extraction``
    (and whatever ``after`` writes on the same connection, in the same transaction), or
    ``duplicate``/``conflict`` with nothing written. Raises StoreError when the rows
    are refused (a value the schema forbids) or the database fails; nothing is kept then."""
    written = "document"
    try:
        with engine.connect() as conn:
            conn.execution_options(**{BEGIN_OPTION: "BEGIN IMMEDIATE"})
            with conn.begin():
                conn.execute(documents.insert(), _document_row(document))
                written = "extraction"
                _insert_extraction(conn, document, extraction)
                # Copy groups and incidents are updated in the same transaction, so a
                # stored article is never left out of them.
                if after is not None:
                    after(conn)
    except IntegrityError as err:
        if written == "document":
            return _refusal(engine, document)
        raise StoreError(
            f"{document.id}: the extraction breaks a store rule and was not saved ({err.orig})"
        ) from err
    except SQLAlchemyError as err:
        raise StoreError(f"{document.id}: cannot write to the store ({err})") from err
    return SaveResult("stored", document.id, f"{document.id}: stored")


def save_batch(
    engine: Engine,
    items: Sequence[tuple[Document, Extraction]],
    before: Callable[[sa.Connection], None] | None = None,
    after: Callable[[sa.Connection, list[int]], None] | None = None,
) -> list[SaveResult]:
    """Return how each document was saved, as ``save`` would say, all in one transaction:
    ``before`` runs first, then the rows of every document neither stored already (same
    content, or its id taken) nor given earlier in ``items`` are written, then ``after``
    with the positions of those in ``items``. One transaction for a batch of articles
    costs a fraction of one per article. Raises StoreError when any row is refused or
    the database fails; nothing is kept then."""
    try:
        with engine.connect() as conn:
            conn.execution_options(**{BEGIN_OPTION: "BEGIN IMMEDIATE"})
            with conn.begin():
                if before is not None:
                    before(conn)
                refused = _refusals(conn, [d for d, _ in items])
                stored = [i for i, r in enumerate(refused) if r is None]
                for i in stored:
                    document, extraction = items[i]
                    conn.execute(documents.insert(), _document_row(document))
                    _insert_extraction(conn, document, extraction)
                if after is not None:
                    after(conn, stored)
    except SQLAlchemyError as err:
        raise StoreError(
            f"cannot write a batch of {len(items)} documents to the store ({err})"
        ) from err
    return [
        r or SaveResult("stored", d.id, f"{d.id}: stored")
        for r, (d, _) in zip(refused, items, strict=True)
    ]


def _refusals(conn: sa.Connection, batch: Sequence[Document]) -> list[SaveResult | None]:
    """Return, per document of a batch, why ``save`` would refuse it (None when it would
    store it): its content is stored or comes earlier in the batch (``duplicate``), or
    its id is taken by other content (``conflict``)."""
    hashes = sorted({d.content_hash for d in batch})
    ids = sorted({d.id for d in batch})
    stmt = sa.select(documents.c.id, documents.c.content_hash).where(
        sa.or_(documents.c.content_hash.in_(hashes), documents.c.id.in_(ids))
    )
    by_hash: dict[str, str] = {}
    taken: set[str] = set()
    for doc_id, content_hash in conn.execute(stmt):
        by_hash[content_hash] = doc_id
        taken.add(doc_id)
    out: list[SaveResult | None] = []
    for d in batch:
        same = by_hash.get(d.content_hash)
        if same is not None:
            out.append(_duplicate(d, same))
        elif d.id in taken:
            out.append(_conflict(d))
        else:
            out.append(None)
            by_hash[d.content_hash] = d.id
            taken.add(d.id)
    return out


def _refusal(engine: Engine, document: Document) -> SaveResult:
    """Return why the document row was refused: same content stored, or id taken."""
    with engine.connect() as conn:
        same_hash = conn.execute(
            sa.select(documents.c.id).where(documents.c.content_hash == document.content_hash)
        ).scalar_one_or_none()
    return _duplicate(document, same_hash) if same_hash is not None else _conflict(document)


def _duplicate(document: Document, stored_id: str) -> SaveResult:
    return SaveResult(
        "duplicate", document.id, f"{document.id}: same content as stored {stored_id}"
    )


def _conflict(document: Document) -> SaveResult:
    return SaveResult(
        "conflict", document.id, f"{document.id}: id already used by different content"
    )


def _insert_extraction(conn: sa.Connection, document: Document, extraction: Extraction) -> None:
    # Rows go as parameters of statements compiled once (as the document's row above),
    # never as values built into a new statement: that made SQLAlchemy key and compile each
    # insert anew, most of the time of saving an article.
    conn.execute(articles.insert(), _article_row(document, extraction))
    article_id = document.id
    stored_mentions = {m.index for m in extraction.mentions}
    pairs = [(mention_id(article_id, m.index), m) for m in extraction.mentions]
    _insert_rows(conn, mentions, [_mention_row(mid, article_id, m) for mid, m in pairs])
    _insert_rows(
        conn,
        mention_attack_types,
        [
            {"mention_id": mid, "attack_type": t}
            for mid, m in pairs
            for t in sorted({f.value for f in m.attack_types}) or ["unknown"]
        ],
    )
    _insert_rows(conn, evidence, [row for mid, m in pairs for row in _evidence_rows(mid, m)])
    claim_rows = [
        _claim_row(article_id, i, c, stored_mentions) for i, c in enumerate(extraction.claims)
    ]
    _insert_rows(conn, claims, claim_rows)


def _insert_rows(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(table.insert(), rows)


def _document_row(document: Document) -> dict[str, Any]:
    return {
        "id": document.id,
        "content_hash": document.content_hash,
        "source": document.source,
        "media_type": document.media_type,
        "fetched_at": document.fetched_at,
        "size": len(document.raw),
        "stored_at": dt.datetime.now(dt.UTC),
    }


def _article_row(document: Document, extraction: Extraction) -> dict[str, Any]:
    a = extraction.article
    return {
        "id": document.id,
        "title": a.title or document.title,
        "published": extraction.published(document),
        "site": a.site or document.site,
        "author": a.author,
        "url": a.url or document.url,
        "language": a.language,
        "text": a.text,
        "status": extraction.status,
        "note": extraction.note,
    }


def date_range(date: PartialDate | None) -> tuple[dt.date | None, dt.date | None]:
    """Return the first and last day a partial date can mean, (None, None) when it has
    no year or its parts do not form a calendar date (the columns of a mention's row)."""
    return resolve.date_range(date) or (None, None)


def _distinct(facts: tuple[Fact[str], ...]) -> list[str]:
    return list(dict.fromkeys(f.value for f in facts))


def _mention_row(mid: str, article_id: str, m: Mention) -> dict[str, Any]:
    date = m.date.value if m.date else PartialDate()
    place = m.place.value if m.place else Place()
    killed = m.killed.value if m.killed else Count()
    wounded = m.wounded.value if m.wounded else Count()
    start, end = date_range(date)
    return {
        "id": mid,
        "article_id": article_id,
        "index": m.index,
        "stage": m.stage,
        "background": m.background,
        "attack_types": _distinct(m.attack_types) or ["unknown"],
        "weapons": _distinct(m.weapons),
        "date_year": date.year,
        "date_month": date.month,
        "date_day": date.day,
        "date_iso": date.iso(),
        "date_inferred": sorted(date.inferred),
        "date_start": start,
        "date_end": end,
        "venue": place.venue,
        "city": place.city,
        "admin1": place.admin1,
        "country": place.country.upper() if place.country else None,
        "lat": place.lat,
        "lon": place.lon,
        "precision": place.precision,
        "target_type": m.target_type.value if m.target_type else None,
        "killed_min": killed.min,
        "killed_max": killed.max,
        "killed_qualifier": killed.qualifier,
        "wounded_min": wounded.min,
        "wounded_max": wounded.max,
        "wounded_qualifier": wounded.qualifier,
        "perpetrators": _distinct(m.perpetrators),
        "attribution": m.attribution,
        "fields": m.to_dict(),
        "confidence": m.confidence,
    }


def _evidence_row(
    mid: str, field: str, fact_index: int, value: Any, rule: str | None, ev: Evidence
) -> dict[str, Any]:
    return {
        "mention_id": mid,
        "field": field,
        "fact_index": fact_index,
        "value": value,
        "rule": rule,
        "start_char": ev.start,
        "end_char": ev.end,
        "text": ev.text,
        "sentence": ev.sentence,
        "sentence_start": ev.sentence_start,
    }


def _evidence_rows(mid: str, m: Mention) -> Iterator[dict[str, Any]]:
    """Yield one evidence row per (fact, cited span), the mention's own trigger first."""
    yield _evidence_row(mid, "mention", 0, None, None, m.evidence)
    for field, facts in m.facts().items():
        for i, fact in enumerate(facts):
            value = _jsonable(fact.value)
            for ev in fact.evidence:
                yield _evidence_row(mid, field, i, value, fact.rule, ev)


def _jsonable(value: Any) -> Any:
    to_dict = getattr(value, "to_dict", None)
    return to_dict() if callable(to_dict) else value


def _claim_row(article_id: str, index: int, c: Claim, stored_mentions: set[int]) -> dict[str, Any]:
    linked = c.incident if c.incident is not None and c.incident in stored_mentions else None
    return {
        "id": claim_id(article_id, index),
        "article_id": article_id,
        "mention_id": mention_id(article_id, linked) if linked is not None else None,
        "index": index,
        "kind": c.kind,
        "speaker": c.speaker,
        "party": c.party,
        "hedged": c.hedged,
        "rule": c.rule,
        "start_char": c.evidence.start,
        "end_char": c.evidence.end,
        "text": c.evidence.text,
        "sentence": c.evidence.sentence,
        "sentence_start": c.evidence.sentence_start,
    }
