"""Place names in wire and modern text: a name the wire wrapped over two lines is read
whole; a person's name is no town (an owner such as "Rivera's murder" in a country the report
never names, the last word of a run of names, a word of a full name given elsewhere); the
dateline counts as a country named, places the lead's news and gives an attack told further
on only its country; a country named in the possessive ("El Salvador's") counts."""

from __future__ import annotations

import pytest
from tests.extract.parsing import MODERN, WIRE, extracted, parsed

from incidex.extract import places


def _places(text: str) -> list[tuple[str | None, str | None]]:
    return [
        (m.place.value.city, m.place.value.country)
        for m in extracted(text).mentions
        if m.place is not None
    ]


def test_city_name_wrapped_over_two_lines_is_read_whole() -> None:
    text = WIRE + (
        "URBAN GUERRILLAS BOMBED THE NATIONAL POLICE HEADQUARTERS LAST NIGHT IN SAN\n"
        "SALVADOR, THE ARMED FORCES PRESS OFFICE REPORTED."
    )
    assert _places(text) == [("San Salvador", "SV")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            WIRE + "EL SALVADOR'S PRESIDENT SAID THAT GUERRILLAS KILLED TWO SOLDIERS AFTER "
            "DUARTE'S DECLARATION.",
            "Duarte",
        ),
        (
            MODERN + "Salvadoran officials said gunmen killed a councillor a week after "
            "Rivera's murder.",
            "Rivera",
        ),
    ],
    ids=["wire", "modern"],
)
def test_owner_named_like_a_foreign_town_is_no_place(text: str, name: str) -> None:
    assert all(city != name for city, _ in _places(text))


# The attack is told three sentences after the dateline, placed by nothing else.
LATER = (
    "THE POLICE PUBLISHED ITS MONTHLY REPORT TODAY. THE MINISTER SPOKE TO THE PRESS ON IT. "
    "THE REPORT SAID THAT GUERRILLAS KIDNAPPED A TEACHER AND TWO FARMERS LAST WEEK."
)


def test_wire_dateline_gives_a_later_attack_only_its_country() -> None:
    # The dateline's town is where the report was filed from.
    (place,) = [m.place.value for m in extracted(WIRE + LATER).mentions if m.place is not None]
    assert (place.city, place.country) == (None, "PE")


def test_modern_dateline_gives_a_later_attack_its_town() -> None:
    text = MODERN + LATER.capitalize()
    (place,) = [m.place.value for m in extracted(text).mentions if m.place is not None]
    assert place.city == "San Isidro"


def test_dateline_country_counts_among_the_countries_named() -> None:
    text = (
        "SAN SALVADOR, 12 MAR 90 (RADIO) -- [TEXT] A BOMB EXPLODED LAST NIGHT AT THE "
        "MAYOR'S OFFICE IN SAN MIGUEL. NOBODY WAS HURT, THE POLICE SAID."
    )
    assert ("San Miguel", "SV") in _places(text)


def test_name_run_split_by_the_parse_is_no_town() -> None:
    # The parse splits "PABLO PELAEZ" from "GONZALEZ", which alone names a town.
    text = WIRE + "THE DECISION CAME AFTER THE KILLING OF PABLO PELAEZ GONZALEZ, A BANKER."
    assert "Gonzalez" not in {city for city, _ in _places(text)}


def test_surname_of_a_full_name_given_elsewhere_names_the_person() -> None:
    text = "Gunmen shot Jorge Castillo Garcia on Friday. Castillo had received threats."
    doc = parsed(text, "1990-03-12").doc
    alone = next(t.i for t in doc if t.text == "Castillo" and t.i > 5)
    assert places._names_a_person(doc, (alone, alone + 1, "ORG"))
    other = next(t.i for t in doc if t.text == "Friday")
    assert not places._names_a_person(doc, (other, other + 1, "ORG"))
