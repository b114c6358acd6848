"""What the extractors read of a parsed document again and again, built once per Doc.

spaCy builds a new Token object at every ``doc[i]`` and every step of ``for t in sent``,
and a new tuple of entity Spans at every read of ``doc.ents`` or ``sent.ents``: the
extractors read each several times over (two million tokens built for 200 wire messages);
and ``doc.text`` is joined anew at every read. These are kept in the Doc's own
``user_data``, so they live and die with it; a Doc is not changed once parsed (no
extractor sets entities or retokenizes). ``forget`` drops them when the extraction is done.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = [
    "SPELT",
    "SPELT_LOWER",
    "doc_ents",
    "doc_lemmas",
    "doc_lower_lemmas",
    "doc_lowers",
    "doc_memo",
    "doc_text",
    "doc_tokens",
    "forget",
    "indices_in",
    "process_table",
    "span_ents",
    "span_tokens",
]

_T = TypeVar("_T")

_TOKENS_KEY = "incidex.tokens"
_ENTS_KEY = "incidex.ents"
_TEXT_KEY = "incidex.text"
# First item of the keys of what ``doc_memo`` keeps (spaCy's own keys are tuples too, whose
# first item is "._.").
_MEMO = "incidex.memo"


def doc_text(doc: Any) -> str:
    """Return ``doc.text``, joined once per Doc: spaCy joins the text of every token again
    at each read of ``doc.text``, and several extractors read it."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return str(text)


def doc_tokens(doc: Any) -> list[Any]:
    """Return the Tokens of a Doc as a list, made once per Doc."""
    tokens = doc.user_data.get(_TOKENS_KEY)
    if tokens is None:
        tokens = doc.user_data[_TOKENS_KEY] = list(doc)
    return tokens  # type: ignore[no-any-return]


def span_tokens(span: Any) -> list[Any]:
    """Return the Tokens of a Span (a sentence) as a list, from its Doc's list."""
    return doc_tokens(span.doc)[span.start : span.end]


def doc_ents(doc: Any) -> tuple[Any, ...]:
    """Return ``doc.ents``, made once per Doc."""
    ents = doc.user_data.get(_ENTS_KEY)
    if ents is None:
        ents = doc.user_data[_ENTS_KEY] = tuple(doc.ents)
    return ents  # type: ignore[no-any-return]


def span_ents(span: Any) -> list[Any]:
    """Return ``span.ents`` (the entities wholly inside a Span) from its Doc's entities,
    as spaCy picks them: in order from the first starting in the span, up to the first
    that runs past its end."""
    out: list[Any] = []
    for ent in doc_ents(span.doc):
        if ent.start >= span.start:
            if ent.end > span.end:
                break
            out.append(ent)
    return out


def doc_memo(doc: Any, name: str, build: Callable[[Any], _T]) -> _T:
    """Return ``build(doc)``, worked out once per Doc under ``name``: what an extractor
    reads of the whole parse for each of its sentences or tokens."""
    key = (_MEMO, name)
    if key not in doc.user_data:
        doc.user_data[key] = build(doc)
    found: _T = doc.user_data[key]
    return found


def doc_lowers(doc: Any) -> list[str]:
    """Return every token's ``lower_``, read once per Doc as an array (no Token objects)."""
    return doc_memo(doc, "lowers", lambda d: _spelt(d, "LOWER", lower=False))


def doc_lemmas(doc: Any) -> list[str]:
    """Return every token's ``lemma_``, read once per Doc as an array."""
    return doc_memo(doc, "lemmas", lambda d: _spelt(d, "LEMMA", lower=False))


def doc_lower_lemmas(doc: Any) -> list[str]:
    """Return every token's ``lemma_.lower()``, read once per Doc as an array."""
    return doc_memo(doc, "lower_lemmas", lambda d: _spelt(d, "LEMMA", lower=True))


def _spelt(doc: Any, attr: str, *, lower: bool) -> list[str]:
    """Return the strings of a token attribute of every token (lower-cased if ``lower``),
    each distinct one looked up once; the empty string for none (as spaCy spells it)."""
    from spacy.attrs import IDS

    strings = doc.vocab.strings
    spelt = process_table(SPELT_LOWER if lower else SPELT)
    out: list[str] = []
    for key in doc.to_array(IDS[attr]).tolist():
        word = spelt.get(key)
        if word is None:
            word = str(strings[key]) if key else ""
            word = spelt[key] = word.lower() if lower else word
        out.append(word)
    return out


# The names of the process tables of the strings of ids as spaCy spells them, and
# lower-cased.
SPELT = "spelt"
SPELT_LOWER = "spelt lower"


def process_table(name: str) -> dict[Any, Any]:
    """Return the table ``name`` of answers kept for the whole process, keyed by string
    ids (an id is the hash of its string, the same in every Doc), emptied once it holds
    ``_TABLE_LIMIT`` entries: a long-running server's vocabulary would otherwise grow it
    without end."""
    table = _TABLES.setdefault(name, {})
    if len(table) >= _TABLE_LIMIT:
        table.clear()
    return table


_TABLES: dict[str, dict[Any, Any]] = {}
_TABLE_LIMIT = 1 << 18


def indices_in(span: Any, indices: Sequence[int]) -> Sequence[int]:
    """Return the part of the sorted token ``indices`` of a Doc that falls in ``span``."""
    first = bisect.bisect_left(indices, span.start)
    return indices[first : bisect.bisect_left(indices, span.end, first)]


def forget(doc: Any) -> None:
    """Drop what is kept in a Doc here. Its Tokens and Spans refer back to it: while they
    are kept, the Doc is freed by the cycle collector only, some time after its last use,
    instead of at once."""
    for key in (_TOKENS_KEY, _ENTS_KEY, _TEXT_KEY):
        doc.user_data.pop(key, None)
    memos = [k for k in doc.user_data if isinstance(k, tuple) and k[:1] == (_MEMO,)]
    for memo in memos:
        del doc.user_data[memo]
