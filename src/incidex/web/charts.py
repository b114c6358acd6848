"""Data for the map and the timeline: incidents as points, and counts and tolls per month."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from typing import Any

from ..store import IncidentRow
from ..store.query import MonthTotal

__all__ = ["MAP_LIMIT", "map_points", "month_bounds", "monthly_series"]

# The map embeds at most this many incidents (most recent first) to stay light in the page.
MAP_LIMIT = 5000


def _place_label(row: IncidentRow) -> str:
    names = [row.venue, row.city, row.country]
    return ", ".join(n for n in names if n) or "unknown place"


def map_points(rows: Iterable[IncidentRow]) -> list[dict[str, Any]]:
    """Return the incidents that have coordinates as map points with a popup label."""
    return [
        {
            "id": r.id,
            "lat": r.lat,
            "lon": r.lon,
            "killed": r.killed or 0,
            "wounded": r.wounded or 0,
            "date": r.date or r.published or "undated",
            "place": _place_label(r),
            "types": ", ".join(r.attack_types) or "unknown",
            "title": r.title or r.id,
        }
        for r in rows
        if r.lat is not None and r.lon is not None
    ]


def _month(row: IncidentRow) -> str | None:
    date = row.date or row.published
    return date[:7] if date and len(date) >= 7 else None


def monthly_series(totals: Iterable[MonthTotal]) -> dict[str, list[Any]]:
    """Return the timeline's columns (months in order, incidents, killed, wounded) from the
    store's monthly totals."""
    rows = list(totals)
    return {
        "months": [t.month for t in rows],
        "incidents": [t.incidents for t in rows],
        "killed": [t.killed for t in rows],
        "wounded": [t.wounded for t in rows],
    }


def month_bounds(month: str) -> tuple[str, str]:
    """Return the first and last day (YYYY-MM-DD) of a YYYY-MM month."""
    year, number = int(month[:4]), int(month[5:7])
    last = calendar.monthrange(year, number)[1]
    return f"{month}-01", f"{month}-{last:02d}"
