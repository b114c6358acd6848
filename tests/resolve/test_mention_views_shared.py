"""Mentions kept by the resolver share one object per value for their typed views (the
garbage collector goes over every object they hold): sharing must never change a value,
not even an int into an equal float."""

from __future__ import annotations

import datetime as dt
from typing import Any

from incidex.resolve import MentionInfo


def _fields(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "date": {"year": 2023, "month": 3, "day": 9, "inferred": ["year"]},
        "place": {"city": "Tamsin", "country": "ML", "lat": 14.5, "lon": -3.25, "precision": 1},
        "attack_types": ["armed_assault", "unknown"],
        "killed": {"min": 4, "max": None, "qualifier": "at least"},
        "wounded": None,
        "perpetrators": [],
        "targets": ["villagers"],
        "victims": [],
    }
    return fields | changes


def _mention(i: int, **changes: Any) -> MentionInfo:
    return MentionInfo(f"m{i}", f"a{i}", dt.date(2023, 3, 10), _fields(**changes))


def test_equal_views_are_one_object_and_keep_their_values() -> None:
    a, b = _mention(1), _mention(2)
    assert a.place is b.place and a.date is b.date and a.count("killed") is b.count("killed")
    assert a.attack_types is b.attack_types == frozenset({"armed_assault"})
    assert a.names("perpetrators") is b.names("victims") == frozenset()
    assert a.date is not None and a.date.inferred == frozenset({"year"})
    assert a.target_names() == frozenset({"villagers"})


def test_an_equal_float_does_not_take_the_place_of_an_int() -> None:
    floats = _mention(
        1,
        killed={"min": 4.0, "max": None, "qualifier": "at least"},
        place={"city": "Tamsin", "country": "ML", "lat": 14.0, "lon": -3.0, "precision": 1},
    )
    ints = _mention(
        2,
        killed={"min": 4, "max": None, "qualifier": "at least"},
        place={"city": "Tamsin", "country": "ML", "lat": 14, "lon": -3, "precision": 1},
    )
    killed = ints.count("killed")
    assert killed is not None and type(killed.min) is int
    assert type(ints.place.lat) is int and type(floats.place.lat) is float


def test_equal_name_lists_share_one_set_of_keys() -> None:
    a = _mention(1, perpetrators=["Red Hand Front"], victims=["shoppers"])
    b = _mention(2, perpetrators=["Red Hand Front"], victims=["shoppers"])
    assert a.names("perpetrators") is b.names("perpetrators") == frozenset({"red hand front"})
    assert a.target_names() is b.target_names() == frozenset({"villagers", "shoppers"})
    # Only lists of strings share: a number keeps its own spelling.
    c = _mention(3, perpetrators=[1.0])
    d = _mention(4, perpetrators=[1])
    assert c.names("perpetrators") == frozenset({"1.0"})
    assert d.names("perpetrators") == frozenset({"1"})
