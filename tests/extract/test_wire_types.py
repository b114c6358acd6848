"""Attack types of upper-case wire reports read at the MUC-4 keys' granularity."""

from __future__ import annotations

from incidex.extract import _wire_types
from incidex.models import Evidence, Fact

_EV = Evidence("t", 0, 6, "ATTACK", "ATTACK.", 0)


def _types(*values: str) -> list[str]:
    found = tuple(Fact(v, (_EV,), "test") for v in values)
    return [f.value for f in _wire_types(found, _EV)]


def test_an_attack_word_without_a_type_is_an_armed_assault() -> None:
    assert _types() == ["armed_assault"]
    assert _types("unknown") == ["armed_assault"]


def test_damage_by_an_explosion_is_not_arson() -> None:
    assert _types("bombing_explosion", "facility_infrastructure_attack") == ["bombing_explosion"]


def test_arson_alone_stays_arson() -> None:
    assert _types("facility_infrastructure_attack") == ["facility_infrastructure_attack"]


def test_a_siege_beside_another_type_is_dropped() -> None:
    assert _types("assassination", "hostage_barricade") == ["assassination"]
    assert _types("hostage_barricade") == ["hostage_barricade"]


def test_known_types_are_kept_as_found() -> None:
    assert _types("armed_assault", "bombing_explosion") == ["armed_assault", "bombing_explosion"]
