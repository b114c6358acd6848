"""Upper-case wire reports: an attack word the rules would leave unsupported (no weapon, no
attackers, no toll) still reports an incident there, typed as the MUC-4 keys type it; in
modern news the rules' caution stands."""

from __future__ import annotations

from tests.extract.parsing import extracted

from incidex.models import Extraction


def test_wire_bare_attack_is_an_armed_assault() -> None:
    found = extracted(
        "SAN MIGUEL, 12 MAR 90 (RADIO) -- [TEXT] THE TOWN HALL OF SAN MIGUEL WAS ATTACKED LAST "
        "NIGHT, THE MAYOR SAID. THE BUILDING WAS PARTLY DESTROYED."
    )
    assert [[f.value for f in m.attack_types] for m in found.mentions] == [["armed_assault"]]


def test_modern_bare_attack_needs_support() -> None:
    found = extracted(
        "San Miguel, 12 March 1990 -- The town hall of San Miguel was attacked last night, the "
        "mayor said. The building was partly destroyed."
    )
    assert not found.mentions


def _live_types(found: Extraction) -> list[list[str]]:
    return [[f.value for f in m.attack_types] for m in found.mentions if not m.background]


def test_wire_murder_noun_reports_an_attack() -> None:
    found = extracted(
        "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] THE BISHOPS' CONFERENCE TODAY CONDEMNED THE "
        "MURDER OF THREE TEACHERS IN THE TOWN OF SAN ISIDRO AND ASKED FOR AN INQUIRY."
    )
    assert _live_types(found) == [["armed_assault"]]


def test_wire_killing_noun_reports_an_attack() -> None:
    found = extracted(
        "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] THE MAYOR SAID THAT THE KILLING OF THE TOWN "
        "JUDGE HAS LEFT THE PEOPLE OF SAN ISIDRO IN FEAR."
    )
    assert _live_types(found) == [["armed_assault"]]


def test_modern_murder_noun_is_no_attack_word() -> None:
    found = extracted(
        "San Isidro, 12 March 1990 -- The bishops' conference today condemned the murder of "
        "three teachers in the town of San Isidro and asked for an inquiry."
    )
    assert not found.mentions


def test_wire_bare_murder_names_a_crime() -> None:
    found = extracted(
        "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] THE FORMER MINISTER, WHO HAS BEEN CHARGED "
        "WITH MURDER AND FRAUD, WAS SEEN IN SAN ISIDRO YESTERDAY."
    )
    assert not _live_types(found)
