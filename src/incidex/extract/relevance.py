"""Whether an upper-case wire report tells of an incident the MUC-4 keys count: a terrorist
act (or one by state forces against civilians) reported as fact and recent, not a clash
between guerrillas and the army, a recalled old event or a political statement.

A logistic regression over the message's words and what the rule detector found in it
(attack types, stages, tolls, how old its incidents are, who attacked whom by the parse and
the role fillers, whether a clash or a statement frames the attack), trained on the MUC-4
train split by ``training/train_relevance.py``; its weights ship in
``data/wire_relevance.json``. It reads every upper-case message: one with a live attack word
keeps its incidents when the probability reaches ``threshold``; one without gets one incident
(an old killing recalled in a later report, an act told in words the detector does not read
as an attack) when it reaches ``untriggered_threshold``. It only runs on upper-case wire
text, the domain it learnt.

A type classifier (``data/wire_untriggered.json``, ``training/train_untriggered.py``) gives
such an incident its attack type from the message's words.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from ..data import load_data
from ..models import Claim, Mention
from .context import Context

__all__ = [
    "likely_attack_type",
    "message_features",
    "relevance",
    "reports_counted_incident",
    "reports_untriggered_incident",
    "untriggered_relevance",
]

_MODEL = "wire_relevance.json"
# Who attacked whom: the word lists of the party features (``_party_features``).
_PARTIES = "wire_parties.json"
# The attack type of an incident told without an attack word the detector reads.
_UNTRIGGERED = "wire_untriggered.json"
# Days between the report and its incident, as bins: MUC counts recent acts only.
_AGE_BINS = (1, 7, 31, 365)
_TRIGGER_SENTENCE_WORDS = 60
# Quotation marks in a message, as bins: statements and interviews quote at length.
_QUOTE_BINS = (0, 2, 6)
# What kind of piece a message is: its header label, recordings, editor's notes.
_GENRE = "wire_genre.json"


@lru_cache(maxsize=1)
def _model() -> tuple[dict[str, float], float, float]:
    """Return (weights by feature, bias, threshold) of the shipped model."""
    data = load_data(_MODEL)
    weights = {str(k): float(v) for k, v in data["weights"].items()}
    return weights, float(data["bias"]), float(data["threshold"])


def _content_lemmas(tokens: Any) -> set[str]:
    """Return the lower-cased lemmas of a run of tokens' content words."""
    return {
        t.lemma_.lower()
        for t in tokens
        if t.is_alpha and not t.is_stop and len(t.text) > 2 and not t.is_space
    }


def _age_bin(mention: Mention, ctx: Context) -> str:
    """Return how long before the report the incident happened, as a bin name."""
    published = ctx.article.published
    date = mention.date.value if mention.date else None
    if published is None or date is None or date.year is None or date.month is None:
        return "none"
    try:
        days = (published - dt.date(date.year, date.month, date.day or 1)).days
    except ValueError:
        return "none"
    if days < 0:
        return "future"
    return next((f"<={b}" for b in _AGE_BINS if days <= b), "old")


def _mention_features(ctx: Context, mention: Mention) -> list[str]:
    """Return the features one incident contributes: its types, stage, toll, actors, age
    and the words of its attack word's sentence."""
    feats = [f"type={f.value}" for f in mention.attack_types]
    feats.append(f"stage={mention.stage}")
    feats.append(f"age={_age_bin(mention, ctx)}")
    feats.append(f"trig={' '.join(mention.evidence.text.lower().split())}")
    for name, present in (
        ("killed", mention.killed is not None and bool(mention.killed.value.min)),
        ("wounded", mention.wounded is not None and bool(mention.wounded.value.min)),
        ("perp", bool(mention.perpetrators)),
        ("perpind", bool(mention.perpetrator_individuals)),
        ("target", bool(mention.targets)),
        ("victim", bool(mention.victims)),
        ("victimdesc", bool(mention.victim_descriptions)),
        ("weapon", bool(mention.weapon_mentions)),
    ):
        feats.append(f"{name}={present}")
    sent = ctx.doc.char_span(
        mention.evidence.sentence_start,
        mention.evidence.sentence_start + len(mention.evidence.sentence),
        alignment_mode="expand",
    )
    if sent is not None:
        feats.extend(f"ts={w}" for w in _content_lemmas(sent[:_TRIGGER_SENTENCE_WORDS]))
    return feats


@lru_cache(maxsize=1)
def _parties() -> dict[str, frozenset[str]]:
    """Return the word lists of the party features by name."""
    data = load_data(_PARTIES)
    return {k: frozenset(v) for k, v in data.items() if not k.startswith("_")}


def _names_any(text: str, words: frozenset[str]) -> bool:
    """Return whether ``text`` holds one of ``words`` (a word, or its plural in -s) or one
    of its phrases of several words."""
    lower = text.lower()
    found = set(re.findall(r"[a-z\-]+", lower))
    return any((" " in w and w in lower) or w in found or f"{w}s" in found for w in words)


def _subtree_text(token: Any) -> str:
    """Return the words a token heads, joined by spaces."""
    return " ".join(t.text for t in token.subtree)


def _attack_token(ctx: Context, mention: Mention) -> Any | None:
    """Return the head token of a mention's attack word in the parse, or None."""
    span = ctx.doc.char_span(mention.evidence.start, mention.evidence.end, alignment_mode="expand")
    return span.root if span is not None else None


def _patients_and_agents(token: Any) -> tuple[list[Any], list[Any]]:
    """Return the parse's heads of who an attack word's act was done to (object, passive
    subject, 'attack on/against X', a noun's modifiers, 'soldiers killed') and of who did it
    (active subject, 'by X')."""
    patient_preps = _parties()["patient_preps"]
    patients: list[Any] = []
    agents: list[Any] = []
    nominal = token.pos_ in ("NOUN", "PROPN")
    for child in token.children:
        if child.dep_ in ("dobj", "nsubjpass", "obj"):
            patients.append(child)
        elif child.dep_ == "nsubj" and token.pos_ == "VERB":
            agents.append(child)
        elif child.dep_ == "agent":
            agents.extend(g for g in child.children if g.dep_ == "pobj")
        elif child.dep_ == "prep" and child.lower_ in patient_preps:
            patients.extend(g for g in child.children if g.dep_ == "pobj")
        elif child.dep_ in ("compound", "nmod", "amod") and nominal:
            patients.append(child)
        elif child.dep_ == "prep" and child.lower_ == "by":
            agents.extend(g for g in child.children if g.dep_ == "pobj")
    if token.dep_ in ("acl", "relcl") and token.tag_ == "VBN":
        patients.append(token.head)
    return patients, agents


class _Sides(NamedTuple):
    """Who an attack was done to and by, as a few texts name them."""

    military: bool  # a military or police target or victim
    civilian: bool  # a target or victim that is neither
    state: bool  # a doer named as state forces
    other: bool  # a doer that is not


def _filler_parties(mention: Mention) -> _Sides:
    """Return who the tagger's role fillers say attacked whom: a military or police target
    or victim, a civilian one, state forces or other doers among the perpetrators."""
    hit = [f.value for f in (*mention.targets, *mention.victims)]
    doers = [f.value for f in (*mention.perpetrators, *mention.perpetrator_individuals)]
    return _sides(hit, doers, irregular=True)


def _sides(hit: Sequence[str], doers: Sequence[str], *, irregular: bool) -> _Sides:
    """Return whether any of the ``hit`` texts names a military or police target, any a
    civilian one, any of the ``doers`` names state forces, any another doer (with
    ``irregular``, also one naming guerrillas or gunmen beside state forces)."""
    words = _parties()
    other = any(not _names_any(v, words["state_forces"]) for v in doers)
    if irregular:
        other = any(_names_any(v, words["irregular_forces"]) for v in doers) or other
    return _Sides(
        military=any(_names_any(v, words["military_targets"]) for v in hit),
        civilian=any(not _names_any(v, words["military_targets"]) for v in hit),
        state=any(_names_any(v, words["state_forces"]) for v in doers),
        other=other,
    )


def _role_party_features(parties: _Sides) -> list[str]:
    """Return the features of one incident's role fillers' parties (``_filler_parties``)."""
    military, civilian, state, other = parties
    return [
        f"r_miltarget={military}",
        f"r_civtarget={civilian}",
        f"r_stateperp={state}",
        f"r_rebelperp={other}",
        f"r_state_civ={state and civilian}",
        f"r_rebel_mil={other and military}",
        f"r_mil_only={military and not civilian}",
    ]


def _parse_party_features(token: Any) -> list[str]:
    """Return who the parse says an attack word's act was done to and by: military or
    civilian patients, state forces or other agents."""
    patients, agents = _patients_and_agents(token)
    military, civilian, state, other = _sides(
        [_subtree_text(p) for p in patients], [_subtree_text(a) for a in agents], irregular=False
    )
    return [
        f"p_milpatient={military}",
        f"p_civpatient={civilian}",
        f"p_stateagent={state}",
        f"p_otheragent={other}",
        f"p_state_civ={state and civilian}",
        f"p_mil_only={military and not civilian}",
    ]


def _clash_features(token: Any) -> list[str]:
    """Return whether a clash word governs the attack word (an ancestor, a word it heads,
    or 'during/in clashes' attached to it) and whether one is in its sentence: fighting
    between guerrillas and the army is no incident the keys count."""
    words = _parties()
    clash = words["clash_words"]
    governs = (
        any(a.lemma_.lower() in clash for a in token.ancestors)
        or any(t.lemma_.lower() in clash for t in token.subtree)
        or any(
            p.lower_ in words["clash_preps"] and any(g.lemma_.lower() in clash for g in p.children)
            for p in token.children
        )
    )
    in_sentence = any(t.lemma_.lower() in clash for t in token.sent)
    return [f"c_clashgoverns={governs}", f"c_clashsent={in_sentence}"]


def _speech_features(ctx: Context, token: Any) -> list[str]:
    """Return whether the attack word is told in someone's words: a speech verb above it
    (which verb, and whether its speaker is state forces) or an open quotation mark before
    it in its sentence."""
    words = _parties()
    verbs = [
        a for a in token.ancestors if a.pos_ == "VERB" and a.lemma_.lower() in words["speech_verbs"]
    ]
    feats = [f"s_speechframe={bool(verbs)}"]
    if verbs:
        feats.append(f"s_speechverb={verbs[0].lemma_.lower()}")
        speakers = [c for c in verbs[0].children if c.dep_ == "nsubj"]
        if speakers:
            speaker_state = _names_any(_subtree_text(speakers[0]), words["state_forces"])
            feats.append(f"s_speaker_state={speaker_state}")
    before = ctx.article.text[token.sent.start_char : token.idx]
    feats.append(f"q_inquote={before.count(chr(34)) % 2 == 1}")
    return feats


def _quoted_in_paragraph(ctx: Context, mention: Mention) -> bool:
    """Return whether a quotation opened in the attack word's paragraph is still open at it."""
    text = ctx.article.text
    start = max(text.rfind("\n\n", 0, mention.evidence.start), 0)
    return text.count('"', start, mention.evidence.start) % 2 == 1


def _quote_bin(count: int) -> str:
    """Return how many quotation marks a message has, as a bin name."""
    return next((f"<={b}" for b in _QUOTE_BINS if count <= b), f">{_QUOTE_BINS[-1]}")


def _party_features(ctx: Context, live: Sequence[Mention]) -> list[str]:
    """Return the who-attacked-whom features of a message's live incidents: the parties of
    their role fillers and of their attack words' parse, whether a clash governs them or a
    statement or quotation frames them, their countries, and the same over the message."""
    feats: list[str] = []
    parties = [_filler_parties(m) for m in live]
    for mention, found in zip(live, parties, strict=True):
        feats.extend(_role_party_features(found))
        token = _attack_token(ctx, mention)
        if token is not None:
            feats.extend(_parse_party_features(token))
            feats.extend(_clash_features(token))
            feats.extend(_speech_features(ctx, token))
    countries = [m.place.value.country if m.place else None for m in live]
    feats.extend(f"country={c}" for c in countries)
    quoted = [_quoted_in_paragraph(ctx, m) for m in live]
    if live:
        feats.append(f"first_country={countries[0]}")
        feats.append(f"a_all_mil={all(p.military and not p.civilian for p in parties)}")
        feats.append(f"a_any_state_civ={any(p.state and p.civilian for p in parties)}")
        feats.append(f"a_all_stateperp={all(p.state for p in parties)}")
        feats.extend((f"q2_any={any(quoted)}", f"q2_all={all(quoted)}", f"q2_first={quoted[0]}"))
    feats.append(f"q2_doc={_quote_bin(ctx.article.text.count(chr(34)))}")
    return feats


@lru_cache(maxsize=1)
def _genre() -> tuple[re.Pattern[str], int, str, tuple[str, ...], tuple[int, ...]]:
    """Return the header pattern, how far into a message it is looked for, the word the
    label is cut at, the recording marks and the bins of bracket counts."""
    data = load_data(_GENRE)
    return (
        re.compile(str(data["header_pattern"])),
        int(data["header_window"]),
        str(data["header_cut"]),
        tuple(str(m) for m in data["recording_marks"]),
        tuple(int(b) for b in data["bracket_bins"]),
    )


def _genre_features(text: str) -> list[str]:
    """Return what kind of piece a wire message is: the label of its header ("[TEXT]",
    "[SPEECH]", "[INTERVIEW WITH ...]" up to "with"), whether it carries a recording, and
    how many bracketed notes it has, as a bin. Speeches, interviews and commentaries recall
    killings without reporting one the keys count; their words alone do not tell them from
    reports, the header and the transcript marks do."""
    pattern, window, cut, marks, bins = _genre()
    found = pattern.search(text[:window])
    label = " ".join(found.group(1).split()).lower().split(cut)[0] if found else "none"
    brackets = text.count("[")
    bracket_bin = next((f"<={b}" for b in bins if brackets <= b), f">{bins[-1]}")
    return [
        f"g_header={label}",
        f"g_recording={any(m in text for m in marks)}",
        f"g_brackets={bracket_bin}",
    ]


def message_features(
    ctx: Context, mentions: Sequence[Mention], found_claims: Sequence[Claim]
) -> list[str]:
    """Return the names of a message's features (distinct): the content words of its
    text and of its first sentence, the claims, per reported incident its detector
    features (``_mention_features``), who attacked whom (``_party_features``) and what kind
    of piece it is (``_genre_features``)."""
    live = [m for m in mentions if not m.background]
    feats = ["n_incidents=" + str(min(len(live), 3))]
    feats.append(f"n_background={min(len(mentions) - len(live), 2)}")
    feats.extend(f"claim={c.kind}" for c in found_claims)
    feats.extend(f"w={w}" for w in _content_lemmas(ctx.doc))
    if ctx.sents:
        feats.extend(f"s0={w}" for w in _content_lemmas(ctx.sents[0]))
    for mention in live:
        feats.extend(_mention_features(ctx, mention))
    feats.extend(_party_features(ctx, live))
    feats.extend(_genre_features(ctx.article.text))
    if live:
        lead = live[0]
        feats.extend(f"first_type={f.value}" for f in lead.attack_types)
        feats.append(f"first_stage={lead.stage}")
        feats.append(f"first_age={_age_bin(lead, ctx)}")
    return sorted(set(feats))


def relevance(features: Sequence[str]) -> float:
    """Return the model's probability that a message with these features reports an
    incident the MUC-4 keys count."""
    weights, bias, _ = _model()
    score = bias + sum(weights.get(f, 0.0) for f in features)
    return 1.0 / (1.0 + math.exp(-score))


def reports_counted_incident(
    ctx: Context, mentions: Sequence[Mention], found_claims: Sequence[Claim]
) -> bool:
    """Return whether a wire message's detected incidents are ones the keys would count
    (the model's probability reaches its threshold, tuned by cross-validation on train)."""
    _, _, threshold = _model()
    return relevance(message_features(ctx, mentions, found_claims)) >= threshold


@lru_cache(maxsize=1)
def _untriggered() -> dict[str, Any]:
    """Return the shipped attack-type classifier (``training/train_untriggered.py``)."""
    data: dict[str, Any] = load_data(_UNTRIGGERED)
    return data


@lru_cache(maxsize=1)
def _untriggered_threshold() -> float:
    """Return the probability from which a message without a live incident reports one."""
    return float(load_data(_MODEL)["untriggered_threshold"])


def untriggered_relevance(features: Sequence[str]) -> float:
    """Return the probability that a message with these features, in which the detector
    found no live incident, still reports one the MUC-4 keys count (the relevance model's
    probability: it learnt both kinds of message, ``n_incidents=0`` among the features)."""
    return relevance(features)


def reports_untriggered_incident(features: Sequence[str]) -> bool:
    """Return whether a wire message with no attack word the detector reads still reports
    an incident the keys count (the probability reaches the threshold chosen for such
    messages by cross-validation on train)."""
    return untriggered_relevance(features) >= _untriggered_threshold()


def likely_attack_type(features: Sequence[str]) -> str:
    """Return the most likely attack type (a GTD category) of the incident a message with
    these features reports, by the type classifier trained on the train keys."""
    types = _untriggered()["types"]
    scores = [float(b) for b in types["bias"]]
    for feature in features:
        for label, weight in types["weights"].get(feature, {}).items():
            scores[int(label)] += float(weight)
    best = max(range(len(scores)), key=scores.__getitem__)
    return str(types["labels"][best])
