"""The role-filler tagger: spans of roles found in sentences written for these tests, and
the decoding and normalising helpers."""

from __future__ import annotations

import spacy

from incidex.extract import roles
from incidex.extract.context import Context
from incidex.models import Article


def _roles_of(text: str) -> dict[str, list[str]]:
    from incidex.annotate import annotate

    article = Article(id="t", text=text, language="en")
    ctx = Context(article, annotate(article))
    found = roles.find_roles(ctx)
    return {r: roles.entity_strings(text, found, r) for r in roles.ROLES}


def test_normalise_drops_case_punctuation_and_articles() -> None:
    assert roles.normalise("The  LAS CANAS Bridge.") == "las canas bridge"
    assert roles.normalise("an F-16") == "f16"


def test_decode_joins_runs_of_one_role_and_trims_determiners() -> None:
    doc = spacy.blank("en")("the old bridge and a car bomb .")
    labels = [
        ("TARGET", 0.9),
        ("TARGET", 0.8),
        ("TARGET", 0.7),
        ("O", 0.9),
        ("WEAPON", 0.6),
        ("WEAPON", 0.6),
        ("WEAPON", 0.6),
        ("O", 0.9),
    ]
    spans = roles.decode_spans(labels, doc, [0] * len(doc))
    assert [(s.role, doc.text[s.start : s.end]) for s in spans] == [
        ("TARGET", "old bridge"),
        ("WEAPON", "car bomb"),
    ]
    assert abs(spans[0].score - 0.8) < 1e-9


def test_decode_splits_a_role_at_a_sentence_break() -> None:
    doc = spacy.blank("en")("guerrillas guerrillas")
    spans = roles.decode_spans([("PERPIND", 0.5), ("PERPIND", 0.5)], doc, [0, 1])
    assert len(spans) == 2


def test_entity_strings_keep_one_string_per_entity() -> None:
    text = "HECTOR OQUELI COLINDRES ... OQUELI ... OQUELI"
    spans = [
        roles.RoleSpan("VICTIM", 0, 23, 0, 0.9),
        roles.RoleSpan("VICTIM", 28, 34, 0, 0.9),
        roles.RoleSpan("VICTIM", 39, 45, 0, 0.9),
    ]
    assert roles.entity_strings(text, spans, "VICTIM") == ["HECTOR OQUELI COLINDRES"]


def test_entity_strings_drop_an_acronym_beside_its_organisation() -> None:
    text = "FARABUNDO MARTI NATIONAL LIBERATION FRONT [FMLN]"
    spans = [roles.RoleSpan("PERPORG", 0, 41, 0, 0.9), roles.RoleSpan("PERPORG", 43, 47, 0, 0.9)]
    assert roles.entity_strings(text, spans, "PERPORG") == [
        "FARABUNDO MARTI NATIONAL LIBERATION FRONT"
    ]


def test_tagger_finds_the_victim_of_a_kidnapping() -> None:
    found = _roles_of(
        "SAN SALVADOR, 12 MAY 90 -- URBAN GUERRILLAS TODAY KIDNAPPED BUSINESSMAN JOSE MARIA "
        "RODRIGUEZ AS HE LEFT HIS HOME IN THE CAPITAL."
    )
    assert "JOSE MARIA RODRIGUEZ" in found["VICTIM"]


def test_tagger_finds_the_physical_target_of_a_dynamiting() -> None:
    found = _roles_of(
        "LIMA, 3 JUN 90 -- TERRORISTS LAST NIGHT DYNAMITED THE SANTA ROSA BRIDGE AND AN "
        "ELECTRICITY TOWER NEAR THE TOWN OF HUANTA, POLICE SAID."
    )
    assert "SANTA ROSA BRIDGE" in found["TARGET"]
    assert "TERRORISTS" in found["PERPIND"]


def test_tagger_finds_the_weapon_of_an_attack() -> None:
    found = _roles_of(
        "SAN SALVADOR, 8 FEB 90 -- MEMBERS OF THE FARABUNDO MARTI NATIONAL LIBERATION FRONT "
        "ATTACKED THE ARMY BARRACKS IN SAN MIGUEL WITH MORTARS AND RIFLES LAST NIGHT."
    )
    assert "MORTARS" in found["WEAPON"]


def test_tagger_finds_nothing_in_a_text_without_an_attack() -> None:
    found = _roles_of(
        "BOGOTA, 4 APR 90 -- THE CENTRAL BANK TODAY ANNOUNCED NEW INTEREST RATES FOR COFFEE "
        "EXPORTERS, WHICH WILL TAKE EFFECT NEXT MONTH."
    )
    assert not any(found.values())
