"""Number phrases in a spaCy parse: digits, number words, vague quantities, ranges and
hedges ("at least 139", "a dozen", "hundreds", "between 10 and 15", "more than 73")."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..data import load_data
from ..models import Count
from .parsed import doc_lowers, doc_memo, doc_tokens

__all__ = ["NumberPhrase", "count_of", "find_numbers", "is_number_token", "parse_number_words"]

_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+(?:\.\d+)?$")
_JOINERS = frozenset({"-", "and"})
_DATA = "casualties.json"


@dataclass(frozen=True, slots=True)
class NumberPhrase:
    """A number phrase: tokens ``start:end`` of the Doc (qualifier included), the value
    as a Count, the token that carries the phrase's syntax (``head``), and for
    "from A to B" the superseded figure A."""

    start: int
    end: int
    value: Count
    head: int
    vague: bool = False
    replaced: int | None = None


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    data: dict[str, Any] = load_data(_DATA)
    return data


def _word_value(word: str) -> int | None:
    lex = _lexicon()
    w = word.lower()
    if w in lex["number_words"]:
        return int(lex["number_words"][w])
    if _DIGITS.match(w):
        num = float(w.replace(",", ""))
        return int(num) if num.is_integer() else None
    return None


def _scale_value(word: str) -> int | None:
    value = _lexicon()["scale_words"].get(word.lower())
    return int(value) if value is not None else None


def _vague_value(word: str) -> int | None:
    value = _lexicon()["vague_words"].get(word.lower())
    return int(value) if value is not None else None


def parse_number_words(words: Sequence[str]) -> int | None:
    """Return the integer written by ``words`` ("twenty", "-", "one" → 21; "a", "hundred"
    → 100; "1.5", "million" → 1500000; "dozens" → 24), or None when they are not a number."""
    parts = [w.lower() for w in words if w.lower() not in _JOINERS]
    if len(parts) == 1 and _vague_value(parts[0]) is not None:
        return _vague_value(parts[0])
    total, current = 0.0, 0.0
    for i, w in enumerate(parts):
        scale = _scale_value(w)
        if i == 0 and w in ("a", "an"):
            current = 1.0
        elif scale is not None:
            current = (current or 1.0) * scale
            if scale >= 1000:
                total, current = total + current, 0.0
        elif _decimal(w) is not None:
            current += _decimal(w) or 0.0
        else:
            return None
    value = total + current
    return int(value) if parts and value.is_integer() else None


def _decimal(word: str) -> float | None:
    if word in _lexicon()["number_words"]:
        return float(_lexicon()["number_words"][word])
    if _DIGITS.match(word):
        return float(word.replace(",", ""))
    return None


def is_number_token(tok: Any) -> bool:
    """Return True when the token is a cardinal number word, digits or a vague quantity."""
    return _is_number_word(tok.lower_)


def _is_unit(tok: Any) -> bool:
    lex = _lexicon()
    return tok.lower_ in lex["unit_words"]


def _skipped(tokens: Sequence[Any], start: int, end: int) -> bool:
    """Return True when the run at ``start:end`` is an age, time, money or measure."""
    lex = _lexicon()
    doc = tokens
    first, last = doc[start], doc[end - 1]
    if first.ent_type_ in lex["skip_entity_types"] and first.lower_ not in lex["vague_words"]:
        return True
    if start > 0 and doc[start - 1].lower_ in lex["currency_marks"]:
        return True
    nxt = end
    while nxt < len(doc) and doc[nxt].lower_ in ("-", "–"):
        nxt += 1
    if nxt < len(doc) and _is_unit(doc[nxt]):
        return True
    if last.like_num and re.fullmatch(r"(1[89]|20)\d\d", last.text) and last.ent_type_ == "DATE":
        return True
    if start > 0 and doc[start - 1].lower_ in ("no", "page", "no.", "number"):
        return True
    return _next_to_month(doc, start, end)


def _next_to_month(doc: Any, start: int, end: int) -> bool:
    # "March 22", "22 March": a day of the month, not a count.
    months = load_data("dates.json")["months"]
    before = start > 0 and doc[start - 1].lower_.rstrip(".") in months
    after = end < len(doc) and doc[end].lower_.rstrip(".") in months
    return before or after


def _run_end(doc: Any, i: int, limit: int) -> int:
    """Return the end of the number run starting at token ``i``."""
    words = _lexicon()["number_words"]
    j = i + 1
    while j < limit:
        tok, prev = doc[j], doc[j - 1]
        if _joins_words(doc, j, limit):
            j += 2
        elif _scale_value(tok.text) is not None or (
            tok.lower_ in words and not _DIGITS.match(prev.lower_)
        ):
            j += 1
        else:
            break
    return j


def _joins_words(doc: Any, j: int, limit: int) -> bool:
    # "twenty-one", "a hundred and twenty": a joiner between two number *words*
    # (never between digits, where "-" marks a range).
    if doc[j].lower_ not in _JOINERS or j + 1 >= limit:
        return False
    left, right = doc[j - 1], doc[j + 1]
    lex = _lexicon()
    words = lex["number_words"]
    if doc[j].lower_ == "-":
        return left.lower_ in words and right.lower_ in words
    return _scale_value(left.text) is not None and right.lower_ in words


def _start_with_article(doc: Any, i: int, lo: int) -> int:
    # "a dozen", "a hundred": the article is part of the number.
    if i > lo and doc[i - 1].lower_ in ("a", "an") and _scale_value(doc[i].text) is not None:
        return i - 1
    return i


def _qualifier(doc: Any, start: int, lo: int) -> tuple[int, dict[str, str] | None]:
    """Return the start of the qualifier before token ``start`` and its entry, if any."""
    quals: dict[str, dict[str, str]] = _lexicon()["qualifiers"]
    for width in (3, 2, 1):
        s = start - width
        if s < lo:
            continue
        words = " ".join(t.lower_ for t in doc[s:start])
        if words in quals:
            return s, quals[words]
    return start, None


def _count(low: int, high: int | None, qual: dict[str, str] | None) -> Count:
    if high is not None:
        return Count(min=low, max=high, qualifier=qual["label"] if qual else None)
    if qual is None:
        return Count(min=low)
    mode, label = qual["mode"], qual["label"]
    if mode == "above":
        return Count(min=low + 1, qualifier=label)
    if mode == "max":
        return Count(max=low, qualifier=label)
    if mode == "below":
        return Count(max=max(low - 1, 0), qualifier=label)
    return Count(min=low, qualifier=label)


def count_of(value: int, qualifier: str | None = None) -> Count:
    """Return the Count for ``value`` under a written qualifier ("at least", "over"...)."""
    quals: dict[str, dict[str, str]] = _lexicon()["qualifiers"]
    return _count(value, None, quals.get(qualifier.lower()) if qualifier else None)


def _phrase_head(doc: Any, start: int, end: int) -> int:
    """Return the index of the token in ``start:end`` whose head lies outside the run."""
    outside = [
        k for k in range(start, end) if not start <= doc[k].head.i < end or doc[k].head.i == k
    ]
    attached = [k for k in outside if doc[k].dep_ == "nummod"]
    return (attached or outside or [end - 1])[-1]


def _range_after(doc: Any, end: int, limit: int) -> tuple[int, int] | None:
    """Return (end, value) of the upper bound of "A to B", "A-B", "A or B", if any."""
    if end + 1 >= limit or doc[end].lower_ not in _lexicon()["range_links"]:
        return None
    if not is_number_token(doc[end + 1]) or _vague_value(doc[end + 1].text) is not None:
        return None
    stop = _run_end(doc, end + 1, limit)
    value = parse_number_words([t.text for t in doc[end + 1 : stop]])
    return (stop, value) if value is not None else None


def _between_range(doc: Any, start: int, end: int, limit: int) -> tuple[int, int] | None:
    """Return (end, value) of B in "between A and B" when A starts at ``start``."""
    if start == 0 or doc[start - 1].lower_ != "between":
        return None
    if end + 1 >= limit or doc[end].lower_ != "and" or not is_number_token(doc[end + 1]):
        return None
    stop = _run_end(doc, end + 1, limit)
    value = parse_number_words([t.text for t in doc[end + 1 : stop]])
    return (stop, value) if value is not None else None


def find_numbers(span: Any) -> list[NumberPhrase]:
    """Return the cardinal number phrases of a spaCy Span (a sentence), in order, without
    ages, years, times, money, measures and ordinals."""
    doc = span.doc
    lo, limit = span.start, span.end
    out: list[NumberPhrase] = []
    # only a number word can start a phrase: the others are skipped without being read
    numbers = doc_memo(doc, "numbers.number_tokens", _number_tokens)
    i = lo
    while i < limit:
        k = bisect.bisect_left(numbers, i)
        if k == len(numbers) or numbers[k] >= limit:
            break
        i = numbers[k]
        if not _starts_number(doc, i, lo):
            i += 1
            continue
        phrase = _phrase_at(doc, i, lo, limit)
        if phrase is None:
            i = _run_end(doc, i, limit)
            continue
        out.append(phrase)
        i = phrase.end
    return out


def _number_tokens(doc: Any) -> list[int]:
    """Return the indices of a Doc's number tokens (``is_number_token``), in order."""
    return [i for i, low in enumerate(doc_lowers(doc)) if _is_number_word(low)]


@lru_cache(maxsize=65_536)
def _is_number_word(low: str) -> bool:
    """Return ``is_number_token`` of a token whose ``lower_`` is ``low``."""
    lex = _lexicon()
    if low in lex["number_words"] or low in lex["scale_words"] or low in lex["vague_words"]:
        return True
    return bool(_DIGITS.match(low))


def _starts_number(doc: Any, i: int, lo: int) -> bool:
    # A bare scale word ("hundred") counts only after "a"; "a dozen people".
    tokens = doc_tokens(doc)
    tok = tokens[i]
    if _scale_value(tok.text) is not None:
        return i > lo and tokens[i - 1].lower_ in ("a", "an")
    return is_number_token(tok)


def _phrase_at(doc: Any, i: int, lo: int, limit: int) -> NumberPhrase | None:
    """Return the number phrase whose first number token is ``i``, or None."""
    end = _run_end(doc, i, limit)
    first = _start_with_article(doc, i, lo)
    if _skipped(doc, first, end):
        return None
    low = parse_number_words([t.text for t in doc[first:end]])
    if low is None:
        return None
    head = _phrase_head(doc, i, end)
    vague = len(doc[first:end]) == 1 and _vague_value(doc[first].text) is not None
    between = _between_range(doc, first, end, limit)
    if between is not None:
        stop, high = between
        if _skipped(doc, first, stop):
            return None
        return NumberPhrase(
            first - 1, stop, Count(min=low, max=high), _phrase_head(doc, first, stop)
        )
    upper = _range_after(doc, end, limit)
    qstart, qual = _qualifier(doc, first, lo)
    if upper is not None and _skipped(doc, first, upper[0]):
        return None
    if upper is not None and first > lo and doc[first - 1].lower_ == "from":
        # "rose from 12 to 20": a revision, not a range; the new figure carries the syntax.
        stop, high = upper
        new_head = _phrase_head(doc, end + 1, stop)
        return NumberPhrase(first - 1, stop, Count(min=high), new_head, replaced=low)
    if upper is not None and upper[1] > low:
        stop, high = upper
        label = qual["label"] if qual else None
        head = _phrase_head(doc, first, stop)
        return NumberPhrase(qstart, stop, Count(min=low, max=high, qualifier=label), head)
    qstart, qual = _qualifier(doc, first, lo)
    return NumberPhrase(qstart, end, _count(low, None, qual), head, vague=vague)
