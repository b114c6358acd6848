"""Incident detection: war communiques, business senses, hostage releases and unreal
infinitives (the firehose and MUC-4 detection rules)."""

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


def _reported(nlp: Any, text: str) -> list[Trigger]:
    art = Article(id="t", text=text, language="en", published=dt.date(1987, 3, 20))
    found = find_triggers(Context(art, nlp(art.text)))
    return [t for t in found if not t.background and not t.generic]


def _types(triggers: list[Trigger]) -> set[str]:
    return {f.value for t in triggers for f in t.attack_types}


# --- warfare between states ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Borovia said it attacked two freighters in the strait last night.",
        "Borovia said its warplanes hit two freighters off the coast in attacks last night.",
        "Ruritanian jets bombed targets in the south for the second time in four days.",
        "Borovia accused Ruritania of keeping up its attacks on the border towns.",
        "Ruritanian forces are still bombing the airstrip captured by the northern army.",
        "An air raid on the oil field killed eight workers on Tuesday.",
    ],
)
def test_state_forces_at_war_report_no_incident(nlp: Any, text: str) -> None:
    assert _reported(nlp, text) == []


def test_war_report_reads_its_vague_attack_words_as_warfare(nlp: Any) -> None:
    text = (
        "Ruritanian jets bombed two ports on the coast on Monday. "
        "The attack was the heaviest this month, a spokesman said."
    )
    assert _reported(nlp, text) == []


def test_guerrillas_in_the_article_keep_its_attacks(nlp: Any) -> None:
    text = (
        "Ruritanian jets bombed two ports on the coast on Monday. "
        "Guerrillas attacked a bus in the capital on Tuesday."
    )
    assert [t.sent_index for t in _reported(nlp, text)] == [1]


def test_an_act_of_war_that_did_not_happen_makes_no_war_report(nlp: Any) -> None:
    text = (
        "A bomb exploded outside the offices of the newspaper on Monday, killing two "
        "reporters. The editor asked who had killed them if the Armed Forces did not kill "
        "the reporters."
    )
    assert [t.sent_index for t in _reported(nlp, text)] == [0]


def test_a_police_raid_makes_no_war_report(nlp: Any) -> None:
    text = (
        "Police forces raided several houses owned by a drug trafficker on Monday. "
        "Two bombs exploded in front of a bank in the capital on Sunday."
    )
    assert [t.sent_index for t in _reported(nlp, text)] == [1]


def test_soldiers_murdering_villagers_is_an_incident(nlp: Any) -> None:
    text = "Army troops massacred six farmers in the village on Sunday."
    assert _reported(nlp, text)


# --- other senses -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I would like to shoot for one million barrels a day, the minister said.",
        "The story was quickly shot down by others in the cabinet.",
        "The toys shoot rays of light and tell you when you have hit someone.",
        "For a company that is supposed to be under siege, we are doing well.",
        "The government said a state of siege was imposed in the capital.",
        "An estimated 8,700 head of dairy cattle were slaughtered during the week.",
        "The unit has executed contracts valued at 142 million dollars.",
        "The agency is studying the development of a new fighter-bomber.",
        "The exporters came under attack over the trade surplus.",
    ],
)
def test_attack_words_in_other_senses_report_nothing(nlp: Any, text: str) -> None:
    assert _reported(nlp, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Two gunmen shot a shopkeeper outside his store on Monday.",
        "The village came under attack by rebels on Monday night.",
        "A policeman was shot in the chest in the market on Monday.",
    ],
)
def test_shooting_and_attack_among_violence_are_kept(nlp: Any, text: str) -> None:
    assert _reported(nlp, text)


# --- hostage releases ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A kidnapped engineer has been freed in the capital after 40 days in captivity.",
        "The hostage was released on Friday, a spokesman said.",
        "The kidnappers of three teachers said one of them was ill.",
    ],
)
def test_hostage_release_reports_a_kidnapping(nlp: Any, text: str) -> None:
    assert _types(_reported(nlp, text)) == {"hostage_kidnapping"}


@pytest.mark.parametrize(
    "text",
    [
        "The customs office released the shipment on Friday.",
        "The envoy was committed to freeing the hostages held in the region.",
        "They hope to release the hostages next week.",
    ],
)
def test_release_of_goods_or_an_aim_to_free_is_no_kidnapping(nlp: Any, text: str) -> None:
    assert _reported(nlp, text) == []


# --- unreal readings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "He taught us how to use explosives.",
        "To massacre the people.",
        "The rebels were about to attack the town.",
        "The leaflet says that in a few days the band will place bombs near the base.",
        "The report that the mayor's daughter was wounded by gunfire is unfounded.",
    ],
)
def test_unreal_attacks_report_nothing(nlp: Any, text: str) -> None:
    assert _reported(nlp, text) == []


def test_bombing_in_a_clause_dated_last_year_is_background(nlp: Any) -> None:
    text = (
        "The council last year imposed sanctions because of the country's role in the "
        "attempted bombing of an airliner."
    )
    assert _reported(nlp, text) == []
