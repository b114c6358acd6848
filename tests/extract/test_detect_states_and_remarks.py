"""Attack words that report no attack: a legal state ("a state of siege"), a metaphor ("a
social time bomb"), a remark about a kind of act ("most of the murders"), the toll of a war
("the killing of over 70,000 civilians") and, in wire text, a fighter killed in combat; each
beside the same words reporting an attack."""

from __future__ import annotations

import pytest
from tests.extract.parsing import MODERN, WIRE, extracted


def _live(text: str) -> int:
    return sum(not m.background for m in extracted(text).mentions)


@pytest.mark.parametrize(
    "text",
    [
        WIRE + "A STATE OF SIEGE MIGHT BE DECLARED AT ANY MOMENT TO CONTROL THE TERRORIST "
        "VIOLENCE, THE INTERIOR MINISTER SAID.",
        MODERN + "The cabinet lifted the state of siege imposed after the terrorist violence of "
        "last month.",
        MODERN + "The slums around the capital are a social time bomb about to explode, the "
        "bishop warned.",
        WIRE + "THE BISHOP SAID THE SLUMS ARE A SOCIAL TIME BOMB ABOUT TO EXPLODE.",
        WIRE + "THE REPORT SAYS THESE GANGS OF HIRED GUNMEN TOOK PART IN MOST OF THE MURDERS "
        "OF UNION LEADERS IN THE PROVINCE.",
        WIRE + "THE NEW CONSTITUTION WAS DRAFTED AFTER THE KILLING OF OVER 70,000 PEASANTS.",
        MODERN + "The regime is blamed for the massacre of 40,000 villagers in the north.",
        WIRE + "THE PARTY SAID THAT ITS MEMBER JOSE MARTINEZ WAS KILLED ON 3 MARCH WHILE "
        "FIGHTING ON THE NORTHERN FRONT.",
    ],
    ids=[
        "wire_state_of_siege",
        "modern_state_of_siege",
        "modern_social_time_bomb",
        "wire_social_time_bomb",
        "wire_most_of_the_murders",
        "wire_war_toll",
        "modern_regime_toll",
        "wire_killed_while_fighting",
    ],
)
def test_attack_words_that_report_no_attack(text: str) -> None:
    assert _live(text) == 0


@pytest.mark.parametrize(
    "text",
    [
        MODERN + "Gunmen laid siege to the town hall on Monday and held 20 employees hostage.",
        MODERN + "A time bomb exploded in the market on Monday, killing two vendors.",
        WIRE + "THE POLICE ARE INVESTIGATING THE MURDERS OF THREE UNION LEADERS IN THE PROVINCE "
        "ON MONDAY.",
        WIRE + "GUERRILLAS KILLED 70 PEASANTS IN THE VILLAGE OF SAN JOSE YESTERDAY.",
        WIRE + "THE PARTY SAID THAT ITS MEMBER JOSE MARTINEZ WAS KILLED ON 3 MARCH IN HIS HOUSE.",
    ],
    ids=[
        "siege_of_a_building",
        "time_bomb_exploded",
        "wire_murders_of_three",
        "wire_seventy_killed",
        "wire_killed_at_home",
    ],
)
def test_the_same_words_reporting_an_attack(text: str) -> None:
    assert _live(text) == 1
