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
