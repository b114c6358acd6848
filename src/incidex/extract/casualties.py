"""Killed and wounded figures, attached to their cue words through the dependency parse.

Every number phrase of a sentence (``numbers.find_numbers``) is tied to the noun it counts
(its *anchor*: "people" in "139 people", or the number itself in "killing two"); the anchor's
grammatical role then says whether it counts the dead or the wounded: the patient of a
killing or wounding verb, the subject of "die" or of "dead"/"wounded", the object of
"left ... dead", a "death toll" that "rose to" it, "claimed the lives of" it. Persons named
without a number ("a policeman was killed") count one; "no one was hurt" counts zero.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal

from ..data import load_data
from ..models import Count, Evidence, Fact
from .actors import person_nouns
from .context import Context
from .numbers import NumberPhrase, find_numbers
from .parsed import doc_lower_lemmas, doc_lowers, doc_memo, doc_tokens, indices_in, span_tokens
from .phrases import killing_phrases_in

__all__ = ["Kind", "Toll", "best_toll", "find_tolls", "is_firm_figure"]

Kind = Literal["killed", "wounded"]
_DATA = "casualties.json"
_SUBJECTS = ("nsubj", "nsubjpass")
_PREDICATES = ("acomp", "oprd", "xcomp", "attr")
_SINGLE_RULE = "casualties.single_victim"
_ZERO_RULE = "casualties.no_victims"
_UPDATE_RULE = "casualties.toll_update"
# What may stand between a killing phrase and the name of its victim ("the town's mayor").
_TITLE_POS = ("DET", "ADJ", "NOUN", "PART")
_PLACE_ENTITIES = ("GPE", "LOC", "FAC", "NORP")


@dataclass(frozen=True, slots=True)
class Toll:
    """A killed or wounded figure stated in one sentence. ``attackers``: the figure counts
    the attackers themselves; ``total``: a total rather than a subcount ("including three
    children", "among the dead"); ``hedged``: stated as possible, not as fact ("may have
    killed", "reportedly"); ``superseded``: replaced by a later figure ("rose from 12 to 20",
    "previously reported"); ``vague``: a word such as "dozens" rather than a figure."""

    kind: Kind
    fact: Fact[Count]
    sent_index: int
    attackers: bool
    total: bool
    hedged: bool = False
    superseded: bool = False
    vague: bool = False


@dataclass(frozen=True, slots=True)
class _Attachment:
    kind: Kind
    cue: Any
    rule: str
    total: bool = True


@lru_cache(maxsize=1)
def _lex() -> dict[str, Any]:
    data: dict[str, Any] = load_data(_DATA)
    return data


def _words(key: str) -> frozenset[str]:
    return _word_sets()[key]


@lru_cache(maxsize=1)
def _word_sets() -> dict[str, frozenset[str]]:
    lex = _lex()
    out = {k: frozenset(v) for k, v in lex.items() if isinstance(v, list)}
    for kind, nouns in lex["cue_nouns"].items():
        out[f"noun_{kind}"] = frozenset(nouns)
    return out


def _forms(tok: Any) -> tuple[str, str]:
    return tok.lemma_.lower(), tok.lower_


def _has(tok: Any, key: str) -> bool:
    words = _words(key)
    lemma, low = _forms(tok)
    return lemma in words or low in words


def _cue_kind(tok: Any) -> Kind | None:
    """Return the kind a verb/adjective cue reports ("massacred" → killed), else None."""
    if tok.pos_ not in ("VERB", "ADJ", "AUX") and tok.tag_ not in ("VBN", "VBD", "JJ"):
        return None
    if _has(tok, "killed_cues"):
        return "killed"
    if _has(tok, "wounded_cues"):
        return "wounded"
    return None


def _noun_kind(tok: Any) -> Kind | None:
    """Return the kind a cue noun counts ("deaths" → killed, "injuries" → wounded)."""
    if _has(tok, "noun_killed"):
        return "killed"
    if _has(tok, "noun_wounded"):
        return "wounded"
    return None


def _is_passive_or_state(verb: Any) -> bool:
    """Return True when the subject of ``verb`` is its patient: "hundreds wounded" (a bare
    participle), "people died", "were killed"; not "gunmen have killed"."""
    deps = {c.dep_ for c in verb.children}
    if "auxpass" in deps or verb.pos_ == "ADJ" or _has(verb, "intransitive_killed"):
        return True
    perfect = any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children)
    return verb.tag_ == "VBN" and not perfect and not deps & {"dobj", "obj"}


def _predicate_kind(verb: Any) -> tuple[Kind, Any] | None:
    """Return the kind of a cue predicate under ``verb`` ("confirmed dead", "shot dead")."""
    for child in verb.children:
        if child.dep_ in _PREDICATES and _cue_kind(child) is not None:
            kind = _cue_kind(child)
            assert kind is not None
            return kind, child
    return None


def _own_modifier(anchor: Any) -> _Attachment | None:
    """Return the kind of a cue modifying the anchor itself ("12 prisoners injured",
    "twenty dead", "40 injured people") or of a cue the number counts ("left 12 dead")."""
    if anchor.pos_ == "ADJ" and _cue_kind(anchor) is not None:
        kind = _cue_kind(anchor)
        assert kind is not None
        return _Attachment(kind, anchor, "casualties.counted_cue")
    for child in anchor.children:
        if child.dep_ in ("amod", "acl") and _cue_kind(child) is not None:
            kind = _cue_kind(child)
            assert kind is not None
            return _Attachment(kind, child, "casualties.modifier")
        if child.dep_ == "relcl" and _cue_kind(child) and _is_passive_or_state(child):
            kind = _cue_kind(child)
            assert kind is not None
            return _Attachment(kind, child, "casualties.relative_clause")
    return None


def _as_subject(anchor: Any) -> _Attachment | None:
    """Return the kind when the anchor is the subject of a passive or state cue."""
    if anchor.dep_ not in _SUBJECTS:
        return None
    verb = anchor.head
    kind = _cue_kind(verb)
    if kind is not None and (anchor.dep_ == "nsubjpass" or _is_passive_or_state(verb)):
        return _Attachment(kind, verb, "casualties.subject_of_cue", _not_among(verb))
    linking = anchor.dep_ == "nsubjpass" or _has(verb, "linking_verbs")
    pred = _predicate_kind(verb) if linking else None
    if pred is not None:
        return _Attachment(pred[0], pred[1], "casualties.predicate", _not_among(verb))
    among = _among_cue(verb)
    if among is not None:
        return _Attachment(among[0], among[1], "casualties.among", total=False)
    if anchor.dep_ == "nsubjpass":
        # "were abducted and killed": the passive subject is the coordinated verb's too
        # ("were left dead and 4 injured" is read above: "dead" completes "left")
        for conj in verb.children:
            conj_kind = _cue_kind(conj) if conj.dep_ == "conj" and conj.tag_ == "VBN" else None
            if conj_kind is not None:
                return _Attachment(conj_kind, conj, "casualties.subject_of_cue", _not_among(conj))
    return None


def _not_among(verb: Any) -> bool:
    return _among_cue(verb) is None


def _among_cue(verb: Any) -> tuple[Kind, Any] | None:
    """Return the kind of "among the dead" / "among those killed" under ``verb``."""
    for prep in verb.children:
        if prep.dep_ != "prep" or not _has(prep, "among_words"):
            continue
        for pobj in prep.children:
            kind = _cue_kind(pobj) or _noun_kind(pobj)
            if kind is not None:
                return kind, pobj
            mod = _own_modifier(pobj)
            if mod is not None:
                return mod.kind, mod.cue
    return None


def _as_object(anchor: Any) -> _Attachment | None:
    """Return the kind when the anchor is the object of an active cue ("killed 12 people",
    "injuring 30", "left 40 wounded", "claimed 12 lives")."""
    if anchor.dep_ not in ("dobj", "obj"):
        return None
    verb = anchor.head
    kind = _cue_kind(verb)
    if kind is not None:
        return _Attachment(kind, verb, "casualties.object_of_cue")
    # "left 12 people dead", "shot dead three gunmen": the cue is the object's predicate.
    pred = _predicate_kind(verb)
    if pred is not None:
        return _Attachment(pred[0], pred[1], "casualties.object_predicate")
    if _has(verb, "life_verbs") and anchor.lemma_.lower() == "life":
        return _Attachment("killed", verb, "casualties.claimed_lives")
    if _has(verb, "update_verbs") and _toll_subject(verb) is not None:
        kind = _toll_subject(verb)
        assert kind is not None
        return _Attachment(kind, verb, _UPDATE_RULE)
    return None


def _toll_subject(verb: Any) -> Kind | None:
    """Return the kind of the toll that is the subject of ``verb`` ("the death toll rose")."""
    for child in verb.children:
        if child.dep_ in _SUBJECTS and _has(child, "toll_nouns"):
            return _toll_noun_kind(child)
    return None


def _toll_noun_kind(noun: Any) -> Kind | None:
    """Return killed for a (death) toll, wounded for an injury toll, None for other counts."""
    mods = [c for c in noun.children if c.dep_ in ("compound", "amod", "nmod")]
    if any(_has(m, "injury_toll_modifiers") for m in mods):
        return "wounded"
    if noun.lemma_.lower() in ("toll", "tally") or any(_noun_kind(m) == "killed" for m in mods):
        return "killed"
    return None


def _as_prep_object(anchor: Any) -> _Attachment | None:
    """Return the kind when the anchor is governed by a preposition ("toll rose to 20",
    "the lives of 132 children", "a death toll of 12", "including three children")."""
    if anchor.dep_ != "pobj":
        return None
    prep = anchor.head
    gov = prep.head
    low = prep.lower_
    if low in ("to", "at", "from") and _has(gov, "update_verbs") and _toll_subject(gov) is not None:
        kind = _toll_subject(gov)
        assert kind is not None
        return _Attachment(kind, gov, _UPDATE_RULE)
    if low == "of":
        if (
            gov.lemma_.lower() == "life"
            and gov.dep_ in ("dobj", "obj")
            and _has(gov.head, "life_verbs")
        ):
            return _Attachment("killed", gov.head, "casualties.claimed_lives")
        if _has(gov, "toll_nouns") and _toll_noun_kind(gov) is not None:
            kind = _toll_noun_kind(gov)
            assert kind is not None
            return _Attachment(kind, gov, "casualties.toll_of")
        if _is_real_killing(gov):
            # "the murder of six priests", "the massacre of 40 villagers"
            return _Attachment("killed", gov, "casualties.killing_of")
    if _has(prep, "include_words"):
        return _included_in(gov)
    return None


def _included_in(gov: Any) -> _Attachment | None:
    """Return the subcount attachment of "including N" hanging from ``gov``."""
    kind = _cue_kind(gov) or _noun_kind(gov)
    if kind is not None:
        return _Attachment(kind, gov, "casualties.including", total=False)
    found = _attach(gov)
    if found is not None:
        return replace(found, rule="casualties.including", total=False)
    return None


def _as_noun_count(anchor: Any) -> _Attachment | None:
    """Return the kind when the number counts a cue noun ("12 deaths were confirmed",
    "there were 30 injuries"), never inside a prepositional phrase ("responsible for
    thousands of deaths")."""
    kind = _noun_kind(anchor)
    if kind is None or anchor.dep_ not in ("nsubj", "nsubjpass", "dobj", "attr", "ROOT"):
        return None
    return _Attachment(kind, anchor, "casualties.cue_noun")


def _first_conjunct(anchor: Any) -> Any:
    while anchor.dep_ == "conj" and anchor.head is not anchor:
        anchor = anchor.head
    return anchor


def _attach(anchor: Any) -> _Attachment | None:
    """Return how the anchor noun is counted as killed or wounded, or None for a count
    of something else or a killing only intended ("an attempt to kill two ministers")."""
    found = _attach_any(anchor)
    if found is None or _is_infinitive(found.cue):
        return None
    return found


def _is_infinitive(cue: Any) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in cue.children)


def _attach_any(anchor: Any) -> _Attachment | None:
    for rule in (_own_modifier, _as_subject, _as_object, _as_prep_object, _as_noun_count):
        found = rule(anchor)
        if found is not None:
            return found
    first = _first_conjunct(anchor)
    if first is not anchor:
        for rule in (_as_subject, _as_object, _as_prep_object):
            found = rule(first)
            if found is not None:
                return found
    # "44 soldiers and 12 prisoners injured": the cue hangs on the last conjunct.
    for conj in anchor.conjuncts:
        found = _own_modifier(conj)
        if found is not None:
            return found
    return None


def _anchor(doc: Any, phrase: NumberPhrase) -> Any:
    """Return the token the number counts: the noun it modifies, or the number itself."""
    head = doc[phrase.head]
    counted = head.head
    nominal = counted.pos_ in ("NOUN", "PROPN", "ADJ", "PRON", "NUM")
    if head.dep_ in ("nummod", "quantmod", "amod", "compound") and counted.i >= phrase.end:
        return counted if nominal else head
    return head


def _counted_noun(anchor: Any) -> Any:
    """Return the noun naming who is counted ("militants" in "dozens of militants")."""
    for child in anchor.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return anchor


def _is_attackers(anchor: Any) -> bool:
    noun = _counted_noun(anchor)
    if _has(noun, "attacker_nouns"):
        return True
    return any(c.dep_ == "compound" and c.lower_ == "suicide" for c in noun.children)


def _ancestors_and_self(tok: Any) -> Iterator[Any]:
    yield tok
    yield from tok.ancestors


def _is_hedged(cue: Any, anchor: Any) -> bool:
    """Return True when the figure is stated as possible ("may have killed",
    "reportedly killing"), not as fact."""
    for node in (*_ancestors_and_self(cue), anchor):
        for child in node.children:
            if child.dep_ in ("aux", "advmod") and _has(child, "hedge_words"):
                return True
        if node.dep_ in ("ccomp", "ROOT") and node is not cue:
            break
    return False


def _is_aggregate(cue: Any) -> bool:
    """Return True when the figure adds up deaths over a period ("12 officials have been
    killed in the region since January", "so far this year"): a tally of many attacks,
    not the toll of one."""
    phrases = _lex()["aggregate_phrases"]
    for node in _ancestors_and_self(cue):
        for child in node.children:
            if child.dep_ == "prep" and _has(child, "aggregate_preps"):
                return True
            if child.dep_ in ("npadvmod", "advmod", "prep"):
                text = " ".join(t.lower_ for t in child.subtree)
                if any(p in text for p in phrases):
                    return True
        if node.dep_ in ("ccomp", "ROOT", "relcl"):
            break
    return False


def _is_superseded(cue: Any) -> bool:
    """Return True when the figure is reported as an earlier one ("officials previously
    reported that two people had been killed", "two were initially reported dead")."""
    for node in _ancestors_and_self(cue):
        # "earlier" on the cue itself dates the killing ("killed earlier"), not the report.
        key = "superseded_words" if node is not cue else "superseded_on_cue"
        for child in node.children:
            if child.dep_ in ("advmod", "amod") and _has(child, key):
                return True
    return False


def _evidence(ctx: Context, start_char: int, end_char: int, *tokens: Any) -> Evidence:
    """Return the evidence spanning the number phrase and its cue and anchor tokens."""
    lo = min([start_char, *(t.idx for t in tokens)])
    hi = max([end_char, *(t.idx + len(t.text) for t in tokens)])
    return ctx.evidence(lo, hi)


def _phrase_tolls(ctx: Context, sent_index: int, sent: Any) -> list[Toll]:
    """Return the tolls of the sentence's number phrases, conjoined counts summed."""
    doc = ctx.doc
    groups: dict[tuple[int, str], list[tuple[NumberPhrase, _Attachment, Any]]] = {}
    order: list[tuple[int, str]] = []
    for phrase in find_numbers(sent):
        anchor = _anchor(doc, phrase)
        found = _attach(anchor)
        if found is None:
            continue
        key = (_first_conjunct(anchor).i, found.kind)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append((phrase, found, anchor))
    out: list[Toll] = []
    for group in order:
        out.extend(_group_tolls(ctx, sent_index, groups[group]))
    return out


def _group_tolls(
    ctx: Context, sent_index: int, members: list[tuple[NumberPhrase, _Attachment, Any]]
) -> list[Toll]:
    """Return one toll for conjoined counts of the same cue ("132 children and nine
    staff" → 141), plus the superseded figure of "from A to B"."""
    doc = ctx.doc
    first_phrase, found, anchor = members[0]
    if _is_aggregate(found.cue):
        return []
    start = doc[first_phrase.start].idx
    last = members[-1][0]
    end = doc[last.end - 1].idx + len(doc[last.end - 1].text)
    value = _sum_counts([p.value for p, _, _ in members])
    rule = found.rule if len(members) == 1 else "casualties.conjoined_sum"
    evidence = _evidence(ctx, start, end, found.cue, *(a for _, _, a in members))
    toll = Toll(
        kind=found.kind,
        fact=Fact(value, (evidence,), rule),
        sent_index=sent_index,
        attackers=all(_is_attackers(a) for _, _, a in members),
        total=found.total,
        hedged=_is_hedged(found.cue, anchor),
        superseded=_is_superseded(found.cue),
        vague=all(p.vague for p, _, _ in members),
    )
    out = [toll]
    if first_phrase.replaced is not None:
        old = Fact(Count(min=first_phrase.replaced), (evidence,), "casualties.replaced_figure")
        out.insert(0, replace(toll, fact=old, superseded=True))
    return out


def _sum_counts(counts: Sequence[Count]) -> Count:
    if len(counts) == 1:
        return counts[0]
    mins = [c.min for c in counts]
    low = sum(m for m in mins if m is not None) if any(m is not None for m in mins) else None
    return Count(min=low, qualifier=counts[0].qualifier)


def _single_victims(ctx: Context, sent_index: int, sent: Any, covered: set[int]) -> list[Toll]:
    """Return one-person and no-person tolls: "a policeman was killed", "killing a child",
    "the bomber died" (1); "no one was hurt", "there were no casualties" (0)."""
    out: list[Toll] = []
    tokens = span_tokens(sent)
    zero_heads = doc_memo(sent.doc, "casualties.zero_heads", _zero_determined)
    # the tokens that may count: the others are skipped without being read
    single = doc_memo(sent.doc, "casualties.may_count_one", _may_count_one)
    all_tokens = doc_tokens(sent.doc)
    for tok in (all_tokens[i] for i in indices_in(sent, sorted(zero_heads | single))):
        if tok.i in covered:
            continue
        zero = _zero_kinds(tok) if _may_count_zero(tok, zero_heads) else []
        if zero:
            for kind, cue in zero:
                ev = _evidence(ctx, _left_edge(tok).idx, tok.idx + len(tok.text), cue)
                fact = Fact(Count(min=0), (ev,), _ZERO_RULE)
                out.append(Toll(kind, fact, sent_index, attackers=False, total=True))
            continue
        people = _coordinated_people(tok)
        found = _single_attachment(tok, people)
        if found is None or _is_aggregate(found.cue):
            continue
        words = sent.doc[_left_edge(tok).i : people[-1].i + 1]
        ev = _evidence(ctx, words.start_char, words.end_char, found.cue)
        fact = Fact(Count(min=_people_count(people, words)), (ev,), _SINGLE_RULE)
        toll = Toll(
            found.kind,
            fact,
            sent_index,
            attackers=_is_attackers(tok),
            total=found.total,
            hedged=_is_hedged(found.cue, tok),
            superseded=_is_superseded(found.cue),
        )
        out.append(toll)
    taken = covered | {t.i for toll in out for t in tokens if _within(t, toll)}
    out.extend(_named_victims_of_phrases(ctx, sent_index, sent, taken))
    return out


def _within(tok: Any, toll: Toll) -> bool:
    ev = toll.fact.evidence[0]
    return bool(ev.start <= tok.idx < ev.end)


def _named_victims_of_phrases(
    ctx: Context, sent_index: int, sent: Any, taken: set[int]
) -> list[Toll]:
    """Return a toll of one for a person named right after a killing phrase ("shot dead
    Ana Ruiz"), which the small parser often misreads ("shot" as a noun)."""
    out: list[Toll] = []
    for start, end in killing_phrases_in(sent):
        name = _person_after(sent, end)
        if name is None or any(i in taken for i in range(start, name.end)):
            continue
        ev = _evidence(ctx, sent.doc[start].idx, name.end_char)
        fact = Fact(Count(min=1), (ev,), "casualties.named_victim_of_phrase")
        out.append(Toll("killed", fact, sent_index, attackers=False, total=True))
    return out


def _person_after(sent: Any, i: int) -> Any:
    """Return the name at token ``i``, or after up to three words saying what the person is
    ("the town's mayor"), as a span; None when no name follows. Whatever the entity
    recogniser calls it, a name one is "shot dead" is a person's, unless it names a place."""
    stop = min(sent.end, i + 4)
    while i < stop and sent.doc[i].pos_ != "PROPN":
        if sent.doc[i].pos_ not in _TITLE_POS:
            return None
        i += 1
    end = i
    while end < sent.end and sent.doc[end].pos_ == "PROPN":
        end += 1
    name = sent.doc[i:end]
    if i >= stop or any(t.ent_type_ in _PLACE_ENTITIES for t in name):
        return None
    return name


def _left_edge(tok: Any) -> Any:
    # The noun phrase up to its head: "a security guard", without relative clauses after.
    edge = tok
    for child in tok.lefts:
        edge = child if child.i < edge.i else edge
    return edge


def _single_attachment(tok: Any, people: list[Any]) -> _Attachment | None:
    """Return the attachment of a singular person noun with no number (``people``: it and
    the nouns coordinated with it, ``_coordinated_people``), or None."""
    if tok.tag_ not in ("NN", "NNP") or tok.dep_ not in ("nsubj", "nsubjpass", "dobj"):
        return None
    if not all(_is_one_victim(t) for t in people):
        return None
    if len(people) > 1 and not all(_is_person(t) for t in people):
        return None  # "hurting the army and the president": not two people
    if any(c.dep_ == "det" and _has(c, "zero_dets") for c in tok.children):
        return None
    found = _as_subject(tok) if tok.dep_ != "dobj" else _as_object(tok)
    if found is None or found.rule in ("casualties.claimed_lives", _UPDATE_RULE):
        return None
    return None if _is_infinitive(found.cue) else found


def _people_count(people: list[Any], words: Any) -> int:
    """Return how many victims a coordination of single people (``words`` the phrase that
    names them) counts: each of them ("a policeman and a soldier": 2), one of alternatives
    ("a boy or a man"), none of "neither ... nor"."""
    links = {w for t in words for w in t.lower_.split("/")}
    if "nor" in links or "neither" in links:
        return 0
    return 1 if "or" in links else len(people)


def _is_one_victim(tok: Any) -> bool:
    """Return whether a noun counts one victim: a singular noun or name with no number,
    that is no pronoun, toll word or place ("a policeman", "Ana Lopez")."""
    if tok.tag_ not in ("NN", "NNP") or _has(tok, "pronouns_not_victims"):
        return False
    if tok.ent_type_ not in ("", "PERSON", "NORP") or _noun_kind(tok) is not None:
        return False
    return not any(c.dep_ == "nummod" for c in tok.children)


def _is_person(tok: Any) -> bool:
    """Return whether a noun names a person: a person's name (or a name the entity
    recogniser left untyped) or a word for a person."""
    name = tok.ent_type_ == "PERSON" or (tok.tag_ == "NNP" and not tok.ent_type_)
    return name or tok.lemma_.lower() in person_nouns()


def _coordinated_people(tok: Any) -> list[Any]:
    """Return a noun and the nouns coordinated with it after it ("Jose Perez and Ana
    Lopez", "a policeman and a soldier"), in text order."""
    people = [tok]
    stack = [c for c in tok.children if c.dep_ == "conj"]
    while stack:
        conj = stack.pop()
        people.append(conj)
        stack.extend(c for c in conj.children if c.dep_ == "conj")
    return sorted(people, key=lambda t: t.i)


def _may_count_one(doc: Any) -> frozenset[int]:
    """Return the indices of the tokens of a Doc that ``_single_victims`` reads besides
    the ``_zero_determined`` ones: "one" and zero words (``_may_count_zero``), and
    singular nouns as subject or object (``_single_attachment``)."""
    from spacy.attrs import DEP, TAG

    strings = doc.vocab.strings
    nouns = {strings[t] for t in ("NN", "NNP")}
    roles = {strings[d] for d in ("nsubj", "nsubjpass", "dobj")}
    zero = _words("zero_words")
    lows, lemmas = doc_lowers(doc), doc_lower_lemmas(doc)
    tags_deps = doc.to_array([TAG, DEP]).tolist()
    return frozenset(
        i
        for i, (low, lemma, (tag, dep)) in enumerate(zip(lows, lemmas, tags_deps, strict=True))
        if low == "one" or lemma in zero or low in zero or (tag in nouns and dep in roles)
    )


def _zero_determined(doc: Any) -> frozenset[int]:
    """Return the indices of the tokens of a Doc that have a determiner saying none ("no
    casualties", "no one"): the heads of such determiners."""
    from spacy.attrs import DEP, HEAD

    det = doc.vocab.strings["det"]
    words = _words("zero_dets")
    lows, lemmas = doc_lowers(doc), doc_lower_lemmas(doc)
    deps = doc.to_array(DEP).tolist()
    # HEAD is the offset to the head, stored unsigned: the cast makes it signed again.
    heads = doc.to_array(HEAD).astype("int64").tolist()
    return frozenset(
        i + heads[i]
        for i, dep in enumerate(deps)
        if dep == det and (lemmas[i] in words or lows[i] in words)
    )


def _may_count_zero(tok: Any, zero_heads: frozenset[int]) -> bool:
    """Return whether ``_zero_kinds`` may find a zero toll at ``tok`` (``zero_heads``: the
    ``_zero_determined`` of its Doc): a zero word, "one", or a word with a determiner
    saying none. Most tokens are none of these, and their children are not read."""
    return tok.i in zero_heads or tok.lower_ == "one" or _has(tok, "zero_words")


def _zero_kinds(tok: Any) -> list[tuple[Kind, Any]]:
    """Return the kinds that "no one"/"nobody"/"no casualties" sets to zero."""
    is_zero = _has(tok, "zero_words") or (
        tok.lower_ == "one" and any(c.lower_ in _words("zero_dets") for c in tok.children)
    )
    has_no = any(c.dep_ == "det" and _has(c, "zero_dets") for c in tok.children)
    if has_no and _has(tok, "noun_both"):
        return [("killed", tok), ("wounded", tok)]
    if has_no and _noun_kind(tok) is not None:
        kind = _noun_kind(tok)
        assert kind is not None
        return [(kind, tok)]
    if not (is_zero or has_no) or tok.dep_ not in ("nsubj", "nsubjpass", "dobj"):
        return []
    found = _as_subject(tok) if tok.dep_ != "dobj" else _as_object(tok)
    if found is None:
        return []
    if _has(found.cue, "zero_both_cues") and not any(c.lower_ == "else" for c in tok.subtree):
        # "No one was hurt": nobody was wounded, let alone killed ("no one else": others were).
        return [("killed", found.cue), ("wounded", found.cue)]
    return [(found.kind, found.cue)]


def find_tolls(ctx: Context) -> list[Toll]:
    """Return the killed and wounded figures of the article, in text order."""
    out: list[Toll] = []
    for index, sent in enumerate(ctx.sents):
        numbered = _phrase_tolls(ctx, index, sent)
        covered = _covered_tokens(ctx, numbered)
        out.extend(numbered)
        singles = _single_victims(ctx, index, sent, covered)
        out.extend(singles)
        out.extend(_killings_of_one(ctx, index, sent, covered | _covered_tokens(ctx, singles)))
    out.sort(key=lambda t: (t.fact.evidence[0].start, t.fact.evidence[0].end))
    return out


def _killings_of_one(ctx: Context, sent_index: int, sent: Any, covered: set[int]) -> list[Toll]:
    """Return a toll of one for the killing of one person a killing noun names ("the
    murder of Jecar Neghme", "the assassination of the mayor"), unless the killing was
    only attempted or planned ("the attempted murder of")."""
    out: list[Toll] = []
    for tok in span_tokens(sent):
        if not _is_real_killing(tok):
            continue
        victim = _one_person_of(tok)
        if victim is None or victim.i in covered:
            continue
        first, last = sorted((tok, victim), key=lambda t: t.i)
        ev = _evidence(ctx, _left_edge(first).idx, last.idx + len(last.text), tok)
        fact = Fact(Count(min=1), (ev,), "casualties.killing_of_one")
        out.append(Toll("killed", fact, sent_index, attackers=False, total=True))
    return out


def _is_real_killing(tok: Any) -> bool:
    """Return whether a word is a killing noun ("murder", "massacre") for a killing that
    happened: not a modifier ("assassination attempt"), not attempted or planned."""
    if tok.pos_ != "NOUN" or tok.dep_ == "compound" or not _has(tok, "killing_nouns"):
        return False
    return not any(_has(c, "unreal_killing_modifiers") for c in tok.children)


def _one_person_of(noun: Any) -> Any:
    """Return the one person a noun's owner ("Galan's murder", "his assassination") or
    "of" phrase names (a person's name, or a singular person noun), else None."""
    for owner in noun.children:
        if owner.dep_ == "poss" and (owner.lower_ in ("his", "her") or _is_person(owner)):
            return None if any(c.dep_ == "conj" for c in owner.children) else owner
    for prep in noun.children:
        if prep.dep_ != "prep" or prep.lower_ != "of":
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj" or obj.tag_ not in ("NN", "NNP"):
                continue
            if any(c.dep_ in ("conj", "nummod") for c in obj.children):
                return None
            if _is_person(obj):
                return obj
    return None


def _covered_tokens(ctx: Context, tolls: list[Toll]) -> set[int]:
    covered: set[int] = set()
    for toll in tolls:
        ev = toll.fact.evidence[0]
        span = ctx.doc.char_span(ev.start, ev.end, alignment_mode="expand")
        if span is not None:
            covered.update(range(span.start, span.end))
    return covered


def is_firm_figure(toll: Toll) -> bool:
    """Return whether a toll states a total of several people as a figure ("40", "at
    least 40", "more than 40"), not as a word ("dozens") or an approximation ("about 30")."""
    if toll.vague or not toll.total or (toll.fact.value.min or 0) < 2:
        return False
    qualifier = toll.fact.value.qualifier
    return qualifier is None or _qualifier_modes().get(qualifier) in ("min", "above")


@lru_cache(maxsize=1)
def _qualifier_modes() -> dict[str, str]:
    """Return each qualifier label's mode ("at least" -> "min", "about" -> "approx")."""
    return {q["label"]: q["mode"] for q in _lex()["qualifiers"].values()}


def _is_candidate(toll: Toll, kind: Kind) -> bool:
    return toll.kind == kind and not toll.attackers and not toll.superseded


def best_toll(tolls: Sequence[Toll], kind: Kind) -> Toll | None:
    """Return the figure to report for one incident: the latest "toll rose to" update if
    any; else the lowest positive total stated as fact (FORMAT.md: "min is the lowest
    figure the text states as fact"), numbered figures before single victims; else the sum
    of the subcounts; else a zero ("no one was hurt"). Attackers' own deaths, hedged and
    superseded figures are used only when nothing else is stated."""
    cands = [t for t in tolls if _is_candidate(t, kind)]
    firm = [t for t in cands if not t.hedged] or cands
    if not firm:
        return None
    updates = [t for t in firm if t.total and t.fact.rule == _UPDATE_RULE]
    if updates:
        return updates[-1]
    totals = [t for t in firm if t.total and t.fact.rule != _ZERO_RULE]
    numbered = [t for t in totals if t.fact.rule != _SINGLE_RULE] or totals
    if numbered:
        return min(numbered, key=_sort_key)
    subcounts = [t for t in firm if not t.total]
    if subcounts:
        return _summed(subcounts)
    zeros = [t for t in firm if t.fact.rule == _ZERO_RULE]
    return zeros[0] if zeros else None


def _sort_key(toll: Toll) -> tuple[int, int]:
    value = toll.fact.value
    figure = value.min if value.min is not None else value.max
    return (figure if figure is not None else 10**9, toll.fact.evidence[0].start)


def _summed(subcounts: Sequence[Toll]) -> Toll:
    """Return one toll adding up subcounts stated in different sentences or places."""
    if len(subcounts) == 1:
        return subcounts[0]
    value = _sum_counts([t.fact.value for t in subcounts])
    evidence = tuple(e for t in subcounts for e in t.fact.evidence)
    first = subcounts[0]
    return replace(first, fact=Fact(value, evidence, "casualties.sum_of_subcounts"), total=True)
