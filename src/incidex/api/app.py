"""The web application of ``incidex serve``: the JSON API, the pages (``incidex.web``), the
security headers and body cap around both, and errors as one-sentence JSON."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from .. import __version__, web
from ..config import settings
from ..errors import InputError, StoreError
from ..store import Store, open_store
from .routes import router
from .security import SECURITY_HEADERS, BodyLimit, SecurityHeaders

__all__ = ["DEFAULT_MAX_BODY_BYTES", "create_app"]

DEFAULT_MAX_BODY_BYTES = 2_000_000


def create_app(
    store: Store | str | None = None,
    *,
    token: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> FastAPI:
    """Return the application over ``store`` (an open Store, a path or URL for
    ``open_store``, or None for the configured one). Writes need ``token`` as a bearer
    token; without one they are refused."""
    opened = not isinstance(store, Store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        # A store given open belongs to the caller; one opened here is closed here.
        if opened:
            app.state.store.close()

    app = FastAPI(
        title="incidex",
        version=__version__,
        description="Incidents of political violence extracted from news, with evidence.",
        lifespan=lifespan,
    )
    app.state.store = store if isinstance(store, Store) else open_store(store or settings().db)
    _refresh_statistics(app.state.store)
    app.state.token = token or None
    app.include_router(router)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(InputError, _bad_input)
    app.add_exception_handler(StoreError, _store_failed)
    app.add_exception_handler(Exception, _internal_error)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    # Added last so it is outermost: the body cap's own 413 gets the headers too.
    app.add_middleware(SecurityHeaders)
    web.register(app)
    return app


def _refresh_statistics(store: Store) -> None:
    """Refresh SQLite's statistics of the incidents table (under a second for 100,000):
    without them the planner may pick a poor index for filtered lists."""
    if store.engine.dialect.name != "sqlite":
        return
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE incidents")


def _one_line(err: RequestValidationError) -> str:
    """Return the first validation problem as a sentence: where, then what."""
    problems = err.errors()
    if not problems:
        return "the request is not valid"
    first = problems[0]
    where = " ".join(str(part) for part in first.get("loc", ()))
    return f"{where}: {first.get('msg', 'is not valid')}".strip()


async def _invalid_request(_request: Request, err: Exception) -> JSONResponse:
    detail = _one_line(err) if isinstance(err, RequestValidationError) else str(err)
    return JSONResponse({"detail": detail}, status_code=422)


async def _bad_input(_request: Request, err: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(err)}, status_code=400)


async def _store_failed(_request: Request, err: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(err)}, status_code=503)


async def _internal_error(_request: Request, _err: Exception) -> JSONResponse:
    # Server errors are answered outside the other middleware, so the headers go on here.
    return JSONResponse(
        {"detail": "the server failed on this request; the error is in its log"},
        status_code=500,
        headers=SECURITY_HEADERS,
    )
