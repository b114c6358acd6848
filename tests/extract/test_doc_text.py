"""A parse's text is joined once and read by every extractor (spaCy joins it again at
each read of ``Doc.text``). The text is a sentence written for this test."""

from __future__ import annotations

from incidex.annotate import load_nlp
from incidex.extract.actors import group_mentions
from incidex.extract.parsed import doc_text


def test_doc_text_is_the_doc_text_joined_once() -> None:
    doc = load_nlp()("Rebels of the FMLN  attacked a  post.\n\nTwo soldiers died.")
    first = doc_text(doc)
    assert first == doc.text
    assert doc_text(doc) is first
    assert [doc.text[m.start : m.end] for m in group_mentions(doc)] == ["FMLN"]
