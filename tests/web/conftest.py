"""Web fixtures: one store filled from the demo articles plus a hostile article, the app
over it, the real server on a free loopback port, and a guarded headless Chromium page."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from fastapi import FastAPI, Request, Response
from incidex_web_helpers import CHROMIUM, CSP, DEMO, HOSTILE_TEXT, TOKEN, Guard, GuardedPage

from incidex.pipeline import ingest
from incidex.store import Store, open_store
from incidex.web import register


@pytest.fixture(scope="session")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Return a store holding the demo articles and the hostile article."""
    work = tmp_path_factory.mktemp("web")
    hostile = work / "hostile-kano-cafe.txt"
    hostile.write_text(HOSTILE_TEXT, encoding="utf-8")
    store = open_store(str(work / "web.db"))
    summary = ingest(store, [str(DEMO), str(hostile)])
    assert summary.failed == 0, summary.sentence()
    yield store
    store.close()


def _minimal_app(store: Store) -> FastAPI:
    """Return an app with only the pages and the CSP header (before incidex.api exists)."""
    app = FastAPI()
    app.state.store = store
    app.state.token = TOKEN

    @app.middleware("http")
    async def csp(request: Request, call_next: Callable[[Request], Any]) -> Response:
        response: Response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        return response

    register(app)
    return app


def build_app(store: Store) -> FastAPI:
    """Return the real app when incidex.api provides it, else the minimal one."""
    try:
        from incidex.api import create_app
    except ImportError:
        return _minimal_app(store)
    app: FastAPI = create_app(store, token=TOKEN)
    return app


@pytest.fixture(scope="session")
def web_app(web_store: Store) -> FastAPI:
    return build_app(web_store)


@pytest.fixture(scope="session")
def hostile_incident_id(web_store: Store) -> str:
    """Return the id of the incident read from the hostile article."""
    found = [r for r in web_store.incidents() if r.title and "onerror" in r.title]
    assert found, "the hostile article gave no incident"
    return found[0].id


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def server_url(web_app: FastAPI) -> Iterator[str]:
    """Return the base URL of the real uvicorn server, running in a thread."""
    port = _free_port()
    config = uvicorn.Config(web_app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Return headless Debian Chromium driven by Playwright (skipped only when Chromium is
    absent and INCIDEX_REQUIRE_BROWSER is unset)."""
    if not CHROMIUM.exists() and not os.environ.get("INCIDEX_REQUIRE_BROWSER"):
        pytest.skip(f"{CHROMIUM} is not installed (set INCIDEX_REQUIRE_BROWSER to fail instead)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


def _allow_local(guard: Guard) -> Callable[[Any], None]:
    def handle(route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or parts.hostname == "127.0.0.1":
            route.continue_()
        else:
            guard.foreign_requests.append(f"request to {url}")
            route.abort()

    return handle


@pytest.fixture
def web_page(browser: Any, server_url: str) -> Iterator[GuardedPage]:
    """Return a fresh page on the server that records anything it must not do."""
    guard = Guard()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.route("**/*", _allow_local(guard))
    page.on(
        "console",
        lambda m: guard.console_errors.append(f"console: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: guard.page_errors.append(f"script error: {e}"))

    def on_dialog(d: Any) -> None:
        guard.dialogs.append(f"dialog: {d.message}")
        d.dismiss()

    page.on("dialog", on_dialog)
    yield GuardedPage(page, guard, server_url)
    context.close()
