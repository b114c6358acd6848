"""The page routes: server-rendered HTML over the store held in ``app.state.store``."""

from __future__ import annotations

from importlib import resources
from typing import Any

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from .. import pipeline
from ..config import settings
from ..errors import InputError
from ..models import ATTACK_TYPES, Extraction
from ..store import IncidentRow, Store
from . import charts
from .highlight import KINDS, article_spans, extraction_spans, segments
from .incident import format_value, incident_view
from .listing import ORDERS, STATUSES, list_incidents, matching_rows, parse_form, store_filter

__all__ = ["not_found_page", "render", "router"]

router = APIRouter(include_in_schema=False)

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("incidex.web", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.globals.update(
    kinds=KINDS,
    attack_types=ATTACK_TYPES,
    statuses=STATUSES,
    orders=ORDERS,
    format_value=format_value,
    month_bounds=charts.month_bounds,
)


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Return the template ``name`` rendered with ``context`` as an HTML response."""
    html = _env.get_template(name).render(request=request, path=request.url.path, **context)
    return HTMLResponse(html, status_code=status_code)


def not_found_page(request: Request, message: str) -> HTMLResponse:
    """Return the 404 page with a sentence saying what was not found."""
    return render(request, "not_found.html", status_code=404, message=message)


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _filtered_rows(request: Request, limit: int) -> list[IncidentRow]:
    """Return up to ``limit`` incidents matching the list filters in the query string."""
    return matching_rows(_store(request), parse_form(request.query_params), limit)


@router.get("/", response_class=HTMLResponse)
def incidents_page(request: Request) -> HTMLResponse:
    form = parse_form(request.query_params)
    listing = list_incidents(_store(request), form)
    counts = _store(request).counts()
    return render(request, "list.html", listing=listing, form=form, counts=counts)


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request) -> HTMLResponse:
    form = parse_form(request.query_params)
    return render(request, "map.html", form=form, data_url=f"/ui-data/points.json?{form.query()}")


@router.get("/ui-data/points.json")
def map_points(request: Request) -> JSONResponse:
    rows = _filtered_rows(request, charts.MAP_LIMIT)
    return JSONResponse({"points": charts.map_points(rows)})


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request) -> HTMLResponse:
    form = parse_form(request.query_params)
    totals = _store(request).monthly_totals(store_filter(form))
    series = charts.monthly_series(totals)
    return render(request, "timeline.html", form=form, series=series)


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(request: Request, incident_id: str) -> HTMLResponse:
    detail = _store(request).incident(incident_id)
    if detail is None:
        return not_found_page(request, f"No incident has the id {incident_id!r}.")
    return render(request, "incident.html", view=incident_view(detail))


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    store = _store(request)
    article = store.article(article_id)
    if article is None:
        return not_found_page(request, f"No article has the id {article_id!r}.")
    spans = article_spans(store, article_id)
    return render(
        request,
        "article.html",
        article=article,
        segments=segments(article.text, spans),
        present={s.kind for s in spans},
    )


@router.get("/paste", response_class=HTMLResponse)
def paste_form(request: Request) -> HTMLResponse:
    return render(request, "paste.html", values={}, result=None, error=None)


def _form_text(form: Any, key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


@router.post("/paste", response_class=HTMLResponse)
async def paste_extract(request: Request) -> Response:
    form = await request.form()
    values = {k: _form_text(form, k) for k in ("text", "url", "published")}
    error = None
    result = None
    if not values["text"]:
        error = "Paste the text or HTML of an article first."
    elif len(values["text"].encode("utf-8")) > settings().max_bytes:
        error = f"The text is larger than {settings().max_bytes} bytes; paste a shorter article."
    else:
        try:
            result = await _extract(values)
        except InputError as err:
            error = f"{err.reason[:1].upper()}{err.reason[1:].rstrip('.')}."
    status = 400 if error else 200
    context: dict[str, Any] = {"values": values, "result": result, "error": error}
    if result is not None:
        spans = extraction_spans(result)
        context["segments"] = segments(result.article.text, spans)
        context["present"] = {s.kind for s in spans}
    return render(request, "paste.html", status_code=status, **context)


async def _extract(values: dict[str, str]) -> Extraction:
    # Parsing takes a while; it runs in a worker thread so the server keeps answering.
    return await run_in_threadpool(
        pipeline.extract,
        values["text"],
        published=values["published"] or None,
        url=values["url"] or None,
        id="pasted",
    )


def static_root() -> str:
    """Return the directory of the static files shipped with the package."""
    return str(resources.files("incidex.web").joinpath("static"))
