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

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from ..models import Article, Claim, Extraction, Fact, Mention, Place, Stage
from . import actors, casualties, claims, dates, detect, places
from .context import Context

__all__ = ["extract"]

_STAGE_ORDER: tuple[Stage, ...] = ("accomplished", "attempted", "threatened")


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
    """Return whether a sentence's places all lie outside every place of the cluster."""
    new, old = facts.places_of([sent]), facts.places_of(cluster.sent_indices)
    if not new or not old:
        return False
    return not any(places.consistent(a, b) for a in new for b in old)


def _details_differ(facts: _Facts, sent: int, cluster: _Cluster) -> bool:
    """Return whether a sentence gives a death toll or day that none of the cluster's
    sentences gives (a second attack in the same town)."""
    core = cluster.sent_indices
    new_killed = facts.killed(sent)
    old_killed = set().union(*(facts.killed(s) for s in core))
    if new_killed and old_killed and not new_killed & old_killed:
        return True
    new_days = facts.event_days(sent)
    old_days = set().union(*(facts.event_days(s) for s in core))
    return bool(new_days and old_days and not new_days & old_days)


def _starts_new(trig: detect.Trigger, current: _Cluster | None, facts: _Facts) -> bool:
    """Return whether a trigger reports another attack than the cluster before it: its
    sentence has a place and a toll or date of its own, and either its place lies elsewhere
    or, for an attack it introduces ("a bomb killed three"), its toll or day differs.
    A bare reference back ("the attack") never starts one; after a summary ("multiple
    attacks across Iraq") any detailed report does."""
    if current is None:
        return True
    sent = trig.sent_index
    if sent in current.sent_indices or trig.anaphoric or not facts.has_own_details(sent):
        return False
    if current.summary and not trig.summary:
        return True
    if not any(facts.has_own_details(s) for s in current.sent_indices):
        return False
    if _places_clash(facts, sent, current):
        return True
    return not trig.definite and _details_differ(facts, sent, current)


def _clusters(
    triggers: Sequence[detect.Trigger],
    tolls: Sequence[casualties.Toll],
    found_dates: Sequence[dates.DateMention],
    found_places: Sequence[places.PlaceMention],
) -> list[_Cluster]:
    facts = _Facts(tolls, found_dates, found_places)
    clusters: list[_Cluster] = []
    for trig in triggers:
        current = next((c for c in reversed(clusters) if c.background == trig.background), None)
        if current is None or _starts_new(trig, current, facts):
            clusters.append(_Cluster([trig], trig.sent_index))
        else:
            current.triggers.append(trig)
    clusters = _without_summaries(clusters)
    ordered = sorted(clusters, key=lambda c: c.first_sent)
    for this, nxt in pairwise(ordered):
        this.last_sent = nxt.first_sent - 1
    return clusters


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


def _nearest(items: Sequence[Any], core: Sequence[int], stretch: range) -> list[Any]:
    """Return the items whose sentence is a trigger sentence, else those in the stretch."""
    in_core = [i for i in items if i.sent_index in core]
    return in_core or [i for i in items if i.sent_index in stretch]


def _incident_date(
    found_dates: Sequence[dates.DateMention], core: Sequence[int], stretch: range
) -> Fact[Any] | None:
    candidates = _nearest(found_dates, core, stretch) or [
        d for d in found_dates if d.kind in ("dateline", "weekday", "published")
    ]
    if not candidates:
        return None
    best = max(candidates, key=lambda d: _date_precision(d.fact.value))
    fact: Fact[Any] = best.fact
    return fact


def _date_precision(value: Any) -> int:
    return sum(part is not None for part in (value.year, value.month, value.day))


def _mention(
    ctx: Context,
    index: int,
    cluster: _Cluster,
    tolls: Sequence[casualties.Toll],
    found_dates: Sequence[dates.DateMention],
    found_places: Sequence[places.PlaceMention],
    found_claims: Sequence[Claim],
) -> Mention:
    core = cluster.sent_indices
    stretch = _stretch(cluster, len(ctx.sents))
    near_tolls = _nearest([t for t in tolls if not t.attackers], core, stretch)
    killed = casualties.best_toll(near_tolls, "killed")
    wounded = casualties.best_toll(near_tolls, "wounded")
    groups, individuals = actors.find_perpetrators(ctx, list(stretch), found_claims)
    found_targets = actors.find_targets(ctx, core)
    return Mention(
        article_id=ctx.article.id,
        index=index,
        evidence=cluster.triggers[0].evidence,
        attack_types=_merge_facts([t.attack_types for t in cluster.triggers]),
        stage=_stage(cluster),
        date=_incident_date(found_dates, core, stretch),
        place=places.incident_place(ctx, found_places, core),
        target_type=found_targets.target_type,
        targets=found_targets.targets,
        victims=found_targets.victims,
        victim_descriptions=found_targets.victim_descriptions,
        weapons=_merge_facts([t.weapons for t in cluster.triggers]),
        weapon_mentions=_merge_facts([t.weapon_mentions for t in cluster.triggers]),
        killed=killed.fact if killed else None,
        wounded=wounded.fact if wounded else None,
        perpetrators=groups,
        perpetrator_individuals=individuals,
        background=cluster.background,
        confidence=min(1.0, 0.4 + 0.15 * len(cluster.triggers)),
    )


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


def extract(article: Article, doc: Any) -> Extraction:
    """Return the incidents and claims one article reports, every value with evidence."""
    ctx = Context(article, doc)
    triggers = [t for t in detect.find_triggers(ctx) if not t.generic]
    tolls = casualties.find_tolls(ctx)
    found_dates = dates.find_dates(ctx)
    found_places = places.find_places(ctx)
    found_claims = claims.find_claims(ctx)
    clusters = _clusters(triggers, tolls, found_dates, found_places)
    mentions = tuple(
        _mention(ctx, i, c, tolls, found_dates, found_places, found_claims)
        for i, c in enumerate(clusters)
    )
    return Extraction(
        article=article,
        mentions=mentions,
        claims=_link_claims(ctx, found_claims, clusters) if mentions else tuple(found_claims),
    )
