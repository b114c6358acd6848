"""The data model every stage shares: frozen dataclasses, standard library only.

Flow of objects through the pipeline::

    Document (ingest) -> Article (clean) -> spaCy Doc (annotate, not modelled here)
        -> Extraction = Mentions + Claims, each value a Fact with its Evidence (extract)
        -> Incident (store/resolve)

Bad input never raises out of a batch: it becomes a ``Rejected`` value naming the input.
``to_dict`` methods give the JSON shape of ``shared/eval/FORMAT.md`` plus evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

__all__ = [
    "ATTACK_TYPES",
    "CLAIM_KINDS",
    "STAGES",
    "WEAPON_TYPES",
    "Article",
    "Claim",
    "Count",
    "Document",
    "Evidence",
    "Extraction",
    "Fact",
    "Incident",
    "Mention",
    "PartialDate",
    "Place",
    "Rejected",
    "Segment",
]

T = TypeVar("T")

# Global Terrorism Database categories (FORMAT.md).
ATTACK_TYPES = (
    "assassination",
    "armed_assault",
    "bombing_explosion",
    "hijacking",
    "hostage_barricade",
    "hostage_kidnapping",
    "facility_infrastructure_attack",
    "unarmed_assault",
    "unknown",
)
WEAPON_TYPES = (
    "firearms",
    "explosives",
    "incendiary",
    "melee",
    "vehicle",
    "chemical",
    "biological",
    "radiological",
    "fake",
    "sabotage",
    "other",
    "unknown",
)
CLAIM_KINDS = ("responsibility", "accusation", "denial", "warning")
STAGES = ("accomplished", "attempted", "threatened")

ClaimKind = Literal["responsibility", "accusation", "denial", "warning"]
Stage = Literal["accomplished", "attempted", "threatened"]


@dataclass(frozen=True, slots=True)
class Document:
    """One input as read: raw bytes plus what the input record said about it."""

    id: str
    source: str
    content_hash: str
    media_type: str
    raw: bytes
    fetched_at: dt.datetime
    title: str | None = None
    published: dt.date | None = None
    url: str | None = None
    site: str | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of clean text copied unchanged from the raw text: clean[clean_start:+length]
    equals raw[raw_start:+length]."""

    clean_start: int
    raw_start: int
    length: int


@dataclass(frozen=True, slots=True)
class Article:
    """Clean text of a document with its metadata. ``segments`` map clean offsets back
    to the raw text when the text was plain text (empty for HTML)."""

    id: str
    text: str
    language: str
    title: str | None = None
    published: dt.date | None = None
    site: str | None = None
    author: str | None = None
    url: str | None = None
    segments: tuple[Segment, ...] = ()
    removed: tuple[str, ...] = ()

    def published_date(self, document: Document) -> dt.date | None:
        """Return the article's publication date: the one its page states, else the one
        its input (``document``) gave."""
        return self.published or document.published

    def raw_offset(self, clean_offset: int) -> int | None:
        """Return the raw-text offset of a clean-text offset, or None when unknown."""
        for seg in self.segments:
            if seg.clean_start <= clean_offset < seg.clean_start + seg.length:
                return seg.raw_start + clean_offset - seg.clean_start
        return None


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a value came from: ``article.text[start:end] == text``, inside ``sentence``
    which starts at ``sentence_start``."""

    article_id: str
    start: int
    end: int
    text: str
    sentence: str
    sentence_start: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "sentence": self.sentence,
        }


@dataclass(frozen=True, slots=True)
class Fact(Generic[T]):
    """A value with its evidence and the name of the rule that produced it."""

    value: T
    evidence: tuple[Evidence, ...]
    rule: str

    def evidence_dicts(self) -> list[dict[str, Any]]:
        return [e.to_dict() for e in self.evidence]


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date whose parts may be unknown; ``inferred`` names parts not written in the
    text (taken from the publication date or the weekday rule)."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    inferred: frozenset[str] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "month": self.month,
            "day": self.day,
            "inferred": sorted(self.inferred),
        }

    def iso(self) -> str | None:
        """Return YYYY, YYYY-MM or YYYY-MM-DD, or None without a year."""
        if self.year is None:
            return None
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True, slots=True)
class Place:
    """Where an incident happened. ``precision`` is GTD's geographic specificity:
    1 exact spot/city, 2 city area, 3 district, 4 admin1, 5 country or unknown."""

    venue: str | None = None
    city: str | None = None
    admin1: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: int = 5

    def to_dict(self) -> dict[str, Any]:
        return {
            "venue": self.venue,
            "city": self.city,
            "admin1": self.admin1,
            "country": self.country,
            "lat": self.lat,
            "lon": self.lon,
            "precision": self.precision,
        }


@dataclass(frozen=True, slots=True)
class Count:
    """A casualty figure: ``min`` the lowest figure stated as fact, ``max`` only for a
    stated range, ``qualifier`` the hedge as written ("at least", "more than"...)."""

    min: int | None = None
    max: int | None = None
    qualifier: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"min": self.min, "max": self.max, "qualifier": self.qualifier}


def _values(facts: tuple[Fact[str], ...]) -> list[str]:
    seen: list[str] = []
    for f in facts:
        if f.value not in seen:
            seen.append(f.value)
    return seen


@dataclass(frozen=True, slots=True)
class Mention:
    """One incident as reported by one article."""

    article_id: str
    index: int
    evidence: Evidence
    attack_types: tuple[Fact[str], ...] = ()
    stage: Stage = "accomplished"
    date: Fact[PartialDate] | None = None
    place: Fact[Place] | None = None
    target_type: Fact[str] | None = None
    targets: tuple[Fact[str], ...] = ()
    victims: tuple[Fact[str], ...] = ()
    victim_descriptions: tuple[Fact[str], ...] = ()
    weapons: tuple[Fact[str], ...] = ()
    weapon_mentions: tuple[Fact[str], ...] = ()
    killed: Fact[Count] | None = None
    wounded: Fact[Count] | None = None
    perpetrators: tuple[Fact[str], ...] = ()
    perpetrator_individuals: tuple[Fact[str], ...] = ()
    attribution: str | None = None
    background: bool = False
    confidence: float = 0.5

    def to_dict(self, evidence: bool = True) -> dict[str, Any]:
        """Return the FORMAT.md incident shape plus ``evidence`` per field (without it when
        ``evidence`` is False: resolution never reads it, and building it was a third of
        the time the store took to make resolution's view of a saved mention)."""
        empty = Count()
        d: dict[str, Any] = {
            "date": self.date.value.to_dict() if self.date else None,
            "place": self.place.value.to_dict() if self.place else Place().to_dict(),
            "attack_types": _values(self.attack_types) or ["unknown"],
            "weapons": _values(self.weapons),
            "target_type": self.target_type.value if self.target_type else None,
            "killed": (self.killed.value if self.killed else empty).to_dict(),
            "wounded": (self.wounded.value if self.wounded else empty).to_dict(),
            "perpetrators": _values(self.perpetrators),
            "perpetrator_individuals": _values(self.perpetrator_individuals),
            "targets": _values(self.targets),
            "victims": _values(self.victims),
            "victim_descriptions": _values(self.victim_descriptions),
            "weapon_mentions": _values(self.weapon_mentions),
            "stage": self.stage,
            "attribution": self.attribution,
            "background": self.background,
            "confidence": round(self.confidence, 3),
        }
        if evidence:
            d["evidence"] = self.evidence_map()
        return d

    def facts(self) -> dict[str, list[Fact[Any]]]:
        """Return every field's facts by field name (for evidence and explanations)."""
        out: dict[str, list[Fact[Any]]] = {}
        for name in (
            "attack_types",
            "targets",
            "victims",
            "victim_descriptions",
            "weapons",
            "weapon_mentions",
            "perpetrators",
            "perpetrator_individuals",
        ):
            many: tuple[Fact[Any], ...] = getattr(self, name)
            if many:
                out[name] = list(many)
        for name in ("date", "place", "target_type", "killed", "wounded"):
            one: Fact[Any] | None = getattr(self, name)
            if one is not None:
                out[name] = [one]
        return out

    def evidence_map(self) -> dict[str, Any]:
        """Return ``{"mention": evidence, field: [{"value", "rule", "evidence"}...]}``."""
        out: dict[str, Any] = {"mention": self.evidence.to_dict()}
        for name, facts in self.facts().items():
            out[name] = [
                {"value": _jsonable(f.value), "rule": f.rule, "evidence": f.evidence_dicts()}
                for f in facts
            ]
        return out


def _jsonable(value: Any) -> Any:
    to_dict = getattr(value, "to_dict", None)
    return to_dict() if callable(to_dict) else value


@dataclass(frozen=True, slots=True)
class Claim:
    """Who says what about an incident: a group claims it, an actor blames or clears a
    party, or someone warned before it."""

    article_id: str
    kind: ClaimKind
    speaker: str | None
    party: str | None
    evidence: Evidence
    rule: str
    incident: int | None = None
    hedged: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "speaker": self.speaker,
            "party": self.party,
            "incident": self.incident,
            "hedged": self.hedged,
            "rule": self.rule,
            "evidence": self.evidence.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one article. ``status`` is ``extracted``, or
    ``skipped`` with ``note`` saying why (a language other than English, no text)."""

    article: Article
    mentions: tuple[Mention, ...] = ()
    claims: tuple[Claim, ...] = ()
    status: Literal["extracted", "skipped"] = "extracted"
    note: str | None = None

    @property
    def incidents(self) -> tuple[Mention, ...]:
        return self.mentions

    def published(self, document: Document) -> dt.date | None:
        """Return the article's publication date (``Article.published_date``): what the
        store saves and fingerprints it with."""
        return self.article.published_date(document)

    def to_dict(self) -> dict[str, Any]:
        """Return one output line of ``incidex extract`` (FORMAT.md shape)."""
        a = self.article
        d: dict[str, Any] = {
            "id": a.id,
            "title": a.title,
            "url": a.url,
            "published": a.published.isoformat() if a.published else None,
            "language": a.language,
            "status": self.status,
            "incidents": [m.to_dict() for m in self.mentions],
            "claims": [c.to_dict() for c in self.claims],
        }
        if self.note:
            d["note"] = self.note
        return d


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that could not be read or processed, with a one-line reason."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Incident:
    """A stored incident: its fields as JSON-ready values, the mentions and claims behind
    it, and how many independent sources report it."""

    id: str
    fields: Mapping[str, Any]
    article_ids: tuple[str, ...]
    claims: tuple[Mapping[str, Any], ...] = ()
    evidence: Mapping[str, Any] = field(default_factory=dict)
    sources: int = 1
    attribution_status: str = "unknown"
