"""The attribution status rule: claimed, disputed, suspected or unknown."""

from __future__ import annotations

from dataclasses import dataclass

from incidex.store import attribution_status


@dataclass(frozen=True)
class C:
    kind: str
    party: str | None


def test_attribution_status_without_claims_is_unknown() -> None:
    assert attribution_status([]) == "unknown"
    assert attribution_status([C("warning", "Green Flag")]) == "unknown"
    assert attribution_status([C("denial", "Green Flag")]) == "unknown"


def test_attribution_status_responsibility_is_claimed() -> None:
    claims = [C("responsibility", "Red Hand"), C("denial", "X")]
    assert attribution_status(claims) == "claimed"


def test_attribution_status_claim_and_accusation_of_another_party_is_disputed() -> None:
    # Issue 4: claims and accusations pointing at different parties make a dispute.
    claims = [C("accusation", "Blue Dawn"), C("responsibility", "Red Hand"), C("denial", "X")]
    assert attribution_status(claims) == "disputed"


def test_attribution_status_single_accusation_is_suspected() -> None:
    assert attribution_status([C("accusation", "Blue Dawn")]) == "suspected"
    twice = [C("accusation", "Blue Dawn"), C("accusation", "blue  dawn")]
    assert attribution_status(twice) == "suspected"


def test_attribution_status_accusation_and_denial_same_party_is_disputed() -> None:
    claims = [C("accusation", "Blue Dawn"), C("denial", "BLUE DAWN")]
    assert attribution_status(claims) == "disputed"


def test_attribution_status_denial_of_other_party_keeps_suspected() -> None:
    claims = [C("accusation", "Blue Dawn"), C("denial", "Green Flag")]
    assert attribution_status(claims) == "suspected"


def test_attribution_status_different_parties_accused_is_disputed() -> None:
    claims = [C("accusation", "Blue Dawn"), C("accusation", "Green Flag")]
    assert attribution_status(claims) == "disputed"


def test_attribution_status_unnamed_accused_alone_is_suspected() -> None:
    assert attribution_status([C("accusation", None), C("accusation", "Blue Dawn")]) == (
        "suspected"
    )


def test_attribution_status_denial_under_another_name_of_the_accused_is_disputed() -> None:
    # The accused is named in full and denies under its acronym: one party.
    claims = [C("accusation", "Tehrik-i-Taliban Pakistan"), C("denial", "TTP")]
    assert attribution_status(claims) == "disputed"


def test_attribution_status_two_names_of_one_group_are_not_two_parties() -> None:
    claims = [C("accusation", "ISKP"), C("accusation", "Islamic State Khorasan Province")]
    assert attribution_status(claims) == "suspected"
