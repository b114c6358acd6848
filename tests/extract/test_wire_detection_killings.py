"""Upper-case wire reports tell killings and threats in words the attack lexicon does not
hold: a body found, a named person killed by no one named, a death threat, a threat to
kill. There they report an incident the MUC-4 keys count; in modern news they do not."""

from __future__ import annotations

import pytest
from tests.extract.parsing import MODERN, WIRE, extracted

from incidex.models import Mention


def _live(text: str) -> list[Mention]:
    return [m for m in extracted(text).mentions if not m.background]


def _rules(mention: Mention) -> set[str]:
    return {f.rule for f in mention.attack_types}


def test_wire_bodies_found_report_a_killing() -> None:
    live = _live(
        WIRE + "THE BODIES OF FOUR TEACHERS WERE FOUND YESTERDAY ON A ROAD NEAR SAN ISIDRO, "
        "THE POLICE REPORTED."
    )
    assert [(m.stage, [f.value for f in m.attack_types]) for m in live] == [
        ("accomplished", ["armed_assault"])
    ]
    assert "detect.found_body" in _rules(live[0])


def test_wire_body_discovered_is_accomplished_not_a_device_found() -> None:
    # "discovered" frames a bomb found as an attempt; a body found is a killing done
    live = _live(
        WIRE + "A PATROL DISCOVERED THE BODY OF A PEASANT NEAR THE TOWN OF SAN ISIDRO YESTERDAY."
    )
    assert [m.stage for m in live] == ["accomplished"]


@pytest.mark.parametrize(
    ("sentence", "word"),
    [
        (
            "WE HAVE JUST CONFIRMED THAT JOURNALIST PEDRO MARTINEZ WAS KILLED THIS MORNING IN "
            "SAN ISIDRO.",
            "KILLED",
        ),
        # people named by nation or creed count as named
        (
            "THE FUNERALS OF THE FOUR SPANISH PRIESTS WHO WERE KILLED ON THURSDAY WILL BE HELD "
            "TODAY IN SAN ISIDRO.",
            "KILLED",
        ),
        (
            "THE POLICE SAID THAT NINE INDIAN PEASANTS KILLED ON THURSDAY WERE BURIED TODAY IN "
            "SAN ISIDRO.",
            "KILLED",
        ),
        # the suspects of a killing report it
        (
            "THE POLICE TODAY ARRESTED THREE MEN SUSPECTED OF KILLING JOURNALIST PEDRO MARTINEZ "
            "IN SAN ISIDRO.",
            "KILLING",
        ),
    ],
    ids=["named_person", "by_nation", "by_nation_participle", "suspects_of"],
)
def test_wire_named_non_fighters_killed_report_a_killing(sentence: str, word: str) -> None:
    assert [m.evidence.text for m in _live(WIRE + sentence)] == [word]


@pytest.mark.parametrize(
    "text",
    [
        MODERN + "The bodies of four teachers were found yesterday on a road near San Isidro, "
        "the police reported.",
        WIRE + "THE POLICE TODAY ARRESTED THREE MEN SUSPECTED OF KILLING JOURNALIST PEDRO "
        "MARTINEZ IN A CLASH NEAR SAN ISIDRO.",
        MODERN + "The police today arrested three men suspected of killing journalist Pedro "
        "Martinez in San Isidro.",
        WIRE + "THE ARMY REPORTED THAT PEDRO MARTINEZ WAS KILLED IN A CLASH NEAR SAN ISIDRO "
        "THIS MORNING.",
        WIRE + "THE ARMY REPORTED THAT SOLDIER PEDRO MARTINEZ WAS KILLED NEAR SAN ISIDRO THIS "
        "MORNING.",
        # tolls of wars and disasters ("2,000 people have been killed") name no one
        WIRE + "THE MINISTER SAID THAT MANY PEOPLE HAVE BEEN KILLED IN THE COUNTRY IN RECENT "
        "YEARS.",
        MODERN + "We have just confirmed that journalist Pedro Martinez was killed this morning "
        "in San Isidro.",
        MODERN + "Judge Pedro Martinez today said that he has received a death threat over the "
        "telephone.",
    ],
    ids=[
        "modern_bodies_found",
        "wire_suspects_in_a_clash",
        "modern_suspects",
        "wire_killed_in_a_clash",
        "wire_named_soldier",
        "wire_unnamed_people",
        "modern_named_person_needs_attackers",
        "modern_death_threat",
    ],
)
def test_no_attack_reported(text: str) -> None:
    assert not _live(text)


def test_wire_death_threats_are_threatened_killings() -> None:
    live = _live(
        WIRE + "JUDGE PEDRO MARTINEZ TODAY SAID THAT HE HAS RECEIVED A DEATH THREAT OVER THE "
        "TELEPHONE."
    )
    assert [m.stage for m in live] == ["threatened"]
    assert "detect.death_threat" in _rules(live[0])


def test_wire_threat_to_kill_is_threatened() -> None:
    live = _live(
        WIRE + "AN ARMED GROUP HAS THREATENED TO KILL THE MAYOR OF SAN ISIDRO, THE POLICE "
        "REPORTED TODAY."
    )
    assert [m.stage for m in live] == ["threatened"]
