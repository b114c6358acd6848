"""The store: documents, articles, incidents and claims in SQLite (default) or PostgreSQL.

    store = open_store()                      # settings().db, default ./incidex.db
    result = store.save(document, extraction) # stored | duplicate | conflict
    rows = store.incidents(IncidentFilter(country="RU", min_killed=10))
    detail = store.incident(rows[0].id)

Opening migrates the database to the newest schema (Alembic revisions shipped in the
package). Problems opening or writing raise ``StoreError`` with a sentence the user can act
on; a duplicate or conflicting document is a ``SaveResult``, not an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType

from sqlalchemy.engine import Engine

from ..config import settings
from ..models import Document, Extraction
from . import query, write
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
from .schema import migrate, open_engine, store_url
from .write import SaveResult

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

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def save(self, document: Document, extraction: Extraction) -> SaveResult:
        """Return how the document was saved (all its rows in one transaction)."""
        return write.save(self.engine, document, extraction)

    def has_hash(self, content_hash: str) -> bool:
        """Return whether a document with this content hash is already stored."""
        return query.has_hash(self.engine, content_hash)

    def incidents(self, filters: IncidentFilter | None = None) -> list[IncidentRow]:
        """Return the incidents matching ``filters`` (all when None)."""
        return query.incidents(self.engine, filters)

    def count_incidents(self, filters: IncidentFilter | None = None) -> int:
        """Return how many incidents match ``filters``, ignoring limit and offset."""
        return query.count_incidents(self.engine, filters)

    def incident(self, incident_id: str) -> IncidentDetail | None:
        """Return one incident with evidence, claims and source, or None if unknown."""
        return query.incident(self.engine, incident_id)

    def incident_details(self, filters: IncidentFilter | None = None) -> Iterator[IncidentDetail]:
        """Yield every matching incident in full, read in batches (for exports)."""
        return query.incident_details(self.engine, filters)

    def article(self, article_id: str) -> ArticleRow | None:
        """Return a stored article, or None if unknown."""
        return query.article(self.engine, article_id)

    def counts(self) -> StoreCounts:
        """Return how many documents, articles, incidents and claims are stored."""
        return query.counts(self.engine)

    def close(self) -> None:
        """Release the database connections."""
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
    return Store(engine)
