"""Assembly: triggers grouped into incidents, summaries, recalled attacks, dates, support."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from incidex.annotate import load_nlp
from incidex.extract import extract
from incidex.models import Article, Extraction, Mention

Run = Callable[..., Extraction]


@pytest.fixture(scope="module")
def run() -> Run:
    nlp: Any = load_nlp()

    def go(text: str, published: dt.date | None = dt.date(2021, 6, 4)) -> Extraction:
        art = Article(id="t", text=text, language="en", published=published)
        return extract(art, nlp(art.text))

    return go


def _reported(ex: Extraction) -> list[Mention]:
    return [m for m in ex.mentions if not m.background and m.stage != "threatened"]


def _killed(m: Mention) -> int | None:
    return m.killed.value.min if m.killed else None


def test_summary_of_several_attacks_is_not_an_incident_of_its_own(run: Run) -> None:
    ex = run(
        "At least thirty people were killed in multiple attacks across Iraq on Friday.\n\n"
        "A car bomb near a market in the town of Hillah killed 14 people.\n\n"
        "In Mosul, gunmen opened fire on a checkpoint, killing nine soldiers."
    )
    found = _reported(ex)
    assert sorted(_killed(m) or 0 for m in found) == [9, 14]


def test_headline_naming_the_country_joins_the_lede_naming_the_city(run: Run) -> None:
    ex = run(
        "Suicide bombing in Afghanistan kills five\n\n"
        "A suicide bomber killed five people outside a bank in Kabul on Thursday."
    )
    assert len(_reported(ex)) == 1


def test_second_attack_in_the_same_city_with_its_own_toll_is_separate(run: Run) -> None:
    ex = run(
        "A bomb exploded at a bus stop in Baghdad on Friday, killing seven people.\n\n"
        "Later, in another part of Baghdad, a roadside bomb killed two policemen."
    )
    assert sorted(_killed(m) or 0 for m in _reported(ex)) == [2, 7]


def test_bare_reference_back_joins_the_attack_before_it(run: Run) -> None:
    ex = run(
        "Gunmen attacked a hotel in Mogadishu on Sunday, killing twelve guests.\n\n"
        "Police said 20 people were wounded in the attack in Mogadishu on Sunday."
    )
    found = _reported(ex)
    assert len(found) == 1
    assert found[0].wounded is not None and found[0].wounded.value.min == 20


def test_attack_dated_weeks_earlier_is_background(run: Run) -> None:
    ex = run(
        "A suicide bomber killed four guards at a ministry in Kabul on June 3.\n\n"
        "On April 20, a suicide bomber blew himself up outside the same ministry."
    )
    assert len(_reported(ex)) == 1
    assert any(m.background for m in ex.mentions)


def test_present_perfect_report_takes_the_publication_date(run: Run) -> None:
    ex = run("Officials say a suicide bomber has killed six people at a market in Kandahar.")
    found = _reported(ex)
    assert found and found[0].date is not None
    assert (found[0].date.value.month, found[0].date.value.day) == (6, 4)


def test_guess_in_modal_perfect_gives_no_date(run: Run) -> None:
    ex = run("In Grozny, a car bomb may have killed a boy, and two people were wounded.")
    found = _reported(ex)
    assert found and found[0].date is None


def test_date_inside_the_attack_phrase_wins_over_the_day_of_the_claim(run: Run) -> None:
    ex = run(
        "A militant group claimed responsibility today for the Saturday night attack on "
        "a prison in Abu Ghraib."
    )
    found = _reported(ex)
    assert found and found[0].date is not None
    assert found[0].date.value.day == 29  # Saturday before Friday 4 June 2021


def test_industrial_explosion_with_a_toll_is_no_attack(run: Run) -> None:
    ex = run("Forty workers were killed in an explosion at a chemical factory in Jiangsu.")
    assert _reported(ex) == []


def test_explosion_with_a_bomb_named_is_an_attack(run: Run) -> None:
    ex = run("A bomb hidden in a parked car caused an explosion in Kabul that killed six.")
    assert len(_reported(ex)) == 1


def test_criticism_called_an_attack_is_no_incident(run: Run) -> None:
    ex = run("The union attacked the new pay freeze at a meeting in Belgrade on Tuesday.")
    assert _reported(ex) == []


def test_army_offensive_is_warfare_not_an_incident(run: Run) -> None:
    ex = run("Iranian troops launched an attack east of Basra, the army said.")
    assert _reported(ex) == []


def test_shares_that_shot_up_are_no_shooting(run: Run) -> None:
    ex = run("Shares of the company shot up 12 dlrs in heavy trading on Wall Street.")
    assert _reported(ex) == []


def test_firm_figure_further_on_refines_a_vague_word_in_the_lede(run: Run) -> None:
    ex = run(
        "Insurgents stormed an army outpost near the town of Garoowe on Friday, killing "
        "dozens of soldiers.\n\n"
        "A regional governor said at least 40 soldiers were killed and others fled."
    )
    (found,) = _reported(ex)
    assert found.killed is not None
    assert (found.killed.value.min, found.killed.value.qualifier) == (40, "at least")


def test_approximate_figure_does_not_refine_a_vague_word(run: Run) -> None:
    ex = run(
        "A bomb exploded at a bus station in the city of Mardan on Friday, wounding dozens "
        "of people.\n\n"
        "About 30 people were wounded, a doctor said."
    )
    (found,) = _reported(ex)
    assert found.wounded is not None
    assert found.wounded.value.min == 24


def test_similar_attacks_and_their_toll_are_recalled_not_reported(run: Run) -> None:
    ex = run(
        "Gunmen attacked a hotel in the city of Kismayo on Monday, killing five guests.\n\n"
        "The group carried out similar attacks on hotels in March and in May. Dozens of "
        "people were killed in those attacks."
    )
    (found,) = _reported(ex)
    assert _killed(found) == 5
    assert any(m.background for m in ex.mentions)
