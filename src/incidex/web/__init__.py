"""The web pages of `incidex serve`: server-rendered HTML over the store, static files vendored.

    app = FastAPI(); app.state.store = open_store(); register(app)

Pages: ``/`` (incidents list), ``/map``, ``/timeline``, ``/incidents/{id}``,
``/articles/{id}``, ``/paste``; static files under ``/static`` (our CSS and scripts, and
the browser libraries vendored from npm by ``scripts/vendor_web.sh``). Pages hold no inline
script or style, so they work under a strict Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from .pages import not_found_page, router, static_root

__all__ = ["register"]

Handler = Callable[[Request, Exception], Response | Awaitable[Response]]


def _wants_page(request: Request) -> bool:
    path = request.url.path
    if path.startswith(("/api/", "/static/", "/ui-data/")) or path.endswith(".json"):
        return False
    return "text/html" in request.headers.get("accept", "text/html")


def _not_found_handler(previous: Handler) -> Callable[[Request, Exception], Awaitable[Response]]:
    """Return a handler that shows the 404 page to browsers and leaves every other error
    (and every JSON client) to ``previous``."""

    async def handle(request: Request, exc: Exception) -> Response:
        if (
            isinstance(exc, StarletteHTTPException)
            and exc.status_code == 404
            and _wants_page(request)
        ):
            return not_found_page(request, "There is no page at this address.")
        result = previous(request, exc)
        return await result if isinstance(result, Awaitable) else result

    return handle


def register(app: FastAPI) -> None:
    """Add the page routes and the static files to ``app`` (the JSON API lives in incidex.api)."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=static_root()), name="static")
    previous: Handler = app.exception_handlers.get(StarletteHTTPException, http_exception_handler)
    app.add_exception_handler(StarletteHTTPException, _not_found_handler(previous))
