"""The models' embedding stages read from tables give the vectors spaCy's own computation
gives, bit for bit; and the maxout ops take the same pieces as thinc's."""

from __future__ import annotations

import importlib
from typing import Any

import numpy
import pytest
from thinc.api import NumpyOps

from incidex.annotate import load_nlp
from incidex.inference import model_nodes
from incidex.inference.embeddings import _CachedForward, fast_maxout_ops

# Written for this test: repeated words (read from the table the second time), a made-up
# word, upper case, blanks and a blank line, a document shorter than a batch of rows.
_TEXTS = (
    "Gunmen killed two guards at a depot on Monday, police said; gunmen fled.",
    "THE ZQXV-BLORFING REBELS FIRED AGAIN  (TWICE)!\n\n   Police said the rebels fled.",
    "Hi.",
    "Two guards were killed and the depot was burnt by the rebels on Monday night.",
)


def _cached_stages(nlp: Any) -> list[Any]:
    return [node for node in model_nodes(nlp) if isinstance(node._func, _CachedForward)]


def _vectors(node: Any, docs: list[Any]) -> list[Any]:
    return list(node.predict(docs))


def _stock_vectors(node: Any, docs: list[Any]) -> list[Any]:
    return list(node._func.stock(node, docs, False)[0])


def _same(a: list[Any], b: list[Any]) -> bool:
    return len(a) == len(b) and all(
        x.dtype == y.dtype and numpy.array_equal(x, y) for x, y in zip(a, b, strict=True)
    )


def test_embeddings_both_models_stages_are_read_from_tables() -> None:
    # the shared tok2vec's and the entity recogniser's own
    assert len(_cached_stages(load_nlp())) == 2


def test_embeddings_from_the_table_are_the_stocks_bit_for_bit() -> None:
    nlp = load_nlp()
    docs = [nlp.make_doc(t) for t in _TEXTS]
    for node in _cached_stages(nlp):
        for batch in (docs, docs[:2], docs[2:3] + docs[:1], docs[::-1]):
            stock = _stock_vectors(node, batch)
            assert _same(_vectors(node, batch), stock)
            # again: every row now comes from the table
            assert _same(_vectors(node, batch), stock)


def test_embeddings_a_batch_of_few_rows_is_computed_as_spacy_does() -> None:
    nlp = load_nlp()
    docs = [nlp.make_doc("Hi.")]  # two tokens: OpenBLAS's small-product path
    for node in _cached_stages(nlp):
        assert _same(_vectors(node, docs), _stock_vectors(node, docs))


def test_embeddings_tables_start_afresh_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.import_module("incidex.inference.embeddings"), "_TABLE_LIMIT", 40)
    nlp = load_nlp()
    docs = [nlp.make_doc(t) for t in _TEXTS]
    for node in _cached_stages(nlp):
        for doc in docs * 2:
            assert _same(_vectors(node, [doc, doc]), _stock_vectors(node, [doc, doc]))
        assert len(node._func.table._rows) <= 40


def test_embeddings_maxout_takes_the_pieces_thinc_takes() -> None:
    rng = numpy.random.default_rng(7)
    pieces = rng.standard_normal((50, 8, 3)).astype("float32")
    pieces[::3, :, 1] = pieces[::3, :, 0]  # ties: the first of equal pieces
    pieces[1, 2] = [-0.0, 0.0, -1.0]
    pieces[2, 3] = [0.0, -0.0, -0.0]
    pieces[3, 4] = [1.0, numpy.nan, 0.5]
    pieces[4, 5] = [numpy.nan, 2.0, 0.5]
    best, _ = fast_maxout_ops(use_blis=False).maxout(pieces)
    expected, _ = NumpyOps(use_blis=False).maxout(pieces)
    assert best.dtype == expected.dtype
    assert best.tobytes() == expected.tobytes()
    assert best[1, 2].tobytes() == numpy.float32(-0.0).tobytes()
    with pytest.raises(NotImplementedError):
        fast_maxout_ops(use_blis=False).backprop_maxout(best, None, 3)
