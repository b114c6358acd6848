"""Parse a test's own text as ``incidex extract`` does (cleaning, truecasing, spaCy)."""

from __future__ import annotations

from incidex import annotate, clean
from incidex.extract import extract, relevance
from incidex.extract.context import Context
from incidex.models import Extraction
from incidex.pipeline import document_from_text

# The dateline openings of the tests' upper-case wire messages and modern reports.
WIRE = "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] "
MODERN = "San Isidro, 12 March 1990 -- "


def parsed(text: str, published: str) -> Context:
    """Return the extraction context of a text published on ``published`` (ISO date)."""
    article = clean.clean(document_from_text(text, id="t", published=published))
    return Context(article, annotate.annotate(article))


def extracted(text: str, published: str = "1990-03-12") -> Extraction:
    """Return what the rules extract from a text (the wire relevance model left out)."""
    ctx = parsed(text, published)
    return extract(ctx.article, ctx.doc, wire_relevance=False)


def message_features(text: str, published: str) -> list[str]:
    """Return the wire relevance model's features of a message, from the rules' incidents."""
    ctx = parsed(text, published)
    found = extract(ctx.article, ctx.doc, wire_relevance=False)
    return relevance.message_features(ctx, found.mentions, found.claims)
