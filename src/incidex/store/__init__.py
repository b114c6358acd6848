"""The store: documents, articles, incidents and claims in SQLite (default) or PostgreSQL.

    store = open_store()                      # settings().db, default ./incidex.db
    result = store.save(document, extraction) # stored | duplicate | conflict
    rows = store.incidents(IncidentFilter(country="RU", min_killed=10))
    detail = store.incident(rows[0].id)

Opening migrates the database to the newest schema (Alembic revisions shipped in the
package). Problems opening or writing raise ``StoreError`` with a sentence the user can act
on; a duplicate or conflicting document is a ``SaveResult``, not an error.

A report joining a known incident writes its member row and marks the incident stale
(table ``stale_incidents``) in the transaction that saves it (its own, or its batch's:
``save_batch``); the incident's row (merged facts, counts, attack types) is rewritten
once per batch of marks (``Resolver.materialize``). The rule for
readers: every read of incidents through a ``Store`` first materializes whatever is marked,
by any process (``Store.flush``), so what it returns is what resolving each report in turn
would have written; where it cannot write (a read-only file), it reads the rows as last
written, with a warning (``Store.flush_for_reading``). A reader going to the database by
itself must call ``flush`` first, or treat the incidents named in ``stale_incidents`` as
lagging their members. Marks left by a process that stopped before materializing are
materialized by the next ``open_store``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..config import settings
from ..copies import Fingerprint
from ..errors import StoreError
from ..models import Document, Extraction
from . import query, resolution, write
from .query import (
    ArticleRef,
    ArticleRow,
    AttributionStatus,
    ClaimRow,
    EvidenceRow,
    IncidentDetail,
    IncidentFilter,
    IncidentRow,
    StoreCounts,
    attribution_status,
)
from .schema import BEGIN_OPTION, migrate, open_engine, store_url
from .write import SaveResult

log = logging.getLogger(__name__)
T = TypeVar("T")

__all__ = [
    "ArticleRef",
    "ArticleRow",
    "AttributionStatus",
    "ClaimRow",
    "EvidenceRow",
    "IncidentDetail",
    "IncidentFilter",
    "IncidentRow",
    "SaveResult",
    "Store",
    "StoreCounts",
    "attribution_status",
    "open_store",
]


class Store:
    """A migrated incidex database; safe to share between threads, one per process."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.resolver = resolution.Resolver()
        self._resolving = threading.Lock()
        self._warned_stale = False

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def save(
        self, document: Document, extraction: Extraction, fingerprint: Fingerprint | None = None
    ) -> SaveResult:
        """Return how the document was saved. A stored article joins its copy group and
        its mentions are resolved into incidents in the same transaction. ``fingerprint``
        is the copy fingerprint of its text when already computed (``pipeline.Processed``
        carries it from the extraction worker); None fingerprints the text here."""
        with self._resolving:
            saved = self.resolver.view(document, extraction, fingerprint)
            try:
                return write.save(
                    self.engine,
                    document,
                    extraction,
                    after=lambda conn: self.resolver.update(conn, document.id, saved),
                )
            except BaseException:
                # The cache may hold what the rolled-back transaction wrote (the incidents'
                # tallies are added to before their rows are written), whatever stopped it.
                self.resolver.forget()
                raise

    def save_batch(
        self, items: Sequence[tuple[Document, Extraction, Fingerprint | None]]
    ) -> list[SaveResult]:
        """Return how each document was saved, as ``save`` returns it: all of them in one
        transaction, with their copy groups and incidents, resolved in their order as
        ``save`` resolves them one by one (a third less CPU to store and resolve the 10k
        bench articles, in batches of 32). When that transaction fails, each
        document is saved in its own, so one that cannot be stored costs the others
        nothing: the first one's StoreError is raised once the others are saved."""
        if len(items) < 2:
            return [self.save(*item) for item in items]
        with self._resolving:
            try:
                return write.save_batch(
                    self.engine,
                    [(d, e) for d, e, _ in items],
                    before=self.resolver.prepare,
                    after=lambda conn, stored: self._resolve_batch(conn, items, stored),
                )
            except StoreError as err:
                self.resolver.forget()
                log.warning("%s; saving each of its documents alone", err)
            except BaseException:
                self.resolver.forget()
                raise
        return self._save_each(items)

    def _save_each(
        self, items: Sequence[tuple[Document, Extraction, Fingerprint | None]]
    ) -> list[SaveResult]:
        """Return how each document was saved, each in its own transaction; raise the
        first StoreError once every other document is saved."""
        results, failure = [], None
        for item in items:
            try:
                results.append(self.save(*item))
            except StoreError as err:
                failure = failure or err
        if failure is not None:
            raise failure
        return results

    def _resolve_batch(
        self,
        conn: sa.Connection,
        items: Sequence[tuple[Document, Extraction, Fingerprint | None]],
        stored: list[int],
    ) -> None:
        self.resolver.update_many(conn, [self.resolver.view(*items[i]) for i in stored])

    def resolve(self, article_id: str, saved: resolution.Saved | None = None) -> None:
        """Group a stored article with its copies and resolve its mentions into incidents
        (one transaction; writers take turns)."""
        self._resolving_in_transaction(
            lambda conn: self.resolver.update(conn, article_id, saved),
            f"{article_id}: cannot resolve incidents",
        )

    def _resolving_in_transaction(self, work: Callable[[sa.Connection], T], failure: str) -> T:
        """Return what the resolver's ``work`` returns, done in one write transaction while
        no other thread of this process resolves; raise StoreError saying ``failure`` and
        why when the database fails."""
        with self._resolving:
            try:
                with self.engine.connect() as conn:
                    conn.execution_options(**{BEGIN_OPTION: "BEGIN IMMEDIATE"})
                    with conn.begin():
                        return work(conn)
            except SQLAlchemyError as err:
                # The cache may hold what the rolled-back transaction wrote.
                self.resolver.forget()
                reason = getattr(err, "orig", None) or err
                raise StoreError(f"{failure} ({reason})") from err
            except BaseException:
                self.resolver.forget()
                raise

    def resolve_pending(self) -> int:
        """Resolve the stored articles not resolved yet (stored before incidents existed);
        return how many there were."""
        pending = query.unresolved_articles(self.engine)
        for article_id in pending:
            self.resolve(article_id)
        return len(pending)

    def flush(self) -> int:
        """Materialize the incidents marked stale (by any process; one transaction, when
        there are any); return how many were rewritten."""
        if not query.has_stale_incidents(self.engine):
            return 0
        return self._resolving_in_transaction(
            self.resolver.materialize, "cannot bring the stale incidents up to date"
        )

    def flush_for_reading(self) -> None:
        """Materialize stale incidents before a read; where that cannot be done (a
        read-only file, a database locked past the busy timeout) the read goes on with the
        rows as last written, which lag only the reports of the marked incidents, and says
        so once."""
        try:
            self.flush()
        except StoreError as err:
            if not self._warned_stale:
                log.warning("%s; showing incidents as last written", err)
                self._warned_stale = True

    def copy_groups(self) -> list[query.CopyGroupRow]:
        """Return every copy group of more than one article, original first."""
        return query.copy_groups(self.engine)

    @property
    def timings(self) -> resolution.Timings:
        """Return the seconds this process spent grouping copies and resolving."""
        return self.resolver.timings

    def has_hash(self, content_hash: str) -> bool:
        """Return whether a document with this content hash is already stored."""
        return query.has_hash(self.engine, content_hash)

    def incidents(self, filters: IncidentFilter | None = None) -> list[IncidentRow]:
        """Return the incidents matching ``filters`` (all when None)."""
        self.flush_for_reading()
        return query.incidents(self.engine, filters)

    def monthly_totals(self, filters: IncidentFilter | None = None) -> list[query.MonthTotal]:
        """Return incidents, killed and wounded per month for ``filters``."""
        self.flush_for_reading()
        return query.monthly_totals(self.engine, filters)

    def count_incidents(self, filters: IncidentFilter | None = None) -> int:
        """Return how many incidents match ``filters``, ignoring limit and offset."""
        self.flush_for_reading()
        return query.count_incidents(self.engine, filters)

    def incident(self, incident_id: str) -> IncidentDetail | None:
        """Return one incident with evidence, claims and source, or None if unknown."""
        self.flush_for_reading()
        return query.incident(self.engine, incident_id)

    def incident_details(self, filters: IncidentFilter | None = None) -> Iterator[IncidentDetail]:
        """Yield every matching incident in full, read in batches (for exports)."""
        self.flush_for_reading()
        return query.incident_details(self.engine, filters)

    def article(self, article_id: str) -> ArticleRow | None:
        """Return a stored article, or None if unknown."""
        return query.article(self.engine, article_id)

    def counts(self) -> StoreCounts:
        """Return how many documents, articles, incidents and claims are stored."""
        self.flush_for_reading()
        return query.counts(self.engine)

    def close(self) -> None:
        """Materialize the incidents this process left stale, then release the database
        connections."""
        try:
            if self.resolver.unflushed:
                self.flush()
        finally:
            self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_store(url_or_path: str | None = None) -> Store:
    """Return the store at ``url_or_path`` (a file path or an SQLAlchemy URL; None means
    ``settings().db``), created and migrated to the newest schema if needed."""
    engine = open_engine(store_url(url_or_path or settings().db))
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    store = Store(engine)
    try:
        store.resolve_pending()
        # Marks left by a process that stopped before materializing them.
        store.flush_for_reading()
    except BaseException:
        engine.dispose()
        raise
    return store
