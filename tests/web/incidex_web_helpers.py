"""Shared by the web tests: the hostile article, where screenshots go, and a browser page
that records what it must not do."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "incidex" / "demo"
CHROMIUM = Path("/usr/bin/chromium")
TOKEN = "web-test-token"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)

# An article written for these tests: a plausible attack report whose title and text hold
# markup and event handlers that must show as text and never run.
HOSTILE_TITLE = 'Gunmen kill five at <img src=x onerror="window.__pwned=1"> cafe in Kano'
HOSTILE_TEXT = (
    f"{HOSTILE_TITLE}\n\n"
    "KANO, Nigeria, May 4, 2025 — Gunmen opened fire on a cafe called "
    "<script>window.__pwned=2</script> in Kano on Sunday, killing five people and wounding "
    "eight others, police said.\n\n"
    'Witnesses said a sign on the door read "<b onmouseover=window.__pwned=3>open</b>" and '
    "someone had written </textarea><svg onload=window.__pwned=4> on the wall.\n\n"
    "No group has claimed responsibility for the attack.\n"
)
LITERAL = "<script>window.__pwned=2</script>"


def screenshot_dir() -> Path:
    """Return where browser tests write screenshots (INCIDEX_SCREENSHOTS or build/screenshots)."""
    path = Path(os.environ.get("INCIDEX_SCREENSHOTS") or ROOT / "build" / "screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class Guard:
    """What a page did that it must not: console errors, script errors, dialogs and
    requests to anything but the local server."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [*self.console_errors, *self.page_errors, *self.dialogs, *self.foreign_requests]


@dataclass
class GuardedPage:
    page: Any
    guard: Guard
    base: str

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base + path, wait_until="networkidle")

    def shot(self, name: str) -> Path:
        path = screenshot_dir() / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def pwned(self) -> Any:
        return self.page.evaluate("window.__pwned")
