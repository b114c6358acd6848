"""An in-memory index of the stored mentions that resolution compares a new mention with.

Asking the database for "every mention of this country in this date window" costs more as
the store grows and dominated resolution time. The index holds, per country, the few
columns that decide whether two mentions can be one attack (date range, publication date,
city, coordinates) in numpy arrays, so a lookup is one vectorised comparison. It is loaded
from the store on first use and kept in step by the resolver.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa

from ..resolve import NEAR_KM, UNDATED_WINDOW, MentionInfo
from ..resolve import window as mention_window
from .schema import articles, mentions
from .write import date_range

__all__ = ["CandidateIndex", "Entry", "entry_of"]

# Twice the merge distance: a box, not a circle, and city coordinates of one place differ.
CANDIDATE_BOX_KM = 2 * NEAR_KM
_NO_DAY = np.nan


@dataclass(frozen=True, slots=True)
class Entry:
    """What the index keeps of one stored foreground mention."""

    id: str
    article_id: str
    country: str | None
    start: dt.date | None
    end: dt.date | None
    published: dt.date | None
    city: str | None
    lat: float | None
    lon: float | None
    precision: int


def entry_of(m: MentionInfo) -> Entry:
    """Return the index entry of a mention."""
    start, end = date_range(m.date)
    place = m.fields.get("place") or {}
    country = place.get("country")
    return Entry(
        id=m.id,
        article_id=m.article_id,
        country=country.upper() if country else None,
        start=start,
        end=end,
        published=m.published,
        city=place.get("city"),
        lat=place.get("lat"),
        lon=place.get("lon"),
        precision=int(place.get("precision") or 5),
    )


def _day(d: dt.date | None) -> float:
    return float(d.toordinal()) if d is not None else _NO_DAY


def _coord(x: float | None) -> float:
    return float(x) if x is not None else np.nan


# Column name -> (dtype, fill value of unused slots). Worked out when an entry is added,
# so that a lookup is a few comparisons: ``start`` and ``end`` are the first and last day
# of a dated entry, and for an undated one the days it can have been published on to be
# compared with a mention dated on a day (UNDATED_WINDOW days before its own publication
# up to that); ``comparable`` whether the entry has a city with city-level coordinates,
# ``city`` a number per city name.
_COLUMNS: dict[str, tuple[Any, Any]] = {
    "start": (float, _NO_DAY),
    "end": (float, _NO_DAY),
    "lat": (float, np.nan),
    "lon": (float, np.nan),
    "comparable": (bool, False),
    "city": (np.int64, -1),
}


def _values_of(e: Entry, city_code: int) -> dict[str, Any]:
    undated = e.start is None
    return {
        "start": _day(e.published) - UNDATED_WINDOW if undated else _day(e.start),
        "end": _day(e.published) if undated else _day(e.end),
        "lat": _coord(e.lat),
        "lon": _coord(e.lon),
        "comparable": bool(e.city) and not math.isnan(_coord(e.lat)) and e.precision <= 2,
        "city": city_code,
    }


@dataclass(slots=True)
class _Bucket:
    """The entries of one country, as columns. The arrays keep spare room that doubles
    when full, so adding one entry costs the same however many the store holds
    (rebuilding them per addition grew with the store)."""

    entries: list[Entry] = field(default_factory=list)
    arrays: dict[str, npt.NDArray[Any]] = field(default_factory=dict)

    def add(self, e: Entry, city_code: int) -> None:
        at = len(self.entries)
        if at >= self._capacity():
            self._grow(max(16, 2 * at))
        for name, value in _values_of(e, city_code).items():
            self.arrays[name][at] = value
        self.entries.append(e)

    def _capacity(self) -> int:
        return len(self.arrays["start"]) if self.arrays else 0

    def _grow(self, size: int) -> None:
        used = len(self.entries)
        grown: dict[str, npt.NDArray[Any]] = {}
        for name, (dtype, fill) in _COLUMNS.items():
            column = np.full(size, fill, dtype=dtype)
            if self.arrays:
                column[:used] = self.arrays[name][:used]
            grown[name] = column
        self.arrays = grown

    def columns(self) -> dict[str, npt.NDArray[Any]]:
        """Return the columns of the entries (views of the filled part of the arrays)."""
        used = len(self.entries)
        return {name: column[:used] for name, column in self.arrays.items()}


@dataclass(slots=True)
class CandidateIndex:
    """Stored foreground mentions by country, by article and by city."""

    buckets: dict[str | None, _Bucket] = field(default_factory=lambda: defaultdict(_Bucket))
    by_article: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_city: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    ids: set[str] = field(default_factory=set)
    # A number per city name, for the buckets' city columns.
    city_codes: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, conn: sa.Connection) -> CandidateIndex:
        """Return the index of every foreground mention in the store."""
        index = cls()
        index.add(_stored_entries(conn, sa.true()))
        return index

    def add_articles(self, conn: sa.Connection, article_ids: Iterable[str]) -> None:
        """Add the stored foreground mentions of these articles (written by another
        process)."""
        ids = sorted(set(article_ids))
        if ids:
            self.add(_stored_entries(conn, mentions.c.article_id.in_(ids)))

    def add(self, entries: Iterable[Entry]) -> None:
        """Add entries (a no-op for mentions already indexed)."""
        for e in entries:
            if e.id in self.ids:
                continue
            self.ids.add(e.id)
            self.buckets[e.country].add(e, self._city_code(e.city))
            self.by_article[e.article_id].append(e.id)
            if e.city:
                self.by_city[e.city].append(e.id)

    def _city_code(self, city: str | None) -> int:
        """Return the number of a city name (-1 for none), numbering new names."""
        if not city:
            return -1
        return self.city_codes.setdefault(city, len(self.city_codes))

    def candidates(self, m: MentionInfo, copied: Iterable[str]) -> set[str]:
        """Return the ids of indexed mentions of other articles that could report the same
        attack as ``m``: those of articles it copies, and those whose date, country and
        place ``resolve.decide`` could accept (same city when ``m`` has no date)."""
        found = {i for a in copied for i in self.by_article.get(a, ())}
        win = mention_window(m)
        me = entry_of(m)
        if win is None:
            if me.city:
                found.update(self.by_city.get(me.city, ()))
        else:
            countries = [me.country, None] if me.country else list(self.buckets)
            for country in dict.fromkeys(countries):
                bucket = self.buckets.get(country)
                if bucket is not None and bucket.entries:
                    found.update(_matches(bucket, me, win, self.city_codes.get(me.city or "", -2)))
        own = set(self.by_article.get(m.article_id, ()))
        return found - own


def _matches(bucket: _Bucket, me: Entry, win: tuple[dt.date, dt.date], city: int) -> list[str]:
    """Return the ids in ``bucket`` dated within ``win`` (or undated and published in it)
    and, when ``me`` has a city with city-level coordinates, near enough to it or in the
    same city (``city``, the number of its name)."""
    c = bucket.columns()
    lo, hi = win[0].toordinal(), win[1].toordinal()
    # An entry dated in the window, or undated and published in it (or up to
    # UNDATED_WINDOW days after it: see _COLUMNS). NaN (no day) compares false.
    keep = c["start"] <= hi
    keep &= c["end"] >= lo
    if me.city and me.lat is not None and me.lon is not None and me.precision <= 2:
        dlat = CANDIDATE_BOX_KM / 111.0
        dlon = dlat / max(math.cos(math.radians(me.lat)), 0.05)
        near = (np.abs(c["lat"] - me.lat) <= dlat) & (np.abs(c["lon"] - me.lon) <= dlon)
        keep &= ~c["comparable"] | near | (c["city"] == city)
    entries = bucket.entries
    # Plain ints index the list faster than numpy's.
    return [entries[i].id for i in np.flatnonzero(keep).tolist()]


def _stored_entries(conn: sa.Connection, where: sa.ColumnElement[bool]) -> list[Entry]:
    stmt = (
        sa.select(
            mentions.c.id,
            mentions.c.article_id,
            mentions.c.country,
            mentions.c.date_start,
            mentions.c.date_end,
            mentions.c.city,
            mentions.c.lat,
            mentions.c.lon,
            mentions.c.precision,
            articles.c.published,
        )
        .join(articles, articles.c.id == mentions.c.article_id)
        .where(where, mentions.c.background == sa.false())
    )
    return [
        Entry(
            id=r.id,
            article_id=r.article_id,
            country=r.country,
            start=r.date_start,
            end=r.date_end,
            published=r.published,
            city=r.city,
            lat=r.lat,
            lon=r.lon,
            precision=int(r.precision),
        )
        for r in conn.execute(stmt)
    ]
