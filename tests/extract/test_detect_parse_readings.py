"""Incident detection: parses that misled the rules (a clause-opening "as", the month
"may" read as a modal, a title before a victim's name, a named group's "forces" or
"army", an attack hours before the news)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from incidex.annotate import load_nlp
from incidex.extract.context import Context
from incidex.extract.detect import Trigger, find_triggers
from incidex.models import Article


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp()


def _found(nlp: Any, text: str) -> list[Trigger]:
    art = Article(id="t", text=text, language="en", published=dt.date(1989, 6, 20))
    return [t for t in find_triggers(Context(art, nlp(art.text))) if not t.generic]


def _reported(nlp: Any, text: str) -> list[Trigger]:
    return [t for t in _found(nlp, text) if not t.background]


@pytest.mark.parametrize(
    "text",
    [
        # a clause-opening "as" frames the sentence; it is no ground of a verbal attack
        "As a result, three farmers were brutally murdered near the river.",
        # "may" after a day number is the month
        "On 12 may two nuns were murdered by a self-styled liberation front.",
        # a title before the name: the one shot is a person
        "Patrolman ortuno was shot by one of the protesters.",
        # a named group's forces or army are no state's
        "Meanwhile, FPLN forces attacked a police patrol in the capital.",
        "The Army of National Redemption has carried out a new attack on the oil pipeline.",
    ],
)
def test_misleading_parses_still_report_the_attack(nlp: Any, text: str) -> None:
    assert _reported(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "The senator attacked the minister as a coward.",
        "Armed men may attack the convoy tonight.",
        "Photographer Anna Berg shot the landscape at dawn.",
        "The army of Peru attacked two border posts on Monday.",
    ],
)
def test_the_readings_they_guard_against_still_hold(nlp: Any, text: str) -> None:
    assert _reported(nlp, text) == []


def test_an_attack_hours_before_is_the_news(nlp: Any) -> None:
    text = "The senator died two hours after he was shot in an attack on his car."
    assert _reported(nlp, text)


def test_an_attack_weeks_before_is_background(nlp: Any) -> None:
    text = "Two weeks after a bomb killed 40 people in the market, the stalls reopened."
    found = _found(nlp, text)
    assert found and all(t.background for t in found)


def test_a_speaker_announcing_an_attack_threatens_it(nlp: Any) -> None:
    found = _found(nlp, "The front said: we will place a bomb in the capital for each arrest.")
    assert [t.stage for t in found] == ["threatened"]


@pytest.mark.parametrize(
    "text",
    [
        "The rebels will place a bomb in the capital, the minister warned.",
        "We could attack the convoy, but we are not sure of it.",
    ],
)
def test_a_future_attack_of_others_or_a_possible_one_reports_nothing(nlp: Any, text: str) -> None:
    assert _found(nlp, text) == []
