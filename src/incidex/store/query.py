"""Reading the store: incident lists with filters, one incident with its evidence and
claims, articles and counts. Every row-to-value mapping lives here, so the CLI, the API,
the web pages and the exports show the same thing.

Incidents are resolved across articles (``store/resolution.py``): each lists the merged
facts, its member mentions, source articles and their copy groups. A claim belongs to a
mention when the extractor linked it, or when it is unlinked and the mention is the only
non-background one of its article; an incident's claims are those of its mentions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Engine, RowMapping

from ..models import Incident
from ..resolve import ClaimInfo, MentionInfo, claims_ledger, decide, source_values, toll_entries
from ..resolve import attribution_status as _resolve_status
from .driver import scalar
from .schema import (
    articles,
    claims,
    copy_fingerprints,
    copy_links,
    copy_members,
    documents,
    evidence,
    incident_attack_types,
    incident_members,
    mentions,
)
from .schema import (
    incidents as incidents_table,
)

__all__ = [
    "After",
    "ArticleRef",
    "ArticleRow",
    "ClaimRow",
    "CopyGroupRow",
    "EvidenceRow",
    "IncidentDetail",
    "IncidentFilter",
    "IncidentPage",
    "IncidentRow",
    "Order",
    "SpanRow",
    "StoreCounts",
    "article",
    "article_spans",
    "attribution_status",
    "copy_groups",
    "count_incidents",
    "counts",
    "document_with_hash",
    "has_hash",
    "has_stale_incidents",
    "incident",
    "incident_details",
    "incident_page",
    "incidents",
    "sort_value",
    "unresolved_articles",
]

Order = Literal[
    "date_desc",
    "date_asc",
    "killed_desc",
    "killed_asc",
    "wounded_desc",
    "wounded_asc",
    "country_asc",
    "country_desc",
]
AttributionStatus = Literal["claimed", "established", "disputed", "suspected", "unknown"]


class ClaimLike(Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def party(self) -> str | None: ...


def attribution_status(claims_of_incident: Iterable[ClaimLike]) -> AttributionStatus:
    """Return how an incident is attributed by its claims (``incidex.resolve``'s rule):
    ``disputed`` when claims or accusations point at different parties or a party pointed
    at denies it; ``claimed`` when a group claims it; ``established`` when officials state
    it; ``suspected`` when one party is accused; else ``unknown``."""
    return _resolve_status(claims_of_incident)


SortValue = str | int | None


@dataclass(frozen=True, slots=True)
class After:
    """Where a keyset page starts: after the incident with this sort value and id (in the
    filter's order). New incidents never shift such a page, unlike an offset."""

    value: SortValue
    id: str


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    """Which incidents to list. Dates compare with the incident date (any day a partial
    date can mean), falling back to the article's publication date. ``perpetrator``
    matches part of a perpetrator's name, any case; ``status`` is the attribution status;
    ``after`` starts a keyset page (use it instead of ``offset``)."""

    country: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    attack_type: str | None = None
    min_killed: int | None = None
    query: str | None = None
    include_background: bool = False
    limit: int | None = None
    offset: int = 0
    order: Order = "date_desc"
    perpetrator: str | None = None
    status: AttributionStatus | None = None
    after: After | None = None


@dataclass(frozen=True, slots=True)
class IncidentRow:
    """One incident as listed: the facts a table shows, plus its article and status."""

    id: str
    date: str | None
    date_inferred: tuple[str, ...]
    country: str | None
    admin1: str | None
    city: str | None
    venue: str | None
    lat: float | None
    lon: float | None
    precision: int
    attack_types: tuple[str, ...]
    weapons: tuple[str, ...]
    target_type: str | None
    killed: int | None
    killed_max: int | None
    killed_qualifier: str | None
    wounded: int | None
    wounded_max: int | None
    wounded_qualifier: str | None
    perpetrators: tuple[str, ...]
    stage: str
    background: bool
    confidence: float
    article_id: str
    title: str | None
    published: str | None
    summary: str
    sources: int = 1
    attribution_status: AttributionStatus = "unknown"
    # The day lists sort by: the incident's first possible day, else its publication date.
    sort_date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the row as JSON-ready values."""
        return {
            "id": self.id,
            "date": self.date,
            "date_inferred": list(self.date_inferred),
            "country": self.country,
            "admin1": self.admin1,
            "city": self.city,
            "venue": self.venue,
            "lat": self.lat,
            "lon": self.lon,
            "precision": self.precision,
            "attack_types": list(self.attack_types),
            "weapons": list(self.weapons),
            "target_type": self.target_type,
            "killed": {
                "min": self.killed,
                "max": self.killed_max,
                "qualifier": self.killed_qualifier,
            },
            "wounded": {
                "min": self.wounded,
                "max": self.wounded_max,
                "qualifier": self.wounded_qualifier,
            },
            "perpetrators": list(self.perpetrators),
            "stage": self.stage,
            "background": self.background,
            "confidence": self.confidence,
            "article_id": self.article_id,
            "title": self.title,
            "published": self.published,
            "summary": self.summary,
            "sources": self.sources,
            "attribution_status": self.attribution_status,
        }


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    """One cited span behind a field's value, with the rule that read it."""

    field: str
    fact_index: int
    value: Any
    rule: str | None
    start: int
    end: int
    text: str
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "sentence": self.sentence,
        }


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """A stored claim; ``linked`` says whether it concerns the incident being shown."""

    id: str
    article_id: str
    mention_id: str | None
    kind: str
    speaker: str | None
    party: str | None
    hedged: bool
    rule: str
    start: int
    end: int
    text: str
    sentence: str
    linked: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article_id": self.article_id,
            "mention_id": self.mention_id,
            "kind": self.kind,
            "speaker": self.speaker,
            "party": self.party,
            "hedged": self.hedged,
            "rule": self.rule,
            "linked": self.linked,
            "sentence": self.sentence,
            "evidence": {
                "start": self.start,
                "end": self.end,
                "text": self.text,
                "sentence": self.sentence,
            },
        }


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """The source article of an incident, as a link shows it."""

    id: str
    title: str | None
    url: str | None
    published: str | None
    site: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "published": self.published,
            "site": self.site,
        }


@dataclass(frozen=True, slots=True)
class IncidentDetail:
    """One incident in full: its row, the extracted fields, every fact's evidence by
    field, the claims of its article (linked ones first) and its source article."""

    row: IncidentRow
    fields: Mapping[str, Any]
    evidence: Mapping[str, tuple[EvidenceRow, ...]]
    claims: tuple[ClaimRow, ...]
    article: ArticleRef
    merged: Mapping[str, Any] = field(default_factory=dict)
    articles: tuple[ArticleRef, ...] = ()

    @property
    def id(self) -> str:
        return self.row.id

    def to_dict(self) -> dict[str, Any]:
        """Return the incident as one JSON object (the API and JSON-lines export shape):
        the row, the extracted ``fields``, ``evidence`` by field, the same evidence as a
        flat ``facts`` list, the ``claims`` and the source ``article``."""
        fields = {k: v for k, v in self.fields.items() if k != "evidence"}
        return {
            **self.row.to_dict(),
            "fields": fields,
            "evidence": {k: [e.to_dict() for e in v] for k, v in self.evidence.items()},
            "facts": [
                {"field": e.field, **e.to_dict()} for rows in self.evidence.values() for e in rows
            ],
            "claims": [c.to_dict() for c in self.claims],
            "article": self.article.to_dict(),
            "articles": [a.id for a in self.articles] or [self.article.id],
            "copy_groups": self.merged.get("copy_groups") or [[self.article.id]],
            "rules": self.merged.get("rules") or {},
            "source_values": self.merged.get("sources") or {},
            "toll_history": self.merged.get("toll_history") or [],
            "claims_ledger": self.merged.get("claims_ledger") or [],
            "decisions": self.merged.get("decisions") or [],
        }

    def to_incident(self) -> Incident:
        """Return the shared-model Incident of this incident."""
        return Incident(
            id=self.row.id,
            fields=dict(self.fields),
            article_ids=tuple(a.id for a in self.articles) or (self.row.article_id,),
            claims=tuple(c.to_dict() for c in self.claims if c.linked),
            evidence={k: [e.to_dict() for e in v] for k, v in self.evidence.items()},
            sources=self.row.sources,
            attribution_status=self.row.attribution_status,
        )


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """A stored article with its document's provenance and what was extracted."""

    id: str
    title: str | None
    published: str | None
    site: str | None
    author: str | None
    url: str | None
    language: str
    text: str
    status: str
    note: str | None
    source: str
    content_hash: str
    media_type: str
    fetched_at: str
    incident_ids: tuple[str, ...] = ()
    claim_count: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "published": self.published,
            "site": self.site,
            "author": self.author,
            "url": self.url,
            "language": self.language,
            "text": self.text,
            "status": self.status,
            "note": self.note,
            "source": self.source,
            "content_hash": self.content_hash,
            "media_type": self.media_type,
            "fetched_at": self.fetched_at,
            "incident_ids": list(self.incident_ids),
            "claim_count": self.claim_count,
        }


@dataclass(frozen=True, slots=True)
class StoreCounts:
    """How much the store holds."""

    documents: int
    articles: int
    incidents: int
    claims: int
    by_status: Mapping[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "articles": self.articles,
            "incidents": self.incidents,
            "claims": self.claims,
            "by_status": dict(self.by_status),
        }


def has_hash(engine: Engine, content_hash: str) -> bool:
    """Return whether a document with this content hash is stored."""
    stmt = sa.select(documents.c.id).where(documents.c.content_hash == content_hash).limit(1)
    with engine.connect() as conn:
        return conn.execute(stmt).first() is not None


_ANY_STALE = "SELECT 1 FROM stale_incidents LIMIT 1"


def has_stale_incidents(engine: Engine) -> bool:
    """Return whether any incident is marked stale (its row lags its members). Asked
    before every read of incidents: one portable query on the driver's cursor."""
    with engine.connect() as conn:
        return scalar(conn, _ANY_STALE) is not None


def _date_first() -> sa.ColumnElement[Any]:
    return sa.func.coalesce(incidents_table.c.date_start, articles.c.published)


def _date_last() -> sa.ColumnElement[Any]:
    return sa.func.coalesce(incidents_table.c.date_end, articles.c.published)


def _conditions(f: IncidentFilter) -> list[sa.ColumnElement[bool]]:
    """Return the WHERE conditions of a filter."""
    where: list[sa.ColumnElement[bool]] = []
    if not f.include_background:
        where.append(incidents_table.c.background == sa.false())
    if f.country:
        where.append(incidents_table.c.country == f.country.strip().upper())
    if f.since is not None:
        where.append(_date_last() >= f.since)
    if f.until is not None:
        where.append(_date_first() <= f.until)
    if f.min_killed is not None:
        where.append(incidents_table.c.killed_min >= f.min_killed)
    if f.attack_type:
        where.append(
            sa.exists().where(
                incident_attack_types.c.incident_id == incidents_table.c.id,
                incident_attack_types.c.attack_type == f.attack_type,
            )
        )
    if f.query and f.query.strip():
        q = f.query.strip()
        where.append(
            sa.or_(
                articles.c.title.icontains(q, autoescape=True),
                incidents_table.c.venue.icontains(q, autoescape=True),
                incidents_table.c.city.icontains(q, autoescape=True),
            )
        )
    if f.perpetrator and f.perpetrator.strip():
        names = sa.cast(incidents_table.c.perpetrators, sa.Text)
        where.append(names.icontains(f.perpetrator.strip(), autoescape=True))
    if f.status:
        where.append(incidents_table.c.attribution_status == f.status)
    if f.after is not None:
        where.append(_after(f.order, f.after))
    return where


def _needs_articles(f: IncidentFilter) -> bool:
    """Return whether the filter's conditions read the articles table."""
    return f.since is not None or f.until is not None or bool(f.query and f.query.strip())


def _sort_key(order: Order) -> tuple[sa.Column[Any], bool]:
    """Return the column an order sorts by and whether it is descending."""
    name, direction = order.rsplit("_", 1)
    column = {
        "date": incidents_table.c.sort_date,
        "killed": incidents_table.c.killed_min,
        "wounded": incidents_table.c.wounded_min,
        "country": incidents_table.c.country,
    }[name]
    return column, direction == "desc"


def _order(order: Order) -> list[sa.ColumnElement[Any]]:
    """Return the ORDER BY of an order: the key (unknown values last), then the id in the
    same direction, so (key, id) walks one index and identifies a keyset position."""
    key, desc = _sort_key(order)
    if desc:
        return [key.desc().nulls_last(), incidents_table.c.id.desc()]
    return [key.asc().nulls_last(), incidents_table.c.id.asc()]


def sort_value(order: Order, row: IncidentRow) -> SortValue:
    """Return the value ``row`` has for the key of ``order`` (what ``After`` records)."""
    key, _ = _sort_key(order)
    if key is incidents_table.c.sort_date:
        return row.sort_date
    if key is incidents_table.c.country:
        return row.country
    return row.killed if key is incidents_table.c.killed_min else row.wounded


def _bind_value(key: sa.Column[Any], value: SortValue) -> Any:
    """Return a cursor's sort value as the column's Python type; raises ValueError."""
    if key is incidents_table.c.sort_date:
        return dt.date.fromisoformat(str(value))
    if key is incidents_table.c.country:
        return str(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{value!r} is not a count")
    return value


def _after(order: Order, after: After) -> sa.ColumnElement[bool]:
    """Return the condition selecting the rows that follow ``after`` in ``order``."""
    key, desc = _sort_key(order)
    ident = incidents_table.c.id
    if after.value is None:
        later_id = ident < after.id if desc else ident > after.id
        return sa.and_(key.is_(None), later_id)
    pair = sa.tuple_(key, ident)
    bound = sa.tuple_(sa.literal(_bind_value(key, after.value), key.type), sa.literal(after.id))
    return sa.or_(pair < bound if desc else pair > bound, key.is_(None))


def _mention_evidence_sentence() -> sa.ScalarSelect[Any]:
    return (
        sa.select(evidence.c.sentence)
        .where(evidence.c.mention_id == incidents_table.c.id, evidence.c.field == "mention")
        .order_by(evidence.c.id)
        .limit(1)
        .scalar_subquery()
    )


# Columns only an incident in full needs; a list leaves their JSON unread.
_DETAIL_ONLY = ("fields", "detail", "resolved_at")


def _incident_select(full: bool = True) -> sa.Select[Any]:
    """Return the select of incident rows (joined to their article), with the columns of
    an incident in full or only those a list row shows."""
    columns = [c for c in incidents_table.c if full or c.name not in _DETAIL_ONLY]
    return sa.select(
        *columns,
        articles.c.title,
        articles.c.published,
        _mention_evidence_sentence().label("summary"),
    ).join(articles, articles.c.id == incidents_table.c.article_id)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _row(r: RowMapping) -> IncidentRow:
    """Return the IncidentRow of an incidents+articles result row (the one row mapping)."""
    return IncidentRow(
        id=r["id"],
        date=r["date_iso"],
        date_inferred=tuple(r["date_inferred"] or ()),
        country=r["country"],
        admin1=r["admin1"],
        city=r["city"],
        venue=r["venue"],
        lat=r["lat"],
        lon=r["lon"],
        precision=r["precision"],
        attack_types=tuple(r["attack_types"] or ()),
        weapons=tuple(r["weapons"] or ()),
        target_type=r["target_type"],
        killed=r["killed_min"],
        killed_max=r["killed_max"],
        killed_qualifier=r["killed_qualifier"],
        wounded=r["wounded_min"],
        wounded_max=r["wounded_max"],
        wounded_qualifier=r["wounded_qualifier"],
        perpetrators=tuple(r["perpetrators"] or ()),
        stage=r["stage"],
        background=bool(r["background"]),
        confidence=float(r["confidence"]),
        article_id=r["article_id"],
        title=r["title"],
        published=_iso(r["published"]),
        summary=r["summary"] or "",
        sources=int(r["sources"]),
        attribution_status=r["attribution_status"],
        sort_date=_iso(r["sort_date"]),
    )


def _claim_row(r: RowMapping, linked: bool) -> ClaimRow:
    return ClaimRow(
        id=r["id"],
        article_id=r["article_id"],
        mention_id=r["mention_id"],
        kind=r["kind"],
        speaker=r["speaker"],
        party=r["party"],
        hedged=bool(r["hedged"]),
        rule=r["rule"],
        start=r["start_char"],
        end=r["end_char"],
        text=r["text"],
        sentence=r["sentence"],
        linked=linked,
    )


@dataclass(frozen=True, slots=True)
class _ArticleClaims:
    """The claims of one article and its only foreground mention, if it has one."""

    rows: tuple[RowMapping, ...]
    sole_mention: str | None

    def for_mention(self, mid: str) -> tuple[ClaimRow, ...]:
        """Return the article's claims for mention ``mid``, the linked ones first."""
        out = [_claim_row(r, self._links(r, mid)) for r in self.rows]
        return tuple(sorted(out, key=lambda c: (not c.linked, c.id)))

    def _links(self, r: RowMapping, mid: str) -> bool:
        if r["mention_id"] is not None:
            return bool(r["mention_id"] == mid)
        return self.sole_mention == mid


def _article_claims(conn: sa.Connection, article_ids: Sequence[str]) -> dict[str, _ArticleClaims]:
    """Return, per article id, its claims and its only foreground mention."""
    if not article_ids:
        return {}
    ids = sorted(set(article_ids))
    by_article: dict[str, list[RowMapping]] = defaultdict(list)
    claim_stmt = sa.select(claims).where(claims.c.article_id.in_(ids)).order_by(claims.c.index)
    for r in conn.execute(claim_stmt).mappings():
        by_article[r["article_id"]].append(r)
    fg_stmt = (
        sa.select(mentions.c.article_id, sa.func.min(mentions.c.id), sa.func.count())
        .where(mentions.c.article_id.in_(ids), mentions.c.background == sa.false())
        .group_by(mentions.c.article_id)
    )
    sole: dict[str, str] = {}
    for aid, first, n in conn.execute(fg_stmt):
        if n == 1:
            sole[aid] = first
    return {a: _ArticleClaims(tuple(by_article.get(a, ())), sole.get(a)) for a in ids}


def _members(conn: sa.Connection, incident_ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
    """Return, per incident, its member mentions as (mention id, article id) pairs."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    if incident_ids:
        stmt = (
            sa.select(incident_members.c.incident_id, mentions.c.id, mentions.c.article_id)
            .join(mentions, mentions.c.id == incident_members.c.mention_id)
            .where(incident_members.c.incident_id.in_(sorted(set(incident_ids))))
            .order_by(mentions.c.id)
        )
        for iid, mid, aid in conn.execute(stmt):
            out[iid].append((mid, aid))
    return out


def _incident_claims(
    members: Sequence[tuple[str, str]], lead: str, ac: Mapping[str, _ArticleClaims]
) -> tuple[ClaimRow, ...]:
    """Return the claims of an incident: those of its mentions (linked), then the lead
    article's other claims."""
    found: dict[str, ClaimRow] = {}
    for mid, aid in members:
        for c in ac[aid].for_mention(mid):
            if c.linked:
                found[c.id] = c
            elif mid == lead:
                found.setdefault(c.id, c)
    return tuple(sorted(found.values(), key=lambda c: (not c.linked, c.id)))


def _rows_with_claims(
    conn: sa.Connection, result_rows: Sequence[RowMapping]
) -> tuple[
    list[IncidentRow],
    dict[str, tuple[ClaimRow, ...]],
    dict[str, list[tuple[str, str]]],
    dict[str, _ArticleClaims],
]:
    rows = [_row(r) for r in result_rows]
    members = _members(conn, [r.id for r in rows])
    for r in rows:
        members.setdefault(r.id, [(r.id, r.article_id)])
    ac = _article_claims(conn, [a for m in members.values() for _, a in m])
    claims_of = {r.id: _incident_claims(members[r.id], r.id, ac) for r in rows}
    return rows, claims_of, members, ac


def _page_select(f: IncidentFilter, full: bool = False) -> sa.Select[Any]:
    stmt = _incident_select(full).where(*_conditions(f)).order_by(*_order(f.order))
    if f.limit is not None:
        stmt = stmt.limit(f.limit)
    if f.offset:
        stmt = stmt.offset(f.offset)
    return stmt


def incidents(engine: Engine, filters: IncidentFilter | None = None) -> list[IncidentRow]:
    """Return the incidents matching ``filters`` in the requested order and page."""
    with engine.connect() as conn:
        result_rows = list(conn.execute(_page_select(filters or IncidentFilter())).mappings())
    return [_row(r) for r in result_rows]


def _count_select(f: IncidentFilter) -> sa.Select[Any]:
    """Return the count of ``f``'s matches, ignoring its page (limit, offset, after)."""
    whole = IncidentFilter(**{**_filter_fields(f), "after": None})
    if whole == IncidentFilter(order=whole.order, limit=whole.limit, offset=whole.offset):
        return _foreground_count()
    source: sa.FromClause = incidents_table
    if _needs_articles(whole):
        source = incidents_table.join(articles, articles.c.id == incidents_table.c.article_id)
    return sa.select(sa.func.count()).select_from(source).where(*_conditions(whole))


def _foreground_count() -> sa.Select[Any]:
    """Return the count of every incident not in the background, as all minus background:
    SQLite counts a whole table from its b-tree, far faster than walking an index."""
    everything = sa.select(sa.func.count()).select_from(incidents_table).scalar_subquery()
    background = (
        sa.select(sa.func.count())
        .select_from(incidents_table)
        .where(incidents_table.c.background == sa.true())
        .scalar_subquery()
    )
    return sa.select(everything - background)


def _filter_fields(f: IncidentFilter) -> dict[str, Any]:
    return {name: getattr(f, name) for name in IncidentFilter.__dataclass_fields__}


def count_incidents(engine: Engine, filters: IncidentFilter | None = None) -> int:
    """Return how many incidents match ``filters`` (ignoring limit, offset and after)."""
    with engine.connect() as conn:
        return int(conn.execute(_count_select(filters or IncidentFilter())).scalar_one())


@dataclass(frozen=True, slots=True)
class MonthTotal:
    """Incidents in one month (YYYY-MM) and the killed and wounded they report."""

    month: str
    incidents: int
    killed: int
    wounded: int


def monthly_totals(engine: Engine, filters: IncidentFilter | None = None) -> list[MonthTotal]:
    """Return, per month in order, the incidents matching ``filters`` (limit and pages
    ignored) with their killed and wounded; an undated incident counts in its article's
    month, one dated only to a year in none. Summed by the database: a timeline of a large
    store must not read every incident."""
    f = filters or IncidentFilter()
    where = _conditions(replace(f, after=None))
    sums = (
        sa.func.count(),
        sa.func.coalesce(sa.func.sum(incidents_table.c.killed_min), 0),
        sa.func.coalesce(sa.func.sum(incidents_table.c.wounded_min), 0),
    )
    year, month = incidents_table.c.date_year, incidents_table.c.date_month
    joined = incidents_table.join(articles, articles.c.id == incidents_table.c.article_id)
    dated = (
        sa.select(year, month, *sums)
        .select_from(joined)
        .where(*where, month.is_not(None))
        .group_by(year, month)
    )
    undated = (
        sa.select(articles.c.published, *sums)
        .select_from(joined)
        .where(*where, year.is_(None), articles.c.published.is_not(None))
        .group_by(articles.c.published)
    )
    totals: dict[str, list[int]] = {}
    with engine.connect() as conn:
        rows = [(f"{y:04d}-{m:02d}", n, k, w) for y, m, n, k, w in conn.execute(dated)]
        rows += [(day.isoformat()[:7], n, k, w) for day, n, k, w in conn.execute(undated)]
    for key, n, k, w in rows:
        acc = totals.setdefault(key, [0, 0, 0])
        acc[0], acc[1], acc[2] = acc[0] + int(n), acc[1] + int(k), acc[2] + int(w)
    return [MonthTotal(m, *totals[m]) for m in sorted(totals)]


@dataclass(frozen=True, slots=True)
class IncidentPage:
    """One keyset page of incidents, where the next page starts (None after the last) and
    how many incidents match in all."""

    rows: tuple[IncidentRow, ...]
    next: After | None
    total: int


def incident_page(
    engine: Engine, filters: IncidentFilter, *, with_total: bool = True
) -> IncidentPage:
    """Return the page of incidents ``filters`` asks for (its ``limit`` rows from its
    ``after`` position); ``total`` is 0 when ``with_total`` is False."""
    f = filters
    probe = IncidentFilter(**{**_filter_fields(f), "limit": (f.limit or 50) + 1})
    with engine.connect() as conn:
        found = [_row(r) for r in conn.execute(_page_select(probe)).mappings()]
        total = int(conn.execute(_count_select(f)).scalar_one()) if with_total else 0
    rows = found[: f.limit or 50]
    more = len(found) > len(rows)
    last = rows[-1] if rows else None
    after = After(sort_value(f.order, last), last.id) if more and last is not None else None
    return IncidentPage(tuple(rows), after, total)


def _evidence_by_mention(
    conn: sa.Connection, mention_ids: Sequence[str]
) -> dict[str, dict[str, tuple[EvidenceRow, ...]]]:
    """Return, per mention id, its evidence rows grouped by field in extraction order."""
    grouped: dict[str, dict[str, list[EvidenceRow]]] = defaultdict(lambda: defaultdict(list))
    if mention_ids:
        stmt = (
            sa.select(evidence)
            .where(evidence.c.mention_id.in_(sorted(set(mention_ids))))
            .order_by(evidence.c.id)
        )
        for r in conn.execute(stmt).mappings():
            grouped[r["mention_id"]][r["field"]].append(
                EvidenceRow(
                    field=r["field"],
                    fact_index=r["fact_index"],
                    value=r["value"],
                    rule=r["rule"],
                    start=r["start_char"],
                    end=r["end_char"],
                    text=r["text"],
                    sentence=r["sentence"],
                )
            )
    return {m: {k: tuple(v) for k, v in by_field.items()} for m, by_field in grouped.items()}


def _article_refs(conn: sa.Connection, article_ids: Iterable[str]) -> dict[str, ArticleRef]:
    ids = sorted(set(article_ids))
    refs: dict[str, ArticleRef] = {}
    if ids:
        stmt = sa.select(
            articles.c.id, articles.c.title, articles.c.url, articles.c.published, articles.c.site
        ).where(articles.c.id.in_(ids))
        for a in conn.execute(stmt).mappings():
            refs[a["id"]] = ArticleRef(
                a["id"], a["title"], a["url"], _iso(a["published"]), a["site"]
            )
    return refs


def _merged_evidence(
    ev: Mapping[str, Mapping[str, tuple[EvidenceRow, ...]]], mention_ids: Sequence[str]
) -> dict[str, tuple[EvidenceRow, ...]]:
    """Return the evidence of several mentions by field, the first mention's first."""
    out: dict[str, list[EvidenceRow]] = defaultdict(list)
    for mid in mention_ids:
        for name, rows in ev.get(mid, {}).items():
            out[name].extend(rows)
    return {k: tuple(v) for k, v in out.items()}


def _mention_infos(conn: sa.Connection, mention_ids: Sequence[str]) -> dict[str, MentionInfo]:
    """Return the stored mentions with these ids as resolution sees them."""
    if not mention_ids:
        return {}
    stmt = (
        sa.select(mentions.c.id, mentions.c.article_id, mentions.c.fields, articles.c.published)
        .join(articles, articles.c.id == mentions.c.article_id)
        .where(mentions.c.id.in_(sorted(set(mention_ids))))
    )
    return {
        r.id: MentionInfo(r.id, r.article_id, r.published, r.fields or {})
        for r in conn.execute(stmt)
    }


def _in_report_order(
    infos: Mapping[str, MentionInfo], members: Sequence[tuple[str, str]]
) -> list[MentionInfo]:
    """Return the members of an incident in report order."""
    found = [infos[mid] for mid, _ in members if mid in infos]
    found.sort(key=lambda m: (m.published or dt.date.max, m.article_id, m.id))
    return found


def _ledger(
    ordered: Sequence[MentionInfo], ac: Mapping[str, _ArticleClaims]
) -> list[dict[str, Any]]:
    """Return the claims ledger of an incident whose members are ``ordered``, as
    ``resolve.merge`` makes it: every claim of a member article about a member (a claim
    about no mention is about its article's only foreground mention), in report order."""
    ids = {m.id for m in ordered}
    published = {m.article_id: m.published for m in ordered}
    found = []
    for a in sorted(published):
        claims_of = ac.get(a)
        if claims_of is None:
            continue
        for r in claims_of.rows:
            about = r["mention_id"] if r["mention_id"] is not None else claims_of.sole_mention
            if about in ids:
                found.append(claim_info(r, published[a]))
    return claims_ledger(found)


def claim_info(r: RowMapping, published: dt.date | None) -> ClaimInfo:
    """Return the ClaimInfo of a ``claims`` row of an article published on ``published``."""
    return ClaimInfo(
        id=r["id"],
        article_id=r["article_id"],
        published=published,
        kind=r["kind"],
        speaker=r["speaker"],
        party=r["party"],
        hedged=bool(r["hedged"]),
        sentence=r["sentence"],
        evidence={"start": r["start_char"], "end": r["end_char"], "text": r["text"]},
    )


def _copy_pairs(conn: sa.Connection, article_ids: Sequence[str]) -> set[tuple[str, str]]:
    """Return the copy links among these articles, each pair in both orders."""
    ids = sorted(set(article_ids))
    if not ids:
        return set()
    stmt = sa.select(copy_links.c.article_a, copy_links.c.article_b).where(
        copy_links.c.article_a.in_(ids), copy_links.c.article_b.in_(ids)
    )
    return {p for a, b in conn.execute(stmt) for p in ((a, b), (b, a))}


def _decisions(
    infos: Mapping[str, MentionInfo],
    members: Sequence[tuple[str, str]],
    lead_id: str,
    copies: set[tuple[str, str]],
) -> list[dict[str, Any]]:
    """Return each member's pair decision against the incident's lead, in report order
    (recomputed when shown: ``decide`` depends on the pair and its copy link alone)."""
    lead = infos.get(lead_id)
    found = [infos[mid] for mid, _ in members if mid in infos and mid != lead_id]
    if lead is None:
        return []
    found.sort(key=lambda m: (m.published or dt.date.max, m.article_id, m.id))
    return [
        {
            "mention": m.id,
            "with": lead.id,
            **decide(m, lead, copy_linked=(m.article_id, lead.article_id) in copies).to_dict(),
        }
        for m in found
    ]


def _details(conn: sa.Connection, result_rows: Sequence[RowMapping]) -> list[IncidentDetail]:
    rows, claims_of, members, ac = _rows_with_claims(conn, result_rows)
    ev = _evidence_by_mention(conn, [mid for m in members.values() for mid, _ in m])
    infos = _mention_infos(conn, [mid for m in members.values() for mid, _ in m])
    refs = _article_refs(conn, [a for m in members.values() for _, a in m])
    copies = _copy_pairs(conn, [a for m in members.values() for _, a in m])
    out = []
    for row, raw in zip(rows, result_rows, strict=True):
        detail = raw["detail"] or {}
        mids = [row.id] + [mid for mid, _ in members[row.id] if mid != row.id]
        arts = detail.get("articles") or [row.article_id]
        ordered = _in_report_order(infos, members[row.id])
        out.append(
            IncidentDetail(
                row=row,
                fields=raw["fields"] or {},
                evidence=_merged_evidence(ev, mids),
                claims=claims_of[row.id],
                article=refs[row.article_id],
                merged={
                    **detail,
                    # Rebuilt from the members rather than stored: the stored detail is
                    # rewritten whenever a report joins, and these grew with the incident.
                    "sources": source_values(ordered),
                    "toll_history": [e for m in ordered for e in toll_entries(m)],
                    "claims_ledger": _ledger(ordered, ac),
                    "decisions": _decisions(infos, members[row.id], row.id, copies),
                },
                articles=tuple(refs[a] for a in arts if a in refs),
            )
        )
    return out


def incident(engine: Engine, incident_id: str) -> IncidentDetail | None:
    """Return one incident in full, or None when no incident has this id."""
    stmt = _incident_select().where(incidents_table.c.id == incident_id)
    with engine.connect() as conn:
        found = list(conn.execute(stmt).mappings())
        if not found:
            return None
        return _details(conn, found)[0]


def incident_details(
    engine: Engine, filters: IncidentFilter | None = None, batch_size: int = 500
) -> Iterator[IncidentDetail]:
    """Yield every incident matching ``filters`` in full, reading ``batch_size`` at a time
    (keyset pages after the first, so a long export never re-reads what it skipped)."""
    f = filters or IncidentFilter()
    remaining = f.limit
    current = replace(f, limit=None)
    while remaining is None or remaining > 0:
        size = batch_size if remaining is None else min(batch_size, remaining)
        with engine.connect() as conn:
            stmt = _page_select(replace(current, limit=size), full=True)
            page = list(conn.execute(stmt).mappings())
            details = _details(conn, page)
        yield from details
        if len(page) < size:
            return
        last = details[-1].row
        current = replace(current, offset=0, after=After(sort_value(f.order, last), last.id))
        if remaining is not None:
            remaining -= len(page)


def article(engine: Engine, article_id: str) -> ArticleRow | None:
    """Return a stored article with its provenance, or None when it is not stored."""
    stmt = (
        sa.select(
            articles,
            documents.c.source,
            documents.c.content_hash,
            documents.c.media_type,
            documents.c.fetched_at,
        )
        .join(documents, documents.c.id == articles.c.id)
        .where(articles.c.id == article_id)
    )
    with engine.connect() as conn:
        r = conn.execute(stmt).mappings().first()
        if r is None:
            return None
        mention_ids = conn.execute(
            sa.select(incident_members.c.incident_id)
            .join(mentions, mentions.c.id == incident_members.c.mention_id)
            .where(mentions.c.article_id == article_id)
            .order_by(mentions.c.index)
        ).scalars()
        n_claims = conn.execute(
            sa.select(sa.func.count()).where(claims.c.article_id == article_id)
        ).scalar_one()
        return ArticleRow(
            id=r["id"],
            title=r["title"],
            published=_iso(r["published"]),
            site=r["site"],
            author=r["author"],
            url=r["url"],
            language=r["language"],
            text=r["text"],
            status=r["status"],
            note=r["note"],
            source=r["source"],
            content_hash=r["content_hash"],
            media_type=r["media_type"],
            fetched_at=_iso(r["fetched_at"]) or "",
            incident_ids=tuple(mention_ids),
            claim_count=int(n_claims),
        )


def counts(engine: Engine) -> StoreCounts:
    """Return how many documents, articles, incidents and claims the store holds."""

    def total(table: sa.Table) -> sa.ScalarSelect[int]:
        return sa.select(sa.func.count()).select_from(table).scalar_subquery()

    stmt = sa.select(total(documents), total(articles), total(incidents_table), total(claims))
    status_stmt = sa.select(articles.c.status, sa.func.count()).group_by(articles.c.status)
    with engine.connect() as conn:
        n_docs, n_arts, n_mentions, n_claims = conn.execute(stmt).one()
        by_status = {s: int(n) for s, n in conn.execute(status_stmt)}
    return StoreCounts(int(n_docs), int(n_arts), int(n_mentions), int(n_claims), by_status)


@dataclass(frozen=True, slots=True)
class CopyGroupRow:
    """A copy group: its original (earliest article) and every member, original first."""

    id: str
    articles: tuple[ArticleRef, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "articles": [a.to_dict() for a in self.articles]}


def copy_groups(engine: Engine, min_size: int = 2) -> list[CopyGroupRow]:
    """Return the copy groups with at least ``min_size`` articles, by original's date."""
    sizes = (
        sa.select(copy_members.c.group_id)
        .group_by(copy_members.c.group_id)
        .having(sa.func.count() >= min_size)
    )
    stmt = sa.select(copy_members.c.group_id, copy_members.c.article_id).where(
        copy_members.c.group_id.in_(sizes)
    )
    with engine.connect() as conn:
        members: dict[str, list[str]] = defaultdict(list)
        for g, a in conn.execute(stmt):
            members[g].append(a)
        refs = _article_refs(conn, [a for m in members.values() for a in m])
    out = []
    for g, ids in members.items():
        ordered = [g, *sorted(a for a in ids if a != g)]
        out.append(CopyGroupRow(g, tuple(refs[a] for a in ordered if a in refs)))
    return sorted(out, key=lambda c: (c.articles[0].published or "9999", c.id))


def unresolved_articles(engine: Engine) -> list[str]:
    """Return the ids of stored articles not yet grouped and resolved, oldest first."""
    stmt = (
        sa.select(articles.c.id)
        .where(~sa.exists().where(copy_fingerprints.c.article_id == articles.c.id))
        .order_by(articles.c.published, articles.c.id)
    )
    with engine.connect() as conn:
        return list(conn.execute(stmt).scalars())


@dataclass(frozen=True, slots=True)
class SpanRow:
    """A span of an article's text that an extracted value cites: the field it supports
    (``claim`` for a claim), a short label of the value, and the mention it belongs to."""

    start: int
    end: int
    kind: str
    label: str
    mention_id: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "label": self.label,
            "mention_id": self.mention_id,
        }


def _value_label(value: Any) -> str:
    """Return a value as a few words (a count, a place, a date, a name)."""
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items() if v not in (None, [], "", {}))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _claim_label(r: RowMapping) -> str:
    who = r["speaker"] or "unnamed speaker"
    party = f" ({r['party']})" if r["party"] else ""
    hedged = ", hedged" if r["hedged"] else ""
    return f"{r['kind']}: {who}{party}{hedged}"


def article_spans(engine: Engine, article_id: str) -> list[SpanRow]:
    """Return every distinct evidence span stored for an article, in text order."""
    fact_stmt = (
        sa.select(evidence)
        .join(mentions, mentions.c.id == evidence.c.mention_id)
        .where(mentions.c.article_id == article_id)
        .order_by(evidence.c.id)
    )
    claim_stmt = sa.select(claims).where(claims.c.article_id == article_id)
    found: dict[tuple[int, int, str, str], SpanRow] = {}
    with engine.connect() as conn:
        for r in conn.execute(fact_stmt).mappings():
            field_name = r["field"]
            label = "the attack reported" if field_name == "mention" else _value_label(r["value"])
            span = SpanRow(r["start_char"], r["end_char"], field_name, label, r["mention_id"])
            found.setdefault((span.start, span.end, span.kind, span.label), span)
        for r in conn.execute(claim_stmt).mappings():
            span = SpanRow(
                r["start_char"], r["end_char"], "claim", _claim_label(r), r["mention_id"]
            )
            found.setdefault((span.start, span.end, span.kind, span.label), span)
    return sorted(found.values(), key=lambda s: (s.start, s.end, s.kind, s.label))


def document_with_hash(engine: Engine, content_hash: str) -> str | None:
    """Return the id of the stored document with this content hash, None if there is none."""
    stmt = sa.select(documents.c.id).where(documents.c.content_hash == content_hash)
    with engine.connect() as conn:
        found: str | None = conn.execute(stmt).scalar_one_or_none()
        return found
