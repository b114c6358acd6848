"""Triggers grouped into incidents: a headline and its lede are one attack; stretches that
state different towns or tolls are different attacks."""

from __future__ import annotations

import incidex


def _live(result: incidex.Extraction) -> list[incidex.Mention]:
    return [m for m in result.mentions if not m.background]


def test_grouping_headline_and_lede_are_one_incident() -> None:
    text = (
        "Car bomb kills 9 at Kirkuk checkpoint\n\n"
        "KIRKUK, Iraq, May 4, 2023 — A car bomb killed at least nine people at a police "
        "checkpoint in Kirkuk on Thursday, officials said.\n\n"
        "The blast also wounded 17 people, a hospital source said."
    )
    mentions = _live(incidex.extract(text))
    assert len(mentions) == 1
    assert mentions[0].killed is not None and mentions[0].killed.value.min == 9


def test_grouping_attacks_in_two_towns_are_two_incidents() -> None:
    text = (
        "A bomb exploded at a bus station in Hilla on Friday, killing 12 people.\n\n"
        "In a separate attack, gunmen killed four soldiers at a checkpoint in Mosul."
    )
    mentions = _live(incidex.extract(text, published="2023-06-02"))
    assert len(mentions) == 2
    assert {m.killed.value.min for m in mentions if m.killed} == {12, 4}
