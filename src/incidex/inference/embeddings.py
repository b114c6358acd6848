"""The spaCy models' word embeddings, worked out once per distinct word in a process, and
their maxout layers' pieces compared without thinc's per-element loop.

A tok2vec's embedding stage (spaCy's MultiHashEmbed: hashed tables of NORM, PREFIX,
SUFFIX, SHAPE... concatenated, then a maxout layer and a layer norm) gives each token a
vector that depends on that token's attribute values alone: the window over neighbouring
tokens comes after it, in the encoder. It is a third of the shared tok2vec's matrix
products and a quarter of the entity recogniser's own, and news repeats its words: a file
of 1,500 wire messages holds about 460,000 tokens but a tenth as many distinct rows of
attributes. Each row's vector is computed once here, the first time it is seen, and read
from a table afterwards.

The vectors are bit for bit those of the whole batch: every step of the stage works row by
row, and OpenBLAS computes each row of a matrix product the same way whatever the other
rows, once a product has more than a few rows (with one to four it takes another path).
So a batch of fewer rows than ``_SAME_ROWS_FROM`` is computed as spaCy does, new rows are
computed at least that many at a time (padded with copies), and the property itself is
checked on the layer's own weights when the table is set up: where it does not hold (another
BLAS), nothing is cached.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy

from . import model_nodes

__all__ = ["cache_embeddings", "fast_maxout_ops", "largest_pieces"]

# Matrix products of at least this many rows compute each row the same way (OpenBLAS's
# small-matrix path takes products of one to four rows).
_SAME_ROWS_FROM = 8
# Distinct attribute rows kept per table before it starts afresh: 2**18 rows of 96 floats
# are 100 MB, far more than a news vocabulary fills.
_TABLE_LIMIT = 1 << 18
_CHECK_ROWS = 64
_EMBED_LAYERS = ("extract_features", "list2ragged", "", "", "ragged2list")


def fast_maxout_ops(use_blis: bool) -> Any:
    """Return thinc NumpyOps whose ``maxout`` takes each output's largest piece with numpy's
    element-wise maximum (several times faster than thinc's loop, which also notes which
    piece won, for training). The values are thinc's, bit for bit. For inference only:
    training through these ops raises."""
    from thinc.api import NumpyOps

    class _InferenceOps(NumpyOps):  # type: ignore[misc]
        name = "numpy"

        def maxout(self, X: Any) -> tuple[Any, Any]:
            # which piece won is only read to train
            return largest_pieces(X), None

        def backprop_maxout(self, dY: Any, which: Any, P: int) -> Any:
            raise NotImplementedError("these ops are for inference only")

    return _InferenceOps(use_blis=use_blis)


def largest_pieces(pieces: Any) -> Any:
    """Return the largest of each output's pieces (the last axis of ``pieces``), as thinc
    picks it: the first of equal pieces. numpy's maximum may return another of two equal
    zeros (its sign) or a NaN, so outputs of zero or NaN are picked again thinc's way."""
    best = numpy.maximum(pieces[..., 0], pieces[..., 1])
    for piece in range(2, pieces.shape[-1]):
        numpy.maximum(best, pieces[..., piece], out=best)
    redo = ~(numpy.abs(best) > 0)
    if redo.any():
        best[redo] = _first_largest(pieces[redo])
    return best


def _first_largest(pieces: Any) -> Any:
    """Return the first largest piece of each row of ``pieces`` (thinc's loop)."""
    best = pieces[:, 0].copy()
    for piece in range(1, pieces.shape[1]):
        larger = pieces[:, piece] > best
        best[larger] = pieces[larger, piece]
    return best


def _is_embedding(node: Any) -> bool:
    """Return whether a thinc node is spaCy's MultiHashEmbed without static vectors: feature
    extraction, hashed tables, a maxout layer, back to one array per doc."""
    names = [layer.name for layer in node.layers]
    return len(names) == len(_EMBED_LAYERS) and all(
        want == "" or want == name for want, name in zip(_EMBED_LAYERS, names, strict=True)
    )


class _EmbeddingTable:
    """The vectors of one embedding stage, by row of attribute values."""

    def __init__(self, node: Any) -> None:
        self._columns = node.layers[0].attrs["columns"]
        self._tables = node.layers[2]
        self._maxout = node.layers[3]
        self._rows: dict[bytes, int] = {}
        self._vectors = numpy.empty((0, 0), dtype="float32")

    def vectors(self, ids: Any) -> Any:
        """Return the stage's vectors of rows of attribute values (uint64, one row a token),
        computed for at least ``_SAME_ROWS_FROM`` rows at a time."""
        count = len(ids)
        if count < _SAME_ROWS_FROM:
            ids = numpy.concatenate([ids, numpy.repeat(ids[-1:], _SAME_ROWS_FROM - count, 0)])
        return self._maxout.predict(self._tables.predict(ids))[:count]

    def forward(self, docs: list[Any]) -> list[Any]:
        """Return one array of vectors per doc, each distinct row computed once."""
        ids = [numpy.asarray(doc.to_array(self._columns), dtype="uint64") for doc in docs]
        ids = [a.reshape((a.shape[0], -1)) for a in ids]
        flat = numpy.ascontiguousarray(numpy.concatenate(ids))
        # each row's bytes, a key of the table
        rows_as_bytes = flat.view(numpy.dtype((numpy.void, flat.shape[1] * 8))).ravel()
        keys: list[bytes] = rows_as_bytes.tolist()  # type: ignore[assignment]
        rows = self._rows
        if len(rows) + len(keys) > _TABLE_LIMIT:
            rows.clear()
        new: dict[bytes, int] = {}
        for i, key in enumerate(keys):
            if key not in rows and key not in new:
                new[key] = i
        if new:
            self._add(flat[list(new.values())], list(new))
        index = numpy.fromiter((rows[k] for k in keys), dtype=numpy.intp, count=len(keys))
        out = self._vectors[index]
        bounds = numpy.cumsum([len(a) for a in ids])[:-1]
        return list(numpy.split(out, bounds))

    def _add(self, ids: Any, keys: list[bytes]) -> None:
        vectors = self.vectors(ids)
        start = len(self._rows)
        end = start + len(keys)
        if end > len(self._vectors):
            grown = numpy.empty((max(end, 2 * len(self._vectors), 1024), vectors.shape[1]), "f")
            if start:
                grown[:start] = self._vectors[:start]
            self._vectors = grown
        self._vectors[start:end] = vectors
        self._rows.update(zip(keys, range(start, end), strict=True))


def _same_rows_alone(table: _EmbeddingTable, node: Any) -> bool:
    """Return whether the stage gives rows of random attribute values the same vectors
    computed with many other rows as computed with few: what caching them relies on."""
    rng = numpy.random.default_rng(0)
    ids = rng.integers(0, 2**63, size=(_CHECK_ROWS, len(table._columns)), dtype="uint64")
    whole = table.vectors(ids)
    return all(
        numpy.array_equal(table.vectors(ids[start : start + size]), whole[start : start + size])
        for start, size in ((0, 1), (3, 5), (9, _SAME_ROWS_FROM), (17, 33))
    )


class _CachedForward:
    """The forward function of an embedding stage reading its table (``stock``: spaCy's),
    for inference: batches of too few rows to be computed alike go through ``stock``."""

    def __init__(self, table: _EmbeddingTable, stock: Callable[..., Any]) -> None:
        self.table = table
        self.stock = stock

    def __call__(self, model: Any, docs: Any, is_train: bool) -> Any:
        if is_train or sum(len(doc) for doc in docs) < _SAME_ROWS_FROM:
            return self.stock(model, docs, is_train)
        return self.table.forward(list(docs)), _no_backprop


def _no_backprop(_: Any) -> Any:
    raise NotImplementedError("cached embeddings are for inference only")


def cache_embeddings(nlp: Any) -> int:
    """Have every embedding stage of the pipeline's models read its vectors from a table of
    the rows seen before, where that gives the same vectors; return how many stages do."""
    done = 0
    for node in model_nodes(nlp):
        if not _is_embedding(node):
            continue
        table = _EmbeddingTable(node)
        if _same_rows_alone(table, node):
            node._func = _CachedForward(table, node._func)
            done += 1
    return done
