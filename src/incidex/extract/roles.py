"""Role fillers of attacks (perpetrator individuals and organisations, physical targets,
named victims, weapons) found by a linear token tagger over the spaCy parse.

The tagger is a multinomial logistic regression trained on the MUC-4 training split by
``training/train_roles.py``; its weights ship in ``data/roles_model.json``. Every token
gets one of the labels ``O`` or a role; runs of tokens with the same role are the spans,
trimmed of determiners and punctuation the way the MUC keys write fillers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from ..data import load_data
from .actors import group_mentions
from .context import Context

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
_NAME_ENTITIES = ("PERSON", "ORG", "FAC", "NORP")
_EDGE_WORDS = frozenset(("the", "a", "an", "this", "that", "these", "those", "its", "their"))
_EDGE_PUNCT = "\"'“”‘’«»()[]{},;:.—–-"
_MINOR_WORDS = frozenset(("of", "for", "the", "and", "de", "del", "la", "el", "y"))
_PUNCT = re.compile(r"[^\w\s]")
_ARTICLES = re.compile(r"\b(?:a|an|the)\b")
_DANGLING_POS = frozenset(("ADP", "DET", "CCONJ", "SCONJ", "PART"))
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


@lru_cache(maxsize=1)
def _model() -> _Model:
    """Return the tagger of ``data/roles_model.json``."""
    data = load_data("roles_model.json")
    labels = tuple(str(label) for label in data["labels"])
    index: dict[str, int] = {}
    matrix = np.zeros((len(data["weights"]), len(labels)), dtype=np.float64)
    for row, (feat, weights) in enumerate(data["weights"].items()):
        index[str(feat)] = row
        for k, v in weights.items():
            matrix[row, int(k)] = float(v)
    return _Model(
        labels=labels,
        bias=np.array([float(b) for b in data["bias"]], dtype=np.float64),
        index=index,
        matrix=matrix,
        thresholds={str(k): float(v) for k, v in data["thresholds"].items()},
        lexicons={str(k): frozenset(str(w) for w in v) for k, v in data["lexicons"].items()},
    )


# --- features -----------------------------------------------------------------------------


def _shape(text: str) -> str:
    """Return a short word shape ("Xx", "X", "x", "d", "X.") of a token's text."""
    out: list[str] = []
    for ch in text[:6]:
        kind = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)


def _governor(tok: Any) -> tuple[str, str]:
    """Return (path, lemma) of the nearest verb or event noun above ``tok``: the dependency
    chain that leads there ("dobj", "pobj<by<agent") and that word's lemma."""
    path: list[str] = []
    cur = tok
    for _ in range(4):
        if cur.head.i == cur.i:
            break
        label = cur.dep_ if cur.dep_ != "pobj" else f"pobj<{cur.head.lower_}"
        path.append(label)
        cur = cur.head
        # a noun governs only through a preposition ("attack on X"), not as a compound head
        if cur.pos_ in ("VERB", "AUX") or (cur.pos_ == "NOUN" and label.startswith("pobj")):
            break
    return ">".join(path[:2]), cur.lemma_.lower()


def _sentence_has_trigger(sent: Any, triggers: frozenset[str]) -> bool:
    return any(t.lemma_.lower() in triggers for t in sent)


def _group_tokens(doc: Any) -> set[int]:
    """Return the indices of tokens inside a known armed group's name."""
    out: set[int] = set()
    for mention in group_mentions(doc):
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return out


def _lexicon_features(tok: Any, lexicons: Mapping[str, frozenset[str]]) -> list[str]:
    lemma, low = tok.lemma_.lower(), tok.lower_
    return [f"lx={name}" for name, words in lexicons.items() if lemma in words or low in words]


def token_features(
    doc: Any, lexicons: Mapping[str, frozenset[str]], sent_of: Sequence[int]
) -> list[list[str]]:
    """Return, for every token of a parsed document, the names of its tagger features:
    the word, lemma, shape, tag, dependency, entity, head, governing verb, neighbours,
    the word lists it is in (attack words, weapons, people...), whether it names a known
    armed group, whether its sentence has an attack word, and the sentence's place."""
    sents = list(doc.sents)
    hot = [_sentence_has_trigger(s, lexicons["trigger"]) for s in sents]
    groups = _group_tokens(doc)
    out: list[list[str]] = []
    n = len(doc)
    for tok in doc:
        s = sent_of[tok.i]
        path, gov = _governor(tok)
        low = tok.lower_
        ent = f"{tok.ent_iob_}-{tok.ent_type_}" if tok.ent_type_ else "O"
        feats = [
            "b",
            f"w={low}",
            f"l={tok.lemma_.lower()}",
            f"sh={_shape(tok.text)}",
            f"suf={low[-3:]}",
            f"t={tok.tag_}",
            f"d={tok.dep_}",
            f"e={ent}",
            f"hl={tok.head.lemma_.lower()}",
            f"hd={tok.head.dep_}",
            f"d_hl={tok.dep_}|{tok.head.lemma_.lower()}",
            f"gp={path}",
            f"gv={gov}",
            f"gp_gv={path}|{gov}",
            f"hot={hot[s]}",
            f"sent={min(s, 6)}",
            f"t_hot={tok.tag_}|{hot[s]}",
            f"e_gv={ent}|{gov}",
        ]
        for off in range(-_WINDOW, _WINDOW + 1):
            if off == 0:
                continue
            j = tok.i + off
            if 0 <= j < n and sent_of[j] == s:
                other = doc[j]
                feats.append(f"w{off}={other.lower_}")
                feats.append(f"t{off}={other.tag_}")
                feats.append(f"e{off}={other.ent_type_ or 'O'}")
            else:
                feats.append(f"w{off}=<s>")
        feats.append(f"pair={doc[tok.i - 1].lower_ if tok.i else '<s>'}|{low}")
        feats.extend(_lexicon_features(tok, lexicons))
        feats.append(f"hlx={'|'.join(_lexicon_features(tok.head, lexicons))}")
        if tok.i in groups:
            feats.append("group")
        out.append(feats)
    return out


def sentence_of_tokens(doc: Any) -> list[int]:
    """Return, per token, the index of its sentence."""
    out = [0] * len(doc)
    for i, sent in enumerate(doc.sents):
        for t in range(sent.start, sent.end):
            out[t] = i
    return out


# --- tagging and decoding ----------------------------------------------------------------


def _probabilities(features: list[list[str]], model: _Model) -> npt.NDArray[np.float64]:
    """Return, per token (row), the probability of each label (softmax of the summed
    weights of its features)."""
    tokens: list[int] = []
    rows: list[int] = []
    for i, feats in enumerate(features):
        for f in feats:
            row = model.index.get(f)
            if row is not None:
                tokens.append(i)
                rows.append(row)
    scores = np.tile(model.bias, (len(features), 1))
    if rows:
        np.add.at(scores, np.array(tokens), model.matrix[np.array(rows)])
    scores -= scores.max(axis=1, keepdims=True)
    exps = np.exp(scores)
    probs: npt.NDArray[np.float64] = exps / exps.sum(axis=1, keepdims=True)
    return probs


def tag_tokens(ctx: Context) -> list[tuple[str, float]]:
    """Return, per token, the best role (or ``O``) and its probability, a role winning
    when its probability passes the role's threshold."""
    model = _model()
    sent_of = sentence_of_tokens(ctx.doc)
    features = token_features(ctx.doc, model.lexicons, sent_of)
    if not features:
        return []
    probs = _probabilities(features, model)
    return [_best_label([float(p) for p in row], model) for row in probs]


def _best_label(probs: list[float], model: _Model) -> tuple[str, float]:
    best, best_p = OUTSIDE, 0.0
    for label, p in zip(model.labels, probs, strict=True):
        if label != OUTSIDE and p >= model.thresholds.get(label, 0.5) and p > best_p:
            best, best_p = label, p
    if best == OUTSIDE:
        return OUTSIDE, probs[model.labels.index(OUTSIDE)]
    return best, best_p


def decode_spans(
    labels: Sequence[tuple[str, float]], doc: Any, sent_of: Sequence[int]
) -> list[RoleSpan]:
    """Return the spans of runs of tokens tagged with the same role inside one sentence,
    trimmed of leading determiners and edge punctuation (the keys' span shape)."""
    spans: list[RoleSpan] = []
    i = 0
    while i < len(labels):
        role = labels[i][0]
        if role == OUTSIDE:
            i += 1
            continue
        j = i
        while j + 1 < len(labels) and labels[j + 1][0] == role and sent_of[j + 1] == sent_of[i]:
            j += 1
        lo, hi = _whole_name(doc, i, j)
        if role == "PERPIND" and _modifies_outside(doc, lo, hi):
            i = j + 1
            continue
        if role == "PERPIND":
            lo = _with_left_modifiers(doc, lo, hi)
            hi = _of_whom(doc, hi)
        if role == "VICTIM":
            lo = _without_titles(doc, lo, hi)
        if role == "TARGET":
            hi = _target_head(doc, labels, hi)
        span = _trim(doc, lo, hi, role, [p for _, p in labels[i : j + 1]], sent_of[i])
        if span is not None:
            spans.append(span)
        i = max(j, hi) + 1
    return spans


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


def _whole_name(doc: Any, lo: int, hi: int) -> tuple[int, int]:
    """Return ``lo, hi`` widened to the named entity and compound words they cut into:
    tokens are tagged one by one, and a name's first words often fall short of the
    threshold ("Santa" of "Santa Rosa bridge", "electricity" of "electricity tower", a
    first name the truecaser took for a word); the keys want the whole name."""
    for k in (lo, hi):
        tok = doc[k]
        if tok.ent_iob_ != "O" and tok.ent_type_ in _NAME_ENTITIES:
            ent = next((e for e in doc.ents if e.start <= k < e.end), None)
            if ent is not None and ent.sent == tok.sent:
                lo, hi = min(lo, ent.start), max(hi, ent.end - 1)
    while lo > 0 and doc[lo - 1].dep_ == "compound" and doc[lo - 1].is_alpha:
        if not lo <= doc[lo - 1].head.i <= hi or doc[lo - 1].sent != doc[lo].sent:
            break
        lo -= 1
    return lo, hi


def _of_whom(doc: Any, hi: int) -> int:
    """Return ``hi`` moved over the "of" phrase of a perpetrator word that only says a
    part ("members of the 8th Front", "a group of armed men"): the keys keep it."""
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
    of a victim's name ("Justice Minister", "Dr", "Nicaraguan", "policeman"): the keys
    name victims without them."""
    titles, people = _titles(), _people()
    for k in range(hi - 1, lo - 1, -1):
        tok = doc[k]
        if (
            tok.lower_.rstrip(".") in titles
            or tok.lemma_.lower() in people
            or tok.ent_type_ == "NORP"
            or tok.pos_ == "ADJ"
        ):
            return k + 1
    return lo


@lru_cache(maxsize=1)
def _people() -> frozenset[str]:
    return frozenset(str(w).lower() for w in load_data("targets.json")["human"])


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    data = load_data("targets.json")
    return frozenset(w.rstrip(".") for w in (*data["titles"], *data["title_abbreviations"]))


def _trim(doc: Any, lo: int, hi: int, role: str, probs: list[float], sent: int) -> RoleSpan | None:
    """Return the span of tokens lo..hi without edge determiners, punctuation and line
    breaks, or None when nothing is left."""
    while lo <= hi and (doc[lo].lower_ in _EDGE_WORDS or _is_edge(doc[lo])):
        lo += 1
    while hi >= lo and (_is_edge(doc[hi]) or doc[hi].tag_ == "POS" or _is_dangling(doc[hi])):
        hi -= 1
    if hi < lo or not any(doc[k].is_alpha for k in range(lo, hi + 1)):
        return None
    score = sum(probs) / len(probs)
    return RoleSpan(role, doc[lo].idx, doc[hi].idx + len(doc[hi].text), sent, score)


def _is_dangling(tok: Any) -> bool:
    """Return whether a span's last token cannot end a filler: a preposition, determiner
    or conjunction left by a cut ("offices of", "group of")."""
    return bool(tok.pos_ in _DANGLING_POS or tok.lower_ in _EDGE_WORDS)


def _is_edge(tok: Any) -> bool:
    return bool(tok.is_space or tok.text in _EDGE_PUNCT)


def find_roles(ctx: Context) -> list[RoleSpan]:
    """Return the role fillers the tagger finds in an article, in text order."""
    if not len(ctx.doc):
        return []
    labels = tag_tokens(ctx)
    return decode_spans(labels, ctx.doc, sentence_of_tokens(ctx.doc))


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
