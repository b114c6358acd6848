"""Upper-case wire reports tell killings and threats in words the attack lexicon does not
hold: a body found, a named person killed by no one named, a death threat, a threat to
kill. There they report an incident the MUC-4 keys count; in modern news they do not."""

from __future__ import annotations

import pytest

from incidex import annotate, clean
from incidex.extract import extract
from incidex.models import Extraction, Mention
from incidex.pipeline import document_from_text


def _extracted(text: str) -> Extraction:
    article = clean.clean(document_from_text(text, id="t", published="1990-03-12"))
    return extract(article, annotate.annotate(article), wire_relevance=False)


def _live(found: Extraction) -> list[Mention]:
    return [m for m in found.mentions if not m.background]


def _rules(mention: Mention) -> set[str]:
    return {f.rule for f in mention.attack_types}


def test_wire_bodies_found_report_a_killing() -> None:
    live = _live(
        _extracted(
            "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] THE BODIES OF FOUR TEACHERS WERE FOUND "
            "YESTERDAY ON A ROAD NEAR SAN ISIDRO, THE POLICE REPORTED."
        )
    )
    assert [(m.stage, [f.value for f in m.attack_types]) for m in live] == [
        ("accomplished", ["armed_assault"])
    ]
    assert "detect.found_body" in _rules(live[0])


def test_wire_body_discovered_is_accomplished_not_a_device_found() -> None:
    # "discovered" frames a bomb found as an attempt; a body found is a killing done
    live = _live(
        _extracted(
            "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] A PATROL DISCOVERED THE BODY OF A "
            "PEASANT NEAR THE TOWN OF SAN ISIDRO YESTERDAY."
        )
    )
    assert [m.stage for m in live] == ["accomplished"]


def test_modern_bodies_found_are_no_attack() -> None:
    found = _extracted(
        "San Isidro, 12 March 1990 -- The bodies of four teachers were found yesterday on a "
        "road near San Isidro, the police reported."
    )
    assert not _live(found)


def test_wire_named_person_killed_reports_a_killing() -> None:
    live = _live(
        _extracted(
            "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] WE HAVE JUST CONFIRMED THAT JOURNALIST "
            "PEDRO MARTINEZ WAS KILLED THIS MORNING IN SAN ISIDRO."
        )
    )
    assert [m.evidence.text for m in live] == ["KILLED"]


@pytest.mark.parametrize(
    "sentence",
    [
        "THE FUNERALS OF THE FOUR SPANISH PRIESTS WHO WERE KILLED ON THURSDAY WILL BE HELD "
        "TODAY IN SAN ISIDRO.",
        "THE POLICE SAID THAT NINE INDIAN PEASANTS KILLED ON THURSDAY WERE BURIED TODAY IN SAN "
        "ISIDRO.",
    ],
)
def test_wire_people_named_by_nation_killed(sentence: str) -> None:
    live = _live(_extracted("SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] " + sentence))
    assert [m.evidence.text for m in live] == ["KILLED"]


def test_wire_suspects_of_killing_a_named_person_report_the_killing() -> None:
    live = _live(
        _extracted(
            "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] THE POLICE TODAY ARRESTED THREE MEN "
            "SUSPECTED OF KILLING JOURNALIST PEDRO MARTINEZ IN SAN ISIDRO."
        )
    )
    assert [m.evidence.text for m in live] == ["KILLING"]


def test_wire_suspects_of_killing_in_a_clash_report_no_killing() -> None:
    found = _extracted(
        "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] THE POLICE TODAY ARRESTED THREE MEN "
        "SUSPECTED OF KILLING JOURNALIST PEDRO MARTINEZ IN A CLASH NEAR SAN ISIDRO."
    )
    assert not _live(found)


def test_modern_suspects_of_killing_report_no_attack() -> None:
    found = _extracted(
        "San Isidro, 12 March 1990 -- The police today arrested three men suspected of "
        "killing journalist Pedro Martinez in San Isidro."
    )
    assert not _live(found)


def test_wire_person_killed_in_a_clash_is_combat() -> None:
    found = _extracted(
        "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] THE ARMY REPORTED THAT PEDRO MARTINEZ WAS "
        "KILLED IN A CLASH NEAR SAN ISIDRO THIS MORNING."
    )
    assert not _live(found)


def test_wire_named_soldier_killed_is_no_incident() -> None:
    found = _extracted(
        "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] THE ARMY REPORTED THAT SOLDIER PEDRO "
        "MARTINEZ WAS KILLED NEAR SAN ISIDRO THIS MORNING."
    )
    assert not _live(found)


def test_wire_unnamed_people_killed_are_no_incident_by_themselves() -> None:
    # tolls of wars and disasters ("2,000 people have been killed") name no one
    found = _extracted(
        "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] THE MINISTER SAID THAT MANY PEOPLE HAVE "
        "BEEN KILLED IN THE COUNTRY IN RECENT YEARS."
    )
    assert not _live(found)


def test_modern_named_person_killed_needs_attackers() -> None:
    found = _extracted(
        "San Isidro, 12 March 1990 -- We have just confirmed that journalist Pedro Martinez "
        "was killed this morning in San Isidro."
    )
    assert not _live(found)


def test_wire_death_threats_are_threatened_killings() -> None:
    live = _live(
        _extracted(
            "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] JUDGE PEDRO MARTINEZ TODAY SAID THAT HE "
            "HAS RECEIVED A DEATH THREAT OVER THE TELEPHONE."
        )
    )
    assert [m.stage for m in live] == ["threatened"]
    assert "detect.death_threat" in _rules(live[0])


def test_wire_threat_to_kill_is_threatened() -> None:
    live = _live(
        _extracted(
            "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] AN ARMED GROUP HAS THREATENED TO KILL THE "
            "MAYOR OF SAN ISIDRO, THE POLICE REPORTED TODAY."
        )
    )
    assert [m.stage for m in live] == ["threatened"]


def test_modern_death_threat_is_no_attack() -> None:
    found = _extracted(
        "San Isidro, 12 March 1990 -- Judge Pedro Martinez today said that he has received a "
        "death threat over the telephone."
    )
    assert not _live(found)
