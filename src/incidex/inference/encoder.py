"""The spaCy models' encoder blocks, run for inference in fewer passes over memory.

A tok2vec encoder (spaCy's MaxoutWindowEncoder) is four residual blocks, each a window
over the neighbouring tokens, a maxout layer, a layer norm and a dropout. thinc runs each
step on its own: a new array for every intermediate result, and the maxout's pieces read
from interleaved columns. Here a block's maxout weights are stored with each piece's
outputs side by side (the product's columns in another order), so that the largest piece
is a maximum of three contiguous blocks, and the layer norm, its scale and shift and the
residual sum are applied in place, in thinc's order of operations. Each value is the same
as thinc's, bit for bit (IEEE addition commutes; each column of OpenBLAS's product comes
out the same in any place): checked on the block's own weights before it is replaced.
"""

from __future__ import annotations

from typing import Any

import numpy

from . import model_nodes

__all__ = ["fuse_encoder_blocks"]

_BLOCK_LAYERS = ("expand_window", "maxout", "layernorm", "dropout")
_CHECK_ROWS = 64


def _steps(node: Any) -> list[Any]:
    """Return the layers a chain runs, in order, its nested chains' layers in their place."""
    if ">>" not in node.name:
        return [node]
    return [step for layer in node.layers for step in _steps(layer)]


def _is_block(node: Any) -> bool:
    """Return whether a thinc node is a residual block of a maxout window encoder."""
    if not node.name.startswith("residual(") or len(node.layers) != 1:
        return False
    return tuple(step.name for step in _steps(node.layers[0])) == _BLOCK_LAYERS


class _FusedBlock:
    """The inference forward of one residual block (``stock``: thinc's)."""

    def __init__(self, node: Any) -> None:
        window, maxout, norm, _ = _steps(node.layers[0])
        self.stock = node._func
        self._ops = node.ops
        self.window = int(window.attrs["window_size"])
        pieces, outputs = maxout.get_dim("nP"), maxout.get_dim("nO")
        weights = maxout.get_param("W").reshape((outputs, pieces, -1))
        # piece p of output o at column p * outputs + o
        self._weights = numpy.ascontiguousarray(
            weights.transpose(1, 0, 2).reshape(outputs * pieces, -1)
        )
        self._bias = numpy.ascontiguousarray(
            maxout.get_param("b").reshape((outputs, pieces)).T.ravel()
        )
        self._outputs, self._pieces = outputs, pieces
        self._scale = norm.get_param("G")
        self._shift = norm.get_param("b")

    def __call__(self, model: Any, X: Any, is_train: bool) -> Any:
        if is_train or not isinstance(X, numpy.ndarray) or X.ndim != 2 or not len(X):
            return self.stock(model, X, is_train)
        return self.forward(X), _no_backprop

    def forward(self, X: Any) -> Any:
        """Return the block's output for the rows of ``X``."""
        products = numpy.dot(self._ops.seq2col(X, self.window), self._weights.T)
        products += self._bias
        n = self._outputs
        out = numpy.maximum(products[:, :n], products[:, n : 2 * n])
        for piece in range(2, self._pieces):
            numpy.maximum(out, products[:, piece * n : (piece + 1) * n], out=out)
        _redo_zero_ties(out, products, n, self._pieces)
        mean = out.mean(axis=1, keepdims=True)
        var = out.var(axis=1, keepdims=True) + 1e-08
        out -= mean
        out *= var ** (-1.0 / 2.0)
        out *= self._scale
        out += self._shift
        out += X
        return out


def _redo_zero_ties(out: Any, products: Any, n: int, pieces: int) -> None:
    """Pick again, as thinc does (the first of equal pieces), the outputs numpy's maximum
    left at zero or NaN, where it may have taken another piece's sign or a NaN."""
    redo = ~(numpy.abs(out) > 0)
    if not redo.any():
        return
    rows, cols = redo.nonzero()
    best = products[rows, cols].copy()
    for piece in range(1, pieces):
        candidate = products[rows, piece * n + cols]
        larger = candidate > best
        best[larger] = candidate[larger]
    out[rows, cols] = best


def _no_backprop(_: Any) -> Any:
    raise NotImplementedError("fused encoder blocks are for inference only")


def _same_as_stock(block: _FusedBlock, node: Any) -> bool:
    """Return whether the fused block gives random rows thinc's values bit for bit."""
    rng = numpy.random.default_rng(0)
    width = _steps(node.layers[0])[1].get_dim("nI") // (2 * block.window + 1)
    rows = rng.standard_normal((_CHECK_ROWS, width)).astype("float32")
    try:
        expected = block.stock(node, rows, False)[0]
    except Exception:
        return False
    got = block.forward(rows)
    return bool(got.dtype == expected.dtype and numpy.array_equal(got, expected))


def fuse_encoder_blocks(nlp: Any) -> int:
    """Have every residual maxout block of the pipeline's encoders run fused, where that
    gives thinc's values; return how many do."""
    done = 0
    for node in model_nodes(nlp):
        if not _is_block(node) or isinstance(node._func, _FusedBlock):
            continue
        block = _FusedBlock(node)
        if _same_as_stock(block, node):
            node._func = block
            done += 1
    return done
