"""Highlighted text: an article split into segments, each plain or marked with the kind of
value extracted from it, so templates can render marks with autoescaping (never ``|safe``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import sqlalchemy as sa

from ..models import Evidence, Extraction
from ..store import Store
from ..store.schema import claims, evidence, mentions

__all__ = [
    "KINDS",
    "Segment",
    "Span",
    "article_spans",
    "extraction_spans",
    "kind_of_field",
    "segments",
]

# Highlight kinds in legend order; earlier kinds win where spans overlap.
KINDS: dict[str, str] = {
    "killed": "Killed",
    "wounded": "Wounded",
    "date": "Date",
    "place": "Place",
    "perpetrator": "Perpetrator",
    "target": "Target / victim",
    "weapon": "Weapon",
    "claim": "Claim",
    "event": "Attack",
}

_FIELD_KINDS = {
    "mention": "event",
    "attack_types": "event",
    "stage": "event",
    "date": "date",
    "place": "place",
    "killed": "killed",
    "wounded": "wounded",
    "perpetrators": "perpetrator",
    "perpetrator_individuals": "perpetrator",
    "targets": "target",
    "victims": "target",
    "victim_descriptions": "target",
    "target_type": "target",
    "weapons": "weapon",
    "weapon_mentions": "weapon",
}


@dataclass(frozen=True, slots=True)
class Span:
    """A cited character span of an article and what was read from it."""

    start: int
    end: int
    kind: str
    label: str


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text; ``kind`` is None for unmarked text, ``others`` are the kinds of
    overlapping spans that lost to ``kind``, ``labels`` say what was read."""

    text: str
    kind: str | None = None
    labels: tuple[str, ...] = ()
    others: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return "; ".join(self.labels)


def kind_of_field(field: str) -> str:
    """Return the highlight kind of an evidence field name (``event`` when unknown)."""
    return _FIELD_KINDS.get(field, "event")


def _describe(value: object) -> str:
    if isinstance(value, dict):
        shown = [f"{k} {v}" for k, v in value.items() if v not in (None, [], "")]
        return ", ".join(shown)
    return "" if value is None else str(value)


def _label(field: str, value: object, rule: str | None) -> str:
    described = _describe(value)
    head = f"{field}: {described}" if described else field
    return f"{head} ({rule})" if rule else head


def _primary(active: Iterable[Span]) -> Span:
    order = list(KINDS)
    return min(active, key=lambda s: order.index(s.kind) if s.kind in order else len(order))


def segments(text: str, spans: Sequence[Span]) -> list[Segment]:
    """Return ``text`` cut at every span boundary; overlapping spans mark one segment with
    the kind that ranks first in ``KINDS`` and all their labels."""
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in valid), *(s.end for s in valid)})
    out: list[Segment] = []
    for a, b in pairwise(cuts):
        active = [s for s in valid if s.start <= a and b <= s.end]
        if not active:
            out.append(Segment(text[a:b]))
            continue
        labels = tuple(dict.fromkeys(s.label for s in active))
        kind = _primary(active).kind
        others = tuple(dict.fromkeys(s.kind for s in active if s.kind != kind))
        out.append(Segment(text[a:b], kind, labels, others))
    return out


def _evidence_span(field: str, value: object, rule: str | None, ev: Evidence) -> Span:
    return Span(ev.start, ev.end, kind_of_field(field), _label(field, value, rule))


def extraction_spans(extraction: Extraction) -> list[Span]:
    """Return every span an extraction cites: each mention's facts and each claim."""
    out: list[Span] = []
    for m in extraction.mentions:
        out.append(_evidence_span("mention", None, None, m.evidence))
        for field, facts in m.facts().items():
            for f in facts:
                value = f.value.to_dict() if hasattr(f.value, "to_dict") else f.value
                out.extend(_evidence_span(field, value, f.rule, ev) for ev in f.evidence)
    for c in extraction.claims:
        label = _label(f"claim {c.kind}", {"speaker": c.speaker, "party": c.party}, c.rule)
        out.append(Span(c.evidence.start, c.evidence.end, "claim", label))
    return out


def article_spans(store: Store, article_id: str) -> list[Span]:
    """Return every span the store cites in one article: mention evidence and claims."""
    ev_stmt = (
        sa.select(
            evidence.c.field,
            evidence.c.value,
            evidence.c.rule,
            evidence.c.start_char,
            evidence.c.end_char,
        )
        .join(mentions, mentions.c.id == evidence.c.mention_id)
        .where(mentions.c.article_id == article_id)
        .order_by(evidence.c.id)
    )
    claim_stmt = (
        sa.select(
            claims.c.kind,
            claims.c.speaker,
            claims.c.party,
            claims.c.rule,
            claims.c.start_char,
            claims.c.end_char,
        )
        .where(claims.c.article_id == article_id)
        .order_by(claims.c.index)
    )
    out: list[Span] = []
    with store.engine.connect() as conn:
        for r in conn.execute(ev_stmt):
            out.append(
                Span(
                    r.start_char,
                    r.end_char,
                    kind_of_field(r.field),
                    _label(r.field, r.value, r.rule),
                )
            )
        for c in conn.execute(claim_stmt):
            label = _label(f"claim {c.kind}", {"speaker": c.speaker, "party": c.party}, c.rule)
            out.append(Span(c.start_char, c.end_char, "claim", label))
    return out
