"""The models' encoder blocks run fused give thinc's values bit for bit."""

from __future__ import annotations

from typing import Any

import numpy
import pytest
from thinc.api import NumpyOps

from incidex.annotate import load_nlp
from incidex.inference import model_nodes
from incidex.inference.encoder import _FusedBlock, _redo_zero_ties

# Written for this test: upper and mixed case, a blank line, a one-word document.
_TEXTS = (
    "Gunmen killed two guards at a depot on Monday, police said; gunmen fled.",
    "THE REBELS FIRED AGAIN  (TWICE)!\n\n   Police said the rebels fled.",
    "Hi",
)


def _fused_blocks(nlp: Any) -> list[Any]:
    return [node for node in model_nodes(nlp) if isinstance(node._func, _FusedBlock)]


def test_encoder_every_block_of_both_encoders_runs_fused() -> None:
    # four blocks each in the shared tok2vec and the entity recogniser's own
    assert len(_fused_blocks(load_nlp())) == 8


def _embedded_rows(nlp: Any) -> list[Any]:
    """Return, per text, its tokens' rows as the first encoder block receives them."""
    embed = nlp.get_pipe("tok2vec").model.layers[0]
    docs = [nlp.make_doc(t) for t in _TEXTS]
    return [numpy.ascontiguousarray(rows) for rows in embed.predict(docs)]


def test_encoder_fused_blocks_give_thincs_values() -> None:
    nlp = load_nlp()
    rows = _embedded_rows(nlp)
    batches = [*rows, numpy.concatenate(rows), numpy.zeros((7, rows[0].shape[1]), "float32")]
    for node in _fused_blocks(nlp):
        for batch in batches:
            got = node.predict(batch)
            expected = node._func.stock(node, batch, False)[0]
            assert got.dtype == expected.dtype
            assert got.tobytes() == expected.tobytes()


def test_encoder_largest_pieces_are_thincs_for_zeros_and_nans() -> None:
    # pieces side by side (piece p of output o at column p * n + o), as the fused block
    # stores them; thinc's maxout reads them interleaved
    n, pieces = 4, 3
    products = numpy.ones((3, n * pieces), "float32")
    products[0, [0, n, 2 * n]] = [-0.0, 0.0, -1.0]
    products[1, [1, n + 1, 2 * n + 1]] = [0.0, -0.0, -0.0]
    products[2, [2, n + 2, 2 * n + 2]] = [numpy.nan, 2.0, 0.5]
    products[2, [3, n + 3, 2 * n + 3]] = [1.0, numpy.nan, 0.5]
    out = numpy.maximum(products[:, :n], products[:, n : 2 * n])
    numpy.maximum(out, products[:, 2 * n :], out=out)
    _redo_zero_ties(out, products, n, pieces)
    interleaved = products.reshape((3, pieces, n)).transpose(0, 2, 1).copy()
    expected, _ = NumpyOps(use_blis=False).maxout(interleaved)
    assert out.tobytes() == expected.tobytes()


def test_encoder_fused_blocks_refuse_training() -> None:
    node = _fused_blocks(load_nlp())[0]
    rows = numpy.ones((5, node._func._scale.shape[0]), "float32")
    _, backprop = node._func(node, rows, False)
    with pytest.raises(NotImplementedError):
        backprop(rows)
