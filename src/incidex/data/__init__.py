"""Word lists, patterns and gazetteer extras as JSON files, read once per process."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["load_data"]


@cache
def load_data(name: str) -> Any:
    """Return the parsed JSON data file ``incidex/data/<name>`` (cached per process)."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)
