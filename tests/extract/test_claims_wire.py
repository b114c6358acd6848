"""Accusations in upper-case wire reports name organisations, not descriptions of people."""

from __future__ import annotations

from incidex.pipeline import extract


def _accused(text: str) -> list[str | None]:
    return [c.party for c in extract(text).claims if c.kind == "accusation"]


def test_wire_accusation_of_a_named_group_is_kept() -> None:
    parties = _accused(
        "SAN SALVADOR, 5 MAR 90 -- THE ARMED FORCES TODAY BLAMED THE FMLN FOR THE MURDER OF "
        "A JUDGE IN SAN MIGUEL."
    )
    assert [p.lower() for p in parties if p] == ["fmln"]


def test_wire_accusation_of_described_people_is_dropped() -> None:
    assert not _accused(
        "SAN SALVADOR, 5 MAR 90 -- THE DEFENSE MINISTER TODAY BLAMED SIX SOLDIERS FOR THE "
        "MURDER OF A JUDGE IN SAN MIGUEL."
    )
    assert not _accused(
        "SAN SALVADOR, 5 MAR 90 -- THE ARMED FORCES TODAY BLAMED THE KIDNAPPERS FOR THE "
        "MURDER OF A JUDGE IN SAN MIGUEL."
    )


def test_mixed_case_accusation_of_described_people_is_kept() -> None:
    parties = _accused(
        "San Salvador, 5 March 1990 -- The defense minister today blamed six soldiers for the "
        "murder of a judge in San Miguel."
    )
    assert parties == ["six soldiers"]
