"""Case restoration for upper-case wire text (teletype, MUC-4) so that spaCy's tagger,
parser and entity recogniser see ordinary English.

Only letter case changes: ``len(truecase(text)) == len(text)`` and every character keeps
its place, so offsets into the truecased text are offsets into the original. The word
casings come from ``data/truecase.json`` (built by ``training/build_truecase.py``): the
most frequent casing of each word in mixed-case news, gazetteer and armed-group names,
and multi-word names whose casing differs from their words' usual one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .data import load_data

__all__ = ["is_mostly_upper", "truecase"]

_WORD = re.compile(r"[^\W\d_]+")
_MAX_PHRASE = 6
# Share of upper-case letters above which a text counts as shouted wire text.
_UPPER_SHARE = 0.6
_SENTENCE_END = ".!?"
_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))
_OPENERS = "\"'([“‘"
_SUFFIXES = (
    ("ies", "y"),
    ("men", "man"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("ly", ""),
    ("er", ""),
    ("ers", ""),
)


@dataclass(frozen=True, slots=True)
class _Model:
    forms: dict[str, str]
    lower: frozenset[str]
    phrases: dict[str, str]
    phrase_starts: frozenset[str]


@lru_cache(maxsize=1)
def _model() -> _Model:
    """Return the word-casing model of ``data/truecase.json``."""
    data = load_data("truecase.json")
    return _Model(
        forms={str(k): str(v) for k, v in data["forms"].items()},
        lower=frozenset(str(data["lower"]).split()),
        phrases={str(k): str(v) for k, v in data["phrases"].items()},
        phrase_starts=frozenset(str(k).split()[0] for k in data["phrases"]),
    )


@lru_cache(maxsize=256)
def is_mostly_upper(text: str) -> bool:
    """Return True when most letters of ``text`` are capitals (upper-case wire text).
    Cached: every extractor asks it of the same article text."""
    if text.isascii():
        # counted in C: the letters are the bytes a deletion of A-Z (a-z) removes
        data = text.encode("ascii")
        upper = len(data) - len(data.translate(None, _ASCII_UPPER))
        lower = len(data) - len(data.translate(None, _ASCII_LOWER))
    else:
        upper = sum(map(str.isupper, text))
        lower = sum(map(str.islower, text))
    return upper + lower > 0 and upper > _UPPER_SHARE * (upper + lower)


def truecase(text: str) -> str:
    """Return ``text`` with upper-case words given their usual casing; words already in
    mixed or lower case are kept, and the length and every offset are unchanged."""
    matches = list(_WORD.finditer(text))
    lowered = [m.group().lower() for m in matches]
    starts = _model().phrase_starts
    chars = list(text)
    i = 0
    while i < len(matches):
        taken = _phrase_at(text, matches, i, lowered) if lowered[i] in starts else []
        if taken:
            for m, form in zip(matches[i : i + len(taken)], taken, strict=True):
                if m.group().isupper():
                    chars[m.start() : m.end()] = form
            i += len(taken)
            continue
        m = matches[i]
        if m.group().isupper():
            after_name = i > 0 and _follows_name(text, matches[i - 1], m, chars)
            chars[m.start() : m.end()] = _word_form(text, m, after_name)
        i += 1
    return "".join(chars)


def _phrase_at(text: str, matches: list[re.Match[str]], i: int, lowered: list[str]) -> list[str]:
    """Return the cased words of the longest known multi-word name starting at word ``i``
    (words separated by whitespace only; ``lowered`` holds the words in lower case), or []
    when none starts there."""
    phrases = _model().phrases
    if lowered[i] not in _model().phrase_starts:
        return []
    last = i
    while (
        last + 1 < len(matches)
        and last + 1 - i < _MAX_PHRASE
        and text[matches[last].end() : matches[last + 1].start()].isspace()
    ):
        last += 1
    for end in range(last, i, -1):
        key = " ".join(lowered[i : end + 1])
        cased = phrases.get(key)
        if cased is not None:
            words = cased.split()
            if len(words) == end + 1 - i:
                if _starts_sentence(text, matches[i].start()):
                    words[0] = words[0][:1].upper() + words[0][1:]
                return words
    return []


def _follows_name(text: str, prev: re.Match[str], m: re.Match[str], chars: list[str]) -> bool:
    """Return True when the word before ``m``, on the same line, was cased as a name."""
    gap = text[prev.end() : m.start()]
    first = chars[prev.start()]
    rest = "".join(chars[prev.start() + 1 : prev.end()])
    return (
        gap == " "
        and first.isupper()
        and rest.islower()
        and not _starts_sentence(text, prev.start())
    )


def _word_form(text: str, m: re.Match[str], after_name: bool = False) -> str:
    """Return the casing of one upper-case word in its place in ``text``; a word known
    only from the dictionary stays a name after a name ("Luis Arturo Isaacs")."""
    word, start, end = m.group(), m.start(), m.end()
    if start > 1 and text[start - 1] in "'’" and text[start - 2].isalnum():
        return word.lower()  # the S of COUNTRY'S, the T of DON'T
    if len(word) == 1:
        return _letter_form(text, word, end)
    if _is_bracketed(text, start, end):
        return word  # "(ARENA)", "[FMLN]": an acronym given after a name
    form = _dictionary_form(word, after_name)
    if _starts_sentence(text, start):
        return form[:1].upper() + form[1:]
    return form


def _is_bracketed(text: str, start: int, end: int) -> bool:
    """Return True when the word alone fills a pair of brackets or parentheses."""
    before, after = text[start - 1 : start], text[end : end + 1]
    return (before, after) in (("(", ")"), ("[", "]"))


def _letter_form(text: str, letter: str, end: int) -> str:
    """Return a one-letter word's casing: initials ("J. SMITH") stay capitals, "A" is the
    article unless it starts a sentence."""
    if end < len(text) and text[end] == ".":
        return letter
    if letter == "A" and not _starts_sentence(text, end - 1):
        return "a"
    return letter


# Wire text repeats its words: each casing is worked out once per process.
@lru_cache(maxsize=65536)
def _dictionary_form(word: str, after_name: bool = False) -> str:
    """Return the usual casing of ``word``: known casing first, lower case for common
    words, Title case for unknown ones (mostly names of people and places)."""
    key = word.lower()
    form = _model().forms.get(key)
    if form == "U":
        return word
    if form == "T":
        return word[:1] + key[1:]
    if key in _model().lower or (not after_name and _is_english_word(key)):
        return key
    return word[:1] + key[1:]


def _is_english_word(word: str) -> bool:
    """Return True when ``word`` or its stem is an entry of the English dictionary the
    spaCy lemmatizer ships ("terrorists" → terrorist, "machinegunned" → machinegun)."""
    words = _dictionary()
    return any(stem in words for stem in _stems(word))


def _stems(word: str) -> list[str]:
    """Return ``word`` and the stems its English inflections may come from."""
    out = [word]
    for suffix, repl in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: len(word) - len(suffix)] + repl
            out.append(stem)
            if len(stem) > 3 and stem[-1] == stem[-2]:
                out.append(stem[:-1])  # "machinegunned" → machinegun
    return out


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    """Return the lower-case single words of the spaCy lemmatizer's lemma index (WordNet
    nouns, verbs, adjectives and adverbs) and their irregular forms, or an empty set for
    a model without one."""
    from .annotate import load_nlp  # annotate imports this module

    nlp = load_nlp()
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = nlp.get_pipe("lemmatizer").lookups
    if not lookups.has_table("lemma_index"):
        return frozenset()
    words: set[str] = set()
    for entries in lookups.get_table("lemma_index").values():
        words.update(w for w in entries if w.isalpha() and w.islower())
    if lookups.has_table("lemma_exc"):
        # irregular forms ("men", "stolen") whose lemma is a dictionary word
        for forms in lookups.get_table("lemma_exc").values():
            words.update(w for w, lemmas in forms.items() if w.isalpha() and set(lemmas) & words)
    return frozenset(words)


def _starts_sentence(text: str, start: int) -> bool:
    """Return True when the word at ``start`` opens the text, a paragraph (after a blank
    line), a sentence or a quote, or follows the dateline ("... -- [TEXT] THE ...")."""
    j = start - 1
    newlines = 0
    while j >= 0 and (text[j] in _OPENERS or text[j].isspace()):
        newlines += text[j] == "\n"
        j -= 1
    if j < 0 or newlines > 1:
        return True
    if text[j] == "]":
        # A bracketed label ("[TEXT]") opens what follows only where the label itself
        # opens a sentence; "[FMLN] ATTACKED" goes on the sentence.
        opening = text.rfind("[", 0, j)
        return opening >= 0 and _starts_sentence(text, opening + 1)
    if text[max(j - 1, 0) : j + 1] == "--":
        return not any(ch in _SENTENCE_END for ch in text[:j])
    return text[j] in _SENTENCE_END + ":"
