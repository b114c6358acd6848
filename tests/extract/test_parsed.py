"""Tokens and entities of a parse are made once per document and read by every extractor
(spaCy makes new Token and Span objects at every read). The texts are written for this
test."""

from __future__ import annotations

import pytest

from incidex.annotate import load_nlp
from incidex.extract import parsed
from incidex.extract.parsed import (
    doc_ents,
    doc_lowers,
    doc_tokens,
    indices_in,
    process_table,
    span_ents,
    span_tokens,
)

_TEXT = (
    "Gunmen of the Shining Path killed Mayor Juan Perez in Lima on Monday. "
    "Police in Cuzco said two soldiers and a driver died.\n\n"
    "The army blamed the group, and the United Nations condemned the attack in Peru."
)
_OTHER = "President Alan Garcia spoke in Arequipa. Rebels burned a bus near Puno."


def test_parsed_tokens_and_entities_are_the_docs_made_once() -> None:
    doc = load_nlp()(_TEXT)
    tokens = doc_tokens(doc)
    assert [(t.i, t.text, t.dep_) for t in tokens] == [(t.i, t.text, t.dep_) for t in doc]
    assert doc_tokens(doc) is tokens
    ents = doc_ents(doc)
    assert len(ents) >= 5
    assert [(e.start, e.end, e.label_) for e in ents] == [
        (e.start, e.end, e.label_) for e in doc.ents
    ]
    assert doc_ents(doc) is ents
    for sent in doc.sents:
        assert [t.i for t in span_tokens(sent)] == [t.i for t in sent]
        assert [(e.start, e.end) for e in span_ents(sent)] == [(e.start, e.end) for e in sent.ents]


def test_parsed_each_document_has_its_own() -> None:
    nlp = load_nlp()
    doc, other = nlp(_TEXT), nlp(_OTHER)
    assert doc_tokens(doc)[0].doc is doc
    assert [t.text for t in doc_tokens(other)] == [t.text for t in other]
    assert [e.text for e in doc_ents(other)] == [e.text for e in other.ents]
    assert doc_tokens(other)[0].doc is other
    # A new parse of the same text is a new document: nothing carried over.
    again = nlp(_TEXT)
    assert doc_tokens(again) is not doc_tokens(doc)
    assert doc_tokens(again)[0].doc is again


def test_parsed_span_entities_are_those_wholly_inside() -> None:
    doc = load_nlp()(_TEXT)
    # A span cutting the first entity: spaCy keeps only those wholly inside, in order.
    for start in range(len(doc)):
        for end in (start + 1, start + 4, len(doc)):
            span = doc[start : min(end, len(doc))]
            assert [(e.start, e.end) for e in span_ents(span)] == [
                (e.start, e.end) for e in span.ents
            ]


def test_parsed_doc_is_freed_once_extracted() -> None:
    # What the extractors kept in the Doc refers back to it: dropped after the extraction,
    # the Doc goes with its last reference, not at some later collection.
    import gc
    import weakref

    from incidex import annotate, clean
    from incidex.extract import extract
    from incidex.pipeline import document_from_text

    article = clean.clean(document_from_text(_TEXT, id="t", published="2024-05-06"))
    doc = annotate.annotate(article)
    extraction = extract(article, doc)
    assert extraction.mentions
    assert doc_tokens(doc)[0].doc is doc  # still readable afterwards
    extract(article, doc)
    freed = weakref.ref(doc)
    gc.disable()
    try:
        del doc
        assert freed() is None
    finally:
        gc.enable()


def test_parsed_memo_is_built_once_per_document_and_dropped_with_the_rest() -> None:
    from incidex.extract.parsed import doc_memo, forget

    nlp = load_nlp()
    doc, other = nlp(_TEXT), nlp(_OTHER)
    built: list[object] = []

    def lengths(d: object) -> list[int]:
        built.append(d)
        return [len(t.text) for t in doc_tokens(d)]

    first = doc_memo(doc, "test.lengths", lengths)
    assert first == [len(t.text) for t in doc]
    assert doc_memo(doc, "test.lengths", lengths) is first
    # Another document gets its own, never the first one's.
    assert doc_memo(other, "test.lengths", lengths) == [len(t.text) for t in other]
    assert built == [doc, other]
    # Once forgotten, it is built again (and the spaCy data of the Doc stays).
    forget(doc)
    assert not [k for k in doc.user_data if isinstance(k, tuple) and k[0] == "incidex.memo"]
    assert doc_memo(doc, "test.lengths", lengths) == first
    assert built == [doc, other, doc]


def test_indices_in_a_sentence_are_those_of_its_tokens() -> None:
    doc = load_nlp()(_TEXT)
    # every token whose word has an "a" in it, as an extractor's screen would list them
    with_a = [i for i, low in enumerate(doc_lowers(doc)) if "a" in low]
    for sent in doc.sents:
        expected = [t.i for t in sent if "a" in t.lower_]
        assert list(indices_in(sent, with_a)) == expected
    assert list(indices_in(doc[0:0], with_a)) == []


def test_process_table_starts_afresh_at_its_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsed, "_TABLE_LIMIT", 3)
    table = process_table("test table")
    table.clear()
    table.update({1: "a", 2: "b"})
    assert process_table("test table") == {1: "a", 2: "b"}
    table[3] = "c"
    assert process_table("test table") == {}
    assert process_table("test table") is table
    # spellings read at the limit are right all the same
    monkeypatch.setattr(parsed, "_TABLE_LIMIT", 1)
    doc = load_nlp()(_OTHER)
    assert doc_lowers(doc) == [t.lower_ for t in doc]
