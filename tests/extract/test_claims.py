"""Claims: responsibility, accusation, denial and warning, read from the parse."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from incidex.annotate import load_nlp
from incidex.extract.claims import find_claims
from incidex.extract.context import Context
from incidex.models import Article, Claim

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp()


def claims_of(nlp: Any, text: str) -> list[Claim]:
    art = Article(id="t1", text=text, language="en", published=datetime.date(2024, 3, 25))
    return find_claims(Context(art, nlp(art.text)))


def triples(claims: list[Claim]) -> set[tuple[str, str | None, str | None]]:
    return {(c.kind, c.speaker, c.party) for c in claims}


def test_claims_responsibility_from_claim_verb(nlp: Any) -> None:
    found = claims_of(nlp, "Boko Haram claimed responsibility for the bombing of the market.")
    assert triples(found) == {("responsibility", "Boko Haram", "Boko Haram")}
    assert found[0].rule == "claims.claimed_responsibility"
    assert found[0].incident is None


def test_claims_passive_claimed_by(nlp: Any) -> None:
    found = claims_of(nlp, "Responsibility for the ambush was claimed by the New People's Army.")
    assert [(c.kind, c.party) for c in found] == [("responsibility", "New People's Army")]


def test_claims_nominal_affirmation_of_responsibility(nlp: Any) -> None:
    text = "Few noticed ISIS-K's quick affirmation of responsibility for the siege."
    found = claims_of(nlp, text)
    assert triples(found) == {("responsibility", "ISIS-K", "ISIS-K")}


def test_claims_said_it_carried_out(nlp: Any) -> None:
    found = claims_of(
        nlp, "In a claim posted online, al-Shabaab said its fighters stormed the hotel."
    )
    assert [(c.kind, c.speaker, c.party) for c in found] == [
        ("responsibility", "al-Shabaab", "al-Shabab")
    ]


def test_claims_statement_from_group(nlp: Any) -> None:
    text = (
        "A statement from the Baloch Liberation Army claimed the attack, "
        "a claim that could not be verified."
    )
    found = claims_of(nlp, text)
    assert [(c.kind, c.party, c.hedged) for c in found] == [
        ("responsibility", "Baloch Liberation Army", True)
    ]


def test_claims_no_group_claimed_is_no_claim(nlp: Any) -> None:
    text = "No group has claimed responsibility, and the blast claimed the lives of 40 people."
    assert claims_of(nlp, text) == []


def test_claims_accusation_blame(nlp: Any) -> None:
    found = claims_of(nlp, "Russian President Vladimir Putin blamed Ukraine for the massacre.")
    assert triples(found) == {("accusation", "Vladimir Putin", "Ukraine")}


def test_claims_accusation_blame_attack_on(nlp: Any) -> None:
    found = claims_of(nlp, "Police blame the attack on rebels belonging to a Maoist faction.")
    assert triples(found) == {("accusation", "Police", "rebels belonging to a Maoist faction")}


def test_claims_accusation_finger_and_held_responsible(nlp: Any) -> None:
    text = (
        "Officials pointed the finger at the Pakistani Taliban. "
        "The Kenyan government held al-Shabab responsible for the raid."
    )
    assert triples(claims_of(nlp, text)) == {
        ("accusation", "Officials", "Pakistani Taliban"),
        ("accusation", "Kenyan government", "al-Shabab"),
    }


def test_claims_accusation_in_reported_clause(nlp: Any) -> None:
    text = "The minister declared that foreign agents were ultimately responsible."
    assert triples(claims_of(nlp, text)) == {("accusation", "minister", "foreign agents")}


def test_claims_stated_fact_is_no_accusation(nlp: Any) -> None:
    assert claims_of(nlp, "Several assailants were responsible for the attack.") == []


def test_claims_pronoun_speaker_resolved(nlp: Any) -> None:
    text = (
        "Ukrainian President Volodymyr Zelensky spoke on Sunday. He blamed Russia for the bombing."
    )
    assert triples(claims_of(nlp, text)) == {("accusation", "Volodymyr Zelensky", "Russia")}


def test_claims_two_denials_from_coordinated_subject(nlp: Any) -> None:
    text = "The Ukrainian government and the US government said Ukraine was not involved."
    assert triples(claims_of(nlp, text)) == {
        ("denial", "Ukrainian government", "Ukraine"),
        ("denial", "US government", "Ukraine"),
    }


def test_claims_denial_by_spokesman_for_group(nlp: Any) -> None:
    found = claims_of(nlp, "A spokesman for the Taliban denied involvement in the bombing.")
    assert triples(found) == {("denial", "spokesman for the Taliban", "Taliban")}


def test_claims_denial_it_was_not_involved(nlp: Any) -> None:
    found = claims_of(nlp, "Kyiv said it was not involved in the attack.")
    assert triples(found) == {("denial", "Kyiv", "Kyiv")}


def test_claims_denial_nothing_to_do_with(nlp: Any) -> None:
    text = "A rebel commander said the movement had nothing to do with the explosion."
    assert [(c.kind, c.party) for c in claims_of(nlp, text)] == [("denial", "movement")]


def test_claims_warning_past_only(nlp: Any) -> None:
    past = claims_of(nlp, "US officials had warned Russia of an imminent attack by extremists.")
    assert triples(past) == {("warning", "US officials", "Russia")}
    present = claims_of(nlp, "We continue to warn the governments of Europe of new attacks.")
    assert present == []


def test_claims_warning_about_toll_is_not_a_warning(nlp: Any) -> None:
    assert claims_of(nlp, "Doctors warned that the death toll could rise.") == []


def test_claims_evidence_matches_text(nlp: Any) -> None:
    text = "Heavy rain fell. Hamas claimed responsibility for the rocket attack on Sunday."
    (claim,) = claims_of(nlp, text)
    ev = claim.evidence
    assert text[ev.start : ev.end] == ev.text
    assert ev.sentence.startswith("Hamas claimed")


def test_claims_repeated_claim_kept_once(nlp: Any) -> None:
    text = (
        "The Islamic State claimed responsibility for the blast. "
        "ISIS later claimed responsibility again in a video."
    )
    assert [c.party for c in claims_of(nlp, text)] == ["Islamic State"]


def test_claims_seed_article(nlp: Any) -> None:
    path = SHARED / "seed" / "crocus-commentary.txt"
    if not path.exists():
        pytest.skip("shared seed article not available")
    found = claims_of(nlp, path.read_text(encoding="utf-8"))
    assert triples(found) == {
        ("responsibility", "ISIS-K", "ISIS-K"),
        ("accusation", "Vladimir Putin", "Ukraine"),
        ("accusation", "Vladimir Putin", "radical Islamists"),
        ("denial", "Ukrainian government", "Ukraine"),
        ("denial", "US government", "Ukraine"),
        ("warning", "US intelligence", "Russia"),
    }


def test_claims_denied_non_actor_is_no_denial(nlp: Any) -> None:
    text = "The minister denied that the visit was linked to the bombing."
    assert claims_of(nlp, text) == []
