"""Wire reports with no attack word the detector reads: the untriggered-report model adds one
incident when the message still tells of a counted act (a killing recalled in a later
report), none for a political statement; its type classifier reads the message's words.
Modern news never goes through it."""

from __future__ import annotations

from tests.extract.parsing import message_features, parsed

from incidex.extract import extract, relevance
from incidex.pipeline import extract as extract_text

RECALLED_KILLING = (
    "SAN SALVADOR, 14 MAR 90 (RADIO) -- [TEXT] THE JUDGE IN CHARGE OF THE CASE OF THE SIX "
    "JESUIT PRIESTS WHO DIED AT THE CENTRAL AMERICAN UNIVERSITY ON THE NIGHT OF 16 NOVEMBER "
    "TODAY QUESTIONED A WITNESS WHO SAW A GROUP OF MEN IN UNIFORM ENTER THE CAMPUS EARLY THAT "
    "MORNING. THE WITNESS, A WOMAN WHO WORKED AT THE UNIVERSITY, GAVE THE JUDGE NEW "
    "INFORMATION ON THE INDIVIDUALS."
)
STATEMENT = (
    "BOGOTA, 14 MAR 90 (EFE) -- [TEXT] PRESIDENT VIRGILIO BARCO TODAY MET WITH PARTY LEADERS "
    "TO DISCUSS THE CONSTITUTIONAL REFORM AND THE ELECTIONS SCHEDULED FOR MAY. THE MINISTER OF "
    "GOVERNMENT SAID THE TALKS WITH THE OPPOSITION WOULD CONTINUE NEXT WEEK."
)
KIDNAPPING = (
    "LIMA, 14 MAR 90 (EFE) -- [TEXT] MEMBERS OF THE TUPAC AMARU REVOLUTIONARY MOVEMENT TODAY "
    "KIDNAPPED A BUSINESSMAN IN LIMA AND DEMANDED A RANSOM OF ONE MILLION DOLLARS FOR HIS "
    "RELEASE, POLICE SAID. THE HOSTAGE WAS TAKEN TO AN UNKNOWN PLACE."
)
BOMBING = (
    "LIMA, 14 MAR 90 (EFE) -- [TEXT] A DYNAMITE CHARGE EXPLODED TODAY AT THE DOOR OF A BANK IN "
    "LIMA, DESTROYING ITS FRONT AND SHATTERING WINDOWS. POLICE SAID THE BOMB WAS PLACED BY "
    "SHINING PATH TERRORISTS."
)


def _features(text: str) -> list[str]:
    return message_features(text, "1990-03-14")


def test_recalled_killing_without_attack_word_is_one_incident() -> None:
    ctx = parsed(RECALLED_KILLING, "1990-03-14")
    assert not extract(ctx.article, ctx.doc, wire_relevance=False).mentions
    found = extract(ctx.article, ctx.doc).mentions
    assert len(found) == 1
    incident = found[0]
    assert [f.value for f in incident.attack_types] == ["armed_assault"]
    assert (
        incident.evidence.text == RECALLED_KILLING[incident.evidence.start : incident.evidence.end]
    )
    assert incident.place is not None and incident.place.value.country == "SV"


def test_untriggered_incident_gets_the_kept_role_fillers() -> None:
    # The detector finds no attack word here, so the tagger is not run for the clusters;
    # the incident the untriggered-report model adds runs it itself and takes its fillers.
    ctx = parsed(RECALLED_KILLING, "1990-03-14")
    incident = extract(ctx.article, ctx.doc).mentions[0]
    fields = ("perpetrators", "perpetrator_individuals", "targets", "victims", "weapon_mentions")
    tagged = [
        f for name in fields for f in getattr(incident, name) if f.rule.startswith("roles.tagger_")
    ]
    assert tagged
    for fact in tagged:
        cited = fact.evidence[0]
        assert RECALLED_KILLING[cited.start : cited.end] == fact.value


def test_political_statement_without_attack_word_has_no_incident() -> None:
    statement = _features(STATEMENT)
    assert not relevance.reports_untriggered_incident(statement)
    assert relevance.untriggered_relevance(statement) < relevance.untriggered_relevance(
        _features(RECALLED_KILLING)
    )
    assert not extract_text(STATEMENT, published="1990-03-14").mentions


def test_attack_type_follows_the_message_words() -> None:
    assert relevance.likely_attack_type(_features(KIDNAPPING)) == "hostage_kidnapping"
    assert relevance.likely_attack_type(_features(BOMBING)) == "bombing_explosion"
    assert relevance.likely_attack_type(_features(RECALLED_KILLING)) == "armed_assault"


def test_modern_report_without_attack_word_has_no_incident() -> None:
    text = (
        "San Salvador, 14 March 1990 -- The judge in charge of the case of the six Jesuit "
        "priests who died at the Central American University on the night of 16 November "
        "today questioned a witness who saw a group of men in uniform enter the campus early "
        "that morning. The witness, a woman who worked at the university, gave the judge new "
        "information on the individuals."
    )
    assert not extract_text(text, published="1990-03-14").mentions


def test_untyped_wire_attack_word_is_typed_by_the_message_words() -> None:
    text = (
        "BOGOTA, 14 MAR 90 (EFE) -- [TEXT] A GROUP OF ARMED MEN TODAY ATTACKED A FARM IN "
        "ANTIOQUIA AND TOOK THE OWNER, A RANCHER, TO AN UNKNOWN PLACE. THE KIDNAPPERS DEMANDED "
        "A RANSOM FOR THE HOSTAGE, HIS FAMILY SAID."
    )
    ctx = parsed(text, "1990-03-14")
    raw = extract(ctx.article, ctx.doc, wire_relevance=False).mentions
    assert [f.rule for f in raw[0].attack_types] == ["extract.wire_default_type"]
    typed = extract(ctx.article, ctx.doc).mentions[0].attack_types
    assert [f.rule for f in typed] == ["relevance.message_type"]
    assert typed[0].value in ("armed_assault", "hostage_kidnapping")
