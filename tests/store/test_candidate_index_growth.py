"""The candidate index keeps its entries binned by their first day: entries added one at a
time are found exactly as when the same entries come in one batch, and a lookup reading a
few bins finds exactly what comparing every entry finds, whatever the dates' precision."""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from incidex.resolve import UNDATED_WINDOW, MentionInfo, window
from incidex.store.candidates import CANDIDATE_BOX_KM, CandidateIndex, Entry, entry_of

START = dt.date(2024, 5, 1)


def _info(n: int) -> MentionInfo:
    # Every third mention is in another town far away, every fifth is undated.
    day = START + dt.timedelta(days=n % 40)
    far = n % 3 == 0
    place: dict[str, Any] = {
        "city": "Lodwar" if far else "Port Selin",
        "country": "KE",
        "lat": 3.12 if far else -1.5,
        "lon": 35.6 if far else 37.1,
        "precision": 1,
    }
    date = None if n % 5 == 0 else {"year": day.year, "month": day.month, "day": day.day}
    if date is not None:
        date["inferred"] = []
    return MentionInfo(f"a{n}:0", f"a{n}", day, {"date": date, "place": place})


def test_entries_added_one_by_one_are_found_like_a_batch() -> None:
    infos = [_info(n) for n in range(150)]
    one_by_one, batch = CandidateIndex(), CandidateIndex()
    for m in infos:
        one_by_one.add([entry_of(m)])
    batch.add(entry_of(m) for m in infos)
    probe = _info(7)
    found = one_by_one.candidates(probe, copied=[])
    assert found == batch.candidates(probe, copied=[])
    assert "a10:0" in found  # undated, published within the window
    assert "a9:0" not in found  # far away
    assert "a47:0" in found  # same town, same day as the probe
    assert "a8:0" in found


def test_a_lookup_between_additions_sees_every_entry_added_so_far() -> None:
    index = CandidateIndex()
    probe = _info(2)
    probe = MentionInfo("probe:0", "probe", probe.published, probe.fields)
    sizes = []
    # Same town, same day as the probe, dated: every one of them is a candidate.
    for n in (2 + 120 * k for k in range(40)):
        index.add([entry_of(_info(n))])
        sizes.append(len(index.candidates(probe, copied=[])))
    assert sizes == list(range(1, 41))


def _random_info(rng: random.Random, n: int) -> MentionInfo:
    """Return a mention dated to a day, a month, a year or not at all, somewhere in three
    years, in one of two towns or none, published up to a month after its date."""
    day = START + dt.timedelta(days=rng.randrange(3 * 365))
    precision = rng.choice(["day", "day", "month", "year", "none"])
    date: dict[str, Any] | None = {"year": day.year, "inferred": []}
    if precision in ("day", "month"):
        date["month"] = day.month  # type: ignore[index]
    if precision == "day":
        date["day"] = day.day  # type: ignore[index]
    if precision == "none":
        date = None
    town = rng.choice(["near", "far", "none"])
    place: dict[str, Any] = {"country": "KE", "precision": 1 if town != "none" else 4}
    if town != "none":
        place.update(city=town, lat=-1.5 if town == "near" else 3.1, lon=37.1)
    published = day + dt.timedelta(days=rng.randrange(30))
    return MentionInfo(f"r{n}:0", f"r{n}", published, {"date": date, "place": place})


def _day(d: dt.date | None) -> float:
    return float(d.toordinal()) if d is not None else math.nan


def _could_match(e: Entry, probe: MentionInfo) -> bool:
    """The candidate rule stated once over a whole entry, without bins."""
    win = window(probe)
    assert win is not None
    lo, hi = win[0].toordinal(), win[1].toordinal()
    if e.start is None:
        start, end = _day(e.published) - UNDATED_WINDOW, _day(e.published)
    else:
        start, end = _day(e.start), _day(e.end)
    if not (start <= hi and end >= lo):
        return False
    me = entry_of(probe)
    if not (me.city and me.lat is not None and me.lon is not None and me.precision <= 2):
        return True
    if not (e.city and e.lat is not None and e.precision <= 2):
        return True
    dlat = CANDIDATE_BOX_KM / 111.0
    dlon = dlat / max(math.cos(math.radians(me.lat)), 0.05)
    near = abs(e.lat - me.lat) <= dlat and e.lon is not None and abs(e.lon - me.lon) <= dlon
    return near or e.city == me.city


def test_binned_lookups_find_what_comparing_every_entry_finds() -> None:
    rng = random.Random(4)
    entries = [entry_of(_random_info(rng, n)) for n in range(600)]
    index = CandidateIndex()
    index.add(entries)
    probes = [_random_info(rng, 1000 + n) for n in range(200)]
    sizes = []
    for probe in probes:
        if window(probe) is None:
            continue
        expected = {e.id for e in entries if _could_match(e, probe)}
        assert index.candidates(probe, copied=[]) == expected
        sizes.append(len(expected))
    # The probes find some entries and miss most: the test compares real lookups.
    assert 0 < sum(sizes) < len(entries) * len(sizes) / 4
