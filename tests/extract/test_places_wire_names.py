"""Place names: a name the wire wrapped over two lines is read whole; a person's name as an
owner ("Rivera's murder") is no town of a country the report never names, while the
countries it does name count in their possessive form too ("El Salvador's president")."""

from __future__ import annotations

import pytest
from tests.extract.parsing import MODERN, WIRE, extracted


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
