"""Parse a test's own text as ``incidex extract`` does (cleaning, truecasing, spaCy)."""

from __future__ import annotations

from incidex import annotate, clean
from incidex.extract import extract, relevance
from incidex.extract.context import Context
from incidex.pipeline import document_from_text


def parsed(text: str, published: str) -> Context:
    """Return the extraction context of a text published on ``published`` (ISO date)."""
    article = clean.clean(document_from_text(text, id="t", published=published))
    return Context(article, annotate.annotate(article))


def message_features(text: str, published: str) -> list[str]:
    """Return the wire relevance model's features of a message, from the rules' incidents."""
    ctx = parsed(text, published)
    found = extract(ctx.article, ctx.doc, wire_relevance=False)
    return relevance.message_features(ctx, found.mentions, found.claims)
