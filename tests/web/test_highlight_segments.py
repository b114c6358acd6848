"""Highlighting: text cut into plain and marked segments that always rebuild the text."""

from __future__ import annotations

from incidex.web.highlight import KINDS, Span, kind_of_field, segments
from incidex.web.incident import sentence_segments

TEXT = "Gunmen killed 4 people in Lagos on Friday."


def test_segments_rebuild_the_text_exactly() -> None:
    spans = [Span(7, 15, "killed", "killed: 4"), Span(26, 31, "place", "place: Lagos")]
    out = segments(TEXT, spans)
    assert "".join(s.text for s in out) == TEXT
    assert [(s.text, s.kind) for s in out if s.kind] == [("killed 4", "killed"), ("Lagos", "place")]


def test_overlapping_spans_mark_with_the_higher_ranked_kind_and_keep_both_labels() -> None:
    spans = [Span(0, 15, "event", "attack"), Span(7, 15, "killed", "killed: 4")]
    out = segments(TEXT, spans)
    marked = [s for s in out if s.kind]
    assert [(s.text, s.kind) for s in marked] == [("Gunmen ", "event"), ("killed 4", "killed")]
    assert marked[1].labels == ("attack", "killed: 4")
    assert marked[1].title == "attack; killed: 4"
    assert (marked[0].others, marked[1].others) == ((), ("event",))


def test_spans_outside_the_text_or_empty_are_ignored() -> None:
    spans = [
        Span(5, 5, "date", "empty"),
        Span(30, 400, "date", "too long"),
        Span(-1, 3, "date", "x"),
    ]
    out = segments(TEXT, spans)
    assert [s.kind for s in out] == [None]
    assert out[0].text == TEXT


def test_every_field_maps_to_a_legend_kind() -> None:
    fields = ["date", "place", "killed", "wounded", "perpetrators", "victims", "weapons", "mention"]
    assert {kind_of_field(f) for f in fields} <= set(KINDS)
    assert kind_of_field("perpetrator_individuals") == "perpetrator"
    assert kind_of_field("weapon_mentions") == "weapon"


def test_sentence_segments_mark_cited_text_and_skip_text_not_in_the_sentence() -> None:
    out = sentence_segments(TEXT, ["Lagos", "Abuja"], "place")
    assert [(s.text, s.kind) for s in out if s.kind] == [("Lagos", "place")]
    assert "".join(s.text for s in out) == TEXT
