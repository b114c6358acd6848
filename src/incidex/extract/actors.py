"""Perpetrators (groups and individuals), targets and victims of an attack, read from the
parse; armed-group names resolved through ``data/groups.json``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from ..data import load_data
from ..models import Claim, Fact
from ..truecase import is_mostly_upper
from .context import Context
from .parsed import doc_ents, doc_text, span_tokens

__all__ = [
    "GroupMention",
    "Targets",
    "alias_key",
    "canonical_group",
    "find_perpetrators",
    "find_targets",
    "group_alias",
    "group_mentions",
    "is_case_exact",
    "phrase_span",
    "phrase_text",
    "target_type_of",
]

_SEPARATOR = r"[\s\-‐‑–—]*"
_APOSTROPHE = "['’]?"
_ENTITY_TYPES = ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC")
_NP_LEFT_DEPS = ("det", "amod", "compound", "nmod", "poss", "nummod", "quantmod", "case")
_NP_RIGHT_PREPS = ("of", "for", "from", "in")
_EDGE_PUNCT = "\"'“”‘’«»()[]{},;:—–-"


@dataclass(frozen=True, slots=True)
class GroupMention:
    """A known armed group named in the text: characters ``start:end`` name ``canonical``."""

    start: int
    end: int
    canonical: str


@dataclass(frozen=True, slots=True)
class Targets:
    """What and who an attack hit, in the text's words, with the GTD target type."""

    targets: tuple[Fact[str], ...] = ()
    victims: tuple[Fact[str], ...] = ()
    victim_descriptions: tuple[Fact[str], ...] = ()
    target_type: Fact[str] | None = None


# --- armed-group names -------------------------------------------------------------------


def is_case_exact(alias: str, ambiguous: frozenset[str]) -> bool:
    """Return True when an alias must match with its own capitals (acronyms)."""
    return alias in ambiguous or not any(c.islower() for c in alias)


@lru_cache(maxsize=1)
def _group_tables() -> tuple[dict[str, str], re.Pattern[str], re.Pattern[str], frozenset[str]]:
    """Return (alias key → canonical, case-blind pattern, case-exact pattern, ambiguous)."""
    data = load_data("groups.json")
    ambiguous = frozenset(str(a) for a in data["ambiguous"])
    by_alias: dict[str, str] = {}
    blind: list[str] = []
    exact: list[str] = []
    for group in data["groups"]:
        canonical = str(group["name"])
        for alias in [canonical, *[str(a) for a in group["aliases"]]]:
            case_exact = is_case_exact(alias, ambiguous)
            by_alias.setdefault(alias_key(alias, case_exact), canonical)
            (exact if case_exact else blind).append(alias)
    return (
        by_alias,
        _alternation(blind, re.IGNORECASE),
        _alternation(exact, 0),
        ambiguous,
    )


def _alternation(aliases: Iterable[str], flags: int) -> re.Pattern[str]:
    """Return one regex matching any alias as whole words, the longest alias first. The
    aliases are folded into a trie, so that at each position the engine follows the few
    branches that share its first characters instead of trying every alias."""
    trie: _Trie = {}
    for alias in set(aliases):
        node = trie
        for atom in _alias_atoms(alias):
            node = node.setdefault(atom, {})
        node[""] = {}
    return re.compile(rf"(?<![\w\-])(?:{_trie_pattern(trie)})(?![\w\-]*\w)", flags)


_Trie = dict[str, "_Trie"]


def _alias_atoms(alias: str) -> list[str]:
    """Return the regex atoms of an alias: one per character, hyphen/space and apostrophe
    variants as their classes."""
    out: list[str] = []
    for ch in alias:
        if ch in " -‐‑–—":
            out.append(_SEPARATOR)
        elif ch in "'’":
            out.append(_APOSTROPHE)
        else:
            out.append(re.escape(ch))
    return out


def _trie_pattern(node: _Trie) -> str:
    """Return the regex of a trie node: longer continuations first, then the end of an
    alias (as an optional group, so that the engine falls back to it)."""
    branches = sorted((a for a in node if a), key=lambda a: -_trie_depth(node[a]))
    alternatives = "|".join(a + _trie_pattern(node[a]) for a in branches)
    if not branches:
        return ""
    group = alternatives if len(branches) == 1 and "" not in node else f"(?:{alternatives})"
    return f"(?:{group})?" if "" in node else group


def _trie_depth(node: _Trie) -> int:
    return 1 + max((_trie_depth(child) for child in node.values()), default=0)


def alias_key(text: str, case_exact: bool) -> str:
    """Return the lookup key of a name: separators and apostrophes removed."""
    key = re.sub(r"[\s\-‐‑–—'’.]+", "", text)
    return key if case_exact else key.casefold()


def _lookup(text: str) -> str | None:
    """Return the canonical group that ``text`` names exactly, or None."""
    by_alias = _group_tables()[0]
    return by_alias.get(alias_key(text, True)) or by_alias.get(alias_key(text, False))


@lru_cache(maxsize=16)
def _raw_group_matches(text: str) -> tuple[tuple[int, int, str], ...]:
    """Return (start, end, matched text) of every alias occurrence, overlaps removed.
    Cached: several extractors ask for the same document's matches, and the alias pattern
    is large."""
    _, blind, exact, _ = _group_tables()
    found = [(m.start(), m.end(), m.group()) for p in (exact, blind) for m in p.finditer(text)]
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, str]] = []
    for start, end, matched in found:
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end, matched))
    return tuple(kept)


def group_alias(name: str) -> str | None:
    """Return the canonical name when ``name`` is exactly one of a known group's names
    (leading article ignored), else None."""
    return _lookup(re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=re.IGNORECASE))


def canonical_group(name: str) -> str | None:
    """Return the canonical name of the known armed group ``name`` names (an alias, or a
    phrase containing one such as "a faction of the Pakistani Taliban"), else None."""
    stripped = re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=re.IGNORECASE)
    exact = _lookup(stripped)
    if exact is not None:
        return exact
    matches = _raw_group_matches(stripped)
    if not matches:
        return None
    longest = max(matches, key=lambda m: m[1] - m[0])
    return _lookup(longest[2])


def group_mentions(doc: Any) -> list[GroupMention]:
    """Return the known armed groups named in a spaCy Doc, in text order; ambiguous
    acronyms ("IS", "ETA") count only where the parser calls them proper nouns."""
    ambiguous = _group_tables()[3]
    out: list[GroupMention] = []
    for start, end, matched in _raw_group_matches(doc_text(doc)):
        canonical = _lookup(matched)
        if canonical is None:
            continue
        if matched in ambiguous and not _is_proper_noun_span(doc, start, end):
            continue
        out.append(GroupMention(start, end, canonical))
    return out


def _is_proper_noun_span(doc: Any, start: int, end: int) -> bool:
    """Return True when the tokens at ``start:end`` are tagged as a proper noun."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(t.pos_ == "PROPN" for t in span)


# --- noun phrases ------------------------------------------------------------------------


def _entity_of(tok: Any) -> Any | None:
    """Return the named entity span holding ``tok`` when it is a name type, else None."""
    if tok.ent_iob_ == "O" or tok.ent_type_ not in _ENTITY_TYPES:
        return None
    for ent in doc_ents(tok.doc):
        if ent.start <= tok.i < ent.end:
            return ent
    return None


def _left_edge(tok: Any) -> int:
    """Return the first token index of ``tok``'s modifiers that belong to its name."""
    lo: int = tok.i
    for child in tok.lefts:
        if child.dep_ in _NP_LEFT_DEPS or (child.dep_ == "punct" and child.tag_ == "HYPH"):
            lo = min(lo, child.left_edge.i)
    return lo


def _right_edge(tok: Any, belong_lemmas: frozenset[str]) -> int:
    """Return the last token index of ``tok``'s phrase: "of/for/from/in" attachments and
    affiliation clauses ("belonging to a Bodo group"), never relative clauses."""
    hi: int = tok.i
    for child in tok.rights:
        joins = (child.dep_ == "prep" and child.lower_ in _NP_RIGHT_PREPS) or (
            child.dep_ == "acl" and child.lemma_ in belong_lemmas
        )
        if child.dep_ in ("compound", "nmod") or (joins and tok.pos_ in ("NOUN", "PROPN")):
            hi = max(hi, _clause_free_end(child))
    return hi


def _clause_free_end(tok: Any) -> int:
    """Return the last index of ``tok``'s subtree before any comma or relative clause."""
    end: int = tok.i
    for t in tok.subtree:
        if t.i < tok.i:
            continue
        if t.text in (",", ";", "(", "—", "–") or t.dep_ in ("relcl", "appos"):
            break
        end = t.i
    return end


def phrase_span(tok: Any, attachments: bool = True) -> Any:
    """Return the span naming ``tok``: its named entity, else its noun phrase (compounds,
    adjectives, possessors and, with ``attachments``, of/for/from/in phrases), edges
    trimmed of determiners, quotes and possessive endings, never across a blank line."""
    ent = _entity_of(tok)
    doc = tok.doc
    if ent is not None and not _is_generic_head(tok) and ent.label_ != "NORP":
        lo, hi = ent.start, ent.end - 1
    else:
        belong = frozenset(("belong", "link", "affiliate", "ally", "associate", "tie", "loyal"))
        lo, hi = _left_edge(tok), _right_edge(tok, belong) if attachments else tok.i
    lo, hi = _within_paragraph(doc, tok.i, lo, hi)
    return _trimmed(doc, lo, hi)


def _within_paragraph(doc: Any, root: int, lo: int, hi: int) -> tuple[int, int]:
    """Return ``lo, hi`` narrowed so no blank line separates them from token ``root``
    (headlines and page furniture run into the next paragraph in the parse; single line
    breaks are only wrapping, as in wire text)."""
    for i in range(root - 1, lo - 1, -1):
        if doc[i].text.count("\n") >= 2:
            lo = i + 1
            break
    for i in range(root + 1, hi + 1):
        if doc[i].text.count("\n") >= 2:
            hi = i - 1
            break
    return lo, hi


def _is_generic_head(tok: Any) -> bool:
    """Return True for a common noun heading a larger named phrase ("faction of X")."""
    return bool(tok.pos_ == "NOUN" and tok.ent_iob_ != "O" and tok.ent_type_ == "ORG")


def _trimmed(doc: Any, lo: int, hi: int) -> Any:
    """Return doc[lo:hi+1] without leading determiners/punctuation or trailing
    punctuation and possessive markers."""
    while lo < hi and (doc[lo].dep_ == "det" or doc[lo].text in _EDGE_PUNCT):
        lo += 1
    while hi > lo and (doc[hi].tag_ == "POS" or doc[hi].text in _EDGE_PUNCT or _is_pos(doc[hi])):
        hi -= 1
    return doc[lo : hi + 1]


def _is_pos(tok: Any) -> bool:
    """Return True for a possessive ending the tagger mislabelled ("’s" as cc)."""
    return tok.lower_ in ("'s", "’s", "'", "’")


def phrase_text(tok: Any) -> str:
    """Return the words of ``phrase_span(tok)``, line breaks as single spaces."""
    return _words(phrase_span(tok))


def _words(span: Any) -> str:
    """Return a span's text with runs of whitespace (wire-text line wraps) as one space."""
    return " ".join(str(span.text).split())


# --- perpetrators -------------------------------------------------------------------------

_DOUBT_LEMMAS = frozenset(
    ("blame", "accuse", "suspect", "allege", "attribute", "believe", "think", "deny", "claim")
)


def _targets_data() -> dict[str, Any]:
    """Return the target, victim and perpetrator lexicons of ``data/targets.json``."""
    data: dict[str, Any] = load_data("targets.json")
    return data


@cache
def _lex(name: str) -> frozenset[str]:
    """Return one lexicon list of ``data/targets.json`` as a set."""
    return frozenset(str(w) for w in _targets_data()[name])


@lru_cache(maxsize=1)
def person_nouns() -> frozenset[str]:
    """Return the words for a person ("mayor", "policeman", "magistrate"), lower case."""
    return frozenset(w.lower() for w in _lex("human"))


@lru_cache(maxsize=1)
def perpetrator_hedges() -> frozenset[str]:
    """Return the words that hedge a perpetrator ("alleged", "suspected"): what they
    describe is accused or suspected, not stated."""
    return _lex("perpetrator_hedges")


def find_perpetrators(
    ctx: Context, sent_indices: Sequence[int], claims: Sequence[Claim]
) -> tuple[tuple[Fact[str], ...], tuple[Fact[str], ...]]:
    """Return (groups, individuals) named as having carried out the attack told in the
    sentences ``sent_indices``: groups by their own responsibility claim or as stated
    fact ("X fighters stormed", "the attack by X", "the X attack"), never by mere
    accusation; individuals as the text describes or names them ("a suicide bomber")."""
    sents = [ctx.sents[i] for i in sorted(set(sent_indices)) if 0 <= i < len(ctx.sents)]
    groups = _unique(_claimed_groups(ctx, sents, claims) + _stated_groups(ctx, sents))
    wire = is_mostly_upper(ctx.article.text)
    individuals = _unique([f for s in sents for f in _individuals_in(ctx, s, wire)])
    return tuple(_most_specific(groups)), tuple(_most_specific(individuals))


def _most_specific(facts: list[Fact[str]]) -> list[Fact[str]]:
    """Return facts without those whose words all recur in another fact's value
    ("Taliban" beside "Pakistani Taliban", "militants" beside "Al-Shabab militants")."""

    def words(value: str) -> set[str]:
        return set(re.findall(r"\w+", value.casefold()))

    return [
        f for f in facts if not any(words(f.value) < words(g.value) for g in facts if g is not f)
    ]


def _unique(facts: list[Fact[str]]) -> list[Fact[str]]:
    """Return facts with repeated values (case-blind) removed, first kept."""
    seen: set[str] = set()
    out: list[Fact[str]] = []
    for f in facts:
        if f.value.casefold() not in seen:
            seen.add(f.value.casefold())
            out.append(f)
    return out


def _claimed_groups(ctx: Context, sents: list[Any], claims: Sequence[Claim]) -> list[Fact[str]]:
    """Return groups from responsibility claims in the mention's sentences, else from
    every responsibility claim of the article (claims usually follow the story)."""
    starts = {s.start_char for s in sents}
    own = [c for c in claims if c.kind == "responsibility" and c.party]
    near = [c for c in own if c.evidence.sentence_start in starts]
    chosen, rule = (near, "actors.claimed") if near else (own, "actors.claimed_in_article")
    return [
        Fact(group_alias(c.party) or c.party, (c.evidence,), rule)
        for c in chosen
        if c.party is not None
    ]


def _stated_groups(ctx: Context, sents: list[Any]) -> list[Fact[str]]:
    """Return known groups (and group-like organisations) placed in the perpetrator's
    role by the parse of the mention's sentences."""
    out: list[Fact[str]] = []
    bounds = [(s.start_char, s.end_char) for s in sents]
    for mention in group_mentions(ctx.doc):
        if not any(lo <= mention.start < hi for lo, hi in bounds):
            continue
        span = ctx.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            continue
        rule = _perpetrator_role(span.root)
        if rule is not None:
            out.append(Fact(_group_value(ctx, mention), (ctx.span_evidence(span),), rule))
    return out


def _group_value(ctx: Context, mention: GroupMention) -> str:
    """Return how to name a group: its canonical name, or in upper-case wire text (whose
    readers key the text's own words) the words the text uses."""
    if is_mostly_upper(ctx.article.text):
        return " ".join(ctx.article.text[mention.start : mention.end].split())
    return mention.canonical


def _perpetrator_role(tok: Any) -> str | None:
    """Return the rule name when ``tok`` (a group name) is stated to have done the
    attack, None when it is not or only accused or suspected."""
    if _is_doubted(tok):
        return None
    holder = _named_holder(tok) or tok
    dep, head = holder.dep_, holder.head
    if dep in ("compound", "nmod", "poss", "amod") and head.lemma_ in _lex("attack_nouns"):
        return "actors.group_attack_noun"
    if dep in ("compound", "nmod", "amod") and head.lemma_ in _lex("perpetrator_nouns"):
        return _perpetrator_role_of_noun(head, "actors.group_fighters")
    if (
        dep == "pobj"
        and head.lower_ in ("of", "from")
        and head.head.lemma_ in _lex("perpetrator_nouns")
    ):
        return _perpetrator_role_of_noun(head.head, "actors.fighters_of_group")
    return _perpetrator_role_of_noun(holder, "actors.group_did")


def _named_holder(tok: Any) -> Any | None:
    """Return the noun a name is given to ("the body known as X" → body)."""
    cur = tok
    for _ in range(3):
        if cur.dep_ in ("pobj", "oprd", "attr", "prep", "dobj") and cur.head is not cur:
            cur = cur.head
            if cur.dep_ == "acl" and cur.lemma_ in ("know", "call", "name", "dub", "style"):
                return cur.head
        else:
            return None
    return None


def _perpetrator_role_of_noun(noun: Any, rule: str) -> str | None:
    """Return ``rule`` when ``noun`` performs an attack verb or is the "by" agent of an
    attack verb or noun, else None."""
    perform = _lex("perform_verbs")
    head = noun.head
    if noun.dep_ == "nsubj" and _is_in(head, perform) and not _has_negation(head):
        return rule
    if noun.dep_ == "pobj" and head.lower_ == "by":
        governor = head.head
        if _is_in(governor, perform) or governor.lemma_ in _lex("attack_nouns"):
            return rule
    return None


def _is_in(verb: Any, lexicon: frozenset[str]) -> bool:
    """Return True when a verb's lemma, or the stem of its -ed/-d form, is in ``lexicon``
    (the lemmatizer misreads some past forms: "staged" → "stag")."""
    if verb.lemma_.lower() in lexicon:
        return True
    form = verb.lower_
    return form.endswith("ed") and (form[:-1] in lexicon or form[:-2] in lexicon)


def _has_negation(tok: Any) -> bool:
    """Return True when a verb is negated."""
    return any(c.dep_ == "neg" for c in tok.children)


def _is_doubted(tok: Any) -> bool:
    """Return True when a name sits under a blaming or suspecting verb, or is itself
    "suspected": an accusation, not a stated perpetrator."""
    # Anywhere before the head noun: a title-cased "Suspected" is parsed as part of the name.
    before_head = (c for c in tok.head.subtree if c.i < tok.head.i)
    if any(c.lower_ in perpetrator_hedges() for c in before_head):
        return True
    return any(a.lemma_ in _DOUBT_LEMMAS for a in tok.ancestors)


def _does_attack(tok: Any, wire: bool) -> bool:
    """Return True when a perpetrator word performs an attack verb, is its "by" agent,
    or, outside upper-case wire text, describes an attack noun ("terrorist attacks",
    "guerrilla raid"): the MUC-4 keys seldom take such a word for the attackers (on the
    train split 4 of 43 times for "terrorist")."""
    if _perpetrator_role_of_noun(tok, "actors.individual") is not None:
        return True
    return not wire and tok.dep_ in ("amod", "compound") and tok.head.lemma_ in _lex("attack_nouns")


def _individuals_in(ctx: Context, sent: Any, wire: bool) -> list[Fact[str]]:
    """Return the perpetrators a sentence describes ("gunmen", "a suicide bomber") or
    names beside such a word ("the gunman, Gerardo Olivos Silva")."""
    heads = _lex("perpetrator_individual_heads")
    out: list[Fact[str]] = []
    for tok in span_tokens(sent):
        if tok.lemma_.lower() not in heads and tok.lower_ not in heads:
            continue
        if _is_doubted(tok) or not _does_attack(tok, wire):
            continue
        # "members of the FMLN" is how the text describes them; "gunmen from the hills" not
        of_group = tok.lemma_ == "member"
        span = _without_hedges(phrase_span(tok, attachments=of_group))
        if wire:
            span = _without_group_name(ctx.doc, span)
        out.append(Fact(_text(ctx, span), (ctx.span_evidence(span),), "actors.individual"))
        for c in tok.children:
            if c.dep_ == "appos" and c.ent_type_ == "PERSON":
                named = phrase_span(c)
                out.append(Fact(_text(ctx, named), (ctx.span_evidence(named),), "actors.named"))
    return out


def _without_group_name(doc: Any, span: Any) -> Any:
    """Return a perpetrator description without the known group's name it starts with
    ("ELN guerrillas" -> "guerrillas"): the group is a perpetrator organisation of its
    own, and the MUC-4 keys describe its people without it."""
    for mention in group_mentions(doc):
        if mention.start == span.start_char and mention.end < span.end_char:
            rest = doc.char_span(mention.end, span.end_char, alignment_mode="expand")
            if rest is not None and rest.start > span.start:
                return doc[rest.start : span.end]
    return span


def _without_hedges(span: Any) -> Any:
    """Return a perpetrator's phrase without the hedges in front ("alleged urban
    guerrillas" -> "urban guerrillas"): the hedge says how sure the report is, not who
    the attackers are, and the MUC-4 keys write the description without it."""
    hedges = perpetrator_hedges()
    lo = span.start
    while lo < span.end - 1 and span.doc[lo].lower_ in hedges:
        lo += 1
    return span.doc[lo : span.end]


# --- targets and victims ------------------------------------------------------------------

_NOT_TARGET_ENTS = ("GPE", "LOC", "DATE", "TIME", "CARDINAL", "ORDINAL", "NORP", "MONEY")


def find_targets(ctx: Context, sent_indices: Sequence[int]) -> Targets:
    """Return what the attack in sentences ``sent_indices`` hit: physical targets,
    named victims, unnamed victims and the GTD target type of the first of them."""
    targets: list[Fact[str]] = []
    victims: list[Fact[str]] = []
    described: list[Fact[str]] = []
    for i in sorted(set(sent_indices)):
        if not 0 <= i < len(ctx.sents):
            continue
        for tok, rule in _hit_tokens(ctx.sents[i]):
            for each in (tok, *tok.conjuncts):
                _sort_hit(ctx, each, rule, targets, victims, described)
    targets, victims, described = _unique(targets), _unique(victims), _unique(described)
    return Targets(
        targets=tuple(targets),
        victims=tuple(victims),
        victim_descriptions=tuple(described),
        target_type=_target_type(targets + described + victims),
    )


def _hit_tokens(sent: Any) -> Iterator[tuple[Any, str]]:
    """Yield (token, rule) for what the sentence's attack words act on: objects of
    attack and harm verbs, their passive subjects, "attack on/against X", "opened fire
    on X", "set fire to X"."""
    attack_verbs, harm_verbs = _lex("attack_verbs"), _lex("harm_verbs")
    for tok in span_tokens(sent):
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and (lemma in attack_verbs or lemma in harm_verbs):
            if _has_negation(tok):
                continue
            yield from _verb_objects(tok)
        elif tok.pos_ in ("NOUN", "PROPN") and lemma in _lex("attack_nouns"):
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("on", "against", "at"):
                    yield from ((o, "actors.attack_on") for o in c.children if o.dep_ == "pobj")
        if tok.pos_ in ("NOUN", "PROPN") and lemma in _lex("harm_nouns"):
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    yield from ((o, "actors.harm_of") for o in c.children if o.dep_ == "pobj")


def _verb_objects(verb: Any) -> Iterator[tuple[Any, str]]:
    """Yield the objects an attack or harm verb acts on."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is not None and obj.lemma_ == "fire":
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in ("on", "at", "to"):
                yield from ((o, "actors.fire_on") for o in c.children if o.dep_ == "pobj")
        return
    if obj is not None:
        yield obj, "actors.object_of_attack"
    for c in verb.children:
        if c.dep_ == "nsubjpass":
            yield c, "actors.passive_subject"


def _sort_hit(
    ctx: Context,
    tok: Any,
    rule: str,
    targets: list[Fact[str]],
    victims: list[Fact[str]],
    described: list[Fact[str]],
) -> None:
    """Append ``tok``'s phrase to targets, victims or victim descriptions."""
    if tok.pos_ == "PRON" or tok.ent_type_ in _NOT_TARGET_ENTS:
        return
    if tok.lemma_ in _lex("attack_nouns") or tok.like_num:
        return
    if tok.ent_type_ == "PERSON":
        span = phrase_span(tok)
        victims.append(Fact(_text(ctx, span), (ctx.span_evidence(span),), rule))
        return
    named = _named_person_of(tok)
    if named is not None:
        victims.append(Fact(_text(ctx, named), (ctx.span_evidence(named),), rule + "_named"))
    span = phrase_span(tok)
    lemma = tok.lemma_.lower()
    if lemma in _lex("perpetrator_individual_heads") or tok.lower_ in _lex("generic_human"):
        return
    if lemma in _lex("generic_human") and not _has_describing_modifier(tok):
        return
    if lemma in _lex("human") or tok.lower_ in _lex("human"):
        described.append(Fact(_words(span), (ctx.span_evidence(span),), rule))
    elif _is_concrete_target(tok, span):
        targets.append(Fact(_words(span), (ctx.span_evidence(span),), rule))


def _named_person_of(tok: Any) -> Any | None:
    """Return the person a noun names beside it ("the judge, Ricardo Mejia", "Judge
    Ricardo Mejia" parsed with the title as head), or None."""
    for c in tok.children:
        if c.dep_ in ("appos", "compound", "npadvmod") and c.ent_type_ == "PERSON":
            return _entity_of(c) or c
    return None


def _text(ctx: Context, span: Any) -> str:
    """Return a span's words as the article writes them (the parse may have read a
    truecased copy), line breaks as single spaces."""
    return " ".join(ctx.article.text[span.start_char : span.end_char].split())


def _is_concrete_target(tok: Any, span: Any) -> bool:
    """Return True for a named place or building, or a noun phrase whose words are in
    the target lexicon ("the police station"), not "place" in "took place"."""
    if tok.pos_ == "PROPN" or tok.ent_type_ in ("FAC", "ORG"):
        return True
    return tok.pos_ == "NOUN" and target_type_of(str(span.text)) is not None


def _has_describing_modifier(tok: Any) -> bool:
    """Return True when a generic word for people carries a describing word
    ("Kenyan people", "people attending the concert" does not count)."""
    return any(c.dep_ in ("amod", "compound") for c in tok.children)


def _target_type(facts: list[Fact[str]]) -> Fact[str] | None:
    """Return the GTD target type of the first target or victim whose words are known."""
    for fact in facts:
        kind = target_type_of(fact.value)
        if kind is not None:
            return Fact(kind, fact.evidence, "actors.target_type")
    return None


def target_type_of(phrase: str) -> str | None:
    """Return the GTD target type of a target or victim phrase: known multi-word
    phrases first, then single words from the last (the head) backwards."""
    data = _targets_data()
    text = " " + re.sub(r"[^\w\s&-]", " ", phrase.casefold()) + " "
    for key in sorted(data["phrases"], key=len, reverse=True):
        if f" {key} " in text:
            return str(data["phrases"][key])
    lemmas: dict[str, str] = data["lemmas"]
    for word in reversed(text.split()):
        for form in (word, singular(word)):
            if form in lemmas:
                return str(lemmas[form])
    return None


def singular(word: str) -> str:
    """Return a crude singular of an English plural ("soldiers" → "soldier")."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word
