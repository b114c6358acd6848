"""Rules for well-formed news ledes: a dateline is its own sentence, set phrases of killing
survive a misparse, period tallies are not tolls, "no one was hurt" zeroes both tolls,
"suspected" keeps a group out of the perpetrators, a known group's whole name is the
party of a claim, and a place is no object of another sense."""

from __future__ import annotations

from typing import Any

import pytest

import incidex
from incidex.annotate import load_nlp


def _incidents(text: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = incidex.extract(text, published="2025-03-14").to_dict()[
        "incidents"
    ]
    return [i for i in found if not i.get("background")]


def test_dateline_before_a_dash_is_a_sentence_of_its_own() -> None:
    doc = load_nlp()("KANDAHAR, Afghanistan, March 14, 2025 — Gunmen opened fire on a bus.")
    sents = [s.text.strip() for s in doc.sents]
    assert sents[0] == "KANDAHAR, Afghanistan, March 14, 2025 —"
    assert sents[1].startswith("Gunmen opened fire")


def test_paragraph_opening_in_lower_case_is_no_dateline() -> None:
    doc = load_nlp()("the council voted - and then it adjourned.")
    assert len(list(doc.sents)) == 1


def test_dateline_lede_is_an_incident_with_its_weekday_date() -> None:
    (inc,) = _incidents(
        "KANDAHAR, Afghanistan, March 14, 2025 — Gunmen opened fire on a police post on "
        "Thursday, killing three officers, officials said."
    )
    assert inc["date"]["day"] == 13 and inc["killed"]["min"] == 3


@pytest.mark.parametrize(
    "text",
    [
        "Two men on a scooter shot dead a shopkeeper in Multan on Friday.",
        "Two men on a scooter gunned down a shopkeeper in Multan on Friday.",
        "A shopkeeper was hacked to death by attackers in Multan on Friday.",
    ],
)
def test_set_phrases_of_killing_report_an_attack(text: str) -> None:
    assert _incidents(text)


def test_tally_over_a_period_is_not_the_toll() -> None:
    (inc,) = _incidents(
        "A bomb exploded at a bus stop in Quetta on Thursday, wounding four people. "
        "At least 40 people have been killed in the province since January."
    )
    assert inc["killed"] is None or inc["killed"]["min"] != 40
    assert inc["wounded"]["min"] == 4


def test_no_one_hurt_means_no_one_killed_or_wounded() -> None:
    (inc,) = _incidents(
        "Arsonists set fire to a primary school in Kaduna on Wednesday night. No one was hurt."
    )
    assert inc["killed"]["min"] == 0 and inc["wounded"]["min"] == 0


def test_suspected_group_is_not_a_stated_perpetrator() -> None:
    (inc,) = _incidents(
        "Suspected Boko Haram fighters abducted 12 farmers near Damboa on Tuesday, residents said."
    )
    assert inc["perpetrators"] == []


def test_stated_group_is_a_perpetrator() -> None:
    (inc,) = _incidents("Boko Haram fighters abducted 12 farmers near Damboa on Tuesday.")
    assert inc["perpetrators"] == ["Boko Haram"]


def test_claim_party_is_the_groups_whole_name() -> None:
    result = incidex.extract(
        "Gunmen killed two policemen in Bannu on Monday. The provincial government blamed "
        "the Tehrik-i-Taliban Pakistan for the attack.",
        published="2025-03-14",
    ).to_dict()
    parties = {c["party"] for c in result["claims"] if c["kind"] == "accusation"}
    assert parties and all(p != "Pakistan" for p in parties)


def test_killing_at_a_market_is_an_attack_not_another_sense() -> None:
    (inc,) = _incidents("Gunmen killed 12 people at a market in Kano, Nigeria, on Friday.")
    assert inc["killed"]["min"] == 12


def test_gunmen_tagged_as_a_place_are_not_a_state_at_war() -> None:
    assert _incidents(
        "Gunmen opened fire on a police checkpoint outside Peshawar on Tuesday, killing "
        "four policemen."
    )
