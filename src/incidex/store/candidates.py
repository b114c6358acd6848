"""An in-memory index of the stored mentions that resolution compares a new mention with.

Asking the database for "every mention of this country in this date window" costs more as
the store grows and dominated resolution time. The index holds, per country, the few
columns that decide whether two mentions can be one attack (date range, publication date,
city, coordinates) as tuples binned by their first day, so a lookup compares only the
entries of the few weeks around its window (a scan of every entry of the country, however
vectorised, grew with the store). It is loaded from the store on first use and kept in
step by the resolver.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..resolve import NEAR_KM, UNDATED_WINDOW, MentionInfo
from ..resolve import window as mention_window
from .driver import rows_of
from .schema import articles, mentions
from .write import date_range

__all__ = ["CandidateIndex", "Entry", "entry_of"]

# Twice the merge distance: a box, not a circle, and city coordinates of one place differ.
CANDIDATE_BOX_KM = 2 * NEAR_KM


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
    return float(d.toordinal()) if d is not None else math.nan


def _coord(x: float | None) -> float:
    return float(x) if x is not None else math.nan


# What a lookup compares of an entry, worked out when it is added: its id; ``start`` and
# ``end``, the first and last day of a dated entry, and for an undated one the days it can
# have been published on to be compared with a mention dated on a day (UNDATED_WINDOW days
# before its own publication up to that); its coordinates (NaN when unknown); whether it
# has a city with city-level coordinates; and the number of its city name (-1 for none).
_Row = tuple[str, float, float, float, float, bool, int]

# Entries by how many days their dates span (end - start): a lookup for the days [lo, hi]
# reads, per tier, only the bins holding starts from lo - span to hi. Bins are as wide
# as their tier's span (at least a week), so a lookup reads a few bins per tier however
# many days the store covers; entries spanning more than the last tier are read always.
_TIERS: tuple[tuple[int, int], ...] = ((0, 8), (31, 32), (366, 366))


def _row_of(e: Entry, city_code: int) -> _Row:
    undated = e.start is None
    lat = _coord(e.lat)
    return (
        e.id,
        _day(e.published) - UNDATED_WINDOW if undated else _day(e.start),
        _day(e.published) if undated else _day(e.end),
        lat,
        _coord(e.lon),
        bool(e.city) and not math.isnan(lat) and e.precision <= 2,
        city_code,
    )


def _tier_of(start: float, end: float) -> int:
    """Return the index of the first tier whose span holds the entry (len(_TIERS) when
    none does)."""
    span = end - start
    for i, (most, _) in enumerate(_TIERS):
        if span <= most:
            return i
    return len(_TIERS)


@dataclass(slots=True)
class _Bucket:
    """The entries of one country, binned by their first day (see ``_TIERS``). Scanning
    every entry of a country per lookup grew with the store; the bins a lookup reads hold
    the entries of a few weeks."""

    size: int = 0
    bins: list[dict[int, list[_Row]]] = field(default_factory=lambda: [{} for _ in _TIERS])
    wide: list[_Row] = field(default_factory=list)

    def add(self, e: Entry, city_code: int) -> None:
        row = _row_of(e, city_code)
        self.size += 1
        start, end = row[1], row[2]
        # An entry without a day (undated and unpublished) can match no lookup.
        if math.isnan(start) or math.isnan(end):
            return
        tier = _tier_of(start, end)
        if tier == len(_TIERS):
            self.wide.append(row)
            return
        width = _TIERS[tier][1]
        self.bins[tier].setdefault(int(start // width), []).append(row)

    def rows_starting(self, lo: int, hi: int) -> list[_Row]:
        """Return every entry that can overlap the days [lo, hi]: those starting from their
        tier's span before ``lo`` up to ``hi`` (and more), and the wide ones."""
        out = list(self.wide)
        for (most, width), bins in zip(_TIERS, self.bins, strict=True):
            for b in range((lo - most) // width, hi // width + 1):
                found = bins.get(b)
                if found:
                    out.extend(found)
        return out


@dataclass(slots=True)
class CandidateIndex:
    """Stored foreground mentions by country, by article and by city."""

    buckets: dict[str | None, _Bucket] = field(default_factory=lambda: defaultdict(_Bucket))
    # An article's mentions as a tuple (most articles have one), which the garbage
    # collector stops tracking: a list per article was one more object every full
    # collection went over as the store grew.
    by_article: dict[str, tuple[str, ...]] = field(default_factory=dict)
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
            self.by_article[e.article_id] = (*self.by_article.get(e.article_id, ()), e.id)
            if e.city:
                self.by_city[e.city].append(e.id)

    def _city_code(self, city: str | None) -> int:
        """Return the number of a city name (-1 for none), numbering new names."""
        if not city:
            return -1
        return self.city_codes.setdefault(city, len(self.city_codes))

    def candidates(
        self, m: MentionInfo, copied: Iterable[str], entry: Entry | None = None
    ) -> set[str]:
        """Return the ids of indexed mentions of other articles that could report the same
        attack as ``m``: those of articles it copies, and those whose date, country and
        place ``resolve.decide`` could accept (same city when ``m`` has no date).
        ``entry`` is ``entry_of(m)`` when already made."""
        found = {i for a in copied for i in self.by_article.get(a, ())}
        win = mention_window(m)
        me = entry if entry is not None else entry_of(m)
        if win is None:
            if me.city:
                found.update(self.by_city.get(me.city, ()))
        else:
            countries = [me.country, None] if me.country else list(self.buckets)
            for country in dict.fromkeys(countries):
                bucket = self.buckets.get(country)
                if bucket is not None and bucket.size:
                    found.update(_matches(bucket, me, win, self.city_codes.get(me.city or "", -2)))
        own = set(self.by_article.get(m.article_id, ()))
        return found - own


def _matches(bucket: _Bucket, me: Entry, win: tuple[dt.date, dt.date], city: int) -> list[str]:
    """Return the ids in ``bucket`` dated within ``win`` (or undated and published in it)
    and, when ``me`` has a city with city-level coordinates, near enough to it or in the
    same city (``city``, the number of its name)."""
    lo, hi = win[0].toordinal(), win[1].toordinal()
    rows = bucket.rows_starting(lo, hi)
    # An entry dated in the window, or undated and published in it (or up to
    # UNDATED_WINDOW days after it: see _Row).
    if not (me.city and me.lat is not None and me.lon is not None and me.precision <= 2):
        return [r[0] for r in rows if r[1] <= hi and r[2] >= lo]
    lat, lon = me.lat, me.lon
    dlat = CANDIDATE_BOX_KM / 111.0
    dlon = dlat / max(math.cos(math.radians(lat)), 0.05)
    # NaN (no coordinate) compares false, as a missing day does above.
    return [
        i
        for i, start, end, x, y, comparable, code in rows
        if start <= hi
        and end >= lo
        and (not comparable or (abs(x - lat) <= dlat and abs(y - lon) <= dlon) or code == city)
    ]


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
        for r in rows_of(conn.execute(stmt))
    ]
