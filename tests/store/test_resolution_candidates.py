"""The in-memory candidate index finds every stored mention that resolution could merge with
a new one, and no others far away in place or time; a second process's writes reach it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from incidex_store_builders import MARKET_TEXT, fact, market_extraction, market_mention

from incidex.models import Place
from incidex.resolve import MentionInfo
from incidex.store import Store, open_store
from incidex.store.candidates import CandidateIndex, Entry, entry_of


def _info(
    mid: str,
    *,
    day: dt.date | None,
    city: str | None = "Port Selin",
    lat: float | None = -1.5,
    lon: float | None = 37.1,
    country: str | None = "KE",
    published: dt.date | None = dt.date(2024, 5, 6),
) -> MentionInfo:
    place: dict[str, Any] = {"city": city, "country": country, "lat": lat, "lon": lon}
    place["precision"] = 1 if city else 4
    date = {"year": day.year, "month": day.month, "day": day.day, "inferred": []} if day else None
    return MentionInfo(mid, mid.split(":")[0], published, {"date": date, "place": place})


def _entry(mid: str, **kw: Any) -> Entry:
    return entry_of(_info(mid, **kw))


MAY5 = dt.date(2024, 5, 5)


def _index() -> CandidateIndex:
    index = CandidateIndex()
    index.add(
        [
            _entry("same:0", day=MAY5),
            _entry("spelled:0", day=MAY5, city="Port-Selin", lat=-1.52, lon=37.12),
            _entry("far:0", day=MAY5, city="Lodwar", lat=3.12, lon=35.6),
            _entry("nocity:0", day=MAY5, city=None, lat=None, lon=None),
            _entry("later:0", day=dt.date(2024, 6, 20)),
            _entry("abroad:0", day=MAY5, country="TZ", city="Arusha", lat=-3.4, lon=36.7),
            _entry("nocountry:0", day=MAY5, country=None, city=None, lat=None, lon=None),
            _entry("undated:0", day=None, published=dt.date(2024, 5, 6)),
            _entry("undated-old:0", day=None, published=dt.date(2023, 1, 6)),
            _entry("copy:0", day=dt.date(2023, 1, 1), city="Lodwar", lat=3.12, lon=35.6),
        ]
    )
    return index


def test_candidates_are_near_in_place_and_time() -> None:
    found = _index().candidates(_info("new:0", day=MAY5), copied=[])
    assert found == {"same:0", "spelled:0", "nocity:0", "nocountry:0", "undated:0"}


def test_candidates_include_every_mention_of_a_copied_article() -> None:
    found = _index().candidates(_info("new:0", day=MAY5), copied=["copy"])
    assert "copy:0" in found


def test_candidates_of_a_mention_with_no_date_at_all_share_its_city() -> None:
    found = _index().candidates(_info("new:0", day=None, published=None), [])
    assert found == {"same:0", "later:0", "undated:0", "undated-old:0"}


def test_candidates_never_include_the_articles_own_mentions() -> None:
    index = _index()
    index.add([_entry("new:1", day=MAY5)])
    assert "new:1" not in index.candidates(_info("new:0", day=MAY5), copied=[])


def _save(store: Store, doc_id: str, text: str, city: str, lat: float) -> None:
    place = Place(city=city, country="KE", lat=lat, lon=37.1, precision=1)
    mention = market_mention(
        doc_id, text, place=fact(place, doc_id, text, "Port Selin", "place.gazetteer")
    )
    doc, ext = market_extraction(doc_id, MAY5, mentions=[mention], claims=[], text=text)
    assert store.save(doc, ext).stored


def test_a_report_stored_by_another_process_is_a_candidate(tmp_path: Path) -> None:
    path = str(tmp_path / "two.db")
    first, second = open_store(path), open_store(path)
    other = MARKET_TEXT.replace("Gunmen", "Armed men").replace("crowded", "busy")
    # The first store loads its candidate index with a report from elsewhere...
    _save(first, "elsewhere", MARKET_TEXT, "Lodwar", 3.12)
    # ...then another process stores a report that only a fresh look at the store finds.
    _save(second, "b", other, "Port Selin", -1.5)
    _save(first, "c", other + " Police sealed the road.", "Port Selin", -1.5)
    members = sorted(sorted(first.incident(r.id).to_dict()["articles"]) for r in first.incidents())  # type: ignore[union-attr]
    assert members == [["b", "c"], ["elsewhere"]]
    first.close()
    second.close()
