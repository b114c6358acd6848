"""The candidate index keeps its columns in arrays with spare room: entries added one at a
time, across many growths, are found exactly as when the same entries come in one batch."""

from __future__ import annotations

import datetime as dt
from typing import Any

from incidex.resolve import MentionInfo
from incidex.store.candidates import CandidateIndex, entry_of

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
