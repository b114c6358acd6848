"""Full-text search over stored articles: SQLite's FTS5 index (revision 0003, kept in step
with the articles by triggers), ranked by BM25 with titles weighing more; other databases
fall back to a case-insensitive substring match on title and text.

A query of plain words finds articles holding all of them (``al-Shabab market``); a query
using FTS5 syntax (quotes, parentheses, ``*``, ``:``, ``^``, AND/OR/NOT/NEAR) is passed on as
written, and a malformed one raises ``InputError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from ..errors import InputError, StoreError
from .schema import SEARCH_TABLE, articles

__all__ = ["SearchHit", "fts_expression", "search_articles"]

# Characters and operators that make a query an FTS5 expression rather than plain words.
_FTS_SYNTAX = re.compile(r'["()*:^+{}]|\b(?:AND|OR|NOT|NEAR)\b')
# Words of SQLite's own FTS5 error messages, which say the query (not the store) is wrong.
_QUERY_ERRORS = ("fts5", "syntax error", "no such column", "unterminated", "unknown special")
SNIPPET_TOKENS = 24
TITLE_WEIGHT = 5.0


@dataclass(frozen=True, slots=True)
class SearchHit:
    """An article matching a search: where to find it and a piece of its text."""

    id: str
    title: str | None
    published: str | None
    url: str | None
    site: str | None
    snippet: str
    score: float

    def with_score(self, score: float) -> SearchHit:
        """Return this hit with ``score``."""
        return replace(self, score=score)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "published": self.published,
            "url": self.url,
            "site": self.site,
            "snippet": self.snippet,
            "score": self.score,
        }


def fts_expression(query: str) -> str:
    """Return the FTS5 expression for a user's query: FTS5 syntax as written, plain words
    each quoted (so hyphens and dots inside names are not read as operators)."""
    if _FTS_SYNTAX.search(query):
        return query
    return " ".join(f'"{word}"' for word in query.split())


def search_articles(
    engine: Engine, query: str, *, limit: int = 20, offset: int = 0
) -> list[SearchHit]:
    """Return up to ``limit`` articles matching ``query``, best first, skipping ``offset``.
    Raises InputError when the query is empty or malformed."""
    if not query.strip():
        raise InputError("search", "the query is empty; give one or more words")
    if engine.dialect.name == "sqlite":
        return _fts_search(engine, query.strip(), limit, offset)
    return _like_search(engine, query.strip(), limit, offset)


def _fts_search(engine: Engine, query: str, limit: int, offset: int) -> list[SearchHit]:
    """Return a page of FTS5 matches. The page is ranked on the index alone, then only its
    rows are joined to the articles and given snippets: doing either for every match costs
    a read of every matching article."""
    expression = fts_expression(query)
    fts = sa.table(SEARCH_TABLE, sa.column("article_id"), sa.column("rowid"))
    table: sa.ColumnClause[Any] = sa.literal_column(SEARCH_TABLE)
    score = sa.func.bm25(table, 0.0, TITLE_WEIGHT, 1.0)
    ranked = (
        sa.select(fts.c.rowid, score.label("score"))
        .where(table.op("MATCH")(expression))
        .order_by(score, fts.c.rowid)
        .limit(limit)
        .offset(offset)
    )
    try:
        with engine.connect() as conn:
            page = [(r.rowid, float(r.score)) for r in conn.execute(ranked)]
            snippets = _snippets(conn, expression, [rowid for rowid, _ in page])
    except OperationalError as err:
        detail = str(err.orig)
        if any(word in detail.lower() for word in _QUERY_ERRORS):
            raise InputError(
                "search", f"the query {query!r} is not a valid search ({detail})"
            ) from err
        raise StoreError(f"cannot search the store ({detail})") from err
    return [snippets[rowid].with_score(score) for rowid, score in page if rowid in snippets]


def _snippets(conn: sa.Connection, expression: str, rowids: list[int]) -> dict[int, SearchHit]:
    """Return, per FTS row, its article with a snippet around the matched words."""
    if not rowids:
        return {}
    fts = sa.table(SEARCH_TABLE, sa.column("article_id"), sa.column("rowid"))
    table: sa.ColumnClause[Any] = sa.literal_column(SEARCH_TABLE)
    snippet = sa.func.snippet(table, 2, "", "", "…", SNIPPET_TOKENS)
    stmt = (
        sa.select(
            fts.c.rowid.label("fts_rowid"),
            articles.c.id,
            articles.c.title,
            articles.c.published,
            articles.c.url,
            articles.c.site,
            snippet.label("snippet"),
            sa.literal(0.0).label("score"),
        )
        .select_from(fts.join(articles, articles.c.id == fts.c.article_id))
        .where(table.op("MATCH")(expression), fts.c.rowid.in_(rowids))
    )
    return {r["fts_rowid"]: _hit(r) for r in conn.execute(stmt).mappings()}


def _like_search(engine: Engine, query: str, limit: int, offset: int) -> list[SearchHit]:
    words = query.split()
    stmt = (
        sa.select(
            articles.c.id,
            articles.c.title,
            articles.c.published,
            articles.c.url,
            articles.c.site,
            sa.func.substr(articles.c.text, 1, 200).label("snippet"),
            sa.literal(0.0).label("score"),
        )
        .where(
            *(
                sa.or_(
                    articles.c.title.icontains(w, autoescape=True),
                    articles.c.text.icontains(w, autoescape=True),
                )
                for w in words
            )
        )
        .order_by(articles.c.published.desc().nulls_last(), articles.c.id)
        .limit(limit)
        .offset(offset)
    )
    with engine.connect() as conn:
        return [_hit(r) for r in conn.execute(stmt).mappings()]


def _hit(r: sa.RowMapping) -> SearchHit:
    published = r["published"]
    return SearchHit(
        id=r["id"],
        title=r["title"],
        published=published.isoformat() if published is not None else None,
        url=r["url"],
        site=r["site"],
        snippet=r["snippet"] or "",
        score=float(r["score"] or 0.0),
    )
