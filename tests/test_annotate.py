"""The parse: one model per process, and paragraphs never share a sentence."""

from __future__ import annotations

from incidex.annotate import load_nlp


def test_annotate_loads_the_model_once() -> None:
    assert load_nlp() is load_nlp()


def test_annotate_breaks_sentences_at_blank_lines() -> None:
    text = "Bomb kills nine at bus depot\n\nA bomb killed nine people at a bus depot on Monday."
    sents = [s.text.strip() for s in load_nlp()(text).sents]
    assert sents[0] == "Bomb kills nine at bus depot"
    assert all("\n\n" not in s for s in sents)


def test_annotate_loads_the_model_once_however_it_is_named() -> None:
    # The default asked for with no argument, with None, or by its resolved name is one model.
    nlp = load_nlp()
    assert load_nlp(None) is nlp
    assert load_nlp(nlp.meta["lang"] + "_" + nlp.meta["name"]) is nlp
