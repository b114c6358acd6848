"""``decision_key`` holds everything ``decide`` reads of a mention: the store decides a pair
once per distinct pair of keys, so a field that changes a decision must change the key."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from incidex.resolve import MentionInfo, decide, decision_key

_BASE: dict[str, Any] = {
    "date": {"year": 2024, "month": 6, "day": 2, "inferred": []},
    "place": {
        "venue": "bus station",
        "city": "Port Selin",
        "admin1": None,
        "country": "KE",
        "lat": -1.5,
        "lon": 37.1,
        "precision": 1,
    },
    "attack_types": ["bombing_explosion"],
    "weapons": ["explosives"],
    "killed": {"min": 7, "max": None, "qualifier": None},
    "wounded": {"min": 20, "max": None, "qualifier": None},
    "perpetrators": ["Red Hand Front"],
    "targets": ["commuters"],
    "victims": [],
    "target_type": "transportation",
    "stage": "accomplished",
    "confidence": 0.8,
    "background": False,
}

# One change per field decide might read, or might be thought to read.
_CHANGES: list[tuple[str, Any]] = [
    ("date", {"year": 2024, "month": 6, "day": 3, "inferred": []}),
    ("date", {"year": 2024, "month": 6, "day": 2, "inferred": ["day"]}),
    ("date", {"year": 2024, "month": 6, "day": None, "inferred": []}),
    ("date", None),
    ("place", {**_BASE["place"], "venue": "central market"}),
    ("place", {**_BASE["place"], "city": "Tarvik", "lat": -0.2, "lon": 36.0}),
    ("place", {**_BASE["place"], "lat": -1.52, "lon": 37.12}),
    ("place", {**_BASE["place"], "country": "UG"}),
    ("place", {**_BASE["place"], "precision": 3}),
    ("attack_types", ["armed_assault"]),
    ("attack_types", []),
    ("killed", {"min": 70, "max": None, "qualifier": None}),
    ("killed", {"min": 6, "max": None, "qualifier": "at least"}),
    ("killed", None),
    ("wounded", {"min": 400, "max": None, "qualifier": None}),
    ("perpetrators", ["Blue Dawn"]),
    ("perpetrators", []),
    ("targets", ["police officers"]),
    ("victims", ["commuters"]),
    ("weapons", ["firearms"]),
    ("target_type", "police"),
    ("stage", "attempted"),
    ("confidence", 0.2),
]


def _mention(mid: str, published: dt.date | None, **changes: Any) -> MentionInfo:
    article = mid.split(":")[0]
    return MentionInfo(mid, article, published, {**_BASE, **changes})


@pytest.mark.parametrize(("name", "value"), _CHANGES)
@pytest.mark.parametrize("copied", [False, True])
def test_a_change_that_changes_a_decision_changes_the_key(
    name: str, value: Any, copied: bool
) -> None:
    other = _mention("b:0", dt.date(2024, 6, 3))
    before = _mention("a:0", dt.date(2024, 6, 2))
    after = _mention("a:0", dt.date(2024, 6, 2), **{name: value})
    if decide(before, other, copied) != decide(after, other, copied):
        assert decision_key(before) != decision_key(after)


def test_undated_mentions_published_apart_have_different_keys() -> None:
    early = _mention("a:0", dt.date(2024, 6, 2), date=None)
    late = _mention("a:0", dt.date(2024, 7, 20), date=None)
    other = _mention("b:0", dt.date(2024, 6, 3))
    assert decide(early, other) != decide(late, other)
    assert decision_key(early) != decision_key(late)


def test_mentions_differing_outside_the_key_get_one_decision() -> None:
    other = _mention("b:0", dt.date(2024, 6, 3))
    plain = _mention("a:0", dt.date(2024, 6, 2))
    varied = _mention(
        "c:0", dt.date(2024, 6, 2), weapons=["firearms"], confidence=0.1, stage="attempted"
    )
    assert decision_key(plain) == decision_key(varied)
    assert decide(plain, other) == decide(varied, other)
