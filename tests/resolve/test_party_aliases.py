"""Attribution status counts one armed group once, whichever of its names (or a phrase
naming it) a claim uses; different groups still dispute an attack."""

from __future__ import annotations

from dataclasses import dataclass

from incidex.resolve import attribution_status


@dataclass(frozen=True)
class Said:
    kind: str
    party: str | None
    speaker: str | None = None
    hedged: bool = False


def test_two_names_of_one_group_make_a_claim_not_a_dispute() -> None:
    claims = [
        Said("responsibility", "TTP", "TTP"),
        Said("accusation", "Tehrik-i-Taliban Pakistan", "the provincial police"),
    ]
    assert attribution_status(claims) == "claimed"


def test_a_phrase_naming_a_group_counts_as_that_group() -> None:
    claims = [
        Said("responsibility", "Islamic State", "Islamic State"),
        Said("accusation", "fighters of the Islamic State group", "the army"),
    ]
    assert attribution_status(claims) == "claimed"


def test_claims_pointing_at_different_groups_are_disputed() -> None:
    claims = [
        Said("responsibility", "TTP", "TTP"),
        Said("accusation", "Boko Haram", "the governor"),
    ]
    assert attribution_status(claims) == "disputed"
