"""The shapes the JSON API reads and writes (pydantic), so /openapi.json describes them."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "ArticleOut",
    "ArticleRefOut",
    "ClaimOut",
    "CountOut",
    "ErrorOut",
    "EvidenceOut",
    "ExtractIn",
    "ExtractionOut",
    "FactOut",
    "HealthOut",
    "IncidentDetailOut",
    "IncidentListOut",
    "IncidentOut",
    "IngestIn",
    "IngestOut",
    "SearchHitOut",
    "SearchOut",
    "SpanOut",
]

Status = Literal["claimed", "established", "disputed", "suspected", "unknown"]


class ErrorOut(BaseModel):
    """An error: one sentence saying what was wrong."""

    detail: str


class CountOut(BaseModel):
    min: int | None
    max: int | None
    qualifier: str | None


class IncidentOut(BaseModel):
    """An incident as a list shows it (merged across the articles that report it)."""

    id: str
    date: str | None
    date_inferred: list[str]
    country: str | None
    admin1: str | None
    city: str | None
    venue: str | None
    lat: float | None
    lon: float | None
    precision: int
    attack_types: list[str]
    weapons: list[str]
    target_type: str | None
    killed: CountOut
    wounded: CountOut
    perpetrators: list[str]
    stage: str
    background: bool
    confidence: float
    article_id: str
    title: str | None
    published: str | None
    summary: str
    sources: int
    attribution_status: Status


class IncidentListOut(BaseModel):
    """A page of incidents; pass ``next_cursor`` back as ``cursor`` for the next one."""

    items: list[IncidentOut]
    next_cursor: str | None
    total: int


class EvidenceOut(BaseModel):
    value: Any = None
    rule: str | None
    start: int
    end: int
    text: str
    sentence: str


class FactOut(EvidenceOut):
    field: str


class SpanEvidenceOut(BaseModel):
    start: int
    end: int
    text: str
    sentence: str


class ClaimOut(BaseModel):
    id: str
    article_id: str
    mention_id: str | None
    kind: str
    speaker: str | None
    party: str | None
    hedged: bool
    rule: str
    linked: bool
    sentence: str
    evidence: SpanEvidenceOut


class ArticleRefOut(BaseModel):
    id: str
    title: str | None
    url: str | None
    published: str | None
    site: str | None


class IncidentDetailOut(IncidentOut):
    """One incident in full: merged facts with their rules, every fact's evidence, source
    values, toll history, claims ledger, copy groups and source articles."""

    # Resolution may add keys; they pass through rather than vanish.
    model_config = ConfigDict(extra="allow")

    fields: dict[str, Any]
    evidence: dict[str, list[EvidenceOut]]
    facts: list[FactOut]
    claims: list[ClaimOut]
    article: ArticleRefOut
    articles: list[str]
    copy_groups: list[list[str]]
    rules: dict[str, Any]
    source_values: dict[str, list[dict[str, Any]]]
    toll_history: list[dict[str, Any]]
    claims_ledger: list[dict[str, Any]]
    decisions: list[Any]


class SpanOut(BaseModel):
    """A span of the article's text that some extracted value cites."""

    start: int
    end: int
    kind: str = Field(description="the field it supports (date, place, killed...) or 'claim'")
    label: str
    mention_id: str | None = None


class ArticleOut(BaseModel):
    """A stored article: its clean text and the evidence spans marked in it."""

    id: str
    title: str | None
    published: str | None
    site: str | None
    author: str | None
    url: str | None
    language: str
    status: str
    note: str | None
    text: str
    spans: list[SpanOut]
    incident_ids: list[str]


class SearchHitOut(BaseModel):
    id: str
    title: str | None
    published: str | None
    url: str | None
    site: str | None
    snippet: str
    score: float


class SearchOut(BaseModel):
    items: list[SearchHitOut]
    next_cursor: str | None


class ExtractIn(BaseModel):
    """An article to read: ``text`` or ``html`` (one of them), with its URL and publication
    date when known (relative dates like "on Friday" are read against it)."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = None
    html: str | None = None
    url: str | None = Field(default=None, max_length=2048)
    published: dt.date | None = None
    title: str | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def _one_content(self) -> ExtractIn:
        if (self.text is None) == (self.html is None):
            raise ValueError("give the article as exactly one of 'text' or 'html'")
        return self

    @property
    def content(self) -> str:
        """Return the text or HTML given."""
        return self.text if self.text is not None else self.html or ""


class IngestIn(ExtractIn):
    """An article to store; ``id`` names it (default: derived from its content)."""

    id: str | None = Field(default=None, min_length=1, max_length=200, pattern=r"^[\w.:-]+$")


class ExtractionOut(BaseModel):
    """What one article reports (the shape of ``incidex extract``), evidence included."""

    model_config = ConfigDict(extra="allow")

    id: str
    title: str | None
    url: str | None
    published: str | None
    language: str
    status: str
    incidents: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    note: str | None = None


class IngestOut(BaseModel):
    """What became of a posted article: stored, or a duplicate of a stored one."""

    status: Literal["stored", "duplicate"]
    document_id: str
    message: str
    incidents: list[IncidentOut]


class HealthOut(BaseModel):
    status: Literal["ok"]
    documents: int
    articles: int
    incidents: int
    claims: int
    writes: bool = Field(description="whether the server accepts writes (has a token)")
