"""Who attacked whom, as the wire relevance model reads it: the parties of an attack word's
parse and of its role fillers, a clash governing it, a statement or quotation framing it."""

from __future__ import annotations

from dataclasses import replace

from tests.extract.parsing import parsed

from incidex.extract import extract, relevance
from incidex.extract.context import Context
from incidex.models import Fact
from incidex.pipeline import extract as extract_text


def _token(ctx: Context, word: str) -> object:
    return next(t for t in ctx.doc if t.text.upper() == word)


def _party_features(text: str) -> list[str]:
    ctx = parsed(text, "1990-03-12")
    found = extract(ctx.article, ctx.doc, wire_relevance=False)
    return relevance.message_features(ctx, found.mentions, found.claims)


def test_a_word_list_matches_plurals_and_phrases() -> None:
    words = frozenset({"soldier", "armed forces"})
    assert relevance._names_any("THREE SOLDIERS", words)
    assert relevance._names_any("THE SALVADORAN ARMED FORCES", words)
    assert not relevance._names_any("TWO PEASANTS", words)
    assert not relevance._names_any("THE FORCES OF NATURE", words)


def test_the_parse_names_who_was_attacked_and_by_whom() -> None:
    ctx = parsed(
        "LIMA, 12 MAR 90 (EFE) -- [TEXT] REBELS AMBUSHED AN ARMY PATROL NEAR THE TOWN TODAY.",
        "1990-03-12",
    )
    patients, agents = relevance._patients_and_agents(_token(ctx, "AMBUSHED"))
    assert [p.text.upper() for p in patients] == ["PATROL"]
    assert [a.text.upper() for a in agents] == ["REBELS"]
    feats = relevance._parse_party_features(_token(ctx, "AMBUSHED"))
    assert "p_milpatient=True" in feats
    assert "p_mil_only=True" in feats
    assert "p_stateagent=False" in feats


def test_soldiers_killing_peasants_is_state_forces_against_civilians() -> None:
    ctx = parsed(
        "LIMA, 12 MAR 90 (EFE) -- [TEXT] SOLDIERS KILLED FOUR PEASANTS IN A VILLAGE TODAY.",
        "1990-03-12",
    )
    feats = relevance._parse_party_features(_token(ctx, "KILLED"))
    assert "p_state_civ=True" in feats
    assert "p_milpatient=False" in feats


def test_role_fillers_tell_an_attack_on_troops_from_one_on_civilians() -> None:
    ctx = parsed("LIMA, 12 MAR 90 (EFE) -- [TEXT] A BOMB EXPLODED TODAY.", "1990-03-12")
    mention = extract(ctx.article, ctx.doc, wire_relevance=False).mentions[0]
    evidence = mention.evidence
    on_troops = replace(
        mention,
        targets=(Fact("AN ARMY CONVOY", (evidence,), "test"),),
        perpetrators=(Fact("FMLN GUERRILLAS", (evidence,), "test"),),
    )
    parties = relevance._filler_parties(on_troops)
    assert parties._asdict() == {"military": True, "civilian": False, "state": False, "other": True}
    by_troops = replace(
        mention,
        victims=(Fact("THREE STUDENTS", (evidence,), "test"),),
        perpetrators=(Fact("TREASURY POLICE", (evidence,), "test"),),
    )
    feats = relevance._role_party_features(relevance._filler_parties(by_troops))
    assert "r_state_civ=True" in feats
    assert "r_civtarget=True" in feats


def test_an_attack_during_clashes_is_governed_by_the_clash() -> None:
    ctx = parsed(
        "LIMA, 12 MAR 90 (EFE) -- [TEXT] TWO GUERRILLAS WERE KILLED DURING CLASHES WITH THE "
        "ARMY TODAY.",
        "1990-03-12",
    )
    assert "c_clashgoverns=True" in relevance._clash_features(_token(ctx, "KILLED"))
    ctx = parsed(
        "LIMA, 12 MAR 90 (EFE) -- [TEXT] TWO JUDGES WERE KILLED IN THEIR OFFICE TODAY.",
        "1990-03-12",
    )
    assert relevance._clash_features(_token(ctx, "KILLED")) == [
        "c_clashgoverns=False",
        "c_clashsent=False",
    ]


def test_an_attack_told_by_a_speaker_or_in_quotes_is_framed_as_a_statement() -> None:
    ctx = parsed(
        'LIMA, 12 MAR 90 (EFE) -- [TEXT] THE MINISTER SAID "THE TERRORISTS WILL BOMB OUR '
        'BRIDGES AGAIN."',
        "1990-03-12",
    )
    feats = relevance._speech_features(ctx, _token(ctx, "BOMB"))
    assert "s_speechframe=True" in feats
    assert "s_speechverb=say" in feats
    assert "q_inquote=True" in feats


def test_message_features_hold_the_parties_and_countries_of_live_incidents() -> None:
    feats = _party_features(
        "LIMA, 12 MAR 90 (EFE) -- [TEXT] GUNMEN SHOT DEAD FOUR PEASANTS IN AYACUCHO TODAY."
    )
    assert "p_civpatient=True" in feats
    assert "p_otheragent=True" in feats
    assert "country=PE" in feats
    assert "first_country=PE" in feats
    assert "q2_doc=<=0" in feats


def test_the_shipped_model_keeps_a_judge_murdered_by_gunmen() -> None:
    text = (
        "LIMA, 12 MAR 90 (EFE) -- [TEXT] UNIDENTIFIED GUNMEN TODAY MURDERED A JUDGE AND HIS "
        "BODYGUARD AS THEY LEFT THE COURTHOUSE IN HUANCAYO, POLICE SAID. THE SHINING PATH IS "
        "SUSPECTED."
    )
    assert extract_text(text, published="1990-03-12").mentions
