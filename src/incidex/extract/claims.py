"""Claims about attacks: who claims responsibility, blames, denies or had warned.

Every rule starts at a cue word of ``data/claims.json`` and reads the speaker and the
party from the dependency parse (subjects, agents, possessors, "from X" attachments,
relative clauses); pronouns and "the group" resolve to the nearest earlier name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..data import load_data
from ..models import Claim, ClaimKind
from ..truecase import is_mostly_upper
from .actors import canonical_group, group_alias, group_mentions, phrase_span
from .context import Context
from .parsed import (
    doc_ents,
    doc_lemmas,
    doc_lowers,
    doc_text,
    doc_tokens,
    indices_in,
    span_tokens,
)

__all__ = ["find_claims"]

_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_CLIMB_DEPS = ("xcomp", "advcl", "conj", "pcomp", "acl", "ccomp", "relcl", "prep", "agent")
_PAST_TAGS = ("VBD", "VBN", "VBG")
_LOOKBACK_SENTENCES = 3


@dataclass(frozen=True, slots=True)
class _Draft:
    """A claim found in the parse, before names are written out."""

    kind: ClaimKind
    speaker: Any | None
    party: Any | None
    trigger: Any
    rule: str
    party_is_speaker: bool = False


def _cues() -> dict[str, Any]:
    """Return the claim cue lists of ``data/claims.json``."""
    data: dict[str, Any] = load_data("claims.json")
    return data


@cache
def _cue(name: str) -> frozenset[str]:
    """Return one cue list as a set."""
    return frozenset(str(w) for w in _cues()[name])


# The lists whose words (lemmas; words too for "responsible_words") the token itself must
# be in for one of the ``_drafts_at`` rules to read it, with the words those rules name.
_TOKEN_CUE_LISTS = (
    "responsibility_nouns",
    "perform_verbs",
    "harm_verbs",
    "responsible_words",
    "hold_verbs",
    "accuse_verbs",
    "deny_verbs",
    "warn_lemmas",
)
_TOKEN_CUE_WORDS = ("claim", "nothing", "point")


@cache
def _cue_words() -> frozenset[str]:
    """Return every word a token must be (as its lemma or, lower-cased, itself) to cue a
    claim: most tokens are none, and are passed over after two lookups instead of five
    rules' tests of their parse."""
    return frozenset(_TOKEN_CUE_WORDS).union(*(_cue(name) for name in _TOKEN_CUE_LISTS))


def find_claims(ctx: Context) -> list[Claim]:
    """Return the responsibility, accusation, denial and warning claims of an article,
    unlinked to incidents (``incident=None``), duplicates within the article removed."""
    names = _Names(ctx)
    claims: list[Claim] = []
    tokens = doc_tokens(ctx.doc)
    cued = _cue_tokens(ctx.doc)
    for sent in ctx.sents:
        # only a cue word yields drafts: sentences without one are not read further
        here = indices_in(sent, cued)
        if not here:
            continue
        hedged = _is_hedged(sent)
        for i in here:
            for draft in _drafts_at(tokens[i]):
                claims.extend(_written(ctx, names, draft, hedged))
    return _deduplicated(_warnings_completed(claims))


def _cue_tokens(doc: Any) -> list[int]:
    """Return the indices of the tokens whose lemma or word is a cue word (``_drafts_at``
    yields nothing for the others), in order."""
    cues = _cue_words()
    lemmas, lows = doc_lemmas(doc), doc_lowers(doc)
    return [
        i
        for i, (lemma, low) in enumerate(zip(lemmas, lows, strict=True))
        if lemma in cues or low in cues
    ]


def _drafts_at(tok: Any) -> Iterator[_Draft]:
    """Yield the claims cued by one token."""
    cues = _cue_words()
    if tok.lemma_ not in cues and tok.lower_ not in cues:
        return
    yield from _responsibility_drafts(tok)
    yield from _predicate_drafts(tok)
    yield from _accusation_drafts(tok)
    yield from _denial_drafts(tok)
    yield from _warning_drafts(tok)


# --- parse helpers ------------------------------------------------------------------------


def _child(tok: Any, deps: tuple[str, ...], lower: str | None = None) -> Any | None:
    """Return the first child of ``tok`` with one of ``deps`` (and text ``lower``)."""
    for c in tok.children:
        if c.dep_ in deps and (lower is None or c.lower_ == lower):
            return c
    return None


def _pobj_of(tok: Any, prep: str) -> Any | None:
    """Return the object of ``tok``'s preposition ``prep`` ("blame X on *Y*")."""
    p = _child(tok, ("prep", "agent", "dative"), prep)
    return _child(p, ("pobj",)) if p is not None else None


def _is_negated(tok: Any) -> bool:
    """Return True when ``tok`` or the verb governing it carries a negation."""
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    head = tok.head
    return tok.dep_ in ("dobj", "acomp", "attr", "oprd", "xcomp") and any(
        c.dep_ == "neg" for c in head.children
    )


def _subject(verb: Any, depth: int = 0) -> Any | None:
    """Return who performs ``verb``: its subject, its passive agent, the speaker of a
    statement subject ("a statement from X said"), or the subject of the clause it
    depends on ("X, claiming responsibility"; "the administration ... by warning")."""
    subj = _nearest_subject(verb)
    if subj is not None and subj.dep_ != "nsubjpass":
        if subj.lemma_ in _cue("statement_nouns"):
            return _statement_speaker(subj) or subj
        return subj
    agent = _pobj_of(verb, "by")
    if agent is not None:
        return agent
    if depth >= 4 or verb.dep_ not in _CLIMB_DEPS or verb.head is verb:
        return None
    head = verb.head
    if head.pos_ in ("NOUN", "PROPN") and verb.dep_ in ("acl", "relcl"):
        return head
    return _subject(head, depth + 1)


def _nearest_subject(verb: Any) -> Any | None:
    """Return the subject of ``verb`` closest to it in the same paragraph (the parser
    sometimes hangs page junk from before a blank line on the verb as a second subject)."""
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
    same_paragraph = [s for s in subjects if not _paragraph_break_between(s, verb)]
    return min(same_paragraph, key=lambda s: abs(s.i - verb.i)) if same_paragraph else None


def _paragraph_break_between(a: Any, b: Any) -> bool:
    """Return True when a blank line separates tokens ``a`` and ``b``."""
    lo, hi = sorted((a.i, b.i))
    return any("\n\n" in t.text for t in a.doc[lo:hi])


def _statement_speaker(noun: Any) -> Any | None:
    """Return who issued a statement-like noun: possessor, "from/by X", "issued by X",
    the name after "calling itself"/"known as", or a named compound ("Taliban statement")."""
    for c in noun.children:
        if c.dep_ in ("poss", "nmod") or (c.dep_ == "compound" and c.ent_type_ in ("ORG", "NORP")):
            return c
    for prep in ("from", "by", "of"):
        obj = _pobj_of(noun, prep)
        if obj is not None and obj.lemma_ not in _cue("responsibility_nouns"):
            return _named(noun) or _named(obj) or obj
    for c in noun.children:
        if c.dep_ == "acl":
            agent = _pobj_of(c, "by")
            if agent is not None:
                return agent
    return _named(noun)


def _named(noun: Any) -> Any | None:
    """Return the name given by "X calling itself N", "X known as N", "X called N"."""
    for c in noun.children:
        if c.dep_ != "acl" or c.lemma_ not in _cue("naming_verbs"):
            continue
        named = _child(c, ("oprd", "attr")) or _pobj_of(c, "as")
        if named is None:
            obj = _child(c, ("dobj",))
            named = obj if obj is not None and obj.pos_ != "PRON" else None
        if named is not None:
            return named
    return None


def _said_by(pred: Any) -> Any | None:
    """Return the reporting verb ("said", "declared") whose complement holds ``pred``."""
    cur = pred
    for _ in range(3):
        if cur.dep_ in ("ccomp", "conj", "parataxis") and cur.head is not cur:
            cur = cur.head
            if cur.lemma_ in _cue("say_verbs") and cur.pos_ in ("VERB", "AUX"):
                return cur
        else:
            return None
    return None


def _relative_speaker_verb(party: Any) -> Any | None:
    """Return the reporting verb of a relative clause on ``party`` ("Ukraine, which
    the government said was not involved")."""
    for c in party.children:
        if c.dep_ == "relcl" and c.lemma_ in _cue("say_verbs"):
            return c
    return None


def _is_hedged(sent: Any) -> bool:
    """Return True when the sentence reports its content as unverified or uncertain."""
    hedges = _cue("hedges")
    return any(t.lower_ in hedges or t.lemma_ in hedges for t in span_tokens(sent))


# --- responsibility -----------------------------------------------------------------------


def _responsibility_drafts(tok: Any) -> Iterator[_Draft]:
    """Yield responsibility claims: "X claimed responsibility", "responsibility was
    claimed by X", "X's affirmation of responsibility", "X claimed the attack",
    "X said it carried out the attack"."""
    if tok.lemma_ in _cue("responsibility_nouns"):
        yield from _responsibility_noun_drafts(tok)
    elif tok.lemma_ == "claim" and tok.pos_ == "VERB":
        yield from _claimed_attack_drafts(tok)
    if tok.lemma_ in _cue("perform_verbs") and tok.pos_ == "VERB":
        yield from _said_it_did_drafts(tok)
    if tok.lemma_ in _cue("harm_verbs") and tok.pos_ == "VERB":
        yield from _group_reports_harm_drafts(tok)


def _responsibility_noun_drafts(tok: Any) -> Iterator[_Draft]:
    """Yield claims around the noun "responsibility"/"credit"."""
    head = tok.head
    if tok.dep_ in ("dobj", "nsubjpass") and head.lemma_ in _cue("responsibility_verbs"):
        if not _is_negated(head) and not _is_negated(tok):
            yield _Draft(
                "responsibility", _subject(head), None, head, "claims.claimed_responsibility"
            )
        return
    if tok.dep_ == "pobj" and head.lower_ == "of":
        noun = head.head
        if noun.lemma_ in _cue("responsibility_claim_nouns") and not _is_negated(noun.head):
            speaker = _statement_speaker(noun) or _governing_subject(noun)
            yield _Draft("responsibility", speaker, None, noun, "claims.claim_of_responsibility")


def _governing_subject(noun: Any) -> Any | None:
    """Return the subject of the verb a noun phrase hangs from ("in a claim posted
    online, X said")."""
    cur = noun
    for _ in range(3):
        if cur.head is cur:
            return None
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            subj = _child(cur, ("nsubj",))
            return subj if subj is not None and cur.dep_ != "acl" else None
    return None


def _claimed_attack_drafts(verb: Any) -> Iterator[_Draft]:
    """Yield "X claimed the attack (for Y)"."""
    obj = _child(verb, ("dobj",))
    if obj is None or obj.lemma_ not in _cue("attack_nouns") or _is_negated(verb):
        return
    subj = _subject(verb)
    if subj is not None and subj.lemma_ in _cue("attack_nouns"):
        return
    party = _pobj_of(verb, "for") or _pobj_of(obj, "for")
    yield _Draft("responsibility", subj, party, verb, "claims.claimed_attack")


def _said_it_did_drafts(verb: Any) -> Iterator[_Draft]:
    """Yield "X said it (its fighters) carried out/targeted ..."."""
    subj = _child(verb, ("nsubj",))
    if subj is None or not _is_self_reference(subj) or _is_negated(verb):
        return
    said = _said_by(verb)
    if said is None:
        return
    speaker = _subject(said)
    if speaker is not None:
        yield _Draft("responsibility", speaker, None, verb, "claims.said_it_carried_out")


def _group_reports_harm_drafts(verb: Any) -> Iterator[_Draft]:
    """Yield "Al-Shabab says 60 troops were killed": a known armed group reporting the
    harm done is taking the attack as its own (hedged by nature)."""
    said = _said_by(verb)
    if said is None or _is_negated(verb) or _is_negated(said):
        return
    speaker = _subject(said)
    if speaker is None or canonical_group(str(phrase_span(speaker).text)) is None:
        return
    yield _Draft("responsibility", speaker, None, said, "claims.group_reports_harm")


def _is_self_reference(tok: Any) -> bool:
    """Return True for "it", "we", "its fighters", "our men": the speaker's own side."""
    if tok.lower_ in ("it", "we", "they"):
        return True
    return any(c.dep_ == "poss" and c.lower_ in ("its", "our", "their") for c in tok.children)


# --- accusations and denials in reported clauses ------------------------------------------


def _predicate_drafts(tok: Any) -> Iterator[_Draft]:
    """Yield claims from "S said P was (not) responsible / behind / involved" and
    "P had nothing to do with": denial when negated, responsibility when P is the
    speaker itself, accusation otherwise; a fact stated without a speaker is no claim."""
    found = _responsibility_predicate(tok)
    if found is None:
        return
    clause, party, negated = found
    said = _said_by(clause)
    speaker = _subject(said) if said is not None else None
    rule = "claims.reported_responsible"
    if speaker is None:
        rel = _relative_speaker_verb(party)
        if rel is None:
            return
        speaker, rule = _child(rel, ("nsubj",)), "claims.relative_clause"
    if speaker is None:
        return
    if negated:
        own = _is_self_reference(party)
        denied = None if own else party
        yield _Draft("denial", speaker, denied, clause, rule.replace("responsible", "denial"), own)
    elif _is_self_reference(party):
        yield _Draft("responsibility", speaker, None, clause, "claims.said_it_was_responsible")
    else:
        yield _Draft("accusation", speaker, party, clause, rule)


def _responsibility_predicate(tok: Any) -> tuple[Any, Any, bool] | None:
    """Return (clause verb, party, negated) when ``tok`` says a party was responsible,
    behind, involved, or had nothing to do with an attack."""
    words = _cue("responsible_words")
    if tok.lemma_ == "nothing" and tok.dep_ == "dobj" and tok.head.lemma_ == "have":
        if any(c.lemma_ == "do" for c in tok.children):
            party = _child(tok.head, ("nsubj",))
            return (tok.head, party, True) if party is not None else None
        return None
    if tok.lower_ not in words and tok.lemma_ not in words:
        return None
    if tok.dep_ in ("acomp", "prep", "attr") and tok.head.lemma_ == "be":
        clause = tok.head
        party = _child(clause, ("nsubj",))
    elif tok.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in tok.children):
        clause, party = tok, _child(tok, ("nsubjpass",))
    else:
        return None
    if party is None or party.lower_ in ("which", "that", "who"):
        return None
    return clause, party, _is_negated(clause) or _is_negated(tok)


# --- accusations --------------------------------------------------------------------------


def _accusation_drafts(tok: Any) -> Iterator[_Draft]:
    """Yield "X blamed Y", "X blamed the attack on Y", "X accused Y", "X pointed the
    finger at Y", "X held Y responsible", "X attributed the attack to Y"."""
    if tok.pos_ != "VERB" or _is_negated(tok):
        return
    party = _accused_party(tok)
    if party is None:
        return
    passive = any(c.dep_ == "nsubjpass" for c in tok.children)
    speaker = _pobj_of(tok, "by") if passive else _subject(tok)
    yield _Draft("accusation", speaker, party, tok, f"claims.{tok.lemma_}")


def _accused_party(verb: Any) -> Any | None:
    """Return who ``verb`` blames, or None when it is not an accusation verb."""
    lemma = verb.lemma_
    obj = _child(verb, ("dobj",))
    if lemma == "point" and obj is not None and obj.lemma_ == "finger":
        return _pobj_of(verb, "at") or _pobj_of(obj, "at")
    if lemma in _cue("hold_verbs"):
        responsible = _child(verb, ("oprd", "ccomp", "xcomp", "acomp"))
        if responsible is not None and responsible.lemma_ in ("responsible", "accountable"):
            return obj or _child(responsible, ("nsubj",))
        return None
    if lemma not in _cue("accuse_verbs"):
        return None
    passive = _child(verb, ("nsubjpass",))
    if lemma in ("blame", "attribute", "pin"):
        onto = _pobj_of(verb, "on") or _pobj_of(verb, "to")
        if onto is None and obj is not None:
            onto = _pobj_of(obj, "on") or _pobj_of(obj, "to")
        if onto is not None:
            return onto
        if lemma == "attribute":
            return None
    target = passive if passive is not None else obj
    if target is None or target.lemma_ in _cue("attack_nouns") or target.pos_ == "PRON":
        return None
    return target


# --- denials ------------------------------------------------------------------------------


def _denial_drafts(tok: Any) -> Iterator[_Draft]:
    """Yield "X denied involvement", "X denied Y's role", "X rejected the claims",
    "X denied that Y was involved", "X's denial"."""
    if tok.lemma_ not in _cue("deny_verbs") or tok.pos_ != "VERB" or _is_negated(tok):
        return
    obj = _child(tok, ("dobj",))
    speaker = _subject(tok)
    if obj is not None and obj.lemma_ in _cue("deny_objects"):
        owner = _child(obj, ("poss",)) or _pobj_of(obj, "by")
        yield _Draft("denial", speaker, owner, tok, "claims.denied_involvement", owner is None)
        return
    clause = _child(tok, ("ccomp",))
    if clause is not None and tok.lemma_ == "deny":
        party = _child(clause, ("nsubj", "nsubjpass"))
        self_ref = party is None or _is_self_reference(party)
        yield _Draft(
            "denial", speaker, None if self_ref else party, tok, "claims.denied_that", self_ref
        )


# --- warnings -----------------------------------------------------------------------------


def _warning_drafts(tok: Any) -> Iterator[_Draft]:
    """Yield warnings given before an attack: "X had warned Y", "the warning from X",
    "X's warning to Y", "by warning Y of the threat"; present-tense or future warnings
    ("we continue to warn") are threats, not claims."""
    if tok.lemma_ not in _cue("warn_lemmas") or _is_negated(tok):
        return
    if not _is_about_attacks(tok):
        return
    if tok.pos_ == "VERB" and tok.tag_ in _PAST_TAGS:
        speaker = _pobj_of(tok, "from") or _subject(tok)
        party = _child(tok, ("dobj",)) or _pobj_of(tok, "to")
    elif tok.pos_ == "NOUN":
        speaker = _statement_speaker(tok)
        party = _pobj_of(tok, "to")
    else:
        return
    if party is not None and (party.pos_ == "PRON" and party.lower_ not in ("us", "them")):
        party = None
    if speaker is not None or party is not None:
        yield _Draft("warning", speaker, party, tok, "claims.warning")


def _is_about_attacks(tok: Any) -> bool:
    """Return True when the warning's sentence speaks of attacks or threats, and not
    of a rising toll or the weather."""
    sent = tok.sent
    lemmas = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
    if lemmas & _cue("toll_words"):
        return False
    return bool(lemmas & _cue("threat_words")) or any(t.lower_ == "we" for t in sent)


# --- names --------------------------------------------------------------------------------


class _Names:
    """Writes speakers and parties out: pronouns and "the group" resolved to earlier
    names, surnames completed to the full name used earlier, titles dropped."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.groups = group_mentions(ctx.doc)
        self.people = [e for e in doc_ents(ctx.doc) if e.label_ == "PERSON"]
        self.orgs = [e for e in doc_ents(ctx.doc) if e.label_ in ("ORG", "NORP", "GPE")]

    def resolve(self, tok: Any) -> Any:
        """Return the token naming who ``tok`` refers to (itself when it is a name)."""
        cues = _cues()
        if tok.lower_ in cues["person_pronouns"]:
            return self._nearest_before(tok, [p.root for p in self.people]) or tok
        if tok.lower_ in cues["group_pronouns"] or self._is_bare_group_noun(tok):
            groups = [self._group_root(g.start, g.end) for g in self.groups]
            named = [g for g in groups if g is not None]
            found = self._nearest_before(tok, named, far=True)
            if found is None and tok.pos_ == "PRON":
                found = self._nearest_before(tok, [o.root for o in self.orgs])
            return found or tok
        return tok

    def _is_bare_group_noun(self, tok: Any) -> bool:
        """Return True for "the group", "the militants": a definite generic noun."""
        return (
            tok.lemma_.lower() in _cue("generic_group_nouns")
            and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children)
            and not any(c.dep_ in ("compound", "amod", "prep", "poss") for c in tok.children)
        )

    def _group_root(self, start: int, end: int) -> Any | None:
        span = self.ctx.doc.char_span(start, end, alignment_mode="expand")
        return span.root if span is not None else None

    def _nearest_before(self, tok: Any, candidates: list[Any], far: bool = False) -> Any | None:
        """Return the latest candidate before ``tok`` within a few sentences (anywhere
        earlier when ``far``: armed groups are named rarely and referred to long after)."""
        first_sent = max(self.ctx.sentence_index(tok.idx) - _LOOKBACK_SENTENCES, 0)
        floor = self.ctx.sents[first_sent].start if self.ctx.sents and not far else 0
        before = [c for c in candidates if floor <= c.i < tok.i]
        return max(before, key=lambda c: c.i) if before else None

    def text(self, tok: Any) -> str:
        """Return the name ``tok`` stands for, in the text's words: a known group's whole
        name when the token is part of one (the parser may split "Tehrik-i-Taliban
        Pakistan" so that its head is just "Pakistan")."""
        resolved = self.resolve(tok)
        for g in self.groups:
            if g.start <= resolved.idx < g.end:
                return re.sub(r"\s+", " ", doc_text(self.ctx.doc)[g.start : g.end]).strip()
        span = phrase_span(resolved)
        name = str(span.text)
        if span.root.ent_type_ == "PERSON" and len(span) == 1:
            fuller = [p.text for p in self.people if p.end - 1 != span.start and p[-1].text == name]
            if fuller:
                name = max(fuller, key=len)
        return re.sub(r"\s+", " ", name).strip()

    def is_proper(self, tok: Any) -> bool:
        """Return True when ``tok`` (after resolution) heads a proper name."""
        root = phrase_span(self.resolve(tok)).root
        return bool(root.pos_ == "PROPN")


def _expanded(tok: Any | None) -> list[Any | None]:
    """Return ``tok`` and its coordinated conjuncts, dropping "others", "many"."""
    if tok is None:
        return [None]
    generic = _cue("generic_speakers")
    return [t for t in (tok, *tok.conjuncts) if t.lemma_.lower() not in generic] or [tok]


def _written(ctx: Context, names: _Names, draft: _Draft, hedged: bool) -> Iterator[Claim]:
    """Yield the finished Claims of a draft, one per coordinated speaker and party."""
    if draft.speaker is not None and _has_no_determiner(draft.speaker):
        return
    if draft.kind == "responsibility" and _is_unnamed_group(names, draft.speaker):
        return
    wire = is_mostly_upper(ctx.article.text)
    for speaker in _expanded(draft.speaker):
        speaker_text = names.text(speaker) if speaker is not None else None
        parties = _expanded(draft.party)
        for party in parties:
            party_text = _party_text(names, draft, speaker, party, speaker_text)
            if draft.kind != "warning" and party_text is None:
                continue
            if not _party_can_act(names, draft, party):
                continue
            if not _party_is_organisation(names, draft, party or speaker):
                continue
            if wire and not _party_is_named(draft, party):
                continue
            yield Claim(
                article_id=ctx.article.id,
                kind=draft.kind,
                speaker=speaker_text,
                party=party_text,
                evidence=_evidence(ctx, draft, speaker, party),
                rule=draft.rule,
                hedged=hedged,
            )


def _is_unnamed_group(names: _Names, speaker: Any | None) -> bool:
    """Return True when a claimant is only "group" or "organization" with no name to
    resolve it to (a headline's "Group claims responsibility"), or only a document
    ("leaflets claimed the attack") whose author is not named."""
    if speaker is None or speaker.lemma_.lower() in _cue("statement_nouns"):
        return True
    span = phrase_span(names.resolve(speaker))
    return len(span) == 1 and span.root.lemma_.lower() in _cue("generic_group_nouns")


def _party_can_act(names: _Names, draft: _Draft, party: Any | None) -> bool:
    """Return False for an accusation or denial whose party is no actor ("denied that
    the trip was postponed")."""
    if draft.kind not in ("accusation", "denial") or party is None:
        return True
    return _is_actor(names.resolve(party))


def _party_is_organisation(names: _Names, draft: _Draft, party: Any | None) -> bool:
    """Return False when the group claiming or blamed for an attack is a person or a
    pronoun ("Cristiani", "that", "who"): claims and accusations concern organisations,
    and responsibility is claimed by an actor, not by "evidence"."""
    if draft.kind not in ("responsibility", "accusation") or party is None:
        return True
    tok = names.resolve(party)
    if tok.pos_ == "PRON" or tok.lower_ in ("that", "who", "which", "one"):
        return False
    if tok.ent_type_ == "PERSON" and group_alias(phrase_span(tok).text) is None:
        return False
    return draft.kind != "responsibility" or _is_actor(tok)


def _party_is_named(draft: _Draft, party: Any | None) -> bool:
    """Return False for an accusation in upper-case wire text whose party is described,
    not named ("the kidnappers", "six soldiers", "a leftist leader"): wire reports blame
    descriptions freely, and only named organisations are parties (MUC-4 train split:
    most such parties are not in the keys)."""
    if draft.kind != "accusation" or party is None:
        return True
    return bool(party.pos_ == "PROPN" or group_alias(phrase_span(party).text) is not None)


def _is_actor(tok: Any) -> bool:
    """Return True when a blamed or cleared party can act: a name, a known group, or a
    word for people, forces or states ("militants", "the government"), not "the trip"."""
    if tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return True
    actors = _cue("actor_nouns")
    return tok.lemma_.lower() in actors or tok.lower_ in actors


def _has_no_determiner(tok: Any) -> bool:
    """Return True for "no group", "any group", "nobody": nobody is speaking."""
    blocked = _cue("no_speaker_determiners")
    return tok.lower_ in blocked or any(
        c.dep_ == "det" and c.lower_ in blocked for c in tok.children
    )


def _party_text(
    names: _Names, draft: _Draft, speaker: Any | None, party: Any | None, speaker_text: str | None
) -> str | None:
    """Return the party's name: the group itself for responsibility (its canonical name
    when the text calls it by description, "a group from al-Qaeda"), else the party."""
    if draft.kind == "responsibility" or (draft.party_is_speaker and party is None):
        if party is None and speaker is not None:
            party = _represented(speaker)
        source, text = (party, names.text(party)) if party is not None else (speaker, speaker_text)
        if source is None or text is None:
            return None
        if draft.kind == "responsibility":
            return _group_name(text, names.is_proper(source))
        return text
    return names.text(party) if party is not None else None


def _represented(speaker: Any) -> Any | None:
    """Return whom a spokesman speaks for ("a spokesman for the Taliban" → Taliban)."""
    if speaker.lemma_.lower() not in _cue("representatives"):
        return None
    return _pobj_of(speaker, "for") or _pobj_of(speaker, "of")


def _group_name(text: str, is_proper: bool) -> str:
    """Return the name a group is claimed under: the canonical name for a known alias
    ("Al Quaida") or a description ("a group from al-Qaeda"), the text for other names."""
    exact = group_alias(text)
    if exact is not None:
        return exact
    if not is_proper:
        return canonical_group(text) or text
    return text


def _evidence(ctx: Context, draft: _Draft, speaker: Any | None, party: Any | None) -> Any:
    """Return the evidence span: trigger, speaker and party as far as they share the
    trigger's sentence."""
    sent = draft.trigger.sent
    toks = [draft.trigger] + [t for t in (speaker, party) if t is not None and t.sent == sent]
    spans = [phrase_span(t) if t is not draft.trigger else t.doc[t.i : t.i + 1] for t in toks]
    start = min(s.start_char for s in spans)
    end = max(s.end_char for s in spans)
    return ctx.evidence(start, end)


# --- clean-up -----------------------------------------------------------------------------


def _key(text: str | None) -> str:
    """Return a comparison key for names: lower case, words only, no articles."""
    if not text:
        return ""
    words = re.findall(r"\w+", text.casefold())
    return " ".join(w for w in words if w not in ("the", "a", "an", "of", "al"))


def _deduplicated(claims: list[Claim]) -> list[Claim]:
    """Return claims without repeats: one responsibility claim per group, one other
    claim per (kind, speaker, party); the first mention is kept."""
    seen: set[tuple[str, str, str]] = set()
    out: list[Claim] = []
    for c in claims:
        party = canonical_group(c.party) if c.party else None
        party_key = _key(party or c.party)
        speaker_key = "" if c.kind == "responsibility" else _key(c.speaker)
        key = (c.kind, speaker_key, party_key)
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out


def _warnings_completed(claims: list[Claim]) -> list[Claim]:
    """Return claims where a warning naming no warned party takes the party of a later
    or earlier warning that names one, which is then dropped: repeated mentions of a
    prior warning in one article are one warning."""
    donors = [c for c in claims if c.kind == "warning" and c.party]
    merged: dict[int, Claim] = {}
    dropped: set[int] = set()
    for c in claims:
        if c.kind != "warning" or c.party or not donors:
            continue
        donor = donors.pop(0)
        merged[id(c)] = Claim(
            article_id=c.article_id,
            kind="warning",
            speaker=c.speaker or donor.speaker,
            party=donor.party,
            evidence=c.evidence,
            rule="claims.warning_party_from_other_mention",
            hedged=c.hedged,
        )
        dropped.add(id(donor))
    return [merged.get(id(c), c) for c in claims if id(c) not in dropped]
