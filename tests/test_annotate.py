"""The parse: one model per process, and paragraphs never share a sentence."""

from __future__ import annotations

import importlib
import re
import resource
from collections.abc import Iterator
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import numpy
import pytest
from threadpoolctl import threadpool_info

from incidex.annotate import (
    _BLANKS,
    _CachedLemmatizer,
    _FastAttributeRuler,
    _keep_freed_memory,
    _one_openblas_thread,
    load_nlp,
    model_name,
)


def test_annotate_loads_the_model_once() -> None:
    assert load_nlp() is load_nlp()


def test_annotate_breaks_sentences_at_blank_lines() -> None:
    text = "Bomb kills nine at bus depot\n\nA bomb killed nine people at a bus depot on Monday."
    sents = [s.text.strip() for s in load_nlp()(text).sents]
    assert sents[0] == "Bomb kills nine at bus depot"
    assert all("\n\n" not in s for s in sents)


def test_annotate_loads_the_model_once_however_it_is_named() -> None:
    # The default asked for with no argument, with None, or by its resolved name is one model.
    nlp = load_nlp()
    assert load_nlp(None) is nlp
    assert load_nlp(nlp.meta["lang"] + "_" + nlp.meta["name"]) is nlp


def _stock_pipeline() -> Any:
    """Return the model as its package loads it, with only the paragraph-break component
    added (the attribute ruler and lemmatizer are spaCy's own)."""
    nlp = load_nlp()
    stock = importlib.import_module(model_name()).load()
    stock.add_pipe("incidex_paragraph_breaks", before="parser")
    assert stock.pipe_names == nlp.pipe_names
    return stock


def _token_attributes(doc: Any) -> list[tuple[object, ...]]:
    """Every attribute the fast components set but the lemma, whose choice among several
    known forms differs between spaCy releases (tested on its own below)."""
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.dep_, t.head.i, t.ent_type_) for t in doc]


def _lemmas(docs: Any) -> list[list[str]]:
    return [[t.lemma_ for t in doc] for doc in docs]


# Sentences written for this test: the ruler's multi-token rules ("ain't", "gonna", "let's",
# "there are"), spaces, contractions, and the lemmatizer's exceptions and base forms.
_SENTENCES = (
    "We ain't gonna let 'em go, y'all said, and there are three men who were wounded.",
    "Let's say the rebels were gotta leave  after they'd seized   the mayors' offices.\n\n"
    "POLICE SAID GUNMEN KILLED TWO GUARDS.",
    "She gets the best results; they got worse, fled and were stolen from the geese.",
    "C'mon, there is nothing left: the bombings, the kidnappings and the shootings went on.",
)


def test_annotate_fast_components_set_the_attributes_spacy_sets() -> None:
    nlp, stock = load_nlp(), _stock_pipeline()
    assert isinstance(nlp.get_pipe("attribute_ruler"), _FastAttributeRuler)
    assert isinstance(nlp.get_pipe("lemmatizer"), _CachedLemmatizer)
    fast = [_token_attributes(d) for d in nlp.pipe(_SENTENCES)]
    # Twice: the second pass reads the lookups filled by the first.
    again = [_token_attributes(d) for d in nlp.pipe(_SENTENCES)]
    expected = [_token_attributes(d) for d in stock.pipe(_SENTENCES)]
    assert fast == expected
    assert again == expected


# Lemmas as spaCy 3.8.18 chose them, which the role tagger and relevance models were
# trained on: from 3.8.11 on, of two forms the lemma index knows, the later rule's wins
# ("riding" -> "rid", where 3.8.7 and earlier give "ride"); elsewhere releases agree.
_LEMMAS = {
    "Two men riding a motorcycle staged the attack on the shining new station.": [
        "two", "man", "rid", "a", "motorcycle", "stag", "the", "attack", "on", "the", "shin",
        "new", "station", ".",
    ],
    "She gets the best results; they got worse, fled and were stolen from the geese.": [
        "she", "get", "the", "good", "result", ";", "they", "get", "bad", ",", "flee", "and",
        "be", "steal", "from", "the", "geese", ".",
    ],
    "The rebels waged a war while using rifles.": [
        "the", "rebel", "wag", "a", "war", "while", "use", "rifle", ".",
    ],
}  # fmt: skip


def test_annotate_lemmas_are_those_the_models_were_trained_on_whatever_the_release() -> None:
    nlp = load_nlp()
    assert _lemmas(nlp.pipe(_LEMMAS)) == list(_LEMMAS.values())
    # Twice: the second pass reads the lemmas worked out by the first.
    assert _lemmas(nlp.pipe(_LEMMAS)) == list(_LEMMAS.values())


def test_annotate_fast_components_start_afresh_when_their_tables_fill(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A table limit of a few entries: the tables are emptied again and again mid-document.
    monkeypatch.setattr(importlib.import_module("incidex.annotate"), "_MEMO_LIMIT", 3)
    nlp, stock = load_nlp(), _stock_pipeline()
    # Made-up words: tokens no earlier test has put in the tables.
    texts = (*_SENTENCES, "The zqxvs blorfed a wuggish plimth near Trandorv.")
    lemmas = _lemmas(nlp.pipe(texts))
    fast = [_token_attributes(d) for d in nlp.pipe(texts)]
    assert fast == [_token_attributes(d) for d in stock.pipe(texts)]
    assert _lemmas(nlp.pipe(texts)) == lemmas
    assert _lemmas(nlp.pipe(_LEMMAS)) == list(_LEMMAS.values())
    assert len(nlp.get_pipe("attribute_ruler")._masks) <= 3
    assert len(nlp.get_pipe("lemmatizer")._lemmas) <= 3


def test_annotate_models_multiply_with_numpy_on_one_thread() -> None:
    # The tests above find the same attributes as the stock pipeline's (thinc's BLIS);
    # here, that the products really are numpy's, on one OpenBLAS thread.
    nlp = load_nlp()
    if not _one_openblas_thread():
        pytest.skip("numpy bundles no OpenBLAS here: thinc's BLIS is kept")
    flags = {
        node.ops.use_blis
        for _, component in nlp.pipeline
        if getattr(component, "model", None) is not None
        for node in component.model.walk()
    }
    assert flags == {False}
    openblas = [i for i in threadpool_info() if i["internal_api"] == "openblas"]
    assert openblas and all(i["num_threads"] == 1 for i in openblas)


def _batch_of_arrays() -> None:
    """Allocate, fill and free four arrays of 12 MB, as a layer of a batch does."""
    arrays = [numpy.ones(3 << 20, dtype="float32") for _ in range(4)]
    del arrays


def test_annotate_memory_of_freed_arrays_is_kept_for_the_next_batch() -> None:
    load_nlp()
    if not _keep_freed_memory():
        pytest.skip("not glibc: its malloc's settings do not apply")
    _batch_of_arrays()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(5):
        _batch_of_arrays()
    # glibc's defaults: about 12,000 page faults (the heap trimmed and mapped again)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before < 1000


def _tokens(doc: Any) -> list[tuple[str, str, str, int]]:
    return [(t.text, t.whitespace_, t.norm_, t.idx) for t in doc]


# Special cases early ("Mr.", "didn't": spaCy caches no chunk after one in a document), the
# same words again in the next texts, runs of blanks as blanked sentences leave them.
_TOKENIZER_TEXTS = (
    "Mr. O'Neil didn't say; U.S.-backed troops (the 4th) fired at 5 p.m. on Jan. 3rd.",
    "U.S.-backed troops fired at 5 p.m., Mr. O'Neil said."
    + " " * 400
    + "\n"
    + " " * 90
    + "Dr. Smith's car -- a '89 model -- was hit...\n\n\n  \t \r\n",
    'The zqxv-blorfing "rebels" fired again (twice)! ' * 3 + "\n\n" + " " * 5000,
)


def test_annotate_tokens_are_the_stock_tokenizers() -> None:
    nlp, stock = load_nlp(), _stock_pipeline()
    expected = [_tokens(stock.make_doc(t)) for t in _TOKENIZER_TEXTS]
    # Twice: the second pass reads the chunks cached by the first.
    assert [_tokens(nlp.make_doc(t)) for t in _TOKENIZER_TEXTS] == expected
    assert [_tokens(nlp.make_doc(t)) for t in _TOKENIZER_TEXTS] == expected
    assert [_tokens(nlp.make_doc(t)) for t in reversed(_TOKENIZER_TEXTS)] == expected[::-1]


_CATEGORIES = {
    getattr(sre, f"CATEGORY_{name}"): re.compile(pattern)
    for name, pattern in (
        ("SPACE", r"\s"), ("NOT_SPACE", r"\S"), ("DIGIT", r"\d"), ("NOT_DIGIT", r"\D"),
        ("WORD", r"\w"), ("NOT_WORD", r"\W"), ("UNI_SPACE", r"\s"), ("UNI_NOT_SPACE", r"\S"),
        ("UNI_DIGIT", r"\d"), ("UNI_NOT_DIGIT", r"\D"), ("UNI_WORD", r"\w"),
        ("UNI_NOT_WORD", r"\W"),
    )
}  # fmt: skip


def _matchers(items: Any) -> Iterator[tuple[Any, Any]]:
    """Yield every part of a parsed pattern that consumes a character."""
    for op, av in items:
        if op in (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY):
            yield op, av
        elif op is sre.SUBPATTERN:
            yield from _matchers(av[-1])
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            yield from _matchers(av[2])
        elif op is sre.BRANCH:
            for branch in av[1]:
                yield from _matchers(branch)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            yield from _matchers(av[1])
        elif op is sre.ATOMIC_GROUP:
            yield from _matchers(av)
        else:
            assert op is sre.AT, f"pattern part {op} not checked"


def _in_set(ch: str, items: Any) -> bool:
    hit = False
    for op, av in items:
        if op is sre.LITERAL:
            hit |= ord(ch) == av
        elif op is sre.RANGE:
            hit |= av[0] <= ord(ch) <= av[1]
        elif op is sre.CATEGORY:
            hit |= _CATEGORIES[av].match(ch) is not None
        else:
            assert op is sre.NEGATE, f"set item {op} not checked"
    negated = bool(items) and items[0][0] is sre.NEGATE
    return hit != negated


def _accepts(op: Any, av: Any, ch: str) -> bool:
    if op is sre.LITERAL:
        return bool(ord(ch) == av)
    if op is sre.NOT_LITERAL:
        return bool(ord(ch) != av)
    return op is sre.ANY or _in_set(ch, av)


def test_annotate_tokenizer_patterns_match_no_blank_they_skip() -> None:
    # The suffix and infix patterns are not run over runs of blanks, where they would find
    # nothing: no part of either that consumes a character accepts a blank.
    tokenizer = _stock_pipeline().tokenizer
    for method in (tokenizer.suffix_search, tokenizer.infix_finditer):
        pattern = method.__self__
        parts = list(_matchers(sre_parse.parse(pattern.pattern, pattern.flags)))
        assert parts
        assert not [(op, ch) for op, av in parts for ch in _BLANKS if _accepts(op, av, ch)]
    inner = load_nlp().tokenizer._inner
    assert inner.suffix_search(" " * 50 + "\n") is None
    assert inner.suffix_search("fired.") is not None
    assert list(inner.infix_finditer("  \n ")) == []
    assert [m.group() for m in inner.infix_finditer("zqxv-blorf")] == ["-"]
