"""The second stage of role filling: spans cut at conjunctions between noun phrases, and the
filler classifier that keeps the tagger's candidate spans likely to be key fillers. The
texts are sentences written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from incidex.extract import roles
from incidex.extract.context import Context
from incidex.models import Article


@pytest.fixture(scope="module")
def parse() -> Any:
    from incidex.annotate import annotate

    def run(text: str) -> Any:
        return annotate(Article(id="t", text=text, language="en"))

    return run


def _all_tagged(doc: Any, role: str, words: str, *, split: bool = True) -> list[str]:
    # the parse is truecased: find the words whatever their case, return them as written
    start = doc.text.upper().index(words)
    span = doc.char_span(start, start + len(words))
    labels = [(role, 0.9) if span.start <= t.i < span.end else ("O", 0.9) for t in doc]
    found = roles.decode_spans(labels, doc, roles.sentence_of_tokens(doc), split_phrases=split)
    return [doc.text[s.start : s.end].upper() for s in found]


def test_a_run_over_two_coordinated_targets_gives_two_fillers(parse: Any) -> None:
    doc = parse("REBELS BLEW UP THE OLD IRON BRIDGE AND A POWER PYLON NEAR THE TOWN YESTERDAY.")
    words = "OLD IRON BRIDGE AND A POWER PYLON"
    assert _all_tagged(doc, "TARGET", words) == ["OLD IRON BRIDGE", "POWER PYLON"]
    # the tagger's own decoding, which the relevance models read, is unchanged
    assert _all_tagged(doc, "TARGET", words, split=False) == [words]


def test_a_conjunction_inside_a_name_does_not_cut_it(parse: Any) -> None:
    doc = parse("A BOMB DAMAGED THE HOUSING AND URBAN DEVELOPMENT OFFICE IN THE CAPITAL.")
    assert _all_tagged(doc, "TARGET", "HOUSING AND URBAN DEVELOPMENT OFFICE") == [
        "HOUSING AND URBAN DEVELOPMENT OFFICE"
    ]


_WIRE = (
    "SAN SALVADOR, 5 MAR 90 -- HEAVILY ARMED GUERRILLAS TODAY MACHINEGUNNED THE CAR OF "
    "MAYOR ERNESTO VILLANUEVA ON THE ROAD TO THE AIRPORT AND KILLED HIS DRIVER, POLICE "
    "SPOKESMAN RAMON ALVARADO SAID. ALVARADO SAID THE ATTACKERS ALSO SET FIRE TO A BUS."
)


def test_kept_fillers_are_candidates_the_classifier_scores_above_their_role_threshold(
    parse: Any,
) -> None:
    ctx = Context(Article(id="t", text=_WIRE, language="en"), parse(_WIRE))
    model, fillers = roles._model(), roles._fillers()
    sent_of = roles.sentence_of_tokens(ctx.doc)
    probs = roles.token_probabilities(ctx.doc, model, sent_of)
    spans = roles.candidate_spans(ctx.doc, probs, model, fillers, sent_of)
    scores = roles.filler_scores(ctx.doc, spans, model.lexicons, fillers)
    kept, tagged = roles.find_role_sets(ctx)
    assert spans and tagged
    assert kept == [s for s, p in zip(spans, scores, strict=True) if p >= fillers.keep[s.role]]
    assert all(0.0 < p < 1.0 for p in scores)
    assert roles.find_roles(ctx) == kept


def test_the_classifier_keeps_attackers_and_victim_not_the_quoted_spokesman(parse: Any) -> None:
    ctx = Context(Article(id="t", text=_WIRE, language="en"), parse(_WIRE))
    found = roles.find_roles(ctx)
    perps = roles.entity_strings(_WIRE, found, "PERPIND")
    victims = roles.entity_strings(_WIRE, found, "VICTIM")
    assert perps
    assert "ERNESTO VILLANUEVA" in victims
    assert not any("ALVARADO" in v for v in [*victims, *perps])


def test_the_classifier_reads_the_other_mentions_of_a_filler(parse: Any) -> None:
    doc = parse(_WIRE)
    start = _WIRE.index("ALVARADO SAID")
    spans = [
        roles.RoleSpan("VICTIM", _WIRE.index("RAMON ALVARADO"), start, 0, 0.3),
        roles.RoleSpan("VICTIM", start, start + len("ALVARADO"), 1, 0.5),
        roles.RoleSpan("PERPIND", _WIRE.index("GUERRILLAS"), _WIRE.index(" TODAY"), 0, 0.8),
    ]
    first, second, perp = roles.filler_features(doc, spans, roles._model().lexicons)
    assert first["max"] == 0.3 and second["max"] == 0.5
    assert second["first=1"] == 1.0 and perp["first=0"] == 1.0
    assert second["gv=say"] == 1.0


def test_a_victim_candidate_reads_how_its_name_is_governed_elsewhere(parse: Any) -> None:
    doc = parse(_WIRE)
    end = _WIRE.index(" SAID.")
    spans = [
        roles.RoleSpan("VICTIM", _WIRE.index("RAMON ALVARADO"), end, 0, 0.3),
        roles.RoleSpan("PERPIND", _WIRE.index("GUERRILLAS"), _WIRE.index(" TODAY"), 0, 0.8),
    ]
    victim, perp = roles.filler_features(doc, spans, roles._model().lexicons)
    # the same surname heads the speaker of the next sentence's "said"
    assert victim["ogv=say"] == 1.0
    assert not any(name.startswith("og") for name in perp)


_FAR = (
    "GUERRILLAS KILLED MAYOR JUAN PEREZ IN THE TOWN YESTERDAY. THE WEATHER WAS FINE. "
    "THE MARKET WAS OPEN ALL DAY. MINISTER PEDRO GOMEZ VISITED A SCHOOL IN THE NORTH."
)


def test_a_candidate_knows_how_far_the_nearest_attack_sentence_is(parse: Any) -> None:
    doc = parse(_FAR)
    near, far = (
        roles.RoleSpan("VICTIM", _FAR.index(name), _FAR.index(name) + len(name), sent, 0.5)
        for name, sent in (("JUAN PEREZ", 0), ("PEDRO GOMEZ", 3))
    )
    first, last = roles.filler_features(doc, [near, far], roles._model().lexicons)
    assert first["gap=0"] == 1.0 and last["gap=3"] == 1.0
    # with no attack word anywhere, no distance is told
    calm = parse(_FAR.replace("KILLED", "MET"))
    assert not any(
        n.startswith("gap") for n in roles.filler_features(calm, [near], roles._model().lexicons)[0]
    )
