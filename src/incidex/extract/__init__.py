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

from ..models import Article, Claim, Extraction, Fact, Mention, Stage
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


def _sentence_has_own_details(
    sent: int,
    tolls: Sequence[casualties.Toll],
    found_dates: Sequence[dates.DateMention],
    found_places: Sequence[places.PlaceMention],
) -> bool:
    has_place = any(p.sent_index == sent for p in found_places)
    has_toll = any(t.sent_index == sent and not t.attackers for t in tolls)
    has_date = any(d.sent_index == sent and d.kind != "published" for d in found_dates)
    return has_place and (has_toll or has_date)


def _sentence_values(
    sents: Sequence[int],
    tolls: Sequence[casualties.Toll],
    found_dates: Sequence[dates.DateMention],
    found_places: Sequence[places.PlaceMention],
) -> tuple[set[str], set[tuple[Any, ...]], set[int]]:
    """Return the towns (or regions), dates and killed figures stated in ``sents``."""
    towns = {
        (p.fact.value.city or p.fact.value.admin1 or "").casefold()
        for p in found_places
        if p.sent_index in sents
    } - {""}
    days = {
        (d.fact.value.year, d.fact.value.month, d.fact.value.day)
        for d in found_dates
        if d.sent_index in sents and d.kind != "published" and d.fact.value.day is not None
    }
    killed = {
        t.fact.value.min
        for t in tolls
        if t.sent_index in sents
        and t.kind == "killed"
        and not t.attackers
        and t.fact.value.min is not None
    }
    return towns, days, killed


def _conflicts(a: tuple[set[Any], ...], b: tuple[set[Any], ...]) -> bool:
    """Return True when two stretches state different towns, days or death tolls: they
    report different attacks. A value stated on one side only is no conflict."""
    return any(x and y and not (x & y) for x, y in zip(a, b, strict=True))


def _clusters(
    triggers: Sequence[detect.Trigger],
    tolls: Sequence[casualties.Toll],
    found_dates: Sequence[dates.DateMention],
    found_places: Sequence[places.PlaceMention],
) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    for trig in triggers:
        current = next((c for c in reversed(clusters) if c.background == trig.background), None)
        starts_new = current is not None and (
            trig.sent_index not in current.sent_indices
            and _sentence_has_own_details(trig.sent_index, tolls, found_dates, found_places)
            and _conflicts(
                _sentence_values([trig.sent_index], tolls, found_dates, found_places),
                _sentence_values(current.sent_indices, tolls, found_dates, found_places),
            )
        )
        if current is None or starts_new:
            clusters.append(_Cluster([trig], trig.sent_index))
        else:
            current.triggers.append(trig)
    ordered = sorted(clusters, key=lambda c: c.first_sent)
    for this, nxt in pairwise(ordered):
        this.last_sent = nxt.first_sent - 1
    return clusters


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
