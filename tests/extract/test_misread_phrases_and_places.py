"""Phrases the small parser misreads (an attack verb read as an adjective, "shot dead" read
as a noun) and place names it or the gazetteer splits wrongly: whole articles through
``incidex.extract``."""

from __future__ import annotations

import datetime as dt

import pytest

import incidex
from incidex.models import Incident

PUBLISHED = dt.date(2025, 5, 3)


def only_incident(text: str) -> Incident:
    found = [i for i in incidex.extract(text, published=PUBLISHED).incidents if not i.background]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("venue", ["Golden Mosque", "Riverside Stadium", "Sunrise Hotel"])
def test_a_venue_named_like_a_foreign_town_keeps_its_own_town(venue: str) -> None:
    text = (
        f"Gunmen opened fire at the {venue} in Kano, Nigeria, on Friday, killing seven "
        "worshippers and wounding eleven, police said."
    )
    place = only_incident(text).place.value
    assert (place.venue, place.city, place.country) == (venue, "Kano", "NG")


def test_a_country_name_with_of_the_is_read_whole() -> None:
    text = (
        "Militiamen raided the Central Market in Beni, Democratic Republic of the Congo, on "
        "Thursday night, killing nine traders, the army said."
    )
    place = only_incident(text).place.value
    assert (place.city, place.country, place.admin1) == ("Beni", "CD", None)
    assert place.lat is not None and 0 < place.lat < 1.5


def test_a_venue_named_after_its_town_still_gives_the_town() -> None:
    text = "A bomb exploded outside Abu Ghraib prison on Tuesday, killing four guards."
    place = only_incident(text).place.value
    assert (place.city, place.country) == ("Abu Ghraib", "IQ")


@pytest.mark.parametrize("victims", ["people", "shoppers", "individuals"])
def test_an_armed_attacker_who_stabbed_people_is_an_attack(victims: str) -> None:
    # The small parser hangs "knife" under "stabbed" and reads "stabbed" as an adjective.
    text = (
        f"On 2 May 2025, an attacker armed with a knife stabbed {victims} at the Harbour "
        "Market in Mombasa, Kenya, killing two and wounding five, police said."
    )
    incident = only_incident(text)
    assert incident.killed is not None and incident.killed.value.min == 2
    assert "melee" in [w.value for w in incident.weapons]


def test_a_stabbed_man_taken_to_hospital_is_no_new_attack_word() -> None:
    text = "The stabbed man was taken to hospital, where he recovered. The weather was fine."
    assert [i for i in incidex.extract(text, published=PUBLISHED).incidents] == []


def test_a_named_official_shot_dead_is_one_killed_in_an_assassination() -> None:
    # The small parser reads "shot" as a noun after "a scooter" and the name as an ORG.
    text = (
        "Two gunmen on a scooter shot dead Tomasz Wierzbicki Orlan, a member of the regional "
        "council of Bydgoszcz, on Sunday night, police said.\n\n"
        "His driver was wounded in the arm and taken to hospital, officers said."
    )
    incident = only_incident(text)
    assert incident.killed is not None and incident.killed.value.min == 1
    assert incident.wounded is not None and incident.wounded.value.min == 1
    assert [t.value for t in incident.attack_types] == ["assassination"]


def test_a_headline_official_shot_dead_is_an_assassination() -> None:
    text = "Provincial mayor shot dead near his home\n\nThe weather in the region was mild."
    incident = only_incident(text)
    assert [t.value for t in incident.attack_types] == ["assassination"]


def test_people_shot_dead_in_number_are_counted_not_named() -> None:
    text = "Gunmen shot dead four farmers near Jos, Nigeria, on Saturday, residents said."
    incident = only_incident(text)
    assert incident.killed is not None and incident.killed.value.min == 4
    assert [t.value for t in incident.attack_types] == ["armed_assault"]


def test_a_warning_that_armed_men_were_gathering_is_a_warning_claim() -> None:
    text = (
        "Gunmen burned a village market near Kaduna, Nigeria, on Monday, killing three "
        "traders, residents said.\n\n"
        "Ali Musa, a vigilante leader, said his men had warned the police a day earlier that "
        "armed men were gathering in the forest, but no officers came."
    )
    claims = incidex.extract(text, published=PUBLISHED).claims
    assert [(c.kind, c.party) for c in claims if c.kind == "warning"] == [("warning", "police")]
