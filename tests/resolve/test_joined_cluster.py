"""A new report that merges with every member of a stored incident joins it without a
re-clustering, and the result is what clustering the whole component gives."""

from __future__ import annotations

import datetime as dt
from typing import Any

from incidex.resolve import MentionInfo, cluster, decide, joined_cluster

DAY = dt.date(2024, 3, 9)


def _report(article: str, venue: str | None, killed: int, published_day: int) -> MentionInfo:
    place: dict[str, Any] = {
        "city": "Port Selin",
        "country": "KE",
        "lat": -1.5,
        "lon": 37.1,
        "precision": 1,
        "venue": venue,
    }
    fields = {
        "date": {"year": 2024, "month": 3, "day": 9, "inferred": []},
        "place": place,
        "attack_types": ["bombing"],
        "killed": {"min": killed, "max": None, "qualifier": "at least"},
    }
    published = dt.date(2024, 3, published_day)
    return MentionInfo(f"{article}:0", article, published, fields)


def _pair(a: MentionInfo, b: MentionInfo) -> Any:
    return decide(a, b)


INCIDENT = [
    _report("first", "central market", 7, 9),
    _report("second", None, 9, 10),
    _report("third", "market", 12, 11),
]


def test_a_report_merging_with_every_member_joins_the_one_incident() -> None:
    (before,) = cluster(INCIDENT, _pair)
    new = _report("fourth", None, 15, 12)
    joined = joined_cluster(before, new, _pair)
    assert joined is not None
    assert [m.article_id for m in joined] == ["first", "second", "third", "fourth"]
    assert [joined] == cluster([*INCIDENT, new], _pair)


def test_a_report_that_conflicts_with_a_member_is_left_to_clustering() -> None:
    (before,) = cluster(INCIDENT, _pair)
    new = _report("fourth", "bus station", 12, 12)
    assert joined_cluster(before, new, _pair) is None
    assert len(cluster([*INCIDENT, new], _pair)) == 2


def test_an_earlier_richer_report_joining_keeps_report_order() -> None:
    (before,) = cluster(INCIDENT[1:], _pair)
    joined = joined_cluster(before, INCIDENT[0], _pair)
    assert joined is not None
    assert [m.article_id for m in joined] == ["first", "second", "third"]
    assert [joined] == cluster(INCIDENT, _pair)
