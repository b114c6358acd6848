"""The JSON API's endpoints: a thin layer over the store's queries and the pipeline."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import replace
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import ValidationError
from sqlalchemy.engine import Engine

from .. import pipeline
from ..models import Extraction
from ..store import IncidentFilter, Store
from ..store import query as q
from ..store.search import search_articles
from . import exports
from .cursor import decode_after, decode_offset, encode_after, encode_offset
from .schemas import (
    ArticleOut,
    ErrorOut,
    ExtractIn,
    ExtractionOut,
    HealthOut,
    IncidentDetailOut,
    IncidentListOut,
    IngestIn,
    IngestOut,
    SearchOut,
    Status,
)
from .security import bearer, check_token

__all__ = ["SORTS", "router"]

router = APIRouter(prefix="/api", tags=["api"])

Sort = Literal["-date", "date", "-killed", "killed", "-wounded", "wounded", "country", "-country"]
SORTS: dict[str, q.Order] = {
    "-date": "date_desc",
    "date": "date_asc",
    "-killed": "killed_desc",
    "killed": "killed_asc",
    "-wounded": "wounded_desc",
    "wounded": "wounded_asc",
    "country": "country_asc",
    "-country": "country_desc",
}
# spaCy pipelines are not documented as thread-safe; one extraction runs at a time.
_EXTRACTING = threading.Lock()
Posted = TypeVar("Posted", bound=ExtractIn)


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorOut} for code in codes}


ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
GEOJSON_SCHEMA = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "id", "geometry", "properties"],
                "properties": {
                    "type": {"const": "Feature"},
                    "id": {"type": "string"},
                    "geometry": {
                        "type": "object",
                        "properties": {
                            "type": {"const": "Point"},
                            "coordinates": {
                                "type": "array",
                                "items": {"type": "number"},
                                "minItems": 2,
                                "maxItems": 2,
                            },
                        },
                    },
                    "properties": {"type": "object"},
                },
            },
        },
    },
}


def _export_doc(media_type: str, schema: dict[str, Any]) -> dict[str, Any]:
    """Return the OpenAPI of a streamed export's body."""
    return {"responses": {"200": {"content": {media_type: {"schema": schema}}}}}


# Export errors are JSON, not the export's media type (FastAPI's default for a model).
EXPORT_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {
        "description": "a filter is not valid",
        "content": {"application/json": {"schema": ERROR_SCHEMA}},
    }
}
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def _day(name: str, value: str | None) -> dt.date | None:
    """Return a YYYY-MM-DD parameter as a date; raises HTTPException 422 when it is not one."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"{name}: {value!r} is not a calendar date") from None


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _incidents_engine(request: Request) -> Engine:
    """Return the engine to read incidents through, with every stale incident written
    (the store's rule for readers going to the database themselves)."""
    store = _store(request)
    store.flush_for_reading()
    return store.engine


def incident_filter(
    q: Annotated[
        str | None, Query(max_length=200, description="words in the title, venue or city")
    ] = None,
    since: Annotated[
        str | None, Query(pattern=ISO_DATE, description="on or after this day (YYYY-MM-DD)")
    ] = None,
    until: Annotated[
        str | None, Query(pattern=ISO_DATE, description="on or before this day (YYYY-MM-DD)")
    ] = None,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 code")
    ] = None,
    attack_type: Annotated[
        str | None, Query(max_length=64, description="GTD attack type, e.g. armed_assault")
    ] = None,
    perpetrator: Annotated[
        str | None, Query(max_length=200, description="part of a perpetrator's name")
    ] = None,
    status: Annotated[Status | None, Query(description="attribution status")] = None,
    min_killed: Annotated[int | None, Query(ge=0, le=1_000_000_000)] = None,
    sort: Annotated[Sort, Query(description="key, '-' first for descending")] = "-date",
) -> IncidentFilter:
    """Return the store filter of a list or export request's query parameters."""
    return IncidentFilter(
        country=country.upper() if country else None,
        since=_day("since", since),
        until=_day("until", until),
        attack_type=attack_type or None,
        min_killed=min_killed,
        query=q,
        perpetrator=perpetrator,
        status=status,
        order=SORTS[sort],
    )


Filters = Annotated[IncidentFilter, Depends(incident_filter)]


@router.get("/incidents", response_model=IncidentListOut, responses=_errors(400, 422))
def list_incidents(
    request: Request,
    filters: Filters,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=512, description="next_cursor")] = None,
) -> JSONResponse:
    """Return a page of incidents matching the filters, with the cursor of the next page
    (keyset pagination: pages do not shift when incidents are added) and the total."""
    after = decode_after(cursor, filters.order) if cursor else None
    page = q.incident_page(_incidents_engine(request), replace(filters, limit=limit, after=after))
    # Rows are JSON-ready and the schema test checks their shape, so the per-request
    # re-validation of every row is skipped: it is the largest cost of a list after the query.
    return JSONResponse(
        {
            "items": [r.to_dict() for r in page.rows],
            "next_cursor": encode_after(filters.order, page.next) if page.next else None,
            "total": page.total,
        }
    )


@router.get(
    "/incidents/{incident_id:path}",
    response_model=IncidentDetailOut,
    responses=_errors(404, 422),
)
def get_incident(request: Request, incident_id: str) -> dict[str, Any]:
    """Return one incident with its merged facts, evidence, claims and sources."""
    detail = _store(request).incident(incident_id)
    if detail is None:
        raise HTTPException(404, f"no incident {incident_id!r}; /api/incidents lists them")
    return detail.to_dict()


@router.get("/articles/{article_id:path}", response_model=ArticleOut, responses=_errors(404, 422))
def get_article(request: Request, article_id: str) -> dict[str, Any]:
    """Return a stored article's clean text and every evidence span cited in it."""
    store = _store(request)
    article = store.article(article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id!r} is stored")
    spans = q.article_spans(store.engine, article_id)
    return {
        **article.to_dict(),
        "spans": [s.to_dict() for s in spans],
        "incident_ids": list(article.incident_ids),
    }


@router.get("/search", response_model=SearchOut, responses=_errors(400, 422))
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500, description="words or FTS5 query")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> dict[str, Any]:
    """Return the articles matching a full-text query, best first."""
    offset = decode_offset(cursor) if cursor else 0
    hits = search_articles(_store(request).engine, q, limit=limit + 1, offset=offset)
    more = len(hits) > limit
    return {
        "items": [h.to_dict() for h in hits[:limit]],
        "next_cursor": encode_offset(offset + limit) if more else None,
    }


def _body_schema(model: type[ExtractIn]) -> dict[str, Any]:
    """Return the OpenAPI request body of a posted article: JSON, or raw text or HTML."""
    schema = model.model_json_schema()
    schema["properties"]["text"] = {"type": "string", "minLength": 1}
    schema["properties"]["html"] = {"type": "string", "minLength": 1}
    schema["oneOf"] = [{"required": ["text"]}, {"required": ["html"]}]
    raw = {"type": "string", "minLength": 1}
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": schema},
                "text/plain": {"schema": raw},
                "text/html": {"schema": raw},
            },
        }
    }


async def _posted(
    request: Request, model: type[Posted], url: str | None, published: dt.date | None
) -> Posted:
    """Return the article a request posts (JSON object, or a text/plain or text/html
    body with url and published as query parameters); raises HTTPException otherwise."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    try:
        if media == "application/json":
            return model.model_validate_json(body)
        if media in ("text/plain", "text/html"):
            key = "text" if media == "text/plain" else "html"
            return model.model_validate({key: _utf8(body), "url": url, "published": published})
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise HTTPException(422, f"{where}: {first['msg']}") from None
    raise HTTPException(415, "send the article as application/json, text/plain or text/html")


def _utf8(body: bytes) -> str:
    """Return a raw body as text; raises HTTPException 400 when it is not UTF-8."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(400, "the body is not UTF-8 text") from None


def _extract(article: ExtractIn, id: str | None = None) -> Extraction:
    with _EXTRACTING:
        return pipeline.extract(
            article.content,
            published=article.published,
            url=article.url,
            title=article.title,
            id=id,
        )


RawUrl = Annotated[str | None, Query(max_length=2048, description="for a raw text/HTML body")]
RawDate = Annotated[
    str | None, Query(pattern=ISO_DATE, description="for a raw text/HTML body (YYYY-MM-DD)")
]


@router.post(
    "/extract",
    response_model=ExtractionOut,
    responses=_errors(400, 413, 415, 422),
    openapi_extra=_body_schema(ExtractIn),
)
async def extract(
    request: Request, url: RawUrl = None, published: RawDate = None
) -> dict[str, Any]:
    """Return what a posted article reports (incidents and claims with evidence), without
    storing it."""
    article = await _posted(request, ExtractIn, url, _day("published", published))
    extraction = await run_in_threadpool(_extract, article)
    return extraction.to_dict()


def _ingest(store: Store, article: IngestIn) -> tuple[int, dict[str, Any]]:
    """Return the status code and body of storing ``article`` (duplicates not parsed)."""
    document = pipeline.document_from_text(
        article.content,
        source=article.url or "<api>",
        id=article.id,
        published=article.published,
        url=article.url,
        title=article.title,
    )
    stored_as = q.document_with_hash(store.engine, document.content_hash)
    if stored_as is not None:
        message = f"{document.id}: same content as stored {stored_as}"
        return 200, _ingested(store, "duplicate", stored_as, message)
    with _EXTRACTING:
        extraction = pipeline.extract_document(document)
    saved = store.save(document, extraction)
    if saved.status == "conflict":
        raise HTTPException(409, saved.message)
    code = 201 if saved.status == "stored" else 200
    return code, _ingested(store, saved.status, saved.document_id, saved.message)


def _ingested(store: Store, status: str, article_id: str, message: str) -> dict[str, Any]:
    article = store.article(article_id)
    ids = article.incident_ids if article is not None else ()
    rows = [d.row.to_dict() for d in map(store.incident, dict.fromkeys(ids)) if d is not None]
    foreground = [r for r in rows if not r["background"]]
    return {
        "status": status,
        "document_id": article_id,
        "message": message,
        "incidents": foreground,
    }


@router.post(
    "/articles",
    response_model=IngestOut,
    status_code=201,
    responses={
        200: {"model": IngestOut, "description": "a duplicate"},
        **_errors(400, 401, 403, 409, 413, 415, 422),
    },
    openapi_extra=_body_schema(IngestIn),
)
async def ingest_article(
    request: Request,
    response: Response,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    url: RawUrl = None,
    published: RawDate = None,
) -> dict[str, Any]:
    """Store a posted article (text or HTML) and return its incidents; content already
    stored is reported as a duplicate. Needs the bearer token."""
    check_token(request, credentials)
    article = await _posted(request, IngestIn, url, _day("published", published))
    code, body = await run_in_threadpool(_ingest, _store(request), article)
    response.status_code = code
    return body


@router.get(
    "/export.csv",
    response_class=exports.CSVResponse,
    responses=EXPORT_ERRORS,
    openapi_extra=_export_doc(exports.CSVResponse.media_type, {"type": "string"}),
)
def export_csv(request: Request, filters: Filters) -> exports.CSVResponse:
    """Stream the matching incidents as CSV with GTD column names."""
    details = _store(request).incident_details(filters)
    return exports.CSVResponse(exports.csv_chunks(details), headers=_attachment("incidents.csv"))


@router.get(
    "/export.jsonl",
    response_class=exports.JSONLinesResponse,
    responses=EXPORT_ERRORS,
    openapi_extra=_export_doc(exports.JSONLinesResponse.media_type, {"type": "string"}),
)
def export_jsonl(request: Request, filters: Filters) -> exports.JSONLinesResponse:
    """Stream the matching incidents as JSON lines, evidence and claims included."""
    details = _store(request).incident_details(filters)
    return exports.JSONLinesResponse(
        exports.jsonl_chunks(details), headers=_attachment("incidents.jsonl")
    )


@router.get(
    "/export.geojson",
    response_class=exports.GeoJSONResponse,
    responses=EXPORT_ERRORS,
    openapi_extra=_export_doc(exports.GeoJSONResponse.media_type, GEOJSON_SCHEMA),
)
def export_geojson(request: Request, filters: Filters) -> exports.GeoJSONResponse:
    """Stream the matching incidents that have coordinates as GeoJSON Point features."""
    rows = exports.rows_in_order(_incidents_engine(request), filters)
    return exports.GeoJSONResponse(
        exports.geojson_chunks(rows), headers=_attachment("incidents.geojson")
    )


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/health", response_model=HealthOut)
def health(request: Request) -> dict[str, Any]:
    """Return that the server is up, what the store holds and whether writes are on."""
    counts = _store(request).counts()
    return {
        "status": "ok",
        "documents": counts.documents,
        "articles": counts.articles,
        "incidents": counts.incidents,
        "claims": counts.claims,
        "writes": bool(request.app.state.token),
    }
