"""Bundled demo articles: six invented attacks in real places and one story that reports no
attack, written for incidex (no third-party text), with hand-coded expected facts.

``expected.json`` maps each file name to its publication date, title, and the incidents
and claims a careful coder takes from the text (FORMAT.md gold shape). The ``.txt`` files
carry their date in the text (a dateline or a date line), since plain text has no metadata.
"""

from __future__ import annotations

import json
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

__all__ = ["DEMO_SUFFIXES", "demo_files", "expected"]

DEMO_SUFFIXES = (".txt", ".html")


def demo_files() -> list[Traversable]:
    """Return the demo article files, sorted by name."""
    root = resources.files("incidex.demo")
    found = [p for p in root.iterdir() if p.is_file() and p.name.endswith(DEMO_SUFFIXES)]
    return sorted(found, key=lambda p: p.name)


def expected() -> dict[str, Any]:
    """Return the hand-coded facts of every demo article, keyed by file name."""
    text = resources.files("incidex.demo").joinpath("expected.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data
