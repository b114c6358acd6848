"""The role tagger's spans take the keys' shape: victims without titles, perpetrator
descriptions with their numbers and adjectives, no dangling prepositions, no bare numbers.
Labels are given by hand; the parse is of sentences written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from incidex.extract import roles
from incidex.models import Article


@pytest.fixture(scope="module")
def parse() -> Any:
    from incidex.annotate import annotate

    def run(text: str) -> Any:
        return annotate(Article(id="t", text=text, language="en"))

    return run


def _decoded(doc: Any, role: str, words: str) -> list[str]:
    """Return the decoded strings when the tokens of ``words`` (first occurrence) carry
    ``role`` and every other token is outside."""
    start = doc.text.index(words)
    span = doc.char_span(start, start + len(words))
    labels = [(role, 0.9) if span.start <= t.i < span.end else ("O", 0.9) for t in doc]
    found = roles.decode_spans(labels, doc, roles.sentence_of_tokens(doc))
    return [doc.text[s.start : s.end] for s in found]


def test_victim_name_loses_the_titles_in_front(parse: Any) -> None:
    doc = parse("Gunmen shot dead Justice Minister Carlos Perez Lopez in the capital on Monday.")
    assert _decoded(doc, "VICTIM", "Justice Minister Carlos Perez Lopez") == ["Carlos Perez Lopez"]


def test_victim_name_loses_an_abbreviated_title(parse: Any) -> None:
    doc = parse("Unknown men kidnapped Dr. Ana Maria Castro outside the clinic yesterday.")
    assert _decoded(doc, "VICTIM", "Dr. Ana Maria Castro") == ["Ana Maria Castro"]


def test_victim_name_loses_a_word_for_the_person_in_front(parse: Any) -> None:
    # capitalised as in a title, or by the truecaser
    doc = parse("Gunmen shot dead Banker Carlos Valencia in the capital on Monday.")
    assert _decoded(doc, "VICTIM", "Banker Carlos Valencia") == ["Carlos Valencia"]


def test_victim_without_title_is_kept_whole(parse: Any) -> None:
    doc = parse("Gunmen shot dead Carlos Perez Lopez in the capital on Monday.")
    assert _decoded(doc, "VICTIM", "Carlos Perez Lopez") == ["Carlos Perez Lopez"]


def test_perpetrator_description_takes_its_number_and_adjectives(parse: Any) -> None:
    doc = parse("Three heavily armed men stormed the bank branch on Friday.")
    assert _decoded(doc, "PERPIND", "men") == ["Three heavily armed men"]


def test_target_loses_a_vague_quantity_in_front(parse: Any) -> None:
    doc = parse("Saboteurs blew up several electricity poles near the dam on Sunday.")
    assert _decoded(doc, "TARGET", "several electricity poles") == ["electricity poles"]


def test_filler_does_not_end_on_a_relative_pronoun(parse: Any) -> None:
    doc = parse("Police are looking for the unidentified persons who bombed the bank.")
    assert _decoded(doc, "PERPIND", "unidentified persons who") == ["unidentified persons"]


def test_target_does_not_end_on_a_preposition(parse: Any) -> None:
    doc = parse("A bomb destroyed the offices of the mayor last night.")
    assert _decoded(doc, "TARGET", "offices of") == ["offices"]


def test_a_bare_number_is_no_filler(parse: Any) -> None:
    doc = parse("Police found 55 rounds near the car after the attack.")
    assert _decoded(doc, "WEAPON", "55") == []


def _decoded_runs(doc: Any, role: str, runs: list[str]) -> list[str]:
    """Return the decoded strings when each of ``runs`` (first occurrences) carries ``role``."""
    marked: set[int] = set()
    for words in runs:
        start = doc.text.index(words)
        span = doc.char_span(start, start + len(words))
        marked.update(range(span.start, span.end))
    labels = [(role, 0.9) if t.i in marked else ("O", 0.9) for t in doc]
    found = roles.decode_spans(labels, doc, roles.sentence_of_tokens(doc))
    return [doc.text[s.start : s.end] for s in found]


def test_target_modifier_takes_its_noun(parse: Any) -> None:
    doc = parse("Rebels dynamited the oil installations near the port on Sunday.")
    assert _decoded(doc, "TARGET", "oil") == ["oil installations"]


def test_target_joins_an_of_phrase_also_tagged(parse: Any) -> None:
    doc = parse("A bomb exploded at the offices of the development corporation in Lima.")
    assert _decoded_runs(doc, "TARGET", ["offices", "development corporation"]) == [
        "offices of the development corporation"
    ]


def test_perpetrator_word_modifying_an_attack_is_no_filler(parse: Any) -> None:
    doc = parse("Police blamed the terrorist attack on the rebels.")
    assert _decoded(doc, "PERPIND", "terrorist") == []


def test_perpetrator_part_keeps_its_of_phrase(parse: Any) -> None:
    doc = parse("Members of the 8th Front attacked the town hall on Sunday.")
    assert _decoded(doc, "PERPIND", "Members") == ["Members of the 8th Front"]


def test_target_loses_a_participle_cut_from_its_clause(parse: Any) -> None:
    doc = parse("A bomb damaged a truck owned by a soda company in the capital.")
    assert _decoded(doc, "TARGET", "truck owned") == ["truck"]


def test_perpetrator_loses_a_participle_cut_from_its_clause(parse: Any) -> None:
    doc = parse("Two men wearing police uniforms shot the driver outside his house.")
    assert _decoded(doc, "PERPIND", "Two men wearing") == ["Two men"]


def test_weapon_does_not_start_on_a_preposition(parse: Any) -> None:
    doc = parse("They left a package of dynamite outside the station on Tuesday.")
    assert _decoded(doc, "WEAPON", "of dynamite") == ["dynamite"]


def test_perpetrator_description_loses_its_hedge(parse: Any) -> None:
    doc = parse("Suspected urban guerrillas burned two buses in the capital on Friday.")
    assert _decoded(doc, "PERPIND", "Suspected urban guerrillas") == ["urban guerrillas"]


def test_at_least_stays_on_a_perpetrator_count(parse: Any) -> None:
    doc = parse("At least three gunmen opened fire on the convoy on Friday.")
    assert _decoded(doc, "PERPIND", "At least three gunmen") == ["At least three gunmen"]


def test_victim_name_loses_a_common_word_in_front(parse: Any) -> None:
    doc = parse("GUNMEN KILLED CATTLEMAN ROBERTO SALAZAR NEAR HIS FARM YESTERDAY.")
    # the truecaser leaves the common word in lower case, the name capitalised
    assert _decoded(doc, "VICTIM", "cattleman Roberto Salazar") == ["Roberto Salazar"]


def test_target_takes_the_named_owner_of_its_of_phrase(parse: Any) -> None:
    doc = parse("A bomb damaged the house of lawyer Pedro Quintana Vargas, police said.")
    assert _decoded(doc, "TARGET", "house") == ["house of lawyer Pedro Quintana Vargas"]


def test_target_does_not_take_an_unnamed_of_phrase(parse: Any) -> None:
    doc = parse("A bomb damaged the house of a farmer near the river on Sunday.")
    assert _decoded(doc, "TARGET", "house") == ["house"]


def test_target_owner_name_stays_free_for_the_victim(parse: Any) -> None:
    doc = parse("Gunmen burned the office of lawyer Pedro Quintana Vargas and shot him.")
    labels = [
        ("TARGET", 0.9) if t.text == "office" else ("VICTIM", 0.9) if t.ent_type_ else ("O", 0.9)
        for t in doc
    ]
    found = roles.decode_spans(labels, doc, roles.sentence_of_tokens(doc))
    assert [(s.role, doc.text[s.start : s.end]) for s in found] == [
        ("TARGET", "office of lawyer Pedro Quintana Vargas"),
        ("VICTIM", "Pedro Quintana Vargas"),
    ]


def test_a_span_takes_the_first_parts_of_a_hyphenated_word(parse: Any) -> None:
    doc = parse("A medium-intensity bomb went off outside the bank on Friday.")
    assert _decoded(doc, "WEAPON", "intensity bomb") == ["medium-intensity bomb"]


def test_a_span_does_not_take_the_last_part_of_a_hyphenated_word(parse: Any) -> None:
    doc = parse("The police bomb-squad defused the device near the station.")
    assert _decoded(doc, "WEAPON", "bomb") == ["bomb"]


def test_a_span_stops_before_a_bracket(parse: Any) -> None:
    doc = parse("Rebels of the Popular Liberation Front (PLF) blew up the power line.")
    assert _decoded(doc, "PERPORG", "Popular Liberation Front (PLF") == ["Popular Liberation Front"]


def test_a_part_word_span_cut_at_its_of_takes_the_whole_phrase(parse: Any) -> None:
    doc = parse("A group of six urban guerrillas attacked two police posts last night.")
    assert _decoded(doc, "PERPIND", "group of") == ["group of six urban guerrillas"]


def test_victim_name_loses_a_plural_word_for_people_in_front(parse: Any) -> None:
    doc = parse("Rebels kidnapped the two Citizens Pedro Ramirez Soto and Ana Lopez on Monday.")
    assert _decoded(doc, "VICTIM", "Citizens Pedro Ramirez Soto") == ["Pedro Ramirez Soto"]


def test_victim_name_does_not_end_on_a_verb(parse: Any) -> None:
    doc = parse("Carlos Valencia Garcia Died in the attack on the court in Medellin.")
    assert _decoded(doc, "VICTIM", "Carlos Valencia Garcia Died") == ["Carlos Valencia Garcia"]


def _named(doc: Any, role: str, words: str) -> list[str]:
    """Return the string a kept filler over ``words`` (first occurrence) ends up as once
    organisations are cut to the known group names they overlap."""
    start = doc.text.index(words)
    span = roles.RoleSpan(role, start, start + len(words), 0, 0.9)
    return [doc.text[s.start : s.end] for s in roles.named_as_known_groups(doc, [span])]


@pytest.mark.parametrize(
    ("words", "name"),
    [
        ("number of FMLN", "FMLN"),
        ("Army of National", "Army of National Liberation"),
        ("Colombian Army of National Liberation", "Army of National Liberation"),
        ("National Liberation Front", "Farabundo Marti\nNational Liberation Front"),
    ],
)
def test_organisation_takes_the_known_group_name_it_overlaps(
    parse: Any, words: str, name: str
) -> None:
    doc = parse(
        "An unknown number of FMLN rebels attacked the post, and the Colombian Army of "
        "National Liberation kidnapped a mayor. The Farabundo Marti\nNational Liberation "
        "Front denied it."
    )
    assert _named(doc, "PERPORG", words) == [name]


def test_organisation_named_with_its_own_noun_stays_whole(parse: Any) -> None:
    doc = parse("The Extraditables group claimed the bombing of the bank on Monday.")
    assert _named(doc, "PERPORG", "Extraditables group") == ["Extraditables group"]


def test_other_roles_keep_their_span(parse: Any) -> None:
    doc = parse("An unknown number of FMLN rebels attacked the post on Monday.")
    assert _named(doc, "PERPIND", "FMLN rebels") == ["FMLN rebels"]


def test_victim_named_like_a_known_place_is_dropped(parse: Any) -> None:
    doc = parse("Gunmen shot dead Jose Perez Lopez in Puerto Lopez on Monday.")

    def is_place(words: str) -> bool:
        start = doc.text.index(words)
        span = roles.RoleSpan("VICTIM", start, start + len(words), 0, 0.9)
        return roles._names_a_place(doc, span)

    assert is_place("Puerto Lopez")
    assert not is_place("Jose Perez Lopez")
