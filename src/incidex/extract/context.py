"""What every extractor reads: the article, its spaCy Doc, and how to cite evidence."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from ..models import Article, Evidence

__all__ = ["Context", "load_data"]


@lru_cache(maxsize=None)
def load_data(name: str) -> Any:
    """Return the parsed JSON data file ``incidex/data/<name>`` (cached per process)."""
    text = resources.files("incidex.data").joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


@dataclass(slots=True)
class Context:
    """An article with its parse. ``doc.text == article.text``, so spaCy character
    offsets are clean-text offsets."""

    article: Article
    doc: Any
    sents: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.sents:
            self.sents = list(self.doc.sents)

    def sentence_index(self, char: int) -> int:
        """Return the index in ``sents`` of the sentence holding character ``char``."""
        for i, s in enumerate(self.sents):
            if s.start_char <= char < s.end_char:
                return i
        return max(len(self.sents) - 1, 0)

    def evidence(self, start: int, end: int) -> Evidence:
        """Return the Evidence for clean-text characters ``start:end``."""
        sent = self.sents[self.sentence_index(start)] if self.sents else None
        s_start = sent.start_char if sent is not None else 0
        s_text = sent.text if sent is not None else self.article.text
        return Evidence(
            article_id=self.article.id,
            start=start,
            end=end,
            text=self.article.text[start:end],
            sentence=s_text,
            sentence_start=s_start,
        )

    def span_evidence(self, span: Any) -> Evidence:
        """Return the Evidence of a spaCy Span or Token."""
        if hasattr(span, "start_char"):
            return self.evidence(span.start_char, span.end_char)
        return self.evidence(span.idx, span.idx + len(span.text))
