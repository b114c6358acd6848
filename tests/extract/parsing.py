"""Parse a test's own text as ``incidex extract`` does (cleaning, truecasing, spaCy)."""

from __future__ import annotations

from incidex import annotate, clean
from incidex.extract.context import Context
from incidex.pipeline import document_from_text


def parsed(text: str, published: str) -> Context:
    """Return the extraction context of a text published on ``published`` (ISO date)."""
    article = clean.clean(document_from_text(text, id="t", published=published))
    return Context(article, annotate.annotate(article))
