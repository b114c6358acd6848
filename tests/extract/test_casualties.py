"""Casualty figures: numbers, hedges, ranges, killed vs wounded attachment, non-tolls."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from incidex.annotate import load_nlp
from incidex.extract.casualties import Toll, best_toll, find_tolls
from incidex.extract.context import Context
from incidex.extract.numbers import find_numbers, parse_number_words
from incidex.models import Article, Count

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp()


def tolls_of(nlp: Any, text: str) -> list[Toll]:
    art = Article(id="t1", text=text, language="en", published=datetime.date(2024, 3, 25))
    return find_tolls(Context(art, nlp(text)))


def figures(tolls: list[Toll], kind: str) -> list[Count]:
    return [t.fact.value for t in tolls if t.kind == kind]


def test_numbers_parse_words_and_digits() -> None:
    assert parse_number_words(["twenty", "-", "one"]) == 21
    assert parse_number_words(["a", "hundred"]) == 100
    assert parse_number_words(["1,200"]) == 1200
    assert parse_number_words(["a", "dozen"]) == 12
    assert parse_number_words(["dozens"]) == 24
    assert parse_number_words(["scores"]) == 40
    assert parse_number_words(["hundreds"]) == 200
    assert parse_number_words(["thousands"]) == 2000
    assert parse_number_words(["1.5", "million"]) == 1_500_000
    assert parse_number_words(["people"]) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Between 10 and 15 people were hurt.", Count(10, 15)),
        ("Some 10 to 15 people were hurt.", Count(10, 15, "some")),
        ("Officials said 10-15 people were hurt.", Count(10, 15)),
        ("At least 12 people were hurt.", Count(12, None, "at least")),
        ("More than 30 people were hurt.", Count(31, None, "more than")),
        ("Over 30 people were hurt.", Count(31, None, "more than")),
        ("Up to 30 people were hurt.", Count(None, 30, "up to")),
        ("Nearly 30 people were hurt.", Count(30, None, "nearly")),
    ],
)
def test_numbers_ranges_and_qualifiers(nlp: Any, text: str, expected: Count) -> None:
    assert figures(tolls_of(nlp, text), "wounded") == [expected]


def test_numbers_skip_ages_years_money_and_times(nlp: Any) -> None:
    doc = nlp("A 25-year-old man paid $5,000 in 2019 at 5 pm for 30 percent of 12 km on March 3.")
    assert find_numbers(doc[:]) == []


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        ("The bomb killed 12 people and injured 30 others.", 12, 30),
        ("Twelve people were killed and thirty were wounded.", 12, 30),
        ("The blast left 12 dead and 30 injured.", 12, 30),
        ("The attack left two people dead.", 2, None),
        ("Gunmen opened fire on the bus, killing two and injuring 14.", 2, 14),
        ("Police said 9 people died and a dozen were hurt in the fire.", 9, 12),
        ("Four villagers are confirmed dead.", 4, None),
        ("The explosion claimed 21 lives.", 21, None),
        ("The rampage claimed the lives of 40 people.", 40, None),
        ("The death toll rose to 17 on Sunday.", 17, None),
        ("Dozens of people were wounded in the shelling.", None, 24),
    ],
)
def test_casualties_attach_killed_and_wounded(
    nlp: Any, text: str, killed: int | None, wounded: int | None
) -> None:
    tolls = tolls_of(nlp, text)
    best_killed, best_wounded = best_toll(tolls, "killed"), best_toll(tolls, "wounded")
    assert (best_killed.fact.value.min if best_killed else None) == killed
    assert (best_wounded.fact.value.min if best_wounded else None) == wounded


def test_casualties_coordination_shares_the_verb(nlp: Any) -> None:
    tolls = tolls_of(nlp, "At least 85 people were slaughtered and hundreds wounded in the raid.")
    assert figures(tolls, "killed") == [Count(85, None, "at least")]
    assert figures(tolls, "wounded") == [Count(200)]


def test_casualties_conjoined_counts_are_summed(nlp: Any) -> None:
    tolls = tolls_of(nlp, "The raid killed 5 soldiers and 7 farmers near the river.")
    assert figures(tolls, "killed") == [Count(12)]


def test_casualties_keeps_at_least(nlp: Any) -> None:
    tolls = tolls_of(nlp, "The shooting killed at least 7 shoppers.")
    assert figures(tolls, "killed") == [Count(7, None, "at least")]
    assert tolls[0].fact.evidence[0].text == "killed at least 7 shoppers"


def test_casualties_single_and_zero_victims(nlp: Any) -> None:
    tolls = tolls_of(nlp, "A policeman was killed in the ambush. No one else was hurt.")
    assert figures(tolls, "killed") == [Count(1)]
    assert figures(tolls, "wounded") == [Count(0)]
    none = tolls_of(nlp, "The device went off at night and there were no casualties.")
    assert figures(none, "killed") == [Count(0)] and figures(none, "wounded") == [Count(0)]


def test_casualties_including_is_a_subcount(nlp: Any) -> None:
    tolls = tolls_of(nlp, "Officials said 14 people were killed, including three children.")
    subcounts = [t for t in tolls if not t.total]
    assert [t.fact.value.min for t in subcounts] == [3]
    best = best_toll(tolls, "killed")
    assert best is not None and best.fact.value.min == 14


def test_casualties_best_sums_subcounts_without_total(nlp: Any) -> None:
    text = "Two farmers were among the dead. Three teachers were also among those killed."
    best = best_toll(tolls_of(nlp, text), "killed")
    assert best is not None and best.fact.value.min == 5


def test_casualties_superseded_toll_dropped(nlp: Any) -> None:
    tolls = tolls_of(nlp, "Eight people were killed. The death toll later rose from 8 to 15.")
    best = best_toll(tolls, "killed")
    assert best is not None and best.fact.value.min == 15
    earlier = tolls_of(
        nlp, "A guard was killed. Officials previously said that four people had been killed."
    )
    assert [t.superseded for t in earlier] == [False, True]
    best = best_toll(earlier, "killed")
    assert best is not None and best.fact.value.min == 1


def test_casualties_attackers_kept_apart(nlp: Any) -> None:
    tolls = tolls_of(nlp, "Troops shot dead three gunmen after the militants killed six guards.")
    assert [(t.fact.value.min, t.attackers) for t in tolls] == [(3, True), (6, False)]
    best = best_toll(tolls, "killed")
    assert best is not None and best.fact.value.min == 6
    bomber = tolls_of(nlp, "The bomber died in the blast.")
    assert [t.attackers for t in bomber] == [True]
    assert best_toll(bomber, "killed") is None


def test_casualties_hedged_figure_is_flagged(nlp: Any) -> None:
    tolls = tolls_of(nlp, "The rebels reportedly killed 30 soldiers. Officials said 22 died.")
    assert [(t.fact.value.min, t.hedged) for t in tolls] == [(30, True), (22, False)]


@pytest.mark.parametrize(
    "text",
    [
        "A 25-year-old man was arrested on Monday.",
        "Five gunmen stormed the hotel in 2015.",
        "The group is blamed for thousands of deaths across the region.",
        "The ransom of $200,000 was paid at 10 pm.",
        "It was the third attack this month.",
        "Attackers tried to kill two ministers.",
    ],
)
def test_casualties_ignore_non_tolls(nlp: Any, text: str) -> None:
    assert tolls_of(nlp, text) == []


def test_casualties_evidence_matches_text(nlp: Any) -> None:
    text = "In the town, the explosion killed four people and wounded 11 others."
    for toll in tolls_of(nlp, text):
        for ev in toll.fact.evidence:
            assert text[ev.start : ev.end] == ev.text
        assert toll.fact.rule.startswith("casualties.")


def test_casualties_seed_article(nlp: Any) -> None:
    path = SHARED / "seed" / "crocus-commentary.txt"
    if not path.exists():
        pytest.skip("shared seed article not available")
    text = path.read_text(encoding="utf-8")
    art = Article(id="seed", text=text, language="en")
    tolls = find_tolls(Context(art, nlp(text)))
    killed, wounded = best_toll(tolls, "killed"), best_toll(tolls, "wounded")
    assert killed is not None and killed.fact.value == Count(139, None, "at least")
    assert wounded is not None and wounded.fact.value.min == 200


@pytest.mark.parametrize(
    "text",
    [
        "Police are investigating the murder of union leader Jose Perez in the capital.",
        "The assassination of the mayor shocked the town on Monday.",
        "Judges went on strike after magistrate Carlos Valencia Garcia's murder.",
        "The perpetrators of his assassination were never found.",
    ],
)
def test_casualties_killing_of_one_person(nlp: Any, text: str) -> None:
    assert figures(tolls_of(nlp, text), "killed") == [Count(min=1)]


@pytest.mark.parametrize(
    "text",
    [
        "Police foiled the attempted murder of the mayor on Monday.",
        "An assassination attempt on the mayor failed on Monday.",
    ],
)
def test_casualties_no_killing_of_one_person(nlp: Any, text: str) -> None:
    assert Count(min=1) not in figures(tolls_of(nlp, text), "killed")


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("Jose Perez and Ana Lopez were killed on Monday.", "killed", 2),
        ("Gunmen killed Jose Perez and Ana Lopez on Monday.", "killed", 2),
        ("A policeman and a soldier were killed when the bomb exploded.", "killed", 2),
        ("The mayor and his driver were wounded in the ambush.", "wounded", 2),
        # the coordinated verb shares the passive subject
        ("Hector Oqueli and Hilda Flores were abducted and killed in January.", "killed", 2),
        # alternatives count one; "neither ... nor" none
        ("The bomb may have killed a boy and/or a man (sources differ).", "killed", 1),
        ("Neither the judge nor his wife was injured in the blast.", "wounded", 0),
    ],
)
def test_casualties_coordinated_people(nlp: Any, text: str, kind: str, expected: int) -> None:
    assert figures(tolls_of(nlp, text), kind) == [Count(min=expected)]


def test_casualties_coordination_of_non_people_counts_nothing(nlp: Any) -> None:
    text = "The scandal is hurting the army and the president, analysts said."
    assert figures(tolls_of(nlp, text), "wounded") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The murder of six priests shocked the country.", [Count(min=6)]),
        ("The massacre of 40 villagers was condemned abroad.", [Count(min=40)]),
        ("Police foiled the attempted murder of two judges.", []),
    ],
)
def test_casualties_counted_in_a_killing_nouns_phrase(
    nlp: Any, text: str, expected: list[Count]
) -> None:
    assert figures(tolls_of(nlp, text), "killed") == expected


def test_casualties_left_dead_and_injured_keep_their_kinds(nlp: Any) -> None:
    tolls = tolls_of(nlp, "Two people were left dead and four injured in the attack.")
    assert figures(tolls, "killed") == [Count(min=2)]
    assert Count(min=2) not in figures(tolls, "wounded")
