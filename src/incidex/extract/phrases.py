"""Set phrases that report a killing whatever the parser made of their words ("shot dead",
"gunned down"): the small parser often reads "shot" as a noun or "dead" as an adjective of
the next name. One list (``data/killing_phrases.json``, phrase -> GTD attack types) serves
the trigger detector, which takes the attack types, and the toll reader, which counts the
person named after the phrase."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from ..data import load_data
from .parsed import doc_lowers, doc_tokens

__all__ = ["killing_phrase_at", "killing_phrases_in", "phrase_first_words"]

_DATA = "killing_phrases.json"


@cache
def _by_first_word() -> dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]:
    """Return the phrases by their first word: (words, attack types)."""
    out: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for phrase, types in load_data(_DATA)["phrases"].items():
        words = tuple(phrase.split())
        out.setdefault(words[0], []).append((words, tuple(types)))
    return {first: tuple(entries) for first, entries in out.items()}


@cache
def phrase_first_words() -> frozenset[str]:
    """Return the first words of the killing phrases (as ``Token.lower_`` spells them)."""
    return frozenset(_by_first_word())


def killing_phrase_at(tok: Any, limit: int | None = None) -> tuple[int, tuple[str, ...]] | None:
    """Return (end token index, attack types) of the killing phrase starting at ``tok``,
    ending at or before token ``limit`` (the document's end by default), or None."""
    entries = _by_first_word().get(tok.lower_, ())
    if not entries:
        return None
    tokens = doc_tokens(tok.doc)
    stop = len(tokens) if limit is None else limit
    for words, types in entries:
        end = tok.i + len(words)
        if end <= stop and all(tokens[tok.i + k].lower_ == w for k, w in enumerate(words)):
            return end, types
    return None


def killing_phrases_in(sent: Any) -> Iterator[tuple[int, int]]:
    """Yield the (start, end) token ranges of the killing phrases in a sentence."""
    firsts = phrase_first_words()
    lows = doc_lowers(sent.doc)
    tokens = doc_tokens(sent.doc)
    for i in range(sent.start, sent.end):
        # only a phrase's first word can start one: no Token is read for the others
        if lows[i] not in firsts:
            continue
        found = killing_phrase_at(tokens[i], sent.end)
        if found is not None:
            yield i, found[0]
