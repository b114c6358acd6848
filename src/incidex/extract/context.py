"""What every extractor reads: the article, its spaCy Doc, and how to cite evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..models import Article, Evidence

__all__ = ["Context"]


@dataclass(slots=True)
class Context:
    """An article with its parse. ``doc.text`` has the length of ``article.text`` and
    differs at most in letter case (upper-case wire text is parsed truecased), so spaCy
    character offsets are clean-text offsets; evidence always quotes ``article.text``."""

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
        """Return the Evidence for clean-text characters ``start:end``; its sentence is the
        one holding ``start``, stretched to ``end`` when spaCy split the span."""
        if self.sents:
            s_start = self.sents[self.sentence_index(start)].start_char
            s_end = self.sents[self.sentence_index(max(start, end - 1))].end_char
        else:
            s_start, s_end = 0, len(self.article.text)
        s_text = self.article.text[s_start:s_end]
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
