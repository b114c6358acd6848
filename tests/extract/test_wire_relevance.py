"""The wire-report relevance model: a terrorist bombing is an incident the MUC-4 keys count,
a guerrilla-army combat report is not; modern news never goes through the model."""

from __future__ import annotations

from tests.extract.parsing import parsed

from incidex.extract import relevance
from incidex.pipeline import extract as extract_text

BOMBING = (
    "LIMA, 12 MAR 90 (EFE) -- [TEXT] URBAN TERRORISTS TODAY EXPLODED A CAR BOMB OUTSIDE THE "
    "OFFICES OF THE STATE BANK IN DOWNTOWN LIMA, KILLING TWO PASSERSBY AND WOUNDING FIVE. "
    "POLICE SAID THE SHINING PATH WAS RESPONSIBLE FOR THE ATTACK."
)
COMBAT = (
    "SAN SALVADOR, 12 MAR 90 (RADIO) -- [TEXT] FMLN GUERRILLAS AMBUSHED AN ARMY PATROL IN "
    "COMBAT NEAR SAN MIGUEL, THE ARMED FORCES SAID. SEVEN SOLDIERS AND 12 GUERRILLAS DIED IN "
    "THE FIGHTING, WHICH LASTED FOUR HOURS, ACCORDING TO THE MILITARY COMMUNIQUE."
)


def test_features_describe_the_detected_incident() -> None:
    from incidex.extract import extract

    ctx = parsed(BOMBING, "1990-03-12")
    found = extract(ctx.article, ctx.doc, wire_relevance=False)
    feats = relevance.message_features(ctx, found.mentions, found.claims)
    assert "type=bombing_explosion" in feats
    assert "killed=True" in feats
    assert "age=<=1" in feats


def test_wire_bombing_is_kept() -> None:
    assert extract_text(BOMBING, published="1990-03-12").mentions


def test_wire_combat_report_is_dropped_with_its_claims() -> None:
    from incidex.extract import extract

    ctx = parsed(COMBAT, "1990-03-12")
    assert extract(ctx.article, ctx.doc, wire_relevance=False).mentions
    kept = extract(ctx.article, ctx.doc)
    assert not kept.mentions
    assert not kept.claims


def test_modern_combat_report_keeps_the_rules_verdict() -> None:
    text = (
        "San Salvador, 12 March 1990 -- FMLN guerrillas ambushed an army patrol in combat near "
        "San Miguel, the armed forces said. Seven soldiers and 12 guerrillas died in the "
        "fighting, which lasted four hours, according to the military communique."
    )
    assert extract_text(text, published="1990-03-12").mentions
