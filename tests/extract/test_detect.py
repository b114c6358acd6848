"""Incident detection: attack words that report an attack, their types, weapons and stage."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from incidex.annotate import load_nlp
from incidex.extract.context import Context
from incidex.extract.detect import Trigger, classify_weapons, find_triggers
from incidex.models import Article

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"

Detect = Callable[[str], list[Trigger]]


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp()


def _context(nlp: Any, text: str, published: dt.date | None = dt.date(2024, 3, 25)) -> Context:
    art = Article(id="t1", text=text, language="en", published=published)
    return Context(art, nlp(art.text))


@pytest.fixture(scope="module")
def detect(nlp: Any) -> Detect:
    def run(text: str) -> list[Trigger]:
        return find_triggers(_context(nlp, text))

    return run


def _reported(triggers: list[Trigger]) -> list[Trigger]:
    return [t for t in triggers if not t.background and not t.generic]


def _types(triggers: list[Trigger]) -> set[str]:
    return {f.value for t in _reported(triggers) for f in t.attack_types}


def _weapons(triggers: list[Trigger]) -> set[str]:
    return {f.value for t in _reported(triggers) for f in t.weapons}


def _mentions(triggers: list[Trigger]) -> set[str]:
    return {f.value for t in _reported(triggers) for f in t.weapon_mentions}


# --- attack types and weapons ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "attack_type", "weapon"),
    [
        (
            "Two gunmen opened fire on diners at a cafe late on Saturday.",
            "armed_assault",
            "firearms",
        ),
        (
            "A bomb went off near the bus depot during the morning rush.",
            "bombing_explosion",
            "explosives",
        ),
        (
            "Insurgents detonated an explosive device beside an army truck.",
            "bombing_explosion",
            "explosives",
        ),
        (
            "Arsonists torched the town hall overnight.",
            "facility_infrastructure_attack",
            "incendiary",
        ),
        (
            "Rioters set the mosque ablaze on Thursday evening.",
            "facility_infrastructure_attack",
            "incendiary",
        ),
        (
            "An attacker stabbed four commuters with a machete at the station.",
            "armed_assault",
            "melee",
        ),
        (
            "A driver rammed a van into a crowd of shoppers on the high street.",
            "unarmed_assault",
            "vehicle",
        ),
        ("Masked men sprayed the lobby with gunfire on Monday.", "armed_assault", "firearms"),
    ],
)
def test_detect_types_and_weapons_per_rule(
    detect: Detect, text: str, attack_type: str, weapon: str
) -> None:
    triggers = detect(text)
    assert attack_type in _types(triggers)
    assert weapon in _weapons(triggers)


def test_detect_reworded_incursion_is_armed_assault(detect: Detect) -> None:
    assert "armed_assault" in _types(
        detect("The night-time incursion on the theatre shocked the city.")
    )


def test_detect_massacred_with_gunfire_and_arson(detect: Detect) -> None:
    triggers = detect(
        "Dozens of people were massacred in a spray of gunfire and arson at the stadium."
    )
    assert {"armed_assault", "facility_infrastructure_attack"} <= _types(triggers)
    assert {"firearms", "incendiary"} <= _weapons(triggers)


def test_detect_car_bomb_is_explosives_not_vehicle(detect: Detect) -> None:
    triggers = detect("A car bomb exploded outside the ministry on Tuesday.")
    assert _types(triggers) == {"bombing_explosion"}
    assert _weapons(triggers) == {"explosives"}
    assert "car bomb" in _mentions(triggers)


def test_detect_ramming_is_unarmed_assault_with_vehicle(detect: Detect) -> None:
    triggers = detect("A man ploughed a lorry into pedestrians on the bridge.")
    assert "unarmed_assault" in _types(triggers)
    assert _weapons(triggers) == {"vehicle"}


def test_detect_assassination_of_official_replaces_armed_assault(detect: Detect) -> None:
    triggers = detect("The provincial governor was shot dead by gunmen outside his office.")
    assert _types(triggers) == {"assassination"}
    assert "firearms" in _weapons(triggers)


@pytest.mark.parametrize(
    ("text", "attack_type"),
    [
        ("Rebels assassinated the deputy mayor on Friday.", "assassination"),
        ("Armed men abducted three nurses from the clinic.", "hostage_kidnapping"),
        ("Four men hijacked a ferry carrying tourists.", "hijacking"),
        (
            "Gunmen held shoppers hostage inside the mall until police ended the siege.",
            "hostage_barricade",
        ),
        ("Saboteurs blew up a gas pipeline near the border.", "bombing_explosion"),
    ],
)
def test_detect_other_attack_types(detect: Detect, text: str, attack_type: str) -> None:
    assert attack_type in _types(detect(text))


def test_detect_barricade_is_not_also_kidnapping(detect: Detect) -> None:
    triggers = detect("Gunmen held shoppers hostage inside the mall until police ended the siege.")
    assert "hostage_kidnapping" not in _types(triggers)


def test_classify_weapons_keeps_instrument_words(nlp: Any) -> None:
    ctx = _context(nlp, "The attackers threw grenades and fired AK-47 rifles at the patrol.")
    categories, mentions = classify_weapons(ctx, ctx.sents[0])
    assert {c.value for c in categories} == {"explosives", "firearms"}
    assert {m.value for m in mentions} == {"grenades", "AK-47 rifles"}
    for fact in (*categories, *mentions):
        ev = fact.evidence[0]
        assert ctx.article.text[ev.start : ev.end] == ev.text


def test_classify_weapons_petrol_bomb_is_incendiary(nlp: Any) -> None:
    ctx = _context(nlp, "Youths hurled a petrol bomb at the police station.")
    categories, _ = classify_weapons(ctx, ctx.sents[0])
    assert [c.value for c in categories] == ["incendiary"]


# --- stage --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A bomb left under the bridge failed to explode.",
        "The device did not explode.",
        "Army engineers defused a bomb found near the market.",
    ],
)
def test_detect_failed_bomb_is_attempted(detect: Detect, text: str) -> None:
    triggers = _reported(detect(text))
    assert triggers
    assert {t.stage for t in triggers} == {"attempted"}


def test_detect_threat_to_bomb_is_threatened(detect: Detect) -> None:
    triggers = detect("The group threatened to bomb the consulate.")
    assert [t.stage for t in triggers] == ["threatened"]


def test_detect_reported_attack_is_accomplished(detect: Detect) -> None:
    triggers = detect("Militants attacked a police post in the valley on Sunday.")
    assert [t.stage for t in _reported(triggers)] == ["accomplished"]


# --- things that are not reported attacks -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Police foiled a plot to attack the parliament.",
        "They planned to carry out an attack on the embassy.",
        "The suspects were arrested before they could carry out the attack.",
        "If the depot were attacked, the response would be swift.",
        "Officials insisted that no attack had taken place.",
        "Militants could attack the capital.",
        "The group will attack again, the leaflet said.",
        "Officials warned that an attack was imminent.",
        "There is a strong possibility of an attack.",
        "The singer suffered a heart attack on Monday.",
        "The bank was hit by a ransomware attack last week.",
        "The firm reported a cyberattack on its servers.",
        "A dog attack left a child injured.",
        "The senator attacked the new policy over its cost.",
        "The shooting of the film ended in May.",
        "There was an explosion in housing prices.",
        "Police raided a house in the suburb.",
        "Terrorism is a threat to every nation.",
        "The group is responsible for thousands of deaths in the region.",
        "The militants vowed to launch more attacks.",
    ],
)
def test_detect_non_attacks_yield_nothing_reported(detect: Detect, text: str) -> None:
    assert _reported(detect(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "Any attack on civilians is a crime.",
        "Attacks on journalists have risen sharply.",
        # a plural attack noun listed among other kinds of acts names what goes on, not
        # attacks that happened
        "The committee denounced arrests, bombings and the censorship of the press.",
        "The council condemned the kidnappings and the crimes of the cartels.",
    ],
)
def test_detect_generic_remarks_are_generic(detect: Detect, text: str) -> None:
    triggers = detect(text)
    assert triggers
    assert all(t.generic for t in triggers)


@pytest.mark.parametrize(
    "text",
    [
        "Intelligence reports say the rebels will attempt to attack the barracks next week.",
        "The gunmen did not try to shoot the guards.",
        "The attackers could try to storm the embassy.",
    ],
)
def test_detect_future_or_negated_attempts_report_nothing(detect: Detect, text: str) -> None:
    # an attempt that is only announced, possible or denied is no attempt
    assert _reported(detect(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "The gunmen tried to shoot the mayor on Sunday.",
        "The rebels attempted to blow up the bridge yesterday.",
    ],
)
def test_detect_made_attempts_are_attempted(detect: Detect, text: str) -> None:
    assert [t.stage for t in _reported(detect(text))] == ["attempted"]


@pytest.mark.parametrize(
    "text",
    [
        "The bombings and the shootings on Monday killed twelve people.",
        "The police reported kidnappings and bombings in three towns last week.",
        "Gunmen carried out two attacks on police stations yesterday.",
        "Repeated bombings of the pipeline cut the flow of crude last month.",
    ],
)
def test_detect_attacks_listed_alone_or_repeated_are_reported(detect: Detect, text: str) -> None:
    # attack nouns coordinated only with other attack nouns, or repeated, still report attacks
    assert _reported(detect(text))


@pytest.mark.parametrize(
    "text",
    [
        "The town marked the anniversary of the bombing on Monday.",
        "He was sentenced to life in prison for the bombing.",
        "The 2009 abduction of the aid workers is still unsolved.",
    ],
)
def test_detect_anniversary_trial_and_old_dates_are_background(detect: Detect, text: str) -> None:
    triggers = detect(text)
    assert triggers
    assert all(t.background for t in triggers)


def test_detect_recalled_attack_is_background_fresh_one_is_not(detect: Detect) -> None:
    triggers = detect(
        "Two weeks after a truck bomb killed 80 people in the city, gunmen attacked a hotel."
    )
    fresh = _reported(triggers)
    assert [t.evidence.text for t in fresh] == ["attacked"]
    assert _weapons(triggers) == {"firearms"}
    assert any(t.background for t in triggers)


def test_detect_definite_reference_inherits_other_sense(detect: Detect) -> None:
    triggers = detect(
        "A ransomware attack hit the hospital chain on Sunday. "
        "Staff said the attack locked every computer."
    )
    assert _reported(triggers) == []


def test_detect_evidence_text_matches_article(nlp: Any) -> None:
    ctx = _context(nlp, "Gunmen opened fire on a wedding party, killing seven guests.")
    triggers = find_triggers(ctx)
    assert triggers
    for trig in triggers:
        ev = trig.evidence
        assert ctx.article.text[ev.start : ev.end] == ev.text
        assert ctx.sents[trig.sent_index].start_char <= ev.start
        for fact in trig.attack_types:
            assert fact.rule.startswith("detect.")


# --- real articles, read at run time ----------------------------------------------------------


def _shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


def test_detect_seed_article(nlp: Any) -> None:
    text = _shared("seed", "crocus-commentary.txt").read_text(encoding="utf-8")
    triggers = find_triggers(_context(nlp, text, published=None))
    assert {"armed_assault", "facility_infrastructure_attack"} <= _types(triggers)
    assert {"firearms", "incendiary"} <= _weapons(triggers)
    assert "bombing_explosion" not in _types(triggers)


@pytest.mark.parametrize("article_id", ["hn47", "hn48", "hn51", "hn53"])
def test_detect_dev_articles_without_incident(nlp: Any, article_id: str) -> None:
    path = _shared("eval", "dev", "input.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    record = next(r for r in records if r["id"] == article_id)
    published = dt.date.fromisoformat(record["published"]) if record.get("published") else None
    triggers = find_triggers(_context(nlp, record["text"], published=published))
    assert _reported(triggers) == []


def test_detect_since_clause_recalls_earlier_attack(detect: Detect) -> None:
    triggers = detect(
        "The blast was the deadliest in the city since a 2015 massacre left 40 people dead."
    )
    assert [t.evidence.text for t in _reported(triggers)] == ["blast"]
    assert [t.evidence.text for t in triggers if t.background] == ["massacre"]


def test_detect_causal_since_is_not_background(detect: Detect) -> None:
    triggers = detect("Since there was a market nearby, the bomb killed many shoppers.")
    assert [t.evidence.text for t in _reported(triggers)] == ["bomb"]


# --- flags the assembly reads --------------------------------------------------------------


def test_detect_marks_plural_attacks_across_a_country_as_summary(detect: Detect) -> None:
    summary = _reported(detect("Twenty people died in several bombings across Syria today."))
    single = _reported(detect("Twenty people died in a bombing in Damascus today."))
    assert summary and all(t.summary for t in summary)
    assert single and not any(t.summary for t in single)


def test_detect_marks_the_attack_as_a_reference_back(detect: Detect) -> None:
    back = _reported(detect("Police said nobody has claimed the attack."))
    fresh = _reported(detect("Gunmen carried out an attack on a bus in Quetta."))
    assert back and back[0].anaphoric and back[0].definite
    assert fresh and not fresh[0].definite


def test_detect_needs_support_for_an_explosion_alone(detect: Detect) -> None:
    bare = _reported(detect("An explosion tore through a fertiliser plant in Texas."))
    armed = _reported(detect("An explosion set off by militants tore through a market."))
    assert bare and not bare[0].supported and bare[0].accidental
    assert armed and armed[0].supported


def test_detect_drops_cattle_slaughter_and_bomber_aircraft(detect: Detect) -> None:
    assert _reported(detect("Hog and cattle slaughter rose 4 pct in March.")) == []
    assert _reported(detect("The firm won a contract for work on the B-1B bomber.")) == []


def test_detect_keeps_a_shooting_by_armed_men_but_not_shares_shooting_up(detect: Detect) -> None:
    assert _reported(detect("Armed men set fire to a school in the town overnight."))
    assert _reported(detect("Armed men set fire to a school in the town overnight."))[0].supported
    assert _reported(detect("Shares of the bank shot up 3 dlrs on the news.")) == []


def test_detect_reads_a_dateline_city_as_no_state_attacker(detect: Detect) -> None:
    found = _reported(detect("MANILA, May 18 - Armed men set fire to a school in the town."))
    assert found and found[0].supported
    assert _reported(detect("Iraq attacked two tankers in the Gulf on Sunday.")) == []
