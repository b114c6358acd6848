"""Perpetrators, targets, victims and group names."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from incidex.annotate import load_nlp, parse_text
from incidex.extract.actors import (
    Targets,
    canonical_group,
    find_perpetrators,
    find_targets,
    target_type_of,
)
from incidex.extract.claims import find_claims
from incidex.extract.context import Context
from incidex.models import Article

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp()


def context(nlp: Any, text: str) -> Context:
    art = Article(id="t1", text=text, language="en", published=datetime.date(2024, 3, 25))
    return Context(art, nlp(art.text))


def perpetrators(nlp: Any, text: str) -> tuple[list[str], list[str]]:
    ctx = context(nlp, text)
    groups, people = find_perpetrators(ctx, range(len(ctx.sents)), find_claims(ctx))
    for fact in (*groups, *people):
        for ev in fact.evidence:
            assert text[ev.start : ev.end] == ev.text
    return [g.value for g in groups], [p.value for p in people]


def targets(nlp: Any, text: str) -> Targets:
    ctx = context(nlp, text)
    return find_targets(ctx, range(len(ctx.sents)))


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("ISKP", "ISIS-K"),
        ("Islamic State Khorasan Province", "ISIS-K"),
        ("Islamic State of Iraq and al-Sham–Khorasan", "ISIS-K"),
        ("Daesh", "Islamic State"),
        ("the Islamic State", "Islamic State"),
        ("Tehrik-i-Taliban Pakistan", "Pakistani Taliban"),
        ("TTP", "Pakistani Taliban"),
        ("al-Shabaab", "al-Shabab"),
        ("Shabab", "al-Shabab"),
        ("Sendero Luminoso", "Shining Path"),
        ("LTTE", "Tamil Tigers"),
        ("Ansar Allah", "Houthis"),
        ("a faction of the Pakistani Taliban", "Pakistani Taliban"),
        ("Al Quaida", "al-Qaeda"),
    ],
)
def test_canonical_group_resolves_aliases(name: str, canonical: str) -> None:
    assert canonical_group(name) == canonical


def test_canonical_group_unknown_and_case() -> None:
    assert canonical_group("the local football club") is None
    assert canonical_group("is") is None
    assert canonical_group("IS") == "Islamic State"


def test_perpetrators_claimed_group(nlp: Any) -> None:
    groups, _ = perpetrators(nlp, "The Taliban claimed responsibility for the attack on the base.")
    assert groups == ["Taliban"]


def test_perpetrators_accusation_is_not_a_perpetrator(nlp: Any) -> None:
    text = "Gunmen stormed a market. The governor blamed the attack on Boko Haram."
    groups, people = perpetrators(nlp, text)
    assert groups == []
    assert people == ["Gunmen"]


def test_perpetrators_group_fighters_stated(nlp: Any) -> None:
    groups, people = perpetrators(nlp, "Boko Haram gunmen attacked a village in Borno state.")
    assert groups == ["Boko Haram"]
    assert people == ["Boko Haram gunmen"]


def test_perpetrators_attack_by_named_body(nlp: Any) -> None:
    text = "The raid by the militia known as the Lord's Resistance Army left ten dead."
    groups, _ = perpetrators(nlp, text)
    assert groups == ["Lord's Resistance Army"]


def test_perpetrators_unnamed_gunmen_stay_unnamed(nlp: Any) -> None:
    groups, people = perpetrators(nlp, "Unidentified gunmen shot dead a judge on Monday.")
    assert groups == []
    assert people == ["Unidentified gunmen"]


def test_perpetrators_suicide_bomber(nlp: Any) -> None:
    _, people = perpetrators(nlp, "A suicide bomber killed 12 people at a checkpoint.")
    assert people == ["suicide bomber"]


def test_targets_physical_and_type(nlp: Any) -> None:
    found = targets(nlp, "Militants attacked a police station in the north.")
    assert [t.value for t in found.targets] == ["police station"]
    assert found.target_type is not None and found.target_type.value == "police"


def test_targets_victim_descriptions_military(nlp: Any) -> None:
    found = targets(nlp, "The bomb killed three soldiers near the border.")
    assert [v.value for v in found.victim_descriptions] == ["three soldiers"]
    assert found.target_type is not None and found.target_type.value == "military"


def test_targets_named_victim_with_title(nlp: Any) -> None:
    found = targets(nlp, "Gunmen assassinated Mayor John Smith outside his home.")
    assert [v.value for v in found.victims] == ["John Smith"]


def test_targets_generic_people_not_listed(nlp: Any) -> None:
    found = targets(nlp, "The blast killed at least 30 people.")
    assert found.victim_descriptions == ()
    assert found.targets == ()


def test_targets_took_place_is_no_target(nlp: Any) -> None:
    assert targets(nlp, "The explosion took place at noon.").targets == ()


@pytest.mark.parametrize(
    ("phrase", "kind"),
    [
        ("the concert venue", "business"),
        ("a crowded market", "business"),
        ("an army base", "military"),
        ("a mosque", "religious figures/institutions"),
        ("the US embassy", "government (diplomatic)"),
        ("a passenger bus", "transportation"),
        ("the high school", "educational institution"),
        ("civilians", "private citizens & property"),
        ("policemen", "police"),
        ("the sky", None),
    ],
)
def test_target_type_of_phrases(phrase: str, kind: str | None) -> None:
    assert target_type_of(phrase) == kind


def test_actors_seed_article(nlp: Any) -> None:
    path = SHARED / "seed" / "crocus-commentary.txt"
    if not path.exists():
        pytest.skip("shared seed article not available")
    text = path.read_text(encoding="utf-8")
    groups, _ = perpetrators(nlp, text)
    assert groups == ["ISIS-K"]
    found = targets(nlp, text)
    assert any("Crocus City Hall" in t.value for t in found.targets)
    assert found.target_type is not None and found.target_type.value == "business"


# --- upper-case wire text (MUC-4 style) and role fillers ----------------------------------


def wire_context(nlp: Any, text: str) -> Context:
    art = Article(id="w1", text=text, language="en")
    return Context(art, nlp(parse_text(art)))


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Army of National Liberation", "ELN"),
        ("Extraditables", "The Extraditables"),
        ("Medellin cartel", "Medellin Cartel"),
        ("Lautaro Youth Front", "Lautaro Youth Movement"),
        ("FPL", "Farabundo Marti Popular Liberation Forces"),
    ],
)
def test_canonical_group_knows_muc_era_groups(name: str, canonical: str) -> None:
    assert canonical_group(name) == canonical


def test_perpetrators_upper_case_passive_agent(nlp: Any) -> None:
    text = "FOUR PEASANTS WERE KIDNAPPED BY TERRORISTS IN THE TOWN OF ESPERANZA YESTERDAY."
    ctx = wire_context(nlp, text)
    _, people = find_perpetrators(ctx, range(len(ctx.sents)), [])
    assert [p.value for p in people] == ["TERRORISTS"]


def test_perpetrators_members_of_group_keep_the_group(nlp: Any) -> None:
    text = "Members of the Ricardo Franco Front attacked a police post near the town."
    _, people = perpetrators(nlp, text)
    assert people == ["Members of the Ricardo Franco Front"]


def test_perpetrators_describing_an_attack_noun(nlp: Any) -> None:
    _, people = perpetrators(nlp, "The terrorist attack destroyed the power station.")
    assert people == ["terrorist"]


def test_perpetrators_in_wire_text_not_read_off_an_attack_noun(nlp: Any) -> None:
    text = "A TERRORIST ATTACK DESTROYED THE POWER STATION IN THE TOWN YESTERDAY."
    ctx = wire_context(nlp, text)
    _, people = find_perpetrators(ctx, range(len(ctx.sents)), [])
    assert people == ()


def test_perpetrators_group_named_in_wire_text_by_its_own_words(nlp: Any) -> None:
    text = "URBAN COMMANDOS OF THE ARMY OF NATIONAL LIBERATION BLEW UP AN OIL PIPELINE TODAY."
    ctx = wire_context(nlp, text)
    groups, _ = find_perpetrators(ctx, range(len(ctx.sents)), [])
    assert [g.value for g in groups] == ["ARMY OF NATIONAL LIBERATION"]


def test_perpetrators_group_named_in_news_by_canonical_name(nlp: Any) -> None:
    groups, _ = perpetrators(nlp, "Fighters of the Army of National Liberation blew up a pipeline.")
    assert groups == ["ELN"]


def test_targets_victim_of_murder_noun(nlp: Any) -> None:
    found = targets(nlp, "Police are investigating the murder of Carlos Mendoza in the capital.")
    assert [v.value for v in found.victims] == ["Carlos Mendoza"]


def test_targets_victim_named_beside_a_title(nlp: Any) -> None:
    found = targets(nlp, "Gunmen shot the mayor, Julio Ortega, outside the town hall.")
    assert [v.value for v in found.victims] == ["Julio Ortega"]


def test_targets_upper_case_victim_keeps_the_text_words(nlp: Any) -> None:
    ctx = wire_context(
        nlp, "GUERRILLAS MURDERED JUAN PEREZ GARCIA AND BURNED THE MUNICIPAL BUILDING."
    )
    found = find_targets(ctx, range(len(ctx.sents)))
    assert [v.value for v in found.victims] == ["JUAN PEREZ GARCIA"]
    for fact in found.victims:
        assert fact.evidence[0].text == "JUAN PEREZ GARCIA"


def test_perpetrators_lose_the_hedge_in_front(nlp: Any) -> None:
    text = "TWO BUSES WERE BURNED BY ALLEGED URBAN GUERRILLAS IN THE TOWN OF ESPERANZA TODAY."
    ctx = wire_context(nlp, text)
    _, people = find_perpetrators(ctx, range(len(ctx.sents)), [])
    assert [p.value for p in people] == ["URBAN GUERRILLAS"]
    for fact in people:
        assert [e.text for e in fact.evidence] == ["URBAN GUERRILLAS"]


def test_perpetrators_in_wire_text_lose_the_group_name_in_front(nlp: Any) -> None:
    text = "A BRIDGE WAS DYNAMITED BY SHINING PATH TERRORISTS IN HUANTA LAST NIGHT."
    ctx = wire_context(nlp, text)
    _, people = find_perpetrators(ctx, range(len(ctx.sents)), [])
    assert [p.value for p in people] == ["TERRORISTS"]
