"""Incident detection: the words that report an attack that happened.

Each attack word (``attack``, ``bombing``, ``opened fire``, ``massacred``...) found through the
lexicon in ``data/lexicon.json`` becomes a cue; the parse around it then decides whether it
reports an attack that happened (a stage), recalls a past one (``background``), makes a
generic remark (``generic``) or does not report an attack at all (dropped: other senses such
as "heart attack", negation, modality, intention, plots, conditionals). Cues of one clause
with the same reading become one ``Trigger``, carrying the attack types and weapons its
sentence gives evidence for. An article whose attack words are warfare between states
("Iraq said it attacked two ships") and which names no other attackers reads its vague
attack words as warfare too; a hostage set free reports the kidnapping.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any, Literal

from ..data import load_data
from ..gazetteer import gazetteer
from ..models import ATTACK_TYPES, WEAPON_TYPES, Evidence, Fact, Stage
from ..truecase import is_mostly_upper
from .context import Context
from .dates import months_ago
from .numbers import parse_number_words
from .parsed import doc_memo, doc_tokens, indices_in, process_table, span_tokens
from .phrases import killing_phrase_at, phrase_first_words

__all__ = ["Trigger", "classify_weapons", "find_triggers"]

_LEXICON = "lexicon.json"
_TARGETS = "targets.json"
_NOUN_POS = frozenset({"NOUN", "PROPN"})
_VERB_POS = frozenset({"VERB"})
_NAME_POS = frozenset({"NOUN", "PROPN", "ADJ", "DET"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_PATIENTS = frozenset({"dobj", "nsubjpass"})
_ARGUMENTS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "oprd", "pobj", "appos", "conj"})
# Dependencies that lead from an embedded attack word up to the verb or noun that frames it
# ("planned to carry out an attack", "a plot to bomb", "threat of attacks").
_FRAMING_DEPS = frozenset(
    {"xcomp", "pcomp", "prep", "pobj", "acl", "dobj", "compound", "conj", "advcl"}
)
# A dateline's place names fill at most this many tokens at the start of a sentence.
_DATELINE_TOKENS = 3
# How far after a killing phrase ("shot dead") the victim's description may reach.
_MAX_OBJECT_WORDS = 14
# Victims counted from this many on are a war's or a regime's, not one attack's (the
# deadliest attacks on record killed fewer).
WAR_TOLL = 5000
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")

Verdict = Literal["drop", "sense", "generic", "accomplished", "attempted", "threatened"]


@dataclass(frozen=True, slots=True)
class Trigger:
    """An attack-reporting word of one sentence with the attack types, weapons and stage
    its sentence gives evidence for."""

    sent_index: int
    evidence: Evidence
    attack_types: tuple[Fact[str], ...]
    weapons: tuple[Fact[str], ...]
    weapon_mentions: tuple[Fact[str], ...]
    stage: Stage
    background: bool
    generic: bool
    anaphoric: bool = False
    definite: bool = False
    summary: bool = False
    supported: bool = True
    accidental: bool = False


@dataclass(frozen=True, slots=True)
class _Cue:
    """One attack word before grouping: where it is, what it says, how it reads."""

    token: Any
    start: int
    end: int
    types: tuple[str, ...]
    rule: str
    weak: bool = False
    verdict: Verdict = "accomplished"
    background: bool = False
    retrospective: bool = False
    # The word the framing words ("tried to", "planned") are read above, when not ``token``.
    framed: Any = None


# --- lexicon access -------------------------------------------------------------------


def _lex() -> Mapping[str, Any]:
    """Return the parsed detection lexicon."""
    data: Mapping[str, Any] = load_data(_LEXICON)
    return data


@cache
def _words(key: str) -> frozenset[str]:
    """Return the lexicon word list ``key`` as a set."""
    return frozenset(_lex()[key])


def _forms(tok: Any) -> tuple[str, ...]:
    """Return the lower-case forms a token may be looked up under: lemma, surface form,
    irregular base and suffix-stripped stems (upper-case wire text lemmatises poorly)."""
    return _forms_of(tok.lemma_.lower(), tok.lower_)


@lru_cache(maxsize=65_536)
def _forms_of(lemma: str, low: str) -> tuple[str, ...]:
    forms = [lemma, low]
    irregular = _lex()["irregular_forms"].get(low)
    if irregular:
        forms.append(irregular)
    for suffix, additions in (
        ("ies", ("y",)),
        ("es", ("", "e")),
        ("s", ("",)),
        ("ed", ("", "e")),
        ("ing", ("", "e")),
    ):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            stem = low[: -len(suffix)]
            forms.extend(stem + a for a in additions)
            if len(stem) > 2 and stem[-1] == stem[-2]:
                forms.append(stem[:-1])
    return tuple(dict.fromkeys(forms))


def _lookup(tok: Any, table: Mapping[str, Any]) -> Any:
    """Return the entry of ``table`` for the first of the token's forms it holds, else None."""
    for form in _forms(tok):
        if form in table:
            return table[form]
    return None


def _is(tok: Any, key: str) -> bool:
    """Return whether one of the token's forms is in the lexicon word list ``key``."""
    words = _words(key)
    return any(form in words for form in _forms(tok))


# --- finding cues ---------------------------------------------------------------------


def _span_cue(tok: Any, other: Any, types: Iterable[str], rule: str) -> _Cue:
    """Return a cue spanning from the earlier to the later of two tokens."""
    first, last = (tok, other) if tok.i <= other.i else (other, tok)
    return _Cue(tok, first.idx, last.idx + len(last.text), tuple(types), rule)


def _word_cue(tok: Any, types: Iterable[str], rule: str, weak: bool = False) -> _Cue:
    """Return a cue covering one token."""
    return _Cue(tok, tok.idx, tok.idx + len(tok.text), tuple(types), rule, weak=weak)


def _reachable_objects(tok: Any) -> Iterator[Any]:
    """Yield a verb's children and the objects of its prepositions ("set it on fire")."""
    for child in tok.children:
        yield child
        if child.dep_ == "prep":
            yield from child.children


def _verb_object_cue(tok: Any) -> _Cue | None:
    """Return the cue of a verb + object/particle phrase ("opened fire", "blew up")."""
    objects = _lookup(tok, _lex()["verb_object_triggers"])
    if not objects:
        return None
    for child in _reachable_objects(tok):
        types = objects.get(child.lower_) or objects.get(child.lemma_.lower())
        if types is not None and child.dep_ not in _SUBJECTS:
            return _span_cue(tok, child, types, "detect.phrasal_trigger")
    return None


def _subtree_has(tok: Any, key: str) -> bool:
    """Return whether any word under ``tok`` is in the lexicon list ``key``."""
    return any(_is(t, key) for t in tok.subtree)


def _is_attacker(tok: Any) -> bool:
    """Return whether a noun phrase names attackers or an attack instrument."""
    if _subtree_has(tok, "perpetrator_nouns") or _subtree_has(tok, "perpetrator_modifiers"):
        return True
    return any(_lookup(t, _lex()["trigger_nouns"]) is not None for t in tok.subtree) or any(
        _lookup(t, _lex()["weapon_words"]) is not None for t in tok.subtree
    )


def _agents(verb: Any) -> Iterator[Any]:
    """Yield the doers of a verb: active subject or passive "by" object."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            yield child
        elif child.dep_ == "agent":
            yield from (g for g in child.children if g.dep_ == "pobj")
    if verb.dep_ == "conj" and not any(c.dep_ in _SUBJECTS for c in verb.children):
        yield from _agents(verb.head)


def _patients(verb: Any) -> Iterator[Any]:
    """Yield who or what a verb acts on: object or passive subject."""
    for child in verb.children:
        if child.dep_ in _PATIENTS:
            yield child
    if verb.dep_ == "conj" and not any(c.dep_ in _PATIENTS for c in verb.children):
        yield from _patients(verb.head)


def _is_threatened(tok: Any) -> bool:
    """Return whether a verb is what someone threatened to do ("threatened to kill him"):
    MUC-4 counts threats, and the threat verb frames the act as threatened."""
    intentions: Mapping[str, str] = _lex()["intention_verbs"]
    return bool(tok.dep_ == "xcomp" and _lookup(tok.head, intentions) == "threatened")


def _weak_cue(tok: Any, wire: bool = False) -> _Cue | None:
    """Return a cue for "kill"-like verbs when attackers or an instrument did it; in
    upper-case wire text (``wire``) also when it is threatened ("threatened to kill the
    mayor") or when named people who are no fighters were killed by no one named
    (``_unattributed_killing``)."""
    types = _lookup(tok, _lex()["weak_trigger_verbs"])
    if types is None:
        return None
    agents = list(_agents(tok))
    if not any(_is_attacker(agent) for agent in agents):
        if wire and _is_threatened(tok):
            return _word_cue(tok, types, "detect.wire_threat", weak=True)
        if wire and not agents and "armed_assault" in types and _unattributed_killing(tok):
            return _word_cue(tok, types, "detect.wire_passive_killing", weak=True)
        return None
    # "Gunmen killed 12" is an armed assault; "the blast killed 12" says nothing new.
    by_people = any(
        _subtree_has(a, "perpetrator_nouns") or _subtree_has(a, "perpetrator_modifiers")
        for a in agents
    )
    return _word_cue(tok, types if by_people else (), "detect.agentive_verb", weak=True)


def _unattributed_killing(tok: Any) -> bool:
    """Return whether a passive "kill"-like participle tells of named people who are no
    fighters ("reporter Cornell Lagrow was killed", "Galan, who was killed on Friday"), or
    a gerund under a preposition does ("the men suspected of killing candidate Luis
    Galan"): wire reports of the conflicts MUC-4 covers tell a political killing so,
    without naming its doers, or through the suspects of it; soldiers and guerrillas killed
    in combat are no incident the keys count."""
    if _in_combat_or_accident(tok):
        return False
    return any(_names_someone(p) and not _subtree_has(p, "combatant_nouns") for p in _killed(tok))


def _killed(tok: Any) -> list[Any]:
    """Return who a passive participle ("was killed", "peasants killed") or a gerund that
    is a preposition's object ("of killing the mayor") says was killed."""
    if tok.tag_ == "VBG" and tok.dep_ == "pcomp":
        return [p for p in _patients(tok) if p.dep_ == "dobj"]
    if tok.tag_ != "VBN":
        return []
    patients = [_relative_antecedent(p) for p in _patients(tok) if p.dep_ == "nsubjpass"]
    if tok.dep_ == "acl" and tok.head.pos_ in _NOUN_POS:
        patients.append(tok.head)  # "two peasants killed yesterday"
    return patients


def _names_someone(tok: Any) -> bool:
    """Return whether a noun phrase names people: a person ("reporter Cornell Lagrow") or
    people by their nation or creed ("the Jesuits", "nine Indian peasants"), not a bare
    count ("2,000 people"), which is the toll of a war or a disaster."""
    return any(t.ent_type_ in ("PERSON", "NORP") for t in tok.subtree)


def _in_combat_or_accident(tok: Any) -> bool:
    """Return whether a verb's prepositional phrases put it in combat or an accident
    ("killed in a clash", "wounded during the fighting", "killed in the crash"), or a
    clause of its own does ("killed while fighting on the southern front")."""
    if any(c.dep_ == "advcl" and _is(c, "combat_verbs") for c in tok.children):
        return True
    return any(
        _is(g, "combat_or_accident_nouns")
        for p in tok.children
        if p.dep_ == "prep"
        for g in p.subtree
        if g.pos_ in _NOUN_POS
    )


def _relative_antecedent(tok: Any) -> Any:
    """Return the noun a relative pronoun stands for ("the priests who were killed"), else
    the word itself."""
    clause = tok.head
    if tok.tag_ in ("WP", "WDT") and clause.dep_ == "relcl" and clause.head.pos_ in _NOUN_POS:
        return clause.head
    return tok


def _ramming_cue(tok: Any) -> _Cue | None:
    """Return a cue for a vehicle driven into people ("rammed a truck into a crowd")."""
    if not _is(tok, "ramming_verbs"):
        return None
    args = [c for c in _reachable_objects(tok)] + list(_agents(tok))
    has_vehicle = any(_is(a, "ramming_vehicles") for a in args)
    into_people = any(
        _is(c, "ramming_targets")
        for c in _reachable_objects(tok)
        if c.dep_ in ("pobj", "dobj") and (c.dep_ == "dobj" or _is(c.head, "ramming_preps"))
    )
    if has_vehicle and (into_people or tok.lemma_.lower() == "ram"):
        return _word_cue(tok, ("unarmed_assault",), "detect.ramming")
    return None


def _compound_head_allows(tok: Any) -> bool:
    """Return whether a compound attack noun keeps its own cue: only before "attempt" or
    "threat" ("assassination attempt", "bomb threat"); else its head noun carries it."""
    head = tok.head
    return _is(head, "failure_nouns") or _is(head, "threat_nouns")


def _noun_cue(tok: Any, wire: bool = False) -> _Cue | None:
    """Return the cue of an attack noun, a sense-only cue for non-attack nouns. In
    upper-case wire text a killing noun ("the murder of the priests") reports an attack
    too: the MUC-4 keys count political killings named only by such a noun, while in
    modern news it mostly names the deaths of an attack already reported by its own word."""
    if tok.dep_ == "compound" and not _compound_head_allows(tok):
        return None
    if _is(tok, "non_attack_nouns"):
        return replace(_word_cue(tok, (), "detect.non_attack_noun"), verdict="sense")
    types = _lookup(tok, _lex()["trigger_nouns"])
    if types is None and wire and _names_one_killing(tok):
        types = _lookup(tok, _lex()["wire_trigger_nouns"])
        if types is not None:
            return _word_cue(tok, types, "detect.wire_noun_trigger")
    if types is None and wire:
        return _found_body_cue(tok) or _death_threat_cue(tok)
    if types is None:
        return None
    return _word_cue(tok, types, "detect.noun_trigger")


def _death_threat_cue(tok: Any) -> _Cue | None:
    """Return a threatened-killing cue for "death threats" in wire text (MUC-4 counts
    threats; the threat noun above it makes the cue threatened)."""
    types = _lookup(tok, _lex()["wire_threatened_harm_nouns"])
    if types is None or tok.dep_ != "compound" or not _is(tok.head, "threat_nouns"):
        return None
    return _span_cue(tok, tok.head, types, "detect.death_threat")


def _found_body_cue(tok: Any) -> _Cue | None:
    """Return a killing cue for a body found ("the bodies of four students were found",
    "troops discovered the body of a man"): in upper-case wire reports of the conflicts
    MUC-4 covers, a body found tells of a killing the keys count; in modern news it is
    mostly the toll of a disaster or of an attack already reported by its own word."""
    types = _lookup(tok, _lex()["wire_corpse_nouns"])
    if types is None or tok.dep_ not in ("nsubjpass", "dobj"):
        return None
    if not _is(tok.head, "discovery_verbs"):
        return None
    # a body found is no bomb found: the finding verb frames nothing, only its clause does
    return replace(_span_cue(tok, tok.head, types, "detect.found_body"), framed=tok.head)


def _names_one_killing(tok: Any) -> bool:
    """Return whether a killing noun names particular killings: it has a determiner, an
    owner ("Galan's murder") or whom ("the murder of the priests"). Bare, it names a crime
    ("charged with murder", "torture, murder and rape")."""
    if any(c.dep_ in ("det", "poss") for c in tok.children):
        return True
    return any(
        c.dep_ == "prep" and c.lower_ == "of" and any(g.dep_ == "pobj" for g in c.children)
        for c in tok.children
    )


def _verb_cue(tok: Any, wire: bool = False) -> _Cue | None:
    """Return the cue of an attack verb or verb phrase (``wire``: in upper-case wire text)."""
    if tok.dep_ == "amod" and not _misread_as_modifier(tok):
        return None
    phrasal = _verb_object_cue(tok)
    if phrasal is not None:
        return phrasal
    ramming = _ramming_cue(tok)
    if ramming is not None:
        return ramming
    types = _lookup(tok, _lex()["trigger_verbs"])
    if types is not None:
        return _word_cue(tok, types, "detect.verb_trigger")
    used = _weapon_use_cue(tok)
    if used is not None:
        return used
    return _weak_cue(tok, wire)


def _misread_as_modifier(tok: Any) -> bool:
    """Return whether a past-tense verb was parsed as a noun's modifier although the noun
    just before it does the action ("an attacker armed with a knife stabbed people", where
    the parser hung "knife" under "stabbed" or beside it): a true adjective comes between a
    determiner and its noun ("the stabbed man") and is tagged JJ."""
    if tok.tag_ not in ("VBD", "VBN") or tok.i == 0:
        return False
    before = tok.doc[tok.i - 1]
    return before.pos_ in ("NOUN", "PROPN") and before.head.i in (tok.i, tok.head.i)


def _weapon_use_cue(tok: Any) -> _Cue | None:
    """Return the cue of a verb using a weapon on someone ("threw grenades", "fired
    rifles", "fired on the crowd"); the weapon's category gives the attack type."""
    if not _is(tok, "weapon_use_verbs"):
        return None
    by_weapon: Mapping[str, str] = _lex()["weapon_attack_types"]
    for child in tok.children:
        entry = _lookup(child, _lex()["weapon_words"]) if child.dep_ == "dobj" else None
        if entry is not None and entry[1]:
            implied = by_weapon.get(entry[0])
            return _span_cue(tok, child, (implied,) if implied else (), "detect.weapon_use")
    if _is(tok, "firing_verbs") and any(
        c.dep_ == "prep" and c.lower_ in _words("firing_preps") for c in tok.children
    ):
        return _word_cue(tok, ("armed_assault",), "detect.weapon_use")
    return None


def _release_cue(tok: Any) -> _Cue | None:
    """Return a kidnapping cue for a hostage set free ("the kidnapped diplomat was
    freed", "hostage released"): the release reports a kidnapping that happened."""
    if not _is(tok, "release_verbs") or tok.tag_ == "VBG" or _is_infinitive(tok):
        return None  # "committed to freeing the hostages" is an aim, not a release
    for patient in _patients(tok):
        if _is(patient, "captive_nouns") or any(
            _is(t, "captive_participles") for t in patient.subtree if t.i < patient.i
        ):
            return _word_cue(tok, ("hostage_kidnapping",), "detect.release")
    return None


def _captors_cue(tok: Any) -> _Cue | None:
    """Return a kidnapping cue for the captors of named people ("kidnappers of four
    professors"): they hold people they kidnapped."""
    if not _is(tok, "captor_nouns"):
        return None
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
        return _word_cue(tok, ("hostage_kidnapping",), "detect.captors")
    return None


def _cue_at(tok: Any, wire: bool = False) -> _Cue | None:
    """Return the attack cue a token starts, or None (``wire``: in upper-case wire text)."""
    fixed = _fixed_phrase_cue(tok)
    if fixed is not None:
        return fixed
    if tok.pos_ in _NOUN_POS:
        return _noun_cue(tok, wire) or _captors_cue(tok) or _release_cue(tok)
    if tok.pos_ in _VERB_POS:
        return _verb_cue(tok, wire) or _release_cue(tok)
    return None


def _fixed_phrase_cue(tok: Any) -> _Cue | None:
    """Return the cue of a set phrase that reports a killing whatever the parser made of
    it ("Gunmen on a motorcycle shot dead a councillor", where "shot" was read as a noun),
    None when ``tok`` does not start one."""
    found = killing_phrase_at(tok)
    if found is None:
        return None
    end, types = found
    return _span_cue(tok, tok.doc[end - 1], types, "detect.fixed_phrase")


# --- other senses -----------------------------------------------------------------------


def _modifiers(tok: Any) -> Iterator[Any]:
    """Yield a noun's pre-modifiers, including "cyber" in a hyphenated "cyber-attack" and
    those the parse hangs on a compound ("a social time bomb")."""
    for child in tok.children:
        if child.dep_ in ("compound", "amod", "nmod", "npadvmod", "poss"):
            yield child
        if child.dep_ == "compound":
            yield from (g for g in child.children if g.dep_ in ("compound", "amod"))
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].text == "-":
        yield doc[tok.i - 2]


def _preposition_objects(tok: Any) -> Iterator[Any]:
    """Yield the objects of a word's prepositions ("attacks on the policy")."""
    for child in tok.children:
        if child.dep_ == "prep":
            yield from (g for g in child.children if g.dep_ == "pobj")


def _is_state_war(tok: Any) -> bool:
    """Return whether an attack word describes warfare between states: one country
    attacking another ("Russia's attack against Ukraine"), or an attack done by a state's
    armed forces ("an Iranian attack", "planes from Afghanistan attacked", "an infantry
    brigade launched the attack"), not a terrorist attack."""
    if _is(tok, "atrocity_words"):
        return False  # a state's forces murdering people commit an atrocity, not warfare
    doers = [c for c in tok.children if c.dep_ in ("poss", "nsubj", "compound", "nmod")]
    targets = list(_preposition_objects(tok)) + [c for c in tok.children if c.dep_ == "dobj"]
    if any(d.ent_type_ == "GPE" for d in doers) and any(t.ent_type_ == "GPE" for t in targets):
        return True
    if any(_is(m, "military_modifiers") for m in _modifiers(tok)):
        return True
    return any(_is_military(d) or _is_state(d) for d in _war_doers(tok))


def _is_state(doer: Any) -> bool:
    """Return whether a subject or owner is a country acting ("Iraq said it attacked two
    ships", "Libya's bombing"); a country as a modifier is a place ("a Baghdad bombing")."""
    if doer.dep_ not in ("nsubj", "poss", "pobj"):
        return False
    if doer.lower_ in _words("state_pronouns"):
        return _pronoun_state(doer) is not None
    if _is(doer, "perpetrator_nouns"):
        return False  # the small model sometimes tags a sentence-initial "Gunmen" as a place
    return doer.ent_type_ == "GPE" and not _in_dateline(doer)


def _pronoun_state(pronoun: Any) -> Any:
    """Return the country a pronoun stands for when the clause above it has a country as
    its subject ("Iraq said it attacked two ships", "Iran kept up its attacks"), else None."""
    for verb in pronoun.ancestors:
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        for child in verb.children:
            if child.dep_ == "nsubj" and child.i != pronoun.i and child.ent_type_ == "GPE":
                return None if _in_dateline(child) else child
    return None


def _in_dateline(tok: Any) -> bool:
    """Return whether a word opens its sentence as a dateline ("KABUL, June 3 -"), which
    the parser often takes for the subject."""
    following = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    near_start = tok.i - tok.sent.start <= _DATELINE_TOKENS
    return near_start and following is not None and following.text == ","


def _war_doers(tok: Any) -> Iterator[Any]:
    """Yield who an attack word says carried it out: a noun's owner or national modifier, a
    verb's agents, or the subject of the light verb that governs the noun."""
    for child in tok.children:
        if child.dep_ in ("poss", "amod", "compound", "nmod") and child.i < tok.i:
            yield child
    yield from _agents(tok)
    if tok.pos_ not in _NOUN_POS:
        return
    head = tok.head
    if tok.dep_ in ("dobj", "nsubjpass") and (
        _is(head, "light_verbs") or _is(head, "continuation_verbs")
    ):
        yield from _agents(head)
    elif tok.dep_ == "pobj" and head.lower_ in _words("event_preps") and head.head.pos_ == "VERB":
        # "warplanes hit two ships in attacks", "jets killed 22 in a bombing"
        yield from _agents(head.head)


def _is_military(tok: Any) -> bool:
    """Return whether a doer is a state's armed forces: a military noun ("troops",
    "warplanes") or a nation's adjective ("Iranian") heading no other noun."""
    if _names_armed_group(tok):
        return False
    if any(_is(t, "military_agents") for t in (tok, *tok.children) if t.dep_ != "prep"):
        return True
    return tok.ent_type_ == "NORP" and tok.dep_ in ("amod", "compound") and _is_demonym(tok)


def _names_armed_group(tok: Any) -> bool:
    """Return whether a military noun is the force of a named group, not of a state: a
    name that is no country, nationality or branch of arms before it ("FMLN forces") or
    after its "of" ("Army of National Liberation")."""
    names = [c for c in tok.children if c.dep_ in ("compound", "nmod") and c.i < tok.i]
    names += [
        g
        for c in tok.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for g in c.children
        if g.dep_ == "pobj"
    ]
    return any(_is_group_name(n) for n in names)


def _is_group_name(tok: Any) -> bool:
    """Return whether a proper noun names a group: not a country or place, nationality,
    military word ("Air" Force) or attacker's modifier ("Armed" Forces)."""
    if tok.pos_ != "PROPN" or tok.ent_type_ in ("GPE", "LOC", "FAC"):
        return False
    if _is_demonym(tok) or _is(tok, "military_agents") or _is(tok, "military_modifiers"):
        return False
    return not _is(tok, "perpetrator_modifiers")


def _is_demonym(tok: Any) -> bool:
    """Return whether a word names a country's people ("Iranian"), not a group ("Taliban")."""
    return gazetteer().demonym_country(tok.text) is not None


def _by_security_forces(tok: Any) -> bool:
    """Return whether a raid/storming is done by police or troops (law enforcement)."""
    doers = [c for c in tok.children if c.dep_ in ("poss", "compound", "nsubj", "amod")]
    doers += list(_agents(tok))
    return any(_is(d, "security_agents") for d in doers)


def _is_police_raid(tok: Any) -> bool:
    """Return whether a raid or storming is law enforcement: done by police or troops."""
    return tok.lemma_.lower() in _words("law_enforcement_raids") and _by_security_forces(tok)


def _other_sense(cue: _Cue) -> bool:
    """Return whether the cue word is used in a non-attack sense ("heart attack",
    "attacked the policy", "shooting of the film", "police raid")."""
    tok = cue.token
    senses: Mapping[str, list[str]] = _lex()["non_attack_modifiers"]
    exclusions = frozenset(_lookup(tok, senses) or ())
    if any(m.lower_ in exclusions or m.lemma_.lower() in exclusions for m in _modifiers(tok)):
        return True
    objects = [c for c in tok.children if c.dep_ == "dobj"]
    # "attacks on the policy" is another sense; "killed 12 people at a market" is where.
    objects += [
        o
        for o in _preposition_objects(tok)
        if not (tok.pos_ in _VERB_POS and o.head.lower_ in _words("locative_preps"))
    ]
    if any(_is(o, "non_attack_objects") for o in objects):
        return True
    if (
        tok.pos_ in _VERB_POS
        and not cue.weak
        and any(_is_verbal_attack_prep(c, tok) for c in tok.children)
        and not _sentence_weapons(tok.sent)
    ):
        return True
    particles: Mapping[str, list[str]] = _lex()["non_attack_particles"]
    if tok.pos_ in _VERB_POS and any(
        c.dep_ in ("prt", "advmod") and c.lower_ in (_lookup(tok, particles) or ())
        for c in tok.children
    ):
        return True  # "shares shot up", "he shot back": no gun was fired
    if _lacks_violent_context(tok) or _names_a_state(tok):
        return True
    if _is_police_raid(tok):
        return True
    if _is_state_war(tok):
        return True
    # "the gunman was shot dead by police" is the response to an attack, not one.
    harms_attackers = cue.weak or _is(tok, "assassination_verbs")
    return harms_attackers and any(_is(p, "response_patients") for p in _patients(tok))


def _is_verbal_attack_prep(prep: Any, verb: Any) -> bool:
    """Return whether a preposition gives the ground of a verbal attack ("attacked him over
    the deal", "attacked as a liar"): it follows the verb; one that opens the clause frames
    the whole sentence ("As a result, ... were murdered")."""
    return prep.dep_ == "prep" and prep.i > verb.i and prep.lower_ in _words("verbal_attack_preps")


def _lacks_violent_context(tok: Any) -> bool:
    """Return whether a word that reports an attack only among violence ("shoot", "siege",
    "under attack") stands without it: no attackers, instrument, casualty or hostage word
    in its sentence and, for shooting, no person shot ("shoot for a goal", "under siege by
    speculators", "a state of siege")."""
    if not _is(tok, "context_required") and not _under_pressure(tok):
        return False
    if any(_is(t, "perpetrator_nouns") or _is(t, "perpetrator_modifiers") for t in tok.sent):
        return False
    others = [t for t in tok.sent if t.i != tok.i]
    if any(_is(t, "violence_context") for t in others) or _has_instruments(others):
        return False
    return not any(_is_person(p) for p in _shot_people(tok))


def _names_a_state(tok: Any) -> bool:
    """Return whether an attack noun names a legal state ("a state of siege might be
    imposed", "lifted the state of siege"): an emergency regime, whatever violence the
    sentence tells of."""
    prep = tok.head
    return tok.dep_ == "pobj" and prep.lower_ == "of" and _is(prep.head, "state_nouns")


def _under_pressure(tok: Any) -> bool:
    """Return whether an attack noun is the object of "under" ("under attack") or the
    state in "a state of siege", which often say pressure, not violence."""
    if tok.dep_ != "pobj":
        return False
    return tok.head.lower_ == "under" or _names_a_state(tok)


def _shot_people(tok: Any) -> Iterator[Any]:
    """Yield who a verb acts on, objects of its firing prepositions included."""
    yield from _patients(tok)
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in _words("firing_preps"):
            yield from (g for g in child.children if g.dep_ == "pobj")


def _is_person(tok: Any) -> bool:
    """Return whether a word names people: a person's name, a personal pronoun or a
    people noun ("a policeman", "two students")."""
    if _names_person(tok):
        return True
    # "Policeman Castro Roman", "student Miguel Reina": a title before the name
    return any(c.dep_ == "compound" and _names_person(c) for c in tok.children)


def _names_person(tok: Any) -> bool:
    """Return whether a single word names people (``_is_person`` without its modifiers)."""
    if tok.ent_type_ in ("PERSON", "NORP") or tok.lower_ in _words("personal_pronouns"):
        return True
    return any(form in _people_nouns() for form in _forms(tok))


@cache
def _people_nouns() -> frozenset[str]:
    """Return the nouns that name people, shared with target typing (``targets.json``)."""
    targets: Mapping[str, Any] = load_data(_TARGETS)
    return frozenset(targets["human"]) | frozenset(targets["generic_human"])


def _has_instruments(tokens: Iterable[Any]) -> bool:
    """Return whether some words name a weapon that is no ordinary word for a rocket or a
    missile ("a grenade", "rifles"), as launches and tests also name those."""
    return any(
        _lookup(t, _lex()["weapon_words"]) is not None and not _is(t, "ambiguous_instruments")
        for t in tokens
    )


def _sentence_weapons(sent: Any) -> bool:
    """Return whether a sentence names any weapon word."""
    return any(_lookup(t, _lex()["weapon_words"]) is not None for t in sent)


# --- factuality -------------------------------------------------------------------------


def _clause_head(tok: Any) -> Any:
    """Return the verb governing a word (the word itself for verbs), or None."""
    cur = tok
    while cur.pos_ not in ("VERB", "AUX"):
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return cur


def _is_negated(tok: Any) -> bool:
    """Return whether a word carries its own negation ("did not explode", "no attack")."""
    return any(
        c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ in ("no", "neither")) for c in tok.children
    )


def _modal_blocks(verb: Any) -> bool:
    """Return whether a modal or future auxiliary makes a verb unreal ("could attack",
    "will bomb"); epistemic "may have" / "might have" keeps a hedged past event."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    modals = [a for a in auxes if a.lower_ in _words("modals") and not _is_month_name(a)]
    if not modals:
        return False
    perfect = any(a.lemma_.lower() == "have" for a in auxes)
    return not (perfect and all(m.lower_ in _words("epistemic_perfect_modals") for m in modals))


def _is_month_name(tok: Any) -> bool:
    """Return whether a word read as a modal is the month in a date ("on 24 may two
    tourists were murdered", where the parser hung "may" on the verb): it is part of a
    date or follows a day number."""
    if tok.ent_type_ == "DATE":
        return True
    before = tok.doc[tok.i - 1] if tok.i > 0 else None
    return before is not None and before.like_num


def _announces_own_act(verb: Any) -> bool:
    """Return whether a future verb announces the speaker's own act ("we will place a
    bomb", "I will kill him"): a threat, not a mere possibility."""
    future = any(c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll") for c in verb.children)
    return future and any(c.dep_ == "nsubj" and c.lower_ in ("we", "i") for c in verb.children)


def _is_event_argument(tok: Any, head: Any) -> bool:
    """Return whether a noun is the event argument of a light verb ("an attack occurred",
    "launched an attack"), so the verb's modality and negation are the noun's."""
    if tok.head.i != head.i or tok.dep_ not in _ARGUMENTS:
        return False
    # "will place bombs": the placing verb's modality is the instrument's
    placed = tok.dep_ == "dobj" and _is(head, "placement_verbs")
    return placed or _is(head, "light_verbs")


def _predicated_unreal(tok: Any, head: Any) -> bool:
    """Return whether a subject noun is called likely/possible/imminent."""
    if tok.dep_ not in ("nsubj", "nsubjpass") or tok.head.i != head.i:
        return False
    return any(
        c.dep_ in ("acomp", "oprd", "xcomp") and _is(c, "hypothetical_adjectives")
        for c in head.children
    )


def _adjective_verdict(tok: Any) -> Verdict | None:
    """Return the reading an adjective forces ("potential attacks" drop, "failed attack"
    attempted)."""
    stages: Mapping[str, str] = _lex()["hypothetical_adjective_stages"]
    for child in tok.children:
        if child.dep_ in ("amod", "compound") and _is(child, "hypothetical_adjectives"):
            stage = _lookup(child, stages)
            return "attempted" if stage == "attempted" else "drop"
    return None


def _is_generic_noun(tok: Any) -> bool:
    """Return whether a noun is a generic mention: "any attack", "such an attack", or a bare
    plural with no determiner, number, owner or date ("attacks on officials have risen")."""
    children = list(tok.children)
    if any(c.dep_ in ("det", "predet", "amod") and _is(c, "generic_determiners") for c in children):
        return True
    if not _is_plural(tok):
        return False
    if _counted_by_quantifier(tok) or _is_enumerated(tok):
        return True
    if any(c.dep_ in ("det", "poss", "nummod", "predet") for c in children):
        return False
    if any(_is(c, "quantity_modifiers") or c.ent_type_ for c in children):
        return False
    if tok.dep_ == "pobj" and _is(tok.head.head, "collection_nouns"):
        return False
    return not any(e.label_ in ("DATE", "TIME") for e in tok.sent.ents)


def _counts_war_dead(tok: Any) -> bool:
    """Return whether an attack word counts its victims by the thousand ("the killing of
    over 70,000 Salvadorans", "massacred thousands"): the toll of a war or a regime, which
    no single attack the article reports reaches."""
    victims = [*_patients(tok), *_preposition_objects(tok)]
    for v in victims:
        counts = [c for c in v.children if c.dep_ == "nummod"] + ([v] if v.like_num else [])
        for c in counts:
            value = parse_number_words([c.lower_])
            if value is not None and value >= WAR_TOLL:
                return True
    return False


def _counted_by_quantifier(tok: Any) -> bool:
    """Return whether a plural noun is what a quantifier takes a part of ("most of the
    murders", "many of the attacks"): a remark about a kind of act, not a report."""
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ != "of" or prep.head.i == prep.i:
        return False
    return _is(prep.head, "generic_determiners")


def _is_plural(tok: Any) -> bool:
    return tok.tag_ in ("NNS", "NNPS") or "Plur" in tok.morph.get("Number")


def _is_enumerated(tok: Any) -> bool:
    """Return whether a plural attack noun names a kind of act among others ("arrests,
    bombings and censorship"), even as "the bombings"."""
    return _is_plural(tok) and _listed_with_other_acts(tok)


def _coordinated_nouns(tok: Any) -> list[Any]:
    """Return the other common nouns coordinated with a noun ("arrests, bombings and
    strikes"): up its chain of conjuncts to the first, then every conjunct of that."""
    first = tok
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    members: list[Any] = []
    stack = [first]
    while stack:
        node = stack.pop()
        members.append(node)
        stack.extend(c for c in node.children if c.dep_ == "conj")
    return [m for m in members if m.i != tok.i and m.pos_ == "NOUN"]


def _listed_with_other_acts(tok: Any) -> bool:
    """Return whether a plural attack noun is one item of a list of kinds of acts that are
    not all attacks ("denounced arrests, bombings and censorship", "the killings, the
    crimes"): an enumeration of what goes on, not a report of attacks that happened."""
    attack_nouns: Mapping[str, Any] = _lex()["trigger_nouns"]
    weak: Mapping[str, Any] = _lex()["weak_trigger_verbs"]
    return any(
        _lookup(m, attack_nouns) is None and _lookup(m, weak) is None
        for m in _coordinated_nouns(tok)
    )


def _is_infinitive(tok: Any) -> bool:
    """Return whether a verb is a to-infinitive ("a plot to attack")."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _framing_verdict(start: Any) -> Verdict | None:
    """Return the reading imposed by the words framing an attack word from above: intention
    ("planned to attack" drop), threat ("threatened to bomb"), attempt ("tried to kill",
    "failed to explode"), prevention ("foiled an attack"), plot/risk nouns ("threat of
    attacks" drop, "bomb threat" threatened)."""
    intentions: Mapping[str, str] = _lex()["intention_verbs"]
    cur = start
    for _ in range(4):
        if cur.dep_ not in _FRAMING_DEPS or cur.head.i == cur.i:
            return None
        head, dep = cur.head, cur.dep_
        if head.pos_ in ("VERB", "AUX"):
            if _is_infinitive(cur) and any(
                c.dep_ in ("dobj", "nsubj") and _is(c, "hypothetical_nouns") for c in head.children
            ):
                return "drop"
            intent = _lookup(head, intentions)
            if intent is not None and (dep in ("xcomp", "dobj", "pcomp") or dep == "prep"):
                return "drop" if intent == "drop" or _unreal_attempt(intent, head) else intent
            if _is(head, "prevention_verbs"):
                return "drop"
            if _is(head, "defuse_verbs"):
                return "attempted"
            if dep not in ("xcomp", "pcomp", "prep", "conj") and not _is(head, "light_verbs"):
                return None
        elif head.pos_ in _NOUN_POS:
            if _is(head, "failure_nouns"):
                return "attempted"
            if _is(head, "threat_nouns") and dep == "compound":
                return "threatened"
            if _is(head, "hypothetical_nouns"):
                return "drop"
        cur = head
    return None


def _unreal_attempt(intent: str, verb: Any) -> bool:
    """Return whether an attempt verb is itself future, modal or negated ("will attempt to
    attack", "did not try to kill"): no attempt was made."""
    return intent == "attempted" and (_modal_blocks(verb) or _is_negated(verb))


def _under_condition(tok: Any) -> bool:
    """Return whether the word sits in an "if"/"unless"/"whether" clause."""
    cur = tok
    while True:
        if any(c.dep_ == "mark" and c.lower_ in _words("conditional_marks") for c in cur.children):
            return True
        if cur.head.i == cur.i:
            return False
        cur = cur.head


def _failed_detonation(cue: _Cue) -> bool:
    """Return whether a negated word is an explosion that did not happen ("the bomb did not
    explode"): the attack was attempted."""
    return "bombing_explosion" in cue.types


def _verdict(cue: _Cue) -> Verdict:
    """Return how a cue reads: dropped, generic, or the stage of a reported attack."""
    if cue.verdict == "sense" or _other_sense(cue):
        return "sense"
    return _reading(cue)


def _reading(cue: _Cue) -> Verdict:
    """Return how a cue reads as an attack word (its other senses left aside): dropped,
    generic, or the stage of a reported attack."""
    tok = cue.token
    is_noun = tok.pos_ in _NOUN_POS
    head = tok if not is_noun else _clause_head(tok)
    if _is_negated(tok):
        return "attempted" if _failed_detonation(cue) and not is_noun else "drop"
    if is_noun:
        adjective = _adjective_verdict(tok)
        if adjective is not None:
            return adjective
        if _is_enumerated(tok) or (_is_generic_noun(tok) and not _is_anaphoric(tok)):
            return "generic"
    if _counts_war_dead(tok):
        return "generic"
    if head is not None:
        argument = not is_noun or _is_event_argument(tok, head)
        if argument and _modal_blocks(head):
            return "threatened" if _announces_own_act(head) else "drop"
        if argument and is_noun and _is_negated(head):
            return "drop"
        if is_noun and _predicated_unreal(tok, head):
            return "drop"
    framing = _framing_verdict(tok if cue.framed is None else cue.framed)
    if framing is not None:
        return framing
    if _under_condition(tok) or _is_unreal_infinitive(tok) or _in_refuted_report(tok):
        return "drop"
    return "accomplished"


def _is_unreal_infinitive(tok: Any) -> bool:
    """Return whether a verb is an infinitive that reports no event: a bare purpose ("to
    massacre the people" standing alone), "how to use explosives", "about to explode"."""
    if tok.pos_ not in _VERB_POS or not _is_infinitive(tok):
        return False
    if tok.dep_ == "ROOT" or any(c.dep_ == "advmod" and c.lower_ == "how" for c in tok.children):
        return True
    return tok.head.lower_ in _words("imminence_words")


def _in_refuted_report(tok: Any) -> bool:
    """Return whether a word sits in a report called false ("the report that she was
    wounded is absolutely unfounded")."""
    for node in _ancestors_and_self(tok):
        if node.dep_ in ("acl", "ccomp") and _is(node.head, "report_nouns"):
            verb = node.head.head
            return any(
                c.dep_ in ("acomp", "attr") and _is(c, "falsity_words") for c in verb.children
            )
    return False


# --- background -------------------------------------------------------------------------


def _ancestors_and_self(tok: Any) -> Iterator[Any]:
    """Yield a token and its heads up to the sentence root."""
    yield tok
    yield from tok.ancestors


def _is_retrospective(tok: Any) -> bool:
    """Return whether an anniversary, trial or sentencing frames the word
    ("marks the anniversary of the attack", "was sentenced for the bombing")."""
    return any(_is(a, "retrospective_cues") for a in tok.ancestors)


def _has_duration(tok: Any, words: str = "duration_words") -> bool:
    """Return whether a word carries a duration ("two weeks" after) in the word list
    ``words``."""
    return any(
        c.dep_ in ("npadvmod", "advmod", "nummod") and _subtree_has(c, words) for c in tok.children
    )


def _is_temporal_since(marker: Any) -> bool:
    """Return whether "since" dates something ("since the 2014 massacre", "since a bomb
    killed 150") rather than giving a reason ("since there was a market there")."""
    if marker.dep_ == "prep":
        return True
    return marker.dep_ == "mark" and marker.head.lemma_.lower() not in ("be", "have")


def _is_sequenced_earlier(tok: Any, wire: bool = False) -> bool:
    """Return whether the word is set as an earlier event: "since the 2014 massacre",
    "two weeks after a bomb killed 351". In upper-case wire text (``wire``) only years
    before are ("two years after the massacre"): the MUC-4 keys count the acts of recent
    weeks that a report sets before its news ("two weeks after the killing of four
    students", "vacant since 1 August, when X was shot"), and the old ones carry their
    dates (``_is_dated_long_ago``)."""
    durations = "long_duration_words" if wire else "duration_words"
    for node in _ancestors_and_self(tok):
        markers = [node] + [c for c in node.children if c.dep_ == "mark"]
        for marker in markers:
            word = marker.lower_
            if word == "since" and not wire and marker.i != tok.i and _is_temporal_since(marker):
                return True
            if (
                word in ("after", "before")
                and marker.i != tok.i
                and (_has_duration(marker, durations) or _has_duration(node, durations))
            ):
                return True
    return False


def _date_month(text: str) -> int | None:
    """Return the month named in a date text, or None."""
    months: Mapping[str, int] = _lex()["month_names"]
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in months:
            return months[word]
    return None


def _reference_month(ctx: Context) -> int | None:
    """Return the article's "now" as year*12+month: its publication date, else the latest
    month it names with a year ("January 16, 2013"; a bare year may be a future deadline)."""
    published = ctx.article.published
    if published is not None:
        return published.year * 12 + published.month
    months = [
        int(y) * 12 + month
        for e in ctx.doc.ents
        if e.label_ == "DATE" and (month := _date_month(e.text) or 0)
        for y in _YEAR.findall(e.text)[:1]
    ]
    return max(months) if months else None


def _attached_dates(tok: Any) -> Iterator[Any]:
    """Yield the DATE entities attached to an attack word: inside a noun's phrase, or in a
    verb's own date adjuncts."""
    if tok.pos_ in _NOUN_POS:
        tokens = list(tok.subtree)
        verb = _phrase_verb(tok)
        if verb is not None:
            # "last year imposed sanctions because of the bombing": the clause's own date
            tokens += [t for c in verb.children if c.dep_ == "npadvmod" for t in c.subtree]
    else:
        # "killed ten years ago": the parse hangs the "ago" phrase on the verb as an advmod
        tokens = [
            t for c in tok.children if c.dep_ in ("prep", "npadvmod", "advmod") for t in c.subtree
        ]
    seen: set[int] = set()
    for t in tokens:
        if t.ent_type_ == "DATE" and t.i not in seen:
            for ent in t.sent.ents:
                if ent.start <= t.i < ent.end:
                    seen.update(range(ent.start, ent.end))
                    yield ent


def _is_years_back(text: str) -> bool:
    """Return whether a date text counts back a year or more ("last year", "two years
    ago"). Wire text breaks lines inside a phrase ("LAST\nYEAR"), so spaces are evened."""
    low = " ".join(text.lower().split())
    return any(phrase in low for phrase in _words("years_back_phrases"))


def _phrase_verb(tok: Any) -> Any:
    """Return the verb whose clause a noun sits in through prepositional phrases only ("in
    the bombing" under "imposed sanctions because of its role in ..."), else None."""
    cur = tok
    while cur.dep_ in ("pobj", "prep", "pcomp") and cur.head.i != cur.i:
        cur = cur.head
        if cur.pos_ == "VERB":
            return cur
    return None


def _is_dated_long_ago(tok: Any, now: int | None) -> bool:
    """Return whether an attack word carries a date more than ``background_months`` before
    the article's date ("the 2014 abduction", "attacks on March 20, 1995")."""
    if now is None:
        return False
    for ent in _attached_dates(tok):
        if _is_years_back(ent.text):
            return True
        back = months_ago(ent.text)
        if back is not None and back > int(_lex()["background_months"]):
            return True
        years = _YEAR.findall(ent.text)
        if not years:
            continue
        # An unnamed month counts as December: "the 2014 abduction" is old only when
        # even its latest possible month is.
        when = int(years[0]) * 12 + (_date_month(ent.text) or 12)
        if now - when > int(_lex()["background_months"]):
            return True
    return False


def _names_other_attacks(tok: Any) -> bool:
    """Return whether an attack noun is set apart from the article's news by its modifier
    ("similar attacks on AU bases", "previous bombings")."""
    return tok.pos_ in _NOUN_POS and any(
        c.dep_ == "amod" and c.lower_ in _words("other_attack_modifiers") for c in tok.children
    )


# --- anaphora ---------------------------------------------------------------------------


def _is_anaphoric(tok: Any) -> bool:
    """Return whether a noun is a bare definite reference back ("the attack") with no
    modifier of its own to tell what kind of attack it is."""
    if tok.pos_ not in _NOUN_POS or not _is(tok, "anaphoric_nouns"):
        return False
    children = list(tok.children)
    definite = any(
        c.dep_ == "det" and c.lower_ in _words("anaphoric_determiners") for c in children
    )
    modified = any(c.dep_ in ("amod", "compound", "poss", "nummod", "nmod") for c in children)
    return definite and not modified and not _sentence_weapons(tok.sent)


def _is_supported(cues: list[_Cue], mentions: tuple[Fact[str], ...], sent: Any) -> bool:
    """Return whether a group of cues reports violence by itself: some cue is an
    unambiguous attack word ("bombing", "kidnapped"), or the sentence names an attack
    instrument ("a grenade") or attackers ("gunmen"). An "explosion", an "attack" or a
    "slaughter" alone may be an accident, a metaphor or a war communique."""
    if any(not _is(c.token, "ambiguous_triggers") for c in cues):
        return True
    if any(m.value.lower().split()[-1] not in _words("ambiguous_instruments") for m in mentions):
        return True
    return any(_is(t, "perpetrator_nouns") or _is(t, "perpetrator_modifiers") for t in sent)


def _is_definite(tok: Any) -> bool:
    """Return whether an attack noun refers to an attack already known ("the attack",
    "Tuesday's bombing", "this weekend's attacks") rather than introducing one."""
    if tok.pos_ not in _NOUN_POS:
        return False
    return any(
        (c.dep_ == "det" and c.lower_ in _words("anaphoric_determiners")) or c.dep_ == "poss"
        for c in tok.children
    )


def _is_summary(tok: Any) -> bool:
    """Return whether a plural attack noun sums up several attacks ("multiple attacks across
    Iraq", "a series of bombings"), which the article may then report one by one."""
    if tok.pos_ not in _NOUN_POS or tok.tag_ not in ("NNS", "NNPS"):
        return False
    if any(c.dep_ in ("amod", "compound") and _is(c, "summary_modifiers") for c in tok.children):
        return True
    if tok.dep_ == "pobj" and _is(tok.head.head, "summary_modifiers"):
        return True
    return any(c.dep_ == "prep" and c.lower_ in _words("summary_preps") for c in tok.children)


# --- weapons and attack types -----------------------------------------------------------


_NAME_LABELS = frozenset({"GPE", "LOC", "NORP", "DATE", "PERSON", "FAC"})


def _joins_weapon(t: Any, included: set[int]) -> bool:
    """Return whether a word left of a weapon noun belongs to its name ("car" bomb,
    "AK-47" rifles, "explosive" device), not to the place or owner ("Afghanistan")."""
    if t.text == "-":
        return True
    if t.head.i not in included or t.ent_type_ in _NAME_LABELS:
        return False
    if t.dep_ in ("compound", "nmod"):
        return True
    if t.dep_ == "nummod" and any(ch.isalpha() for ch in t.text):
        return True  # a model name such as "AK-47", not a count
    return t.dep_ == "amod" and _lookup(t, _lex()["weapon_words"]) is not None


def _weapon_span(tok: Any) -> tuple[int, int]:
    """Return the character span of a weapon noun with the words that name it with it
    ("car bomb", "AK-47 rifles", "explosive device")."""
    included = {tok.i}
    left = tok
    for j in range(tok.i - 1, tok.sent.start - 1, -1):
        t = tok.doc[j]
        if not _joins_weapon(t, included):
            break
        included.add(j)
        left = t
    if left.text == "-":
        left = tok.doc[left.i + 1]
    return left.idx, tok.idx + len(tok.text)


def _plain_forms(tok: Any) -> tuple[str, ...]:
    """Return a noun's lemma, surface form and singular, without stemming ("bombing" stays
    an event word, not "bomb")."""
    low: str = tok.lower_
    return (tok.lemma_.lower(), low, low[:-1] if low.endswith("s") else low)


def _phrase_category(tok: Any) -> str | None:
    """Return the weapon category of a compound phrase ending in ``tok`` ("petrol bomb")."""
    phrases: Mapping[str, str] = _lex()["weapon_phrases"]
    for child in tok.children:
        if child.dep_ in ("compound", "amod") and child.i < tok.i:
            for form in _plain_forms(tok):
                key = f"{child.lower_} {form}"
                if key in phrases:
                    return phrases[key]
    context: Mapping[str, list[str]] = _lex()["weapon_context_nouns"]
    allowed = _lookup(tok, context)
    if allowed and any(c.lower_ in allowed for c in tok.children if c.i < tok.i):
        return "chemical" if tok.lemma_.lower() == "gas" else "explosives"
    return None


def _verb_weapon(tok: Any) -> tuple[str, Any] | None:
    """Return the category and object of a verb phrase weapon ("opened fire", "set ablaze")."""
    table = _lookup(tok, _lex()["verb_object_weapons"])
    if not table:
        return None
    for child in _reachable_objects(tok):
        category = table.get(child.lower_) or table.get(child.lemma_.lower())
        if category is not None and child.dep_ not in _SUBJECTS:
            return category, child
    return None


def _weapon_facts(ctx: Context, tok: Any) -> Iterator[tuple[Fact[str], Fact[str] | None]]:
    """Yield the weapon category fact a token gives and its instrument-word fact, if any."""
    if tok.dep_ == "compound" and tok.head.pos_ in _NOUN_POS and _phrase_category(tok.head):
        return
    phrase = _phrase_category(tok) if tok.pos_ in _NOUN_POS else None
    if phrase is not None:
        start, end = _weapon_span(tok)
        ev = ctx.evidence(start, end)
        yield (
            Fact(phrase, (ev,), "detect.weapon_phrase"),
            Fact(ev.text, (ev,), "detect.weapon_phrase"),
        )
        return
    if tok.pos_ in _VERB_POS and _weapon_use_cue(tok) is not None and _is(tok, "firing_verbs"):
        yield Fact("firearms", (ctx.span_evidence(tok),), "detect.firing_verb"), None
    verb = _verb_weapon(tok) if tok.pos_ in _VERB_POS else None
    if verb is not None:
        category, obj = verb
        first, last = (tok, obj) if tok.i < obj.i else (obj, tok)
        ev = ctx.evidence(first.idx, last.idx + len(last.text))
        yield Fact(category, (ev,), "detect.verb_object_weapon"), None
        return
    entry = _lookup(tok, _lex()["weapon_words"])
    if entry is None or (tok.pos_ not in _NOUN_POS | _VERB_POS | {"ADJ"}):
        return
    category, instrument = entry
    if tok.pos_ == "ADJ" and tok.dep_ == "amod":
        return
    if instrument and tok.pos_ in _NOUN_POS:
        start, end = _weapon_span(tok)
        ev = ctx.evidence(start, end)
        yield (
            Fact(category, (ev,), "detect.weapon_word"),
            Fact(ev.text, (ev,), "detect.weapon_word"),
        )
    else:
        yield Fact(category, (ctx.span_evidence(tok),), "detect.weapon_word"), None


def _weapon_tokens(doc: Any) -> frozenset[int]:
    """Return the indices of the tokens ``_weapon_facts`` may give a fact for: a form in
    the weapon words, the verb tables of weapons (``_verb_weapon``, ``_weapon_use_cue``),
    the context nouns, or a plain form that ends a weapon phrase (``_phrase_category``)."""
    from spacy.attrs import LEMMA, LOWER

    return frozenset(
        _tokens_where(
            doc, [LEMMA, LOWER], "weapon", lambda lemma, low: _may_name_weapon(lemma.lower(), low)
        )
    )


def _may_name_weapon(lemma: str, low: str) -> bool:
    """Return whether a token of this lemma and word may give a weapon fact."""
    plain = (lemma, low, low[:-1] if low.endswith("s") else low)
    return any(form in _weapon_phrase_ends() for form in plain) or any(
        form in _weapon_table_words() for form in _forms_of(lemma, low)
    )


@cache
def _weapon_phrase_ends() -> frozenset[str]:
    """Return the last words of the weapon phrases ("bomb" of "petrol bomb")."""
    return frozenset(phrase.split(" ", 1)[1] for phrase in _lex()["weapon_phrases"])


@cache
def _weapon_table_words() -> frozenset[str]:
    """Return the words the weapon tables look a token's forms up in."""
    keys = ("weapon_words", "verb_object_weapons", "weapon_context_nouns", "weapon_use_verbs")
    return frozenset(w for key in keys for w in _lex()[key])


def _ramming_vehicles(
    ctx: Context, tokens: Iterable[Any]
) -> Iterator[tuple[Fact[str], Fact[str] | None]]:
    """Yield the vehicle weapon of each ramming in the sentence."""
    for tok in tokens:
        if tok.pos_ in _VERB_POS and _ramming_cue(tok) is not None:
            args = list(_reachable_objects(tok)) + list(_agents(tok))
            for arg in args:
                if _is(arg, "ramming_vehicles"):
                    ev = ctx.span_evidence(arg)
                    yield (
                        Fact("vehicle", (ev,), "detect.ramming"),
                        Fact(ev.text, (ev,), "detect.ramming"),
                    )
                    return


def classify_weapons(
    ctx: Context, sent: Any
) -> tuple[tuple[Fact[str], ...], tuple[Fact[str], ...]]:
    """Return the GTD weapon categories a sentence gives evidence for and the text's own
    instrument words ("car bomb", "AK-47 rifles"); "unknown" only when nothing else is named."""
    return _weapons_of(ctx, list(sent))


def _weapons_of(
    ctx: Context, tokens: list[Any]
) -> tuple[tuple[Fact[str], ...], tuple[Fact[str], ...]]:
    """Return the weapon categories and instrument words of some tokens of one sentence."""
    categories: list[Fact[str]] = []
    mentions: list[Fact[str]] = []
    # only a token with a form in a weapon table can give a fact: the others are not read
    weapons = doc_memo(ctx.doc, "detect.weapon_tokens", _weapon_tokens)
    pairs = [p for tok in tokens if tok.i in weapons for p in _weapon_facts(ctx, tok)]
    pairs += list(_ramming_vehicles(ctx, tokens))
    for category, mention in pairs:
        if category.value in WEAPON_TYPES and all(c.value != category.value for c in categories):
            categories.append(category)
        if mention is not None and all(m.value.lower() != mention.value.lower() for m in mentions):
            mentions.append(mention)
    if len(categories) > 1:
        categories = [c for c in categories if c.value != "unknown"]
    return tuple(categories), tuple(mentions)


_HIGHER_THAN_ASSAULT = frozenset(
    {"assassination", "hijacking", "hostage_kidnapping", "hostage_barricade"}
)


def _assassination(ctx: Context, cue: _Cue) -> Fact[str] | None:
    """Return an assassination fact when a killing/shooting verb's victim is an official
    ("shot dead the governor")."""
    tok = cue.token
    if cue.rule == "detect.fixed_phrase" and _names_official(_phrase_victim(ctx, cue)):
        return Fact("assassination", (ctx.evidence(cue.start, cue.end),), "detect.official_victim")
    if tok.pos_ not in _VERB_POS or not _is(tok, "assassination_verbs"):
        return None
    for patient in _patients(tok):
        if _names_official(list(patient.subtree)):
            return Fact("assassination", (ctx.span_evidence(tok),), "detect.official_victim")
    return None


def _phrase_victim(ctx: Context, cue: _Cue) -> list[Any]:
    """Return the words describing a killing phrase's victim, read by position because the
    parser often misreads such phrases: the noun phrase just before it in a headline
    ("Town councillor shot dead"), else the words after it up to the end of the victim's
    description ("shot dead X, a member of the council,")."""
    sent = cue.token.sent
    before = list(sent[: cue.token.i - sent.start])
    head_words = list(itertools.takewhile(lambda t: t.pos_ in _NAME_POS, reversed(before)))
    if head_words and len(head_words) == len(before):
        return head_words
    after = [t for t in sent if t.idx >= cue.end][:_MAX_OBJECT_WORDS]
    commas = [k for k, t in enumerate(after) if t.text == ","]
    return after[: commas[1]] if len(commas) > 1 else after


def _names_official(words: Sequence[Any]) -> bool:
    """Return whether words describe an official: a title ("the mayor") or a member of an
    elected body ("a member of the municipal council")."""
    if any(_is(t, "official_titles") for t in words):
        return True
    members = [k for k, t in enumerate(words) if t.lemma_.lower() == "member"]
    return any(_is(t, "official_bodies") for k in members for t in words[k + 1 : k + 6])


def _attack_types(
    ctx: Context, cues: list[_Cue], weapons: tuple[Fact[str], ...]
) -> tuple[Fact[str], ...]:
    """Return the attack types of a group of cues: the cue words' own types, an official
    victim, then types the weapons imply (explosives -> bombing, arson -> facility...)."""
    facts: list[Fact[str]] = []
    for cue in cues:
        if cue.weak:
            continue
        ev = ctx.evidence(cue.start, cue.end)
        facts.extend(Fact(t, (ev,), cue.rule) for t in cue.types)
        killing = _assassination(ctx, cue)
        if killing is not None:
            facts.append(killing)
    if any(_is(t, "hostage_barricade_cues") for t in cues[0].token.sent):
        # Hostages held where they were seized are a barricade, not a kidnapping (GTD).
        facts = [
            replace(f, value="hostage_barricade", rule="detect.barricade")
            if f.value == "hostage_kidnapping"
            else f
            for f in facts
        ]
    by_weapon: Mapping[str, str] = _lex()["weapon_attack_types"]
    higher = any(f.value in _HIGHER_THAN_ASSAULT for f in facts)
    for weapon in weapons:
        implied = by_weapon.get(weapon.value)
        if implied is None or (higher and implied == "armed_assault"):
            continue
        facts.append(Fact(implied, weapon.evidence, "detect.weapon_type"))
    if not facts:
        for cue in cues:
            ev = ctx.evidence(cue.start, cue.end)
            facts.extend(Fact(t, (ev,), cue.rule) for t in cue.types)
        for cue in cues:
            killing = _assassination(ctx, cue)
            if killing is not None:
                facts.insert(0, killing)
    unique: dict[str, Fact[str]] = {}
    for fact in facts:
        if fact.value in ATTACK_TYPES and fact.value not in unique:
            unique[fact.value] = fact
    if "assassination" in unique:
        # GTD codes a targeted killing as assassination alone, not also armed assault.
        unique.pop("armed_assault", None)
    return tuple(unique.values())


# --- assembly ---------------------------------------------------------------------------


def _sentence_cues(sent: Any, wire: bool = False) -> list[_Cue]:
    """Return the attack cues of one sentence in text order, one per token."""
    cues: list[_Cue] = []
    covered: set[int] = set()
    tokens = doc_tokens(sent.doc)
    for i in indices_in(sent, doc_memo(sent.doc, "detect.cue_starts", _cue_starts)):
        if i in covered:
            continue
        cue = _cue_at(tokens[i], wire)
        if cue is not None:
            cues.append(cue)
            covered.update(t.i for t in span_tokens(sent) if cue.start <= t.idx < cue.end)
    return cues


def _cue_starts(doc: Any) -> list[int]:
    """Return the indices of the tokens that may start a cue (``_cue_at``): a killing
    phrase's first word, or a noun or verb one of whose forms is in a word list a cue of
    its part of speech needs. Every cue needs one, so the others (most tokens) are never
    read token by token."""
    from spacy.attrs import LEMMA, LOWER, POS

    return _tokens_where(
        doc,
        [LEMMA, LOWER, POS],
        "cue_start",
        lambda lemma, low, pos: _may_start_cue(lemma.lower(), low, pos),
    )


def _tokens_where(
    doc: Any, attrs: list[int], memo_name: str, test: Callable[..., bool]
) -> list[int]:
    """Return the indices, in order, of the tokens whose attributes ``attrs`` (spelt as
    spaCy spells them, "" for none) pass ``test``: each distinct combination of values is
    tested once per process, so most tokens cost one dict lookup of their ids."""
    strings = doc.vocab.strings
    memo = process_table("detect." + memo_name)
    out: list[int] = []
    for i, ids in enumerate(doc.to_array(attrs).tolist()):
        key = tuple(ids)
        found = memo.get(key)
        if found is None:
            found = memo[key] = test(*(str(strings[k]) if k else "" for k in ids))
        if found:
            out.append(i)
    return out


def _may_start_cue(lemma: str, low: str, pos: str) -> bool:
    """Return whether a token of this lemma, word and POS may start a cue."""
    if low in phrase_first_words():
        return True
    if pos in _NOUN_POS:
        words = _cue_words("noun")
    elif pos in _VERB_POS:
        words = _cue_words("verb")
    else:
        return False
    return any(form in words for form in _forms_of(lemma, low))


@cache
def _cue_words(part: str) -> frozenset[str]:
    """Return the words one of whose forms a noun (``part`` "noun") or verb must be to
    start a cue: the word lists and tables ``_noun_cue``, ``_captors_cue``,
    ``_release_cue`` (nouns) and ``_verb_cue``, ``_release_cue`` (verbs) look it up in."""
    keys = {
        "noun": (
            "non_attack_nouns",
            "trigger_nouns",
            "wire_trigger_nouns",
            "wire_corpse_nouns",
            "wire_threatened_harm_nouns",
            "captor_nouns",
        ),
        "verb": (
            "verb_object_triggers",
            "ramming_verbs",
            "trigger_verbs",
            "weapon_use_verbs",
            "weak_trigger_verbs",
        ),
    }[part]
    return frozenset(w for key in (*keys, "release_verbs") for w in _lex()[key])


def _read_cue(cue: _Cue, now: int | None, previous: _Cue | None, wire: bool = False) -> _Cue:
    """Return the cue with its verdict and background flags set (``wire``: in upper-case
    wire text)."""
    verdict = _verdict(cue)
    retro = _is_retrospective(cue.token)
    background = (
        retro
        or _is_sequenced_earlier(cue.token, wire)
        or _is_dated_long_ago(cue.token, now)
        or _names_other_attacks(cue.token)
    )
    if previous is not None and _is_anaphoric(cue.token) and verdict not in ("drop", "sense"):
        if previous.verdict == "sense":
            verdict = "sense"
        # "those attacks" after "similar attacks last year" points back at the recalled
        # ones; a singular "the attack" may return to the article's own news.
        plural_back = cue.token.tag_ in ("NNS", "NNPS") and previous.background
        background = background or previous.retrospective or plural_back
    return replace(cue, verdict=verdict, background=background, retrospective=retro)


def _share_attempt(cues: list[_Cue]) -> list[_Cue]:
    """Return the cues with instrument nouns ("the bomb") set to attempted when the
    sentence says the device failed ("the bomb did not explode", "failed to explode")."""
    if not any(c.verdict == "attempted" and c.token.pos_ in _VERB_POS for c in cues):
        return cues
    instruments: Mapping[str, Any] = _lex()["weapon_words"]
    return [
        replace(c, verdict="attempted")
        if c.verdict == "accomplished"
        and c.token.pos_ in _NOUN_POS
        and (_lookup(c.token, instruments) or ("", False))[1]
        else c
        for c in cues
    ]


def _is_war_report(ctx: Context, per_sentence: list[list[_Cue]]) -> bool:
    """Return whether an article reports warfare between states: some attack word is done
    by a state's forces ("Iraqi jets bombed", "Iran said it shelled") and no sentence names
    attackers of another kind (guerrillas, gunmen, terrorists)."""
    if not any(_reports_warfare(c) for cues in per_sentence for c in cues):
        return False
    return not any(_names_attackers(t) for t in ctx.doc)


def _reports_warfare(cue: _Cue) -> bool:
    """Return whether a cue reports an act of war by a state's forces. One that no act
    reports ("if the army did not kill the priests", "the army may bomb") and a raid by
    police or troops, which is law enforcement, do not make the article a war report: in
    wire reports they sit among the killings and bombings the keys count."""
    if cue.verdict != "sense" or not _is_state_war(cue.token):
        return False
    return not _is_police_raid(cue.token) and _reading(cue) != "drop"


def _names_attackers(tok: Any) -> bool:
    """Return whether a word names attackers as a noun of its own ("guerrillas"), not as a
    modifier of another ("fighter helicopters")."""
    if tok.dep_ == "compound" or _is(tok, "collective_nouns"):
        return False  # "fighter helicopters", "columns of smoke"
    if any(_is_military(c) or _is_demonym(c) for c in tok.children):
        return False  # "Iraqi naval units"
    return _is(tok, "perpetrator_nouns") or (
        tok.dep_ == "amod" and _is(tok, "perpetrator_modifiers") and tok.lower_ != "unidentified"
    )


def _as_war(cue: _Cue) -> _Cue:
    """Return a cue of a war report read as warfare (not an incident), unless it is an act
    armies do not do in war: a kidnapping, hijacking or assassination."""
    if cue.verdict == "drop" or set(cue.types) & _words("non_war_types"):
        return cue
    return replace(cue, verdict="sense")


def _read_article(ctx: Context) -> list[list[_Cue]]:
    """Return the read cues of every sentence; an article led by a retrospective mention
    (an anniversary, a trial) is about a past attack, so all its cues are background."""
    now = _reference_month(ctx)
    wire = is_mostly_upper(ctx.article.text)
    previous: _Cue | None = None
    per_sentence: list[list[_Cue]] = []
    for sent in ctx.sents:
        read: list[_Cue] = []
        for cue in _sentence_cues(sent, wire):
            cue = _read_cue(cue, now, previous, wire)
            read.append(cue)
            if cue.verdict != "drop":
                previous = cue
        per_sentence.append(_share_attempt(read))
    if _is_war_report(ctx, per_sentence):
        per_sentence = [[_as_war(c) for c in cues] for cues in per_sentence]
    lead = next(
        (c for cues in per_sentence for c in cues if c.verdict not in ("drop", "sense", "generic")),
        None,
    )
    if lead is not None and lead.retrospective:
        per_sentence = [[replace(c, background=True) for c in cues] for cues in per_sentence]
    return per_sentence


def _group_key(cue: _Cue) -> tuple[str, bool]:
    """Return what cues of one sentence must share to be one trigger: their reading and
    whether they recall a past attack (one sentence rarely reports two fresh attacks)."""
    return (cue.verdict, cue.background)


def _region(sent: Any, group: list[_Cue], others: list[_Cue]) -> list[Any]:
    """Return the tokens of a sentence that speak about one group of cues: all but the
    clauses of the sentence's other groups ("two weeks after a truck bomb killed 80,
    gunmen attacked a hotel": the bomb is not the hotel attack's weapon)."""
    if not others:
        return list(sent)
    mine = {a.i for c in group for a in _ancestors_and_self(c.token)}
    own = {t.i for c in group for t in (_clause_head(c.token) or c.token).subtree}
    for cue in others:
        head = _clause_head(cue.token) or cue.token
        if head.i not in mine:
            own.difference_update(t.i for t in head.subtree)
    region = [t for t in sent if t.i in own]
    return region or list(sent)


def _triggers_of_sentence(ctx: Context, index: int, cues: list[_Cue]) -> Iterator[Trigger]:
    """Yield one trigger per clause and reading among a sentence's reported cues."""
    kept = [c for c in cues if c.verdict not in ("drop", "sense")]
    if not kept:
        return
    groups: dict[tuple[str, bool], list[_Cue]] = {}
    for cue in kept:
        groups.setdefault(_group_key(cue), []).append(cue)
    sent = ctx.sents[index]
    for (verdict, background), group in groups.items():
        first = group[0]
        others = [c for key, g in groups.items() if key != (verdict, background) for c in g]
        weapons, mentions = _weapons_of(ctx, _region(sent, group, others))
        stage: Stage = verdict if verdict in ("attempted", "threatened") else "accomplished"  # type: ignore[assignment]
        yield Trigger(
            sent_index=index,
            evidence=ctx.evidence(first.start, first.end),
            attack_types=_attack_types(ctx, group, weapons),
            weapons=weapons,
            weapon_mentions=mentions,
            stage=stage,
            background=background,
            generic=verdict == "generic",
            anaphoric=all(_is_anaphoric(c.token) for c in group),
            definite=all(_is_definite(c.token) for c in group),
            summary=any(_is_summary(c.token) for c in group),
            supported=_is_supported(group, mentions, sent),
            accidental=all(_is(c.token, "accident_triggers") for c in group),
        )


def find_triggers(ctx: Context) -> list[Trigger]:
    """Return the attack-reporting triggers of an article in text order: one per clause
    and reading; negated, modal, intended, plotted, conditional and non-attack uses are
    left out, recalled past attacks are ``background`` and generic remarks ``generic``."""
    triggers: list[Trigger] = []
    for index, cues in enumerate(_read_article(ctx)):
        triggers.extend(_triggers_of_sentence(ctx, index, cues))
    return triggers
