"""Article + parse -> Extraction: the attacks an article reports, and the claims about them.

The stages, each a module of this package:

1. ``detect``: attack words that report an attack that happened (triggers), with attack
   types, weapons and stage; threats, hypotheticals, generic remarks are dropped there.
2. Triggers are grouped into incidents: a trigger whose sentence names its own place and
   its own toll or date starts a new incident; any other joins the incident before it.
3. Each incident's fields are read from the sentences of its triggers (falling back to the
   stretch of text up to the next incident): ``casualties``, ``dates``, ``places``,
   ``actors`` (perpetrators, targets, victims).
4. ``claims`` are found over the whole article and linked to the incident whose stretch of
   text holds them (the first incident otherwise).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

from ..data import load_data
from ..models import (
    Article,
    Claim,
    Evidence,
    Extraction,
    Fact,
    Mention,
    PartialDate,
    Place,
    Stage,
)
from ..truecase import is_mostly_upper
from . import actors, casualties, claims, dates, detect, parsed, places, relevance, roles
from .context import Context

__all__ = ["extract"]

_DATE_PARTS = ("year", "month", "day")
# An attack this many days before the article's lead incident is recalled, not reported.
_RECENT_DAYS = 7
# A toll this many sentences after an attack word still tells of that attack.
_TOLL_REACH = 2
_STAGE_ORDER: tuple[Stage, ...] = ("accomplished", "attempted", "threatened")
_WIRE_DEFAULT_RULE = "extract.wire_default_type"


@dataclass(slots=True)
class _Cluster:
    triggers: list[detect.Trigger]
    first_sent: int
    last_sent: int = -1

    @property
    def sent_indices(self) -> list[int]:
        return sorted({t.sent_index for t in self.triggers})

    @property
    def background(self) -> bool:
        return all(t.background for t in self.triggers)

    @property
    def summary(self) -> bool:
        return any(t.summary for t in self.triggers)


@dataclass(frozen=True, slots=True)
class _Facts:
    """The article's tolls, dates and places, looked up by sentence while grouping."""

    tolls: Sequence[casualties.Toll]
    dates: Sequence[dates.DateMention]
    places: Sequence[places.PlaceMention]
    claimed: bool = False
    # the tagger's spans at its own thresholds, which the wire relevance models read
    tagged_roles: Sequence[roles.RoleSpan] = ()
    roles: Sequence[roles.RoleSpan] = ()
    wire: bool = False

    def has_own_details(self, sent: int) -> bool:
        """Return whether a sentence names a place and a toll or date of its own."""
        has_place = any(p.sent_index == sent for p in self.places)
        return has_place and (
            bool(self.killed(sent))
            or bool(self.event_days(sent))
            or any(t.sent_index == sent and not t.attackers for t in self.tolls)
        )

    def places_of(self, sents: Sequence[int]) -> list[Place]:
        return [
            p.fact.value
            for p in self.places
            if p.sent_index in sents and p.fact.rule != "places.dateline"
        ]

    def killed(self, sent: int) -> set[int | None]:
        return {
            t.fact.value.min
            for t in self.tolls
            if t.sent_index == sent and not t.attackers and t.kind == "killed"
        }

    def event_days(self, sent: int) -> set[tuple[int | None, int | None]]:
        return {
            (d.fact.value.month, d.fact.value.day)
            for d in self.dates
            if d.sent_index == sent
            and d.kind not in ("published", "dateline")
            and d.fact.value.day is not None
        }


def _places_clash(facts: _Facts, sent: int, cluster: _Cluster) -> bool:
    """Return whether a sentence's places all lie outside the cluster's places, compared at
    the finest level both give (a province against a city, else country against country)."""
    new, old = facts.places_of([sent]), facts.places_of(cluster.sent_indices)
    new_fine, old_fine = _below_country(new), _below_country(old)
    if new_fine and old_fine:
        new, old = new_fine, old_fine
    if not new or not old:
        return False
    return not any(places.consistent(a, b) for a in new for b in old)


def _below_country(found: Sequence[Place]) -> list[Place]:
    return [p for p in found if p.city or p.admin1]


def _days_differ(facts: _Facts, sent: int, cluster: _Cluster) -> bool:
    """Return whether a sentence names a day of its own that none of the cluster's
    sentences names ("On December 6, a suicide bomber ...")."""
    new_days = facts.event_days(sent)
    old_days = set().union(*(facts.event_days(s) for s in cluster.sent_indices))
    return bool(new_days and old_days and not new_days & old_days)


def _details_differ(facts: _Facts, sent: int, cluster: _Cluster) -> bool:
    """Return whether a sentence gives a death toll or day that none of the cluster's
    sentences gives (a second attack in the same town)."""
    core = cluster.sent_indices
    new_killed = facts.killed(sent)
    old_killed = set().union(*(facts.killed(s) for s in core))
    return bool(new_killed and old_killed and not new_killed & old_killed)


def _starts_new(trig: detect.Trigger, current: _Cluster | None, facts: _Facts) -> bool:
    """Return whether a trigger reports another attack than the cluster before it: its
    sentence has a place and a toll or date of its own, and either its place lies elsewhere
    or, for an attack it introduces ("a bomb killed three"), its toll or day differs.
    A bare reference back ("the attack") never starts one; after a summary ("multiple
    attacks across Iraq") any detailed report does."""
    if current is None:
        return True
    sent = trig.sent_index
    if sent in current.sent_indices or trig.anaphoric:
        return False
    if not trig.definite and _days_differ(facts, sent, current):
        return True
    if not facts.has_own_details(sent):
        return False
    if current.summary and not trig.summary:
        return True
    if not any(facts.has_own_details(s) for s in current.sent_indices):
        return False
    if _places_clash(facts, sent, current):
        return True
    return not trig.definite and _details_differ(facts, sent, current)


def _clusters(triggers: Sequence[detect.Trigger], facts: _Facts) -> list[_Cluster]:
    """Return the triggers grouped into incidents, summaries dropped (``_starts_new``)."""
    clusters: list[_Cluster] = []
    for trig in triggers:
        current = next((c for c in reversed(clusters) if c.background == trig.background), None)
        if current is None or _starts_new(trig, current, facts):
            clusters.append(_Cluster([trig], trig.sent_index))
        else:
            current.triggers.append(trig)
    clusters = [c for c in _without_summaries(clusters) if _is_violent(c, facts)]
    ordered = sorted(clusters, key=lambda c: c.first_sent)
    for this, nxt in pairwise(ordered):
        this.last_sent = nxt.first_sent - 1
    return clusters


@dataclass(frozen=True, slots=True)
class _Loose:
    """Triggers no incident took: ``sents`` the sentences of reported ones left out (a
    summary of several attacks), ``past`` the recalled past attacks."""

    sents: frozenset[int]
    past: tuple[detect.Trigger, ...]


def _loose(triggers: Sequence[detect.Trigger], clusters: Sequence[_Cluster]) -> _Loose:
    """Return the triggers none of the clusters took."""
    kept = {s for c in clusters for s in c.sent_indices}
    fresh = {t.sent_index for t in triggers if not t.background} - kept
    return _Loose(frozenset(fresh), tuple(t for t in triggers if t.background))


def _is_violent(cluster: _Cluster, facts: _Facts) -> bool:
    """Return whether a cluster reports violence: an unambiguous attack word, instrument or
    attackers (``Trigger.supported``), a claim of responsibility, or people killed or hurt
    in or just after its sentences by something other than an explosion or fire that may
    have been an accident; in upper-case wire text, any attack word."""
    if cluster.background or facts.claimed or any(t.supported for t in cluster.triggers):
        return True
    if facts.wire:
        # Wire reports rarely spell out what the rules look for; there the relevance
        # model judges the message instead (MUC-4 train: detection F1 75.4 -> 75.7 here).
        return True
    if all(t.accidental for t in cluster.triggers):
        return False
    near = {s + step for s in cluster.sent_indices for step in range(_TOLL_REACH + 1)}
    return any(t.sent_index in near and not t.attackers and t.fact.value.min for t in facts.tolls)


def _without_summaries(clusters: list[_Cluster]) -> list[_Cluster]:
    """Return the clusters without those summing up several attacks when the article
    reports attacks one by one (the summary's total is no single attack's toll)."""
    detailed = [c for c in clusters if not c.background and not c.summary]
    if not detailed:
        return clusters
    return [c for c in clusters if c.background or not c.summary]


def _stretch(cluster: _Cluster, n_sents: int) -> range:
    end = cluster.last_sent if cluster.last_sent >= 0 else n_sents - 1
    return range(cluster.first_sent, end + 1)


def _merge_facts(groups: Sequence[Sequence[Fact[str]]]) -> tuple[Fact[str], ...]:
    seen: dict[str, Fact[str]] = {}
    for group in groups:
        for fact in group:
            seen.setdefault(fact.value, fact)
    return tuple(seen.values())


def _stage(cluster: _Cluster) -> Stage:
    stages = {t.stage for t in cluster.triggers}
    return next(s for s in _STAGE_ORDER if s in stages)


def _of_kind(tolls: Sequence[casualties.Toll], kind: str) -> list[casualties.Toll]:
    return [t for t in tolls if t.kind == kind]


def _nearest(items: Sequence[Any], core: Sequence[int], stretch: range) -> list[Any]:
    """Return the items whose sentence is a trigger sentence, else those in the stretch."""
    in_core = [i for i in items if i.sent_index in core]
    return in_core or [i for i in items if i.sent_index in stretch]


def _toll_of(
    tolls: Sequence[casualties.Toll], kind: casualties.Kind, core: Sequence[int], stretch: range
) -> casualties.Toll | None:
    """Return an incident's figure of one kind from its nearest sentences; a vague word
    there ("killing dozens" in the lede) gives way to a firm figure stated further on in the
    incident's sentences ("at least 40 soldiers were killed"), which refines it; an
    approximation ("about 30") does not."""
    of_kind = _of_kind(tolls, kind)
    best = casualties.best_toll(_nearest(of_kind, core, stretch), kind)
    if best is None or not best.vague:
        return best
    figures = [t for t in of_kind if t.sent_index in stretch and casualties.is_firm_figure(t)]
    return casualties.best_toll(figures, kind) or best


def _incident_date(
    ctx: Context,
    found_dates: Sequence[dates.DateMention],
    cluster: _Cluster,
    stretch: range,
    loose: _Loose,
) -> Fact[Any] | None:
    """Return the incident's date: one written in its trigger sentences (preferring one
    inside an attack word's own phrase, "the Saturday evening attack"), else a day named
    in an earlier sentence no other incident owns (a lede's "today"), else a day named later
    in its stretch of text, else the report's own date when the attack is told in the
    present perfect ("a bomber has killed 11"); None when the text does not date it.
    Dates inside a recalled attack's phrase ("since a December 2014 massacre") are not it."""
    core = cluster.sent_indices
    written = [
        d
        for d in found_dates
        if d.kind not in ("published", "dateline") and not _attached_to_any(ctx, d, loose.past)
    ]
    own = [d for d in written if d.sent_index in core]
    if own:
        attached = [d for d in own if _attached_to_any(ctx, d, cluster.triggers)]
        return _most_precise(attached or own)
    with_day = [d for d in written if d.fact.value.day is not None]
    earlier = [
        d for d in with_day if d.sent_index < cluster.first_sent and d.sent_index in loose.sents
    ]
    if earlier:
        return max(earlier, key=lambda d: d.sent_index).fact
    later = [d for d in with_day if d.sent_index in stretch]
    if later:
        return _most_precise(later)
    if any(_is_present_perfect(ctx, t) for t in cluster.triggers):
        return _report_date(ctx, found_dates)
    return None


def _report_date(ctx: Context, found_dates: Sequence[dates.DateMention]) -> Fact[Any] | None:
    """Return the date the article was written: its dateline, else its publication date."""
    reported = [d for d in found_dates if d.kind in ("dateline", "published")]
    if reported:
        return _most_precise(reported)
    published = ctx.article.published
    if published is None:
        return None
    value = PartialDate(published.year, published.month, published.day, frozenset(_DATE_PARTS))
    return Fact(value, (), "dates.publication")


def _most_precise(candidates: Sequence[dates.DateMention]) -> Fact[Any]:
    best = max(candidates, key=lambda d: _date_precision(d.fact.value))
    fact: Fact[Any] = best.fact
    return fact


def _trigger_token(ctx: Context, trig: detect.Trigger) -> Any:
    """Return the first token of a trigger's evidence."""
    span = ctx.doc.char_span(trig.evidence.start, trig.evidence.end, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _attached_to_any(
    ctx: Context, found: dates.DateMention, triggers: Sequence[detect.Trigger]
) -> bool:
    """Return whether a date lies inside the phrase of one of the attack nouns or among the
    adjuncts of one of the attack verbs."""
    ev = found.fact.evidence[0] if found.fact.evidence else None
    if ev is None:
        return False
    for trig in triggers:
        tok = _trigger_token(ctx, trig)
        if tok is None or trig.sent_index != found.sent_index:
            continue
        phrase = list(tok.subtree) if tok.pos_ in ("NOUN", "PROPN") else list(tok.children)
        if tok.pos_ not in ("NOUN", "PROPN"):
            phrase = [
                t for c in phrase if c.dep_ in ("prep", "npadvmod", "tmod") for t in c.subtree
            ]
        if any(ev.start <= t.idx < ev.end for t in phrase):
            return True
    return False


def _is_present_perfect(ctx: Context, trig: detect.Trigger) -> bool:
    """Return whether a trigger's clause is in the present perfect ("has killed", "have
    attacked"), which reports an attack of the day of writing."""
    tok = _trigger_token(ctx, trig)
    if tok is None:
        return False
    verb = tok
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    candidates = [verb, *(c for c in tok.head.children if c.pos_ == "VERB")]
    return any(_has_perfect_aux(v) for v in candidates)


def _has_perfect_aux(verb: Any) -> bool:
    """Return whether a verb has "has"/"have" and no modal ("may have killed" is a guess)."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    perfect = any(a.lower_ in ("has", "have", "'s", "'ve") for a in auxes)
    return perfect and not any(a.tag_ == "MD" for a in auxes)


def _date_precision(value: Any) -> int:
    return sum(part is not None for part in (value.year, value.month, value.day))


@dataclass(frozen=True, slots=True)
class _Roles:
    """What the rules find an incident's targets, victims, weapons and perpetrators to be,
    before the tagger's fillers of its sentences ``sents`` are added (``_with_roles``)."""

    found_targets: actors.Targets
    weapon_mentions: tuple[Fact[str], ...]
    groups: tuple[Fact[str], ...]
    individuals: tuple[Fact[str], ...]
    sents: range


def _ruled_roles(
    ctx: Context, index: int, cluster: _Cluster, found_claims: Sequence[Claim]
) -> _Roles:
    """Return the rules' role fillers of one cluster."""
    stretch = _stretch(cluster, len(ctx.sents))
    groups, individuals = actors.find_perpetrators(ctx, list(stretch), found_claims)
    return _Roles(
        found_targets=actors.find_targets(ctx, cluster.sent_indices),
        weapon_mentions=_merge_facts([t.weapon_mentions for t in cluster.triggers]),
        groups=groups,
        individuals=individuals,
        sents=_role_sentences(cluster, stretch, index),
    )


# The Mention field of each role the tagger finds fillers for.
_ROLE_FIELDS = {
    "TARGET": "targets",
    "VICTIM": "victims",
    "WEAPON": "weapon_mentions",
    "PERPORG": "perpetrators",
    "PERPIND": "perpetrator_individuals",
}


def _with_roles(
    ctx: Context, mention: Mention, ruled: _Roles, found: Sequence[roles.RoleSpan]
) -> Mention:
    """Return the mention with its role fields: the rules' fillers, then the tagger's
    spans ``found`` in the incident's sentences naming something new."""
    tagged = _tagged_roles(ctx, found, ruled.sents)
    by_rules = {
        "TARGET": _ruled(ctx, ruled.found_targets.targets),
        "VICTIM": _ruled(ctx, ruled.found_targets.victims),
        "WEAPON": _ruled(ctx, ruled.weapon_mentions),
        "PERPORG": ruled.groups,
        "PERPIND": ruled.individuals,
    }
    fields = {name: _combined(by_rules[role], tagged[role]) for role, name in _ROLE_FIELDS.items()}
    return replace(mention, **fields)  # type: ignore[arg-type]


def _mention(
    ctx: Context,
    index: int,
    cluster: _Cluster,
    facts: _Facts,
    ruled: _Roles,
    loose: _Loose,
) -> Mention:
    """Return the Mention of one cluster."""
    core = cluster.sent_indices
    stretch = _stretch(cluster, len(ctx.sents))
    victims = [t for t in facts.tolls if not t.attackers]
    # Each figure from its own nearest sentences: a killing in the lede does not hide the
    # wounded counted in the next sentence.
    killed = _toll_of(victims, "killed", core, stretch)
    wounded = _toll_of(victims, "wounded", core, stretch)
    mention = Mention(
        article_id=ctx.article.id,
        index=index,
        evidence=cluster.triggers[0].evidence,
        attack_types=_attack_types(ctx, cluster),
        stage=_stage(cluster),
        date=_incident_date(ctx, facts.dates, cluster, stretch, loose),
        place=places.incident_place(ctx, facts.places, core),
        target_type=ruled.found_targets.target_type,
        victim_descriptions=ruled.found_targets.victim_descriptions,
        weapons=_merge_facts([t.weapons for t in cluster.triggers]),
        killed=killed.fact if killed else None,
        wounded=wounded.fact if wounded else None,
        background=cluster.background,
        confidence=min(1.0, 0.4 + 0.15 * len(cluster.triggers)),
    )
    return _with_roles(ctx, mention, ruled, facts.roles)


def _attack_types(ctx: Context, cluster: _Cluster) -> tuple[Fact[str], ...]:
    """Return the incident's attack types; in upper-case wire text read the way the MUC-4
    keys type incidents (``_wire_types``)."""
    found = _merge_facts([t.attack_types for t in cluster.triggers])
    if not is_mostly_upper(ctx.article.text):
        return found
    return _wire_types(found, cluster.triggers[0].evidence)


def _wire_types(found: tuple[Fact[str], ...], evidence: Evidence) -> tuple[Fact[str], ...]:
    """Return wire-text attack types: a type dropped beside one that explains it better
    (an explosion's damage is not arson), and an attack word with no type an armed
    assault, as the keys have it (``wire_attack_types`` of lexicon.json)."""
    rules = load_data("lexicon.json")["wire_attack_types"]
    values = {f.value for f in found}
    kept = tuple(
        f
        for f in found
        if f.value != "unknown" and not values & set(rules["dropped_beside"].get(f.value, ()))
    )
    if kept:
        return kept
    return (Fact(str(rules["default"]), (evidence,), _WIRE_DEFAULT_RULE),)


def _role_sentences(cluster: _Cluster, stretch: range, index: int) -> range:
    """Return the sentences whose role fillers belong to an incident: its stretch of text,
    and for the first incident also the lede before its first attack word."""
    return range(0 if index == 0 else stretch.start, stretch.stop)


def _tagged_roles(
    ctx: Context, found: Sequence[roles.RoleSpan], sents: range
) -> dict[str, list[Fact[str]]]:
    """Return, per role, the tagger's fillers in the sentences ``sents`` as facts, one per
    entity. Organisations come from the tagger only in upper-case wire text: it learnt
    MUC-4's keys, which count suspected and accused groups as perpetrators."""
    text = ctx.article.text
    wire = is_mostly_upper(text)
    out: dict[str, list[Fact[str]]] = {}
    for role in roles.ROLES:
        spans = [s for s in found if s.role == role and s.sent_index in sents]
        if role == "PERPORG" and not wire:
            spans = []
        kept = set(roles.entity_strings(text, spans, role))
        facts: dict[str, Fact[str]] = {}
        for span in spans:
            words = roles.span_words(text, span)
            if words in kept and words not in facts:
                evidence = (ctx.evidence(span.start, span.end),)
                facts[words] = Fact(words, evidence, f"roles.tagger_{role.lower()}")
        out[role] = list(facts.values())
    return out


def _ruled(ctx: Context, facts: Sequence[Fact[str]]) -> Sequence[Fact[str]]:
    """Return the rules' targets, victims or weapon words, or none in upper-case wire
    text, where the tagger trained on such text finds them more precisely (MUC-4 dev:
    Target F1 37 with both, 39 with the tagger alone; Victim 36 and 40; Weapon 61 and 67)."""
    return () if is_mostly_upper(ctx.article.text) else facts


def _combined(rules: Sequence[Fact[str]], tagged: Sequence[Fact[str]]) -> tuple[Fact[str], ...]:
    """Return the rules' facts, then the tagger's facts naming something new (compared in
    the scorer's normal form, and not a word-subset of a fact already kept)."""
    out = list(rules)
    seen = [set(roles.normalise(f.value).split()) for f in out]
    for fact in tagged:
        words = set(roles.normalise(fact.value).split())
        if words and not any(words <= s or s <= words for s in seen):
            out.append(fact)
            seen.append(words)
    return tuple(out)


def _link_claims(
    ctx: Context, found_claims: Sequence[Claim], clusters: Sequence[_Cluster]
) -> tuple[Claim, ...]:
    live = [i for i, c in enumerate(clusters) if not c.background]
    if not live:
        return tuple(found_claims)
    linked: list[Claim] = []
    for claim in found_claims:
        sent = ctx.sentence_index(claim.evidence.start)
        owner = next((i for i in live if sent in _stretch(clusters[i], len(ctx.sents))), live[0])
        linked.append(_with_incident(claim, owner))
    return tuple(linked)


def _with_incident(claim: Claim, incident: int) -> Claim:
    return Claim(
        article_id=claim.article_id,
        kind=claim.kind,
        speaker=claim.speaker,
        party=claim.party,
        evidence=claim.evidence,
        rule=claim.rule,
        incident=incident,
        hedged=claim.hedged,
    )


def _day(mention: Mention) -> dt.date | None:
    value = mention.date.value if mention.date else None
    if value is None or value.year is None or value.month is None or value.day is None:
        return None
    return dt.date(value.year, value.month, value.day)


def _recalled_as_background(mentions: tuple[Mention, ...]) -> tuple[Mention, ...]:
    """Return the mentions with those dated well before the article's first reported
    incident marked ``background`` ("This was the second attack in two months. On
    December 6, a bomber ...")."""
    lead = next((m for m in mentions if not m.background), None)
    lead_day = _day(lead) if lead else None
    if lead_day is None:
        return mentions
    return tuple(
        replace(m, background=True)
        if (day := _day(m)) is not None and (lead_day - day).days > _RECENT_DAYS
        else m
        for m in mentions
    )


def _uncounted_wire_report(
    ctx: Context, mentions: tuple[Mention, ...], found_claims: Sequence[Claim]
) -> bool:
    """Return whether an upper-case wire report's incidents are all ones the MUC-4 keys
    would not count (clashes with the army, old events, statements), by the relevance
    model; modern news keeps the rules' verdict."""
    if not any(not m.background for m in mentions) or not is_mostly_upper(ctx.article.text):
        return False
    return not relevance.reports_counted_incident(ctx, mentions, found_claims)


def _untriggered_wire_incident(
    ctx: Context, mentions: tuple[Mention, ...], facts: _Facts, found_claims: Sequence[Claim]
) -> tuple[Mention, ...]:
    """Return the one incident an upper-case wire report with no live attack word still
    reports by the untriggered-report model (an old massacre recalled in a later report, an
    act told in words the detector does not read as an attack), or none."""
    if any(not m.background for m in mentions) or not ctx.sents:
        return ()
    features = relevance.message_features(ctx, mentions, found_claims)
    if not relevance.reports_untriggered_incident(features):
        return ()
    found = list(facts.roles) or roles.find_roles(ctx)
    everywhere = range(len(ctx.sents))
    tagged = _tagged_roles(ctx, found, everywhere)
    # the incident is cited where the tagger is surest some role of it is named
    best = max(found, key=lambda s: s.score, default=None)
    evidence = ctx.evidence(best.start, best.end) if best else ctx.span_evidence(ctx.sents[0])
    sent = ctx.sentence_index(evidence.start)
    groups, individuals = actors.find_perpetrators(ctx, list(everywhere), found_claims)
    kind = relevance.likely_attack_type(features)
    return (
        Mention(
            article_id=ctx.article.id,
            index=len(mentions),
            evidence=evidence,
            attack_types=(Fact(kind, (evidence,), "relevance.untriggered_type"),),
            date=_sentence_date(facts.dates, sent),
            place=places.incident_place(ctx, facts.places, [sent]),
            targets=tuple(tagged["TARGET"]),
            victims=tuple(tagged["VICTIM"]),
            victim_descriptions=actors.find_targets(ctx, [sent]).victim_descriptions,
            weapon_mentions=tuple(tagged["WEAPON"]),
            perpetrators=_combined(groups, tagged["PERPORG"]),
            perpetrator_individuals=_combined(individuals, tagged["PERPIND"]),
            confidence=relevance.untriggered_relevance(features),
        ),
    )


def _with_unplaced_fillers(
    ctx: Context, mentions: tuple[Mention, ...], found: Sequence[roles.RoleSpan]
) -> tuple[Mention, ...]:
    """Return the mentions with the tagger's kept fillers that no reported incident has
    (named outside every incident's sentences, or only in a background incident's) added
    to the report's incident when it reports exactly one. A wire report's keys are about
    its recent incidents, and such fillers are keys often enough to pay: on the MUC-4
    train split, out of fold, 35 of the 94 added were keys, against a micro F1 of 47
    (REE 47.36 -> 47.80). A report of several incidents gets none: nothing says which
    one they belong to (adding them to the first changed 4 of the 1,500 MUC-4 messages
    and no dev score)."""
    live = [m for m in mentions if not m.background]
    if len(live) != 1 or not found:
        return mentions
    tagged = _tagged_roles(ctx, found, range(len(ctx.sents)))
    lead = live[0]
    added: dict[str, tuple[Fact[str], ...]] = {}
    for role, name in _ROLE_FIELDS.items():
        reported = [f for m in live for f in getattr(m, name)]
        new = _combined(reported, tagged[role])[len(reported) :]
        if new:
            added[name] = (*getattr(lead, name), *new)
    if not added:
        return mentions
    return tuple(replace(m, **added) if m is lead else m for m in mentions)  # type: ignore[arg-type]


def _typed_by_words(
    ctx: Context,
    mentions: tuple[Mention, ...],
    judged: tuple[Mention, ...],
    found_claims: Sequence[Claim],
) -> tuple[Mention, ...]:
    """Return the mentions with a wire attack word of no type typed by the message's words
    (``relevance.likely_attack_type``, reading the incidents as ``judged``, with the
    fillers it was trained on) instead of the default: on the train split's out-of-fold
    classifier 51 of 58 such incidents get a type of the key, against 48."""
    untyped = [
        i
        for i, m in enumerate(mentions)
        if any(f.rule == _WIRE_DEFAULT_RULE for f in m.attack_types)
    ]
    if not untyped:
        return mentions
    kind = relevance.likely_attack_type(relevance.message_features(ctx, judged, found_claims))
    return tuple(
        replace(m, attack_types=(Fact(kind, (m.evidence,), "relevance.message_type"),))
        if i in untyped
        else m
        for i, m in enumerate(mentions)
    )


def _sentence_date(found_dates: Sequence[dates.DateMention], sent: int) -> Fact[Any] | None:
    """Return the most precise date written in sentence ``sent``, or None."""
    written = [
        d for d in found_dates if d.kind not in ("published", "dateline") and d.sent_index == sent
    ]
    return _most_precise(written) if written else None


def extract(article: Article, doc: Any, *, wire_relevance: bool = True) -> Extraction:
    """Return the incidents and claims one article reports, every value with evidence.
    In upper-case wire text the incidents are dropped when the relevance model judges
    that they are none the MUC-4 keys would count, and one incident is added when the
    detector found none but the untriggered-report model judges that the report tells of
    one (``wire_relevance=False`` does neither, for training those models)."""
    try:
        return _extraction(article, doc, wire_relevance)
    finally:
        parsed.forget(doc)


def _extraction(article: Article, doc: Any, wire_relevance: bool) -> Extraction:
    ctx = Context(article, doc)
    triggers = [t for t in detect.find_triggers(ctx) if not t.generic]
    tolls = casualties.find_tolls(ctx)
    found_dates = dates.find_dates(ctx)
    found_places = places.find_places(ctx)
    found_claims = claims.find_claims(ctx)
    claimed = any(c.kind == "responsibility" for c in found_claims)
    facts = _Facts(tolls, found_dates, found_places, claimed, wire=is_mostly_upper(article.text))
    clusters = _clusters(triggers, facts)
    # The tagger learnt MUC-4's upper-case wire reports; on modern web news the rules are
    # better, and the tagger would cost about a third of the extraction time.
    if clusters and is_mostly_upper(ctx.article.text):
        kept, tagged = roles.find_role_sets(ctx)
        # without the relevance models, the extraction they are trained on reading
        facts = replace(facts, roles=kept if wire_relevance else tagged, tagged_roles=tagged)
    loose = _loose(triggers, clusters)
    ruled = [_ruled_roles(ctx, i, c, found_claims) for i, c in enumerate(clusters)]
    mentions = tuple(
        _mention(ctx, i, c, facts, r, loose)
        for i, (c, r) in enumerate(zip(clusters, ruled, strict=True))
    )
    mentions = _recalled_as_background(mentions)
    # The relevance models judge the incidents with the fillers they were trained on.
    judged = mentions
    if wire_relevance and facts.tagged_roles != facts.roles:
        judged = tuple(
            _with_roles(ctx, m, r, facts.tagged_roles) for m, r in zip(mentions, ruled, strict=True)
        )
    if wire_relevance and _uncounted_wire_report(ctx, judged, found_claims):
        # the claims are about the incidents dropped
        mentions, found_claims = (), []
    elif wire_relevance and facts.wire:
        mentions = _typed_by_words(ctx, mentions, judged, found_claims)
        mentions += _untriggered_wire_incident(ctx, mentions, facts, found_claims)
        mentions = _with_unplaced_fillers(ctx, mentions, facts.roles)
    return Extraction(
        article=article,
        mentions=mentions,
        claims=_link_claims(ctx, found_claims, clusters) if mentions else tuple(found_claims),
    )
