"""Role fillers of attacks (perpetrator individuals and organisations, physical targets,
named victims, weapons) found by a linear token tagger over the spaCy parse.

The tagger is a multinomial logistic regression trained on the MUC-4 training split by
``training/train_roles.py``; its weights ship in ``data/roles_model.json``. Every token
gets one of the labels ``O`` or a role; runs of tokens with the same role are the spans,
trimmed of determiners and punctuation the way the MUC keys write fillers. The tagger
proposes spans at low thresholds, and a filler classifier (one logistic regression per
role, ``training/train_fillers.py``, ``data/roles_fillers.json``) keeps those whose
features (the tagger's confidence in them and in the other mentions of their words, where
they first appear, their head and governing verb) make them likely key fillers.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from ..data import load_data
from ..gazetteer import gazetteer
from .actors import (
    GroupMention,
    group_alias,
    group_mentions,
    perpetrator_hedges,
    person_nouns,
    singular,
)
from .context import Context
from .parsed import SPELT, SPELT_LOWER, doc_ents, doc_text, process_table, span_tokens

__all__ = [
    "ROLES",
    "RoleSpan",
    "decode_spans",
    "entity_strings",
    "find_roles",
    "normalise",
    "token_features",
]

ROLES = ("PERPIND", "PERPORG", "TARGET", "VICTIM", "WEAPON")
OUTSIDE = "O"
_WINDOW = 2
_OFFSETS = tuple(k for k in range(-_WINDOW, _WINDOW + 1) if k != 0)
_NAME_ENTITIES = ("PERSON", "ORG", "FAC", "NORP")
_EDGE_WORDS = frozenset(("the", "a", "an", "this", "that", "these", "those", "its", "their"))
_EDGE_PUNCT = "\"'“”‘’«»()[]{},;:.—–-"
_MINOR_WORDS = frozenset(("of", "for", "the", "and", "de", "del", "la", "el", "y"))
_PUNCT = re.compile(r"[^\w\s]")
_ARTICLES = re.compile(r"\b(?:a|an|the)\b")
_DANGLING_POS = frozenset(("ADP", "DET", "CCONJ", "SCONJ", "PART"))
_WH_TAGS = frozenset(("WP", "WDT", "WP$"))
_PERP_MODIFIERS = frozenset(("nummod", "amod", "compound", "quantmod", "advmod"))


@dataclass(frozen=True, slots=True)
class RoleSpan:
    """A role filler: characters ``start:end`` of the text, the sentence it is in, and the
    tagger's mean probability of the role over its tokens."""

    role: str
    start: int
    end: int
    sent_index: int
    score: float


@dataclass(frozen=True, slots=True)
class _Model:
    labels: tuple[str, ...]
    bias: npt.NDArray[np.float64]
    # One row of label weights per feature, found through ``index``: scoring a document is
    # then one gather and sum, not a Python loop per feature and label.
    index: dict[str, int]
    matrix: npt.NDArray[np.float64]
    thresholds: dict[str, float]
    lexicons: dict[str, frozenset[str]]
    # Per label, the probability a role needs to win (infinite for ``O``, which never wins
    # by threshold): ``thresholds`` as a row, for all tokens at once.
    cutoffs: npt.NDArray[np.float64]
    # ``index`` by template: the row of feature "w=the" is ``templates["w"]["the"]``. The
    # tagger looks its features up by their values, without spelling out their names.
    templates: dict[str, dict[str, int]]
    # Filled as documents are tagged: per (lemma, word), the rows of its word-list
    # features and of the "hlx" feature it gives the tokens it heads. Not an argument, so
    # that a model made from another (dataclasses.replace) starts with a table of its own.
    lexical: dict[tuple[str, str], tuple[list[int], int]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    # Filled likewise: per group of templates reading one token value (``_ROW_GROUPS``),
    # per value, the rows of its features.
    grouped: dict[str, dict[str, tuple[int, ...]]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )


@lru_cache(maxsize=1)
def _model() -> _Model:
    """Return the tagger of ``data/roles_model.json``."""
    return model_from(load_data("roles_model.json"))


def model_from(data: Mapping[str, Any]) -> _Model:
    """Return a tagger from its JSON form (the shipped one, or a cross-validation fold's)."""
    labels = tuple(str(label) for label in data["labels"])
    index: dict[str, int] = {}
    # One row per feature plus a last row of zeros that unknown features read.
    matrix = np.zeros((len(data["weights"]) + 1, len(labels)), dtype=np.float64)
    # Set in one assignment: item by item, numpy's indexing costs more than the values.
    cells: tuple[list[int], list[int], list[float]] = ([], [], [])
    for row, (feat, weights) in enumerate(data["weights"].items()):
        index[str(feat)] = row
        for k, v in weights.items():
            cells[0].append(row)
            cells[1].append(int(k))
            cells[2].append(float(v))
    matrix[cells[0], cells[1]] = cells[2]
    thresholds = {str(k): float(v) for k, v in data["thresholds"].items()}
    cutoffs = np.array(
        [np.inf if label == OUTSIDE else thresholds.get(label, 0.5) for label in labels],
        dtype=np.float64,
    )
    return _Model(
        labels=labels,
        bias=np.array([float(b) for b in data["bias"]], dtype=np.float64),
        index=index,
        matrix=matrix,
        thresholds=thresholds,
        lexicons={str(k): frozenset(str(w) for w in v) for k, v in data["lexicons"].items()},
        cutoffs=cutoffs,
        templates=_templates(index),
    )


def _templates(index: Mapping[str, int]) -> dict[str, dict[str, int]]:
    """Return the rows of ``index`` by template (a feature name's part before its first
    "="), each keyed by its value (the rest); names without "=" are left out."""
    out: dict[str, dict[str, int]] = {}
    for feat, row in index.items():
        template, sep, value = feat.partition("=")
        if sep:
            out.setdefault(template, {})[value] = row
    return out


# --- features -----------------------------------------------------------------------------


def _shape(text: str) -> str:
    """Return a short word shape ("Xx", "X", "x", "d", "X.") of a token's text."""
    out: list[str] = []
    for ch in text[:6]:
        kind = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class _Columns:
    """The token attributes the features read, pulled out of the Doc once: reading a
    spaCy attribute costs far more than reading a list."""

    low: list[str]
    lemma: list[str]
    tag: list[str]
    dep: list[str]
    pos: list[str]
    ent: list[str]
    ent_type: list[str]
    head: list[int]
    shape: list[str]


# ENT_IOB codes as Token.ent_iob_ spells them.
_IOB = ("", "I", "O", "B")


def _columns(doc: Any) -> _Columns:
    """Return the columns of a parsed document, read as arrays of string ids (no Token
    objects) and turned into strings through per-document tables."""
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, LOWER, ORTH, POS, TAG

    table = doc.to_array([LOWER, LEMMA, TAG, DEP, POS, ENT_IOB, ENT_TYPE, ORTH]).tolist()
    strings = doc.vocab.strings
    named: dict[int, str] = {0: ""}
    lowered: dict[int, str] = {}
    shapes: dict[int, str] = {}

    def name(key: int) -> str:
        found = named.get(key)
        if found is None:
            found = named[key] = strings[key]
        return found

    cols = _Columns([], [], [], [], [], [], [], [], [])
    for low, lemma, tag, dep, pos, iob, ent_type, orth in table:
        lemma_low = lowered.get(lemma)
        if lemma_low is None:
            lemma_low = lowered[lemma] = name(lemma).lower()
        shape = shapes.get(orth)
        if shape is None:
            shape = shapes[orth] = _shape(name(orth))
        kind = name(ent_type)
        cols.low.append(name(low))
        cols.lemma.append(lemma_low)
        cols.tag.append(name(tag))
        cols.dep.append(name(dep))
        cols.pos.append(name(pos))
        cols.ent.append(f"{_IOB[iob]}-{kind}" if kind else "O")
        cols.ent_type.append(kind)
        cols.shape.append(shape)
    # HEAD is the offset to the head, stored unsigned: the cast makes it signed again.
    offsets = doc.to_array(HEAD).astype(np.int64).tolist()
    cols.head.extend(k + h for k, h in enumerate(offsets))
    return cols


def _governor(cols: _Columns, i: int) -> tuple[str, str]:
    """Return (path, lemma) of the nearest verb or event noun above token ``i``: the
    dependency chain that leads there ("dobj", "pobj<by<agent") and that word's lemma."""
    path: list[str] = []
    cur = i
    for _ in range(4):
        head = cols.head[cur]
        if head == cur:
            break
        label = cols.dep[cur] if cols.dep[cur] != "pobj" else f"pobj<{cols.low[head]}"
        path.append(label)
        cur = head
        # a noun governs only through a preposition ("attack on X"), not as a compound head
        pos = cols.pos[cur]
        if pos in ("VERB", "AUX") or (pos == "NOUN" and label.startswith("pobj")):
            break
    return ">".join(path[:2]), cols.lemma[cur]


def _sentence_has_trigger(sent: Any, triggers: frozenset[str]) -> bool:
    return any(t.lemma_.lower() in triggers for t in span_tokens(sent))


def _group_tokens(doc: Any) -> set[int]:
    """Return the indices of tokens inside a known armed group's name."""
    out: set[int] = set()
    for mention in group_mentions(doc):
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return out


def _lexicon_features(lemma: str, low: str, lexicons: Mapping[str, frozenset[str]]) -> list[str]:
    return [f"lx={name}" for name, words in lexicons.items() if lemma in words or low in words]


def token_features(
    doc: Any, lexicons: Mapping[str, frozenset[str]], sent_of: Sequence[int]
) -> list[list[str]]:
    """Return, for every token of a parsed document, the names of its tagger features:
    the word, lemma, shape, tag, dependency, entity, head, governing verb, neighbours,
    the word lists it is in (attack words, weapons, people...), whether it names a known
    armed group, whether its sentence has an attack word, and the sentence's place."""
    hot = _hot_sentences(doc, lexicons)
    groups = _group_tokens(doc)
    cols = _columns(doc)
    lexical: dict[tuple[str, str], list[str]] = {}

    def in_lists(k: int) -> list[str]:
        key = (cols.lemma[k], cols.low[k])
        found = lexical.get(key)
        if found is None:
            found = lexical[key] = _lexicon_features(key[0], key[1], lexicons)
        return found

    out: list[list[str]] = []
    n = len(cols.low)
    for i in range(n):
        s = sent_of[i]
        path, gov = _governor(cols, i)
        low, tag, dep, ent = cols.low[i], cols.tag[i], cols.dep[i], cols.ent[i]
        head = cols.head[i]
        head_lemma = cols.lemma[head]
        feats = [
            "b",
            f"w={low}",
            f"l={cols.lemma[i]}",
            f"sh={cols.shape[i]}",
            f"suf={low[-3:]}",
            f"t={tag}",
            f"d={dep}",
            f"e={ent}",
            f"hl={head_lemma}",
            f"hd={cols.dep[head]}",
            f"d_hl={dep}|{head_lemma}",
            f"gp={path}",
            f"gv={gov}",
            f"gp_gv={path}|{gov}",
            f"hot={hot[s]}",
            f"sent={min(s, 6)}",
            f"t_hot={tag}|{hot[s]}",
            f"e_gv={ent}|{gov}",
        ]
        for off in _OFFSETS:
            j = i + off
            if 0 <= j < n and sent_of[j] == s:
                feats.append(f"w{off}={cols.low[j]}")
                feats.append(f"t{off}={cols.tag[j]}")
                feats.append(f"e{off}={cols.ent_type[j] or 'O'}")
            else:
                feats.append(f"w{off}=<s>")
        feats.append(f"pair={cols.low[i - 1] if i else '<s>'}|{low}")
        feats.extend(in_lists(i))
        feats.append(f"hlx={'|'.join(in_lists(head))}")
        if i in groups:
            feats.append("group")
        out.append(feats)
    return out


# Entries of the per-model table of word-list rows kept before it starts afresh (a
# long-running server's vocabulary would otherwise grow it without end).
_LEXICAL_MEMO_LIMIT = 1 << 18


def _hot_sentences(doc: Any, lexicons: Mapping[str, frozenset[str]]) -> list[bool]:
    """Return, per sentence, whether it has an attack word."""
    return [_sentence_has_trigger(s, lexicons["trigger"]) for s in doc.sents]


@dataclass(frozen=True, slots=True)
class _Coded:
    """One token attribute of a document as codes: token ``i``'s value is
    ``values[codes[i]]``, each distinct value spelt once."""

    codes: npt.NDArray[np.int64]
    values: list[str]


def _coded(ids: npt.NDArray[np.uint64], spell: Callable[[int], str], table: str) -> _Coded:
    """Return the codes of an attribute read as string ids, spelt by ``spell`` (each id
    once per process: the process table ``table`` keeps what it spelt)."""
    unique, inverse = np.unique(ids, return_inverse=True)
    memo = process_table(table)
    values: list[str] = []
    for key in unique.tolist():
        value = memo.get(key)
        if value is None:
            value = memo[key] = spell(key)
        values.append(value)
    return _Coded(inverse.astype(np.int64).reshape(-1), values)


@dataclass(frozen=True, slots=True)
class _Parse:
    """The token attributes the tagger's features read, as arrays of codes (``_columns``
    as arrays: no per-token Python work), and each token's governor (``_governor``)."""

    low: _Coded
    lemma: _Coded
    shape: _Coded
    tag: _Coded
    dep: _Coded
    ent: _Coded
    ent_type: _Coded
    head: npt.NDArray[np.int64]
    path: _Coded
    gov: npt.NDArray[np.int64]

    def governor(self, i: int) -> tuple[str, str]:
        """Return ``_governor``'s (path, lemma) of token ``i``."""
        return self.path.values[self.path.codes[i]], self.lemma.values[self.gov[i]]


def _parse_arrays(doc: Any) -> _Parse:
    """Return the columns of a parsed document as codes, and every token's governor."""
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, LOWER, ORTH, POS, TAG

    table = doc.to_array([LOWER, LEMMA, TAG, DEP, POS, ENT_IOB, ENT_TYPE, ORTH])
    strings = doc.vocab.strings

    def name(key: int) -> str:
        return str(strings[key]) if key else ""

    low = _coded(table[:, 0], name, SPELT)
    lemma = _coded(table[:, 1], lambda k: name(k).lower(), SPELT_LOWER)
    tag, dep, pos = (_coded(table[:, c], name, SPELT) for c in (2, 3, 4))
    ent_type = _coded(table[:, 6], name, SPELT)
    # "B-ORG" as Token.ent_iob_ and ent_type_ make it; "O" outside entities
    iob = table[:, 5].astype(np.int64)
    ent = _combined(
        ent_type.codes,
        iob,
        len(_IOB),
        lambda kind, code: (
            f"{_IOB[code]}-{ent_type.values[kind]}" if ent_type.values[kind] else "O"
        ),
    )
    shape = _coded(table[:, 7], lambda k: _shape(name(k)), "roles.shape")
    # HEAD is the offset to the head, stored unsigned: the cast makes it signed again.
    head = np.arange(len(iob), dtype=np.int64) + doc.to_array(HEAD).astype(np.int64).reshape(-1)
    path, gov = _governors(low, lemma, dep, pos, head)
    return _Parse(low, lemma, shape, tag, dep, ent, ent_type, head, path, gov)


def _combined(
    a: npt.NDArray[np.int64], b: npt.NDArray[np.int64], width: int, spell: Callable[[int, int], str]
) -> _Coded:
    """Return the codes of the pairs (a[i], b[i]) (``b`` below ``width``), each distinct
    pair spelt once by ``spell(a, b)``."""
    unique, inverse = np.unique(a * width + b, return_inverse=True)
    values = [spell(k // width, k % width) for k in unique.tolist()]
    return _Coded(inverse.astype(np.int64).reshape(-1), values)


def _governors(
    low: _Coded, lemma: _Coded, dep: _Coded, pos: _Coded, head: npt.NDArray[np.int64]
) -> tuple[_Coded, npt.NDArray[np.int64]]:
    """Return ``_governor`` of every token at once: the codes of its path, and the lemma
    code of its governor. The same walk up the tree, four steps at most, for all tokens
    in step; a label is a dependency code, or past them a "pobj<" + word code."""
    n = len(head)
    ndep = len(dep.values)
    none = ndep + len(low.values)
    is_pobj = np.array([v == "pobj" for v in dep.values] + [False], dtype=bool)
    verbal = np.array([v in ("VERB", "AUX") for v in pos.values] + [False], dtype=bool)
    noun = np.array([v == "NOUN" for v in pos.values] + [False], dtype=bool)
    cur = np.arange(n, dtype=np.int64)
    active = np.ones(n, dtype=bool)
    labels: list[npt.NDArray[np.int64]] = []
    for step in range(4):
        up = head[cur]
        active &= up != cur
        pobj = is_pobj[dep.codes[cur]]
        if step < 2:
            label = np.where(pobj, ndep + low.codes[up], dep.codes[cur])
            labels.append(np.where(active, label, none))
        cur = np.where(active, up, cur)
        kind = pos.codes[cur]
        active &= ~(verbal[kind] | (noun[kind] & pobj))

    def spell_label(code: int) -> str:
        return dep.values[code] if code < ndep else f"pobj<{low.values[code - ndep]}"

    def spell_path(first: int, second: int) -> str:
        return ">".join(spell_label(c) for c in (first, second) if c != none)

    path = _combined(labels[0], labels[1], none + 1, spell_path)
    return path, lemma.codes[cur]


def _rows_of(
    values: Sequence[str], table: Mapping[str, int], unknown: int
) -> npt.NDArray[np.int64]:
    """Return the model row of each value's feature in ``table`` (``unknown`` when absent)."""
    return np.array([table.get(v, unknown) for v in values], dtype=np.int64)


def _feature_rows(
    doc: Any, model: _Model, sent_of: Sequence[int], cols: _Parse
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Return the model rows of every token's features (``token_features``, in the same
    order, an unknown feature reading the last row) and where each token's rows start.

    The same features as ``token_features`` builds, looked up by value in the model's
    per-template tables, column by column for all tokens at once: each distinct value (or
    pair of values) of a document is spelt and looked up once, and each token's features
    are a row of a table whose cells a mask keeps or leaves out (a token's neighbours out
    of its sentence, the word lists it is in, a group's name)."""
    lexicons, by = model.lexicons, model.templates
    unknown = len(model.index)
    n = len(cols.head)
    sents = np.asarray(sent_of, dtype=np.int64)

    def table(name: str) -> dict[str, int]:
        return by.get(name, {})

    def rows(values: Sequence[str], name: str) -> npt.NDArray[np.int64]:
        return _rows_of(values, table(name), unknown)

    low, lemma, tag, dep, ent, kind = (
        cols.low,
        cols.lemma,
        cols.tag,
        cols.dep,
        cols.ent,
        cols.ent_type,
    )
    head = cols.head
    gov = _Coded(cols.gov, lemma.values)
    triggers = lexicons["trigger"]
    in_triggers = np.array([v in triggers for v in lemma.values], dtype=bool)
    hot_sents = np.zeros(int(sents.max()) + 1 if n else 0, dtype=bool)
    hot_sents[sents[in_triggers[lemma.codes]]] = True
    hot = hot_sents[sents].astype(np.int64)
    hot_words = ("False", "True")

    def pair(
        a: _Coded, b: _Coded, name: str, codes_b: npt.NDArray[np.int64] | None = None
    ) -> npt.NDArray[np.int64]:
        second = b.codes if codes_b is None else codes_b
        both = _combined(
            a.codes, second, len(b.values), lambda x, y: f"{a.values[x]}|{b.values[y]}"
        )
        return rows(both.values, name)[both.codes]

    # per distinct value, the rows of every template reading it (``_ROW_GROUPS``)
    by_low = _group_rows(model, "low", low.values, unknown)
    by_lemma = _group_rows(model, "lemma", lemma.values, unknown)
    by_tag = _group_rows(model, "tag", tag.values, unknown)
    by_dep = _group_rows(model, "dep", dep.values, unknown)
    kinds = [v or "O" for v in kind.values]
    by_kind = _group_rows(model, "kind", kinds, unknown)
    columns: list[npt.NDArray[np.int64]] = [
        np.full(n, model.index.get("b", unknown), dtype=np.int64),
        by_low[low.codes, 0],
        by_lemma[lemma.codes, 0],
        rows(cols.shape.values, "sh")[cols.shape.codes],
        by_low[low.codes, 1],
        by_tag[tag.codes, 0],
        by_dep[dep.codes, 0],
        rows(ent.values, "e")[ent.codes],
        by_lemma[lemma.codes[head], 1],
        by_dep[dep.codes[head], 1],
        pair(dep, lemma, "d_hl", lemma.codes[head]),
        rows(cols.path.values, "gp")[cols.path.codes],
        by_lemma[gov.codes, 2],
        pair(cols.path, gov, "gp_gv"),
        rows(hot_words, "hot")[hot],
        rows([str(s) for s in range(7)], "sent")[np.minimum(sents, 6)],
        pair(tag, _Coded(hot, list(hot_words)), "t_hot"),
        pair(ent, gov, "e_gv"),
    ]
    keep: list[npt.NDArray[np.bool_]] = [np.ones(n, dtype=bool)] * len(columns)
    index = np.arange(n, dtype=np.int64)
    for k, off in enumerate(_OFFSETS):
        j = index + off
        inside = (j >= 0) & (j < n)
        j = np.where(inside, j, index)
        inside &= sents[j] == sents
        outside = table(f"w{off}").get("<s>", unknown)
        columns.append(np.where(inside, by_low[low.codes[j], 2 + k], outside))
        columns.append(by_tag[tag.codes[j], 1 + k])
        columns.append(by_kind[kind.codes[j], k])
        keep += [np.ones(n, dtype=bool), inside, inside]
    # the word before: "<s>" as the last value of an extended table
    before = _Coded(
        np.concatenate(([len(low.values)], low.codes[:-1])) if n else low.codes,
        [*low.values, "<s>"],
    )
    columns.append(pair(before, low, "pair"))
    keep.append(np.ones(n, dtype=bool))
    lists, listed, heads_lists = _lexical_rows(model, lemma, low, unknown)
    columns += list(lists.T)
    keep += list(listed.T)
    columns.append(heads_lists[head])
    keep.append(np.ones(n, dtype=bool))
    group = np.zeros(n, dtype=bool)
    group[sorted(_group_tokens(doc))] = True
    columns.append(np.full(n, model.index.get("group", unknown), dtype=np.int64))
    keep.append(group)
    matrix = np.stack(columns, axis=1)
    mask = np.stack(keep, axis=1)
    counts = mask.sum(axis=1)
    starts = np.zeros(n, dtype=np.int64)
    np.cumsum(counts[:-1], out=starts[1:])
    return matrix[mask], starts


# Templates read by the same token value, looked up together: per group, the template
# names in column order, and whether each reads the value's last three letters (``suf``).
_ROW_GROUPS: dict[str, tuple[tuple[str, bool], ...]] = {
    "low": (
        ("w", False),
        ("suf", True),
        *((f"w{off}", False) for off in _OFFSETS),
    ),
    "lemma": (("l", False), ("hl", False), ("gv", False)),
    "tag": (("t", False), *((f"t{off}", False) for off in _OFFSETS)),
    "dep": (("d", False), ("hd", False)),
    "kind": tuple((f"e{off}", False) for off in _OFFSETS),
}


def _group_rows(
    model: _Model, group: str, values: Sequence[str], unknown: int
) -> npt.NDArray[np.int64]:
    """Return, per value (a row), its feature's model row in each template of the group
    ``group`` of ``_ROW_GROUPS`` (a column); worked out once per distinct value in the
    process (``model.grouped``)."""
    specs = _ROW_GROUPS[group]
    memo = model.grouped.setdefault(group, {})
    if len(memo) >= _LEXICAL_MEMO_LIMIT:
        memo.clear()
    tables: list[tuple[dict[str, int], bool]] | None = None
    out: list[tuple[int, ...]] = []
    for value in values:
        found = memo.get(value)
        if found is None:
            if tables is None:
                tables = [(model.templates.get(name, {}), suffix) for name, suffix in specs]
            found = memo[value] = tuple(
                t.get(value[-3:] if suffix else value, unknown) for t, suffix in tables
            )
        out.append(found)
    return np.array(out, dtype=np.int64).reshape(len(values), len(specs))


def _lexical_rows(
    model: _Model, lemma: _Coded, low: _Coded, unknown: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    """Return, per token, the rows of its word-list features (as many columns as the
    token with the most has, and which of them the token has) and the row of the "hlx"
    feature it gives the tokens it heads; worked out once per distinct (lemma, word) in
    the process (``model.lexical``)."""
    width = len(low.values)
    unique, inverse = np.unique(lemma.codes * width + low.codes, return_inverse=True)
    found = [
        _in_lists(model, lemma.values[k // width], low.values[k % width], unknown)
        for k in unique.tolist()
    ]
    most = max((len(lists) for lists, _ in found), default=0)
    padded = np.full((len(found), most), unknown, dtype=np.int64)
    for u, (lists, _) in enumerate(found):
        padded[u, : len(lists)] = lists
    counts = np.array([len(lists) for lists, _ in found], dtype=np.int64)
    listed = np.arange(most) < counts[:, None]
    heads = np.array([row for _, row in found], dtype=np.int64)
    codes = inverse.reshape(-1)
    return padded[codes], listed[codes], heads[codes]


def _in_lists(model: _Model, lemma: str, low: str, unknown: int) -> tuple[list[int], int]:
    """Return the rows of the word-list features of a (lemma, word), and of the "hlx"
    feature it gives the tokens it heads."""
    key = (lemma, low)
    found = model.lexical.get(key)
    if found is None:
        names = [name for name, words in model.lexicons.items() if lemma in words or low in words]
        lx, hlx = model.templates.get("lx", {}), model.templates.get("hlx", {})
        found = (
            [lx.get(name, unknown) for name in names],
            hlx.get("|".join(f"lx={name}" for name in names), unknown),
        )
        if len(model.lexical) >= _LEXICAL_MEMO_LIMIT:
            model.lexical.clear()
        model.lexical[key] = found
    return found


def sentence_of_tokens(doc: Any) -> list[int]:
    """Return, per token, the index of its sentence."""
    out = [0] * len(doc)
    for i, sent in enumerate(doc.sents):
        for t in range(sent.start, sent.end):
            out[t] = i
    return out


# --- tagging and decoding ----------------------------------------------------------------


def _probabilities_of_rows(
    rows: Sequence[int] | npt.NDArray[np.int64],
    starts: Sequence[int] | npt.NDArray[np.int64],
    model: _Model,
) -> npt.NDArray[np.float64]:
    """Return, per token, the probability of each label from the model rows of its
    features, token ``k``'s being ``rows[starts[k]:starts[k + 1]]``."""
    scores = np.tile(model.bias, (len(starts), 1))
    # Unknown features read the matrix's last row, all zeros. Every token has features
    # (at least the bias word "b") in one contiguous run, so one reduceat sums them all.
    if len(rows):
        scores += np.add.reduceat(model.matrix[np.asarray(rows)], np.asarray(starts), axis=0)
    scores -= scores.max(axis=1, keepdims=True)
    exps = np.exp(scores)
    probs: npt.NDArray[np.float64] = exps / exps.sum(axis=1, keepdims=True)
    return probs


def tag_tokens(ctx: Context) -> list[tuple[str, float]]:
    """Return, per token, the best role (or ``O``) and its probability, a role winning
    when its probability passes the role's threshold."""
    model = _model()
    probs = token_probabilities(ctx.doc, model, sentence_of_tokens(ctx.doc))
    return best_labels(probs, model.labels, model.cutoffs) if len(probs) else []


def token_probabilities(
    doc: Any, model: _Model, sent_of: Sequence[int], cols: _Parse | None = None
) -> npt.NDArray[np.float64]:
    """Return, per token (row), the tagger's probability of each of ``model.labels``
    (``cols``: the document's columns, when read already)."""
    if not len(doc):
        return np.zeros((0, len(model.labels)), dtype=np.float64)
    parse = cols if cols is not None else _parse_arrays(doc)
    rows, starts = _feature_rows(doc, model, sent_of, parse)
    return _probabilities_of_rows(rows, starts, model)


def best_labels(
    probs: npt.NDArray[np.float64], labels: Sequence[str], cutoffs: npt.NDArray[np.float64]
) -> list[tuple[str, float]]:
    """Return, per token, the most probable role whose probability passes its cutoff,
    else ``O`` with its own probability."""
    passing = np.where(probs >= cutoffs, probs, -1.0)
    best = passing.argmax(axis=1)
    outside = list(labels).index(OUTSIDE)
    rows = np.arange(len(probs))
    # a row where no role passes its cutoff is O, with O's own probability
    chosen = np.where(passing[rows, best] < 0, outside, best)
    return list(
        zip([labels[k] for k in chosen.tolist()], probs[rows, chosen].tolist(), strict=True)
    )


def decode_spans(
    labels: Sequence[tuple[str, float]],
    doc: Any,
    sent_of: Sequence[int],
    *,
    split_phrases: bool = True,
) -> list[RoleSpan]:
    """Return the spans of runs of tokens tagged with the same role inside one sentence,
    trimmed of leading determiners and edge punctuation (the keys' span shape), and
    with ``split_phrases`` cut at conjunctions between whole noun phrases (at low
    thresholds the tagger runs over "and")."""
    spans: list[RoleSpan] = []
    i = 0
    while i < len(labels):
        role = labels[i][0]
        if role == OUTSIDE or (split_phrases and _joins_phrases(doc[i])):
            i += 1
            continue
        j = i
        while (
            j + 1 < len(labels)
            and labels[j + 1][0] == role
            and sent_of[j + 1] == sent_of[i]
            and not (split_phrases and _joins_phrases(doc[j + 1]))
        ):
            j += 1
        lo, hi = _whole_name(doc, i, j)
        lo = _whole_first_word(doc, lo)
        if role == "PERPIND" and _modifies_outside(doc, lo, hi):
            i = j + 1
            continue
        if role == "PERPIND":
            lo = _with_left_modifiers(doc, lo, hi)
            hi = _of_whom(doc, hi)
        if role == "VICTIM":
            lo = _without_titles(doc, lo, hi)
        end = hi
        if role == "TARGET":
            hi = _target_head(doc, labels, hi)
            # the owner's name stays free to be decoded as a victim as well
            end = _with_owner(doc, hi)
        end = _before_bracket(doc, lo, end)
        span = _trim(doc, lo, end, role, [p for _, p in labels[i : j + 1]], sent_of[i])
        if span is not None:
            spans.append(span)
        i = max(j, hi) + 1
    return spans


def _joins_phrases(tok: Any) -> bool:
    """Return whether a token is a conjunction between two whole noun phrases ("the
    bridge and a tower"), where two fillers meet, not inside a name's modifiers
    ("planning and economic coordination ministry")."""
    return bool(tok.pos_ == "CCONJ" and tok.head.dep_ not in ("compound", "amod", "nmod"))


def _target_head(doc: Any, labels: Sequence[tuple[str, float]], hi: int) -> int:
    """Return ``hi`` moved right to the noun a target's last word modifies ("oil" of "oil
    installations") and over an "of" phrase the tagger also marks as target ("offices"
    ... "development corporation" of "offices of the local development corporation"):
    the keys write the whole noun phrase."""
    last = doc[hi]
    head = last.head
    modifies = last.dep_ in ("amod", "compound") and head.pos_ in ("NOUN", "PROPN")
    if modifies and hi < head.i <= hi + 3 and head.sent == last.sent:
        hi = head.i
    nxt = hi + 1
    if nxt < len(doc) and doc[nxt].lower_ == "of" and doc[nxt].head.i == hi:
        objects = [c for c in doc[nxt].children if c.dep_ == "pobj"]
        if objects and any(labels[k][0] == "TARGET" for k in range(nxt + 1, objects[0].i + 1)):
            hi = objects[0].i
    return hi


def _with_owner(doc: Any, hi: int) -> int:
    """Return ``hi`` moved over the named owner a target's last word is followed by:
    an "of" phrase that names someone ("house of lawyer Luis Rossman"), or a person's
    name right after a title ("house of the health minister" ... "Paul Caro"), where
    the tagger stops short. The keys write such a target whole."""
    nxt = hi + 1
    if nxt < len(doc) and doc[nxt].lower_ == "of" and doc[nxt].head.i == hi:
        objects = [c for c in doc[nxt].children if c.dep_ == "pobj"]
        if objects:
            return _named_owner_end(doc, objects[0], hi)
    return _with_following_name(doc, hi)


def _named_owner_end(doc: Any, owner: Any, hi: int) -> int:
    """Return the last token of a named owner's "of" phrase ("house" ... "Luis Rossman"
    of "house of lawyer Luis Rossman"), up to a comma or relative clause, or ``hi`` when
    the phrase names no one: the keys write a named owner's building whole."""
    words = list(owner.subtree)
    if not any(t.pos_ == "PROPN" or t.ent_type_ in _NAME_ENTITIES for t in words):
        return hi
    end = hi + 1
    for tok in doc[hi + 1 : words[-1].i + 1]:
        if tok.is_space or tok.text in (",", ";", "(") or tok.lower_ in ("who", "which", "that"):
            break
        end = tok.i
    return end


def _with_following_name(doc: Any, hi: int) -> int:
    """Return ``hi`` moved over a person's name that starts right after it ("house of
    the health minister" ... "Paul Caro"): the tagger often stops at the title."""
    nxt = hi + 1
    if nxt >= len(doc) or doc[nxt].ent_iob_ != "B" or doc[nxt].ent_type_ != "PERSON":
        return hi
    if doc[nxt].sent != doc[hi].sent:
        return hi
    ent = next((e for e in doc_ents(doc) if e.start == nxt), None)
    return int(ent.end - 1) if ent is not None else hi


def _whole_name(doc: Any, lo: int, hi: int) -> tuple[int, int]:
    """Return ``lo, hi`` widened to the named entity and compound words they cut into:
    tokens are tagged one by one, and a name's first words often fall short of the
    threshold ("Santa" of "Santa Rosa bridge", "electricity" of "electricity tower", a
    first name the truecaser took for a word); the keys want the whole name."""
    for k in (lo, hi):
        tok = doc[k]
        if tok.ent_iob_ != "O" and tok.ent_type_ in _NAME_ENTITIES:
            ent = next((e for e in doc_ents(doc) if e.start <= k < e.end), None)
            if ent is not None and ent.sent == tok.sent:
                lo, hi = min(lo, ent.start), max(hi, ent.end - 1)
    while lo > 0 and doc[lo - 1].dep_ == "compound" and doc[lo - 1].is_alpha:
        if not lo <= doc[lo - 1].head.i <= hi or doc[lo - 1].sent != doc[lo].sent:
            break
        lo -= 1
    return lo, hi


def _before_bracket(doc: Any, lo: int, hi: int) -> int:
    """Return ``hi`` moved back before an opening bracket inside the span ("Farabundo
    Marti National Liberation Front (FMLN"): what a bracket opens is an aside (an
    acronym, a nationality), which the keys do not write as part of the name."""
    for k in range(lo + 1, hi + 1):
        if doc[k].text == "(":
            return k - 1
    return hi


def _whole_first_word(doc: Any, lo: int) -> int:
    """Return ``lo`` moved left over the first parts of a hyphenated word it cuts into
    ("intensity bomb" of "medium-intensity bomb", "terrorists" of "narco-terrorists"):
    the parser splits such a word at its hyphens and the tagger may mark only its last
    part, but the keys write the word whole. Only leftwards: a first part qualifies the
    same thing, while a last part makes it another ("bomb-squad", "FMLN-FDR")."""
    while lo >= 2 and _joined(doc, lo - 2, lo):
        lo -= 2
    return lo


def _joined(doc: Any, left: int, right: int) -> bool:
    """Return whether tokens ``left`` and ``right`` are two parts of one hyphenated word:
    a hyphen between them, no space on either side, one sentence."""
    hyphen = doc[left + 1]
    return bool(
        hyphen.text == "-"
        and not doc[left].whitespace_
        and not hyphen.whitespace_
        and (doc[left].is_alpha or doc[left].is_digit)
        and (doc[right].is_alpha or doc[right].is_digit)
        and doc[left].sent == doc[right].sent
    )


def _of_whom(doc: Any, hi: int) -> int:
    """Return ``hi`` moved over the "of" phrase of a perpetrator word that only says a
    part ("members of the 8th Front", "a group of armed men"): the keys keep it. A span
    that ends on the "of" itself ("a group of" ... "six urban guerrillas", the number
    between left out by the tagger) is taken on to the phrase's noun as well."""
    if hi > 0 and doc[hi].lower_ == "of" and doc[hi].head.i == hi - 1:
        hi -= 1
    if doc[hi].lemma_.lower() not in _part_words():
        return hi
    nxt = hi + 1
    if nxt < len(doc) and doc[nxt].lower_ == "of" and doc[nxt].head.i == hi:
        objects = [c for c in doc[nxt].children if c.dep_ == "pobj"]
        if objects:
            return int(objects[0].i)
    return hi


@lru_cache(maxsize=1)
def _part_words() -> frozenset[str]:
    return frozenset(str(w) for w in load_data("targets.json")["perpetrator_part_nouns"])


def _modifies_outside(doc: Any, lo: int, hi: int) -> bool:
    """Return whether a span only modifies a word outside it ("terrorist" of "terrorist
    attack", "two" of "two houses"): a description of the attackers names them."""
    last = doc[hi]
    return last.dep_ in _PERP_MODIFIERS and not lo <= last.head.i <= hi


def _with_left_modifiers(doc: Any, lo: int, hi: int) -> int:
    """Return ``lo`` moved left over the numbers and adjectives that modify the span's
    words ("three heavily armed men", "uniformed individuals"): the keys write a
    perpetrator description whole, and the tagger often leaves out its first words."""
    while lo > 0:
        prev = doc[lo - 1]
        inside = lo <= prev.head.i <= hi or (
            prev.dep_ == "advmod" and prev.head.i == lo and doc[lo].dep_ == "amod"
        )
        if not inside or prev.sent != doc[lo].sent or prev.dep_ not in _PERP_MODIFIERS:
            break
        lo -= 1
    return lo


def _without_titles(doc: Any, lo: int, hi: int) -> int:
    """Return ``lo`` moved past the last title, nationality or word for a person in front
    of a victim's name ("Justice Minister", "Dr", "Nicaraguan", "policeman", also in the
    plural: "citizens" the truecaser capitalised into the name), or past
    the last word the truecaser left in lower case before a capitalised name ("analyst",
    "cattleman": a common word, not part of the name): the keys name victims without
    them."""
    titles, people = _titles(), person_nouns()
    named = doc[hi].text[:1].isupper()
    for k in range(hi - 1, lo - 1, -1):
        tok = doc[k]
        if (
            tok.lower_.rstrip(".") in titles
            or tok.lemma_.lower() in people
            or singular(tok.lower_) in people
            or tok.ent_type_ == "NORP"
            or tok.pos_ == "ADJ"
            or (named and tok.text.islower() and tok.ent_type_ != "PERSON")
        ):
            return k + 1
    return lo


@lru_cache(maxsize=1)
def _target_quantity_words() -> frozenset[str]:
    return frozenset(str(w) for w in load_data("targets.json")["target_quantity_words"])


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    data = load_data("targets.json")
    return frozenset(w.rstrip(".") for w in (*data["titles"], *data["title_abbreviations"]))


def _trim(doc: Any, lo: int, hi: int, role: str, probs: list[float], sent: int) -> RoleSpan | None:
    """Return the span of tokens lo..hi without edge determiners, prepositions,
    punctuation and line breaks, a perpetrator's leading hedge ("alleged"), a last
    participle that only opens a clause ("bridge linking") and a victim's last verb (a
    name's entity that ran on into "died"), or None when nothing is left."""
    # the keys write a perpetrator description without its hedge, a target without a
    # vague quantity ("several electricity poles")
    hedges = perpetrator_hedges() if role == "PERPIND" else frozenset()
    if role == "TARGET":
        hedges = _target_quantity_words()
    while lo <= hi and (
        doc[lo].lower_ in _EDGE_WORDS
        or _is_edge(doc[lo])
        or _is_leading_preposition(doc[lo])
        or doc[lo].lower_ in hedges
    ):
        lo += 1
    while hi >= lo and (
        _is_edge(doc[hi])
        or doc[hi].tag_ == "POS"
        or _is_dangling(doc[hi])
        or _opens_clause(doc[hi], lo, hi)
        or (role == "VICTIM" and doc[hi].pos_ in ("VERB", "AUX"))
    ):
        hi -= 1
    if hi < lo or not any(doc[k].is_alpha for k in range(lo, hi + 1)):
        return None
    score = sum(probs) / len(probs)
    return RoleSpan(role, doc[lo].idx, doc[hi].idx + len(doc[hi].text), sent, score)


def _is_leading_preposition(tok: Any) -> bool:
    """Return whether a span's first token is a preposition heading the rest ("of" of
    "of dynamite"): the keys write the noun phrase, not the prepositional phrase."""
    return bool(tok.pos_ == "ADP" and tok.dep_ == "prep")


def _opens_clause(tok: Any, lo: int, hi: int) -> bool:
    """Return whether a span's last token is a participle opening a clause about the
    span's noun ("owned" of "truck owned", "wearing" of "armed men wearing"), cut off
    from the words that would complete it: the keys write the noun without it."""
    return bool(tok.dep_ == "acl" and tok.tag_ in ("VBN", "VBG") and lo <= tok.head.i < hi)


def _is_dangling(tok: Any) -> bool:
    """Return whether a span's last token cannot end a filler: a preposition, determiner,
    conjunction or relative pronoun left by a cut ("offices of", "group of", "unidentified
    persons who")."""
    return bool(tok.pos_ in _DANGLING_POS or tok.lower_ in _EDGE_WORDS or tok.tag_ in _WH_TAGS)


def _is_edge(tok: Any) -> bool:
    return bool(tok.is_space or tok.text in _EDGE_PUNCT)


def find_roles(ctx: Context) -> list[RoleSpan]:
    """Return the role fillers found in an article, in text order: the tagger proposes
    spans at low thresholds, and the filler classifier keeps those likely to be keys."""
    return find_role_sets(ctx)[0]


def find_role_sets(ctx: Context) -> tuple[list[RoleSpan], list[RoleSpan]]:
    """Return the role fillers the filler classifier keeps (``find_roles``), and the spans
    the tagger alone finds at its own thresholds (what the wire relevance models were
    trained to read), from one run of the tagger."""
    doc = ctx.doc
    if not len(doc):
        return [], []
    model, fillers = _model(), _fillers()
    sent_of = sentence_of_tokens(doc)
    cols = _parse_arrays(doc)
    probs = token_probabilities(doc, model, sent_of, cols)
    labels = best_labels(probs, model.labels, model.cutoffs)
    tagged = decode_spans(labels, doc, sent_of, split_phrases=False)
    spans = candidate_spans(doc, probs, model, fillers, sent_of)
    if not spans:
        return [], tagged
    scores = filler_scores(doc, spans, model.lexicons, fillers, cols)
    kept = [s for s, p in zip(spans, scores, strict=True) if p >= fillers.keep[s.role]]
    kept = [s for s in kept if not (s.role == "VICTIM" and _names_a_place(doc, s))]
    return named_as_known_groups(doc, kept), tagged


def _names_a_place(doc: Any, span: RoleSpan) -> bool:
    """Return whether a victim's span is a place's name the gazetteer knows ("San Pedro de
    Guaillas", "Ciudad Satelite") and no person's the parse recognised: victims are
    people."""
    words = doc.char_span(span.start, span.end, alignment_mode="expand")
    if words is None or any(t.ent_type_ == "PERSON" for t in words):
        return False
    return gazetteer().names_place(" ".join(doc.text[span.start : span.end].split()))


def named_as_known_groups(doc: Any, spans: list[RoleSpan]) -> list[RoleSpan]:
    """Return the spans with each organisation's cut to the known armed group's name it
    overlaps ("number of FMLN" -> "FMLN", "Army of National" -> "Army of National
    Liberation", "Farabundo Marti" and "National Liberation Front" -> the name across the
    line break): the tagger marks a name word by word and often stops short or runs over,
    while the list knows where the name ends."""
    groups = group_mentions(doc)
    if not groups:
        return spans
    out = []
    for span in spans:
        named = [g for g in groups if g.start < span.end and span.start < g.end]
        if span.role == "PERPORG" and named:
            longest = max(named, key=lambda g: g.end - g.start)
            if not _heads_own_noun(doc, span, longest):
                span = replace(span, start=longest.start, end=longest.end)
        out.append(span)
    return out


def _heads_own_noun(doc: Any, span: RoleSpan, group: GroupMention) -> bool:
    """Return whether a span runs on after a group's name to the noun the name modifies
    ("Extraditables group", "Sendero Luminoso detachment"): the keys write such a
    phrase whole."""
    if span.end <= group.end:
        return False
    last = doc.char_span(group.start, group.end, alignment_mode="expand")
    if last is None or not len(last):
        return False
    # The truecaser capitalises such a noun after a name: the parser may call it a name,
    # and may hang the name on the acronym that follows it ("Liberation" on "ELN").
    head = last[-1].head
    inside = group.end <= head.idx < span.end
    return bool(last[-1].dep_ == "compound" and inside and group_alias(head.text) is None)


def candidate_spans(
    doc: Any,
    probs: npt.NDArray[np.float64],
    model: _Model,
    fillers: _Fillers,
    sent_of: Sequence[int],
) -> list[RoleSpan]:
    """Return the spans the tagger's probabilities ``probs`` propose at the filler
    classifier's candidate thresholds (lower than a tagger alone needs)."""
    cutoffs = np.array(
        [np.inf if label == OUTSIDE else fillers.candidate[label] for label in model.labels],
        dtype=np.float64,
    )
    return decode_spans(best_labels(probs, model.labels, cutoffs), doc, sent_of)


# --- the filler classifier -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Fillers:
    """Per role, a logistic regression over features of a candidate span and of the
    other mentions of the same words, trained by ``training/train_fillers.py`` on
    out-of-fold tagger spans of the MUC-4 train split."""

    candidate: dict[str, float]
    keep: dict[str, float]
    bias: dict[str, float]
    weights: dict[str, dict[str, float]]


@lru_cache(maxsize=1)
def _fillers() -> _Fillers:
    """Return the filler classifier of ``data/roles_fillers.json``."""
    return fillers_from(load_data("roles_fillers.json"))


def fillers_from(data: Mapping[str, Any]) -> _Fillers:
    """Return a filler classifier from its JSON form."""
    return _Fillers(
        candidate={str(k): float(v) for k, v in data["candidate"].items()},
        keep={str(k): float(v) for k, v in data["keep"].items()},
        bias={str(k): float(v) for k, v in data["bias"].items()},
        weights={
            str(role): {str(f): float(w) for f, w in ws.items()}
            for role, ws in data["weights"].items()
        },
    )


def filler_scores(
    doc: Any,
    spans: Sequence[RoleSpan],
    lexicons: Mapping[str, frozenset[str]],
    fillers: _Fillers,
    cols: _Parse | None = None,
) -> list[float]:
    """Return, per span, the classifier's probability that it is a key filler of its role
    (``cols``: the document's columns, when read already)."""
    out: list[float] = []
    for span, feats in zip(spans, filler_features(doc, spans, lexicons, cols), strict=True):
        weights = fillers.weights[span.role]
        z = fillers.bias[span.role] + sum(weights.get(f, 0.0) * v for f, v in feats.items())
        out.append(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))))
    return out


def filler_features(
    doc: Any,
    spans: Sequence[RoleSpan],
    lexicons: Mapping[str, frozenset[str]],
    cols: _Parse | None = None,
) -> list[dict[str, float]]:
    """Return, per candidate span, its classifier features: the tagger's confidence in it
    and in the other mentions of the same words (a name the tagger marks once among many
    mentions is seldom a key), where the words first appear, the head word, its entity
    type and the verb or event noun governing it, the words around the span, the roles
    the same words get elsewhere, and the word lists its words are in."""
    text = doc_text(doc)
    keys = [normalise(span_words(text, s)) for s in spans]
    mentions: dict[tuple[str, str], list[RoleSpan]] = {}
    roles_of: dict[str, set[str]] = {}
    for span, key in zip(spans, keys, strict=True):
        mentions.setdefault((span.role, key), []).append(span)
        roles_of.setdefault(key, set()).add(span.role)
    occurrences = Counter(normalise(text).split())
    triggers = lexicons["trigger"]
    parse = cols if cols is not None else _parse_arrays(doc)
    hot_sents = [i for i, h in enumerate(_hot_sentences(doc, lexicons)) if h]
    hot: dict[int, bool] = {}
    positions = _positions_by_word(parse)
    out: list[dict[str, float]] = []
    for span, key in zip(spans, keys, strict=True):
        same = mentions[(span.role, key)]
        toks = doc.char_span(span.start, span.end, alignment_mode="expand")
        root = toks.root
        path, gov = parse.governor(root.i)
        sent = root.sent
        if span.sent_index not in hot:
            hot[span.sent_index] = _sentence_has_trigger(sent, triggers)
        words = key.split()
        feats: dict[str, float] = {
            "score": span.score,
            "max": max(s.score for s in same),
            "mentions": math.log1p(len(same)),
            "seen": math.log1p(min(occurrences[w] for w in words) if words else 0),
            f"first={min(min(s.sent_index for s in same), 6)}": 1.0,
            f"sent={min(span.sent_index, 6)}": 1.0,
            f"ntok={min(len(toks), 5)}": 1.0,
            f"hl={root.lemma_.lower()}": 1.0,
            f"he={root.ent_type_ or 'O'}": 1.0,
            f"hd={root.dep_}": 1.0,
            f"gp={path}": 1.0,
            f"gv={gov}": 1.0,
            f"gp_trig={path}|{gov in triggers}": 1.0,
            f"w-1={doc[toks.start - 1].lower_ if toks.start > sent.start else '<s>'}": 1.0,
            f"w+1={doc[toks.end].lower_ if toks.end < sent.end else '</s>'}": 1.0,
            f"hot={hot[span.sent_index]}": 1.0,
            **_gap(hot_sents, span.sent_index),
        }
        for role in roles_of[key] - {span.role}:
            feats[f"also={role}"] = 1.0
        if span.role == "VICTIM":
            for name in _elsewhere_features(parse, positions, root.i, toks, triggers):
                feats[name] = 1.0
        for t in toks:
            feats[f"e={t.ent_type_ or 'O'}"] = 1.0
            for name in _lexicon_features(t.lemma_.lower(), t.lower_, lexicons):
                feats[name] = 1.0
        out.append(feats)
    return out


def _gap(hot_sents: Sequence[int], sent: int) -> dict[str, float]:
    """Return the feature of how many sentences lie between a sentence and the nearest one
    with an attack word (3 for three or more); none when no sentence has one (a report
    of an act the attack words miss is not one told far from its attack)."""
    if not hot_sents:
        return {}
    return {f"gap={min(3, min(abs(sent - h) for h in hot_sents))}": 1.0}


def _positions_by_word(parse: _Parse) -> dict[int, list[int]]:
    """Return the token positions of every word (by its lower-case code)."""
    out: dict[int, list[int]] = {}
    for i, code in enumerate(parse.low.codes.tolist()):
        out.setdefault(code, []).append(i)
    return out


def _elsewhere_features(
    parse: _Parse,
    positions: Mapping[int, list[int]],
    head: int,
    toks: Any,
    triggers: frozenset[str],
) -> set[str]:
    """Return the governors of the span's head word where the text writes it elsewhere: a
    name quoted as a speaker or killed in another sentence tells the role of this mention
    too, which its own governor may not."""
    out: set[str] = set()
    for i in positions.get(int(parse.low.codes[head]), ()):
        if toks.start <= i < toks.end:
            continue
        path, gov = parse.governor(i)
        out.add(f"og={path}|{gov in triggers}")
        out.add(f"ogv={gov}")
    return out


def normalise(text: str) -> str:
    """Return the form role fillers are compared in: lower case, no punctuation, no
    a/an/the, single spaces (the MUC scorer's normalisation)."""
    return " ".join(_ARTICLES.sub(" ", _PUNCT.sub("", text.lower())).split())


def span_words(text: str, span: RoleSpan) -> str:
    """Return a span's words as the text writes them, line breaks as single spaces."""
    return " ".join(text[span.start : span.end].split())


def iter_role(spans: Sequence[RoleSpan], role: str) -> Iterator[RoleSpan]:
    """Yield the spans of one role."""
    return (s for s in spans if s.role == role)


def entity_strings(text: str, spans: Sequence[RoleSpan], role: str) -> list[str]:
    """Return one string per entity of a role, in text order: repeated fillers once, a
    filler whose words all recur in another one's dropped as its short form ("Oqueli"
    beside "Hector Oqueli Colindres"), and for organisations an acronym dropped beside the
    name it abbreviates."""
    words = [span_words(text, s) for s in spans if s.role == role]
    unique = list(dict.fromkeys(w for w in words if normalise(w)))
    keys = {w: set(normalise(w).split()) for w in unique}
    kept: list[str] = []
    for w in unique:
        if any(keys[w] < keys[o] for o in unique if o != w):
            continue
        if role == "PERPORG" and any(_abbreviates(w, o) for o in unique if o != w):
            continue
        if any(normalise(w) == normalise(k) for k in kept):
            continue
        kept.append(w)
    return kept


def _abbreviates(short: str, long: str) -> bool:
    """Return True when ``short`` is made of the initials of ``long``'s words."""
    # Spanish acronyms keep the initials but not the English word order (FMLN)
    letters = Counter(normalise(short).replace(" ", ""))
    initials = Counter(w[0] for w in normalise(long).split() if w not in _MINOR_WORDS)
    return " " not in short.strip() and sum(letters.values()) >= 2 and letters <= initials
