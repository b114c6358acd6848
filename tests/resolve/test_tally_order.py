"""An incident's merged fields come from a tally of its members' votes: adding the members
in any order, all at once or a report at a time, gives the same fields, and ties go to
the value reported first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from incidex.resolve import MentionInfo, Tally, merge


def _report(
    article: str,
    published_day: int,
    *,
    day: int | None,
    venue: str | None,
    country: str | None,
    killed: int | None,
    perpetrators: list[str],
    stage: str = "accomplished",
) -> MentionInfo:
    fields: dict[str, Any] = {
        "date": {"year": 2024, "month": 5, "day": day, "inferred": []},
        "place": {
            "city": "Port Selin" if country else None,
            "country": country,
            "lat": None,
            "lon": None,
            "precision": 1 if country else 4,
            "venue": venue,
        },
        "attack_types": ["bombing", "shooting"] if venue else ["bombing"],
        "perpetrators": perpetrators,
        "killed": {"min": killed, "max": None, "qualifier": None} if killed else None,
        "target_type": "civilians" if venue else "police",
        "stage": stage,
        "confidence": 0.5 + published_day / 100,
    }
    return MentionInfo(f"{article}:0", article, dt.date(2024, 5, published_day), fields)


# Ties everywhere: two days with one vote each, two venues, two perpetrators, two target
# types, two countries, and two reports stating a toll on the latest day.
REPORTS = [
    _report("a", 10, day=9, venue="north gate", country="KE", killed=4, perpetrators=["Red Hand"]),
    _report("b", 11, day=8, venue=None, country="TZ", killed=9, perpetrators=["Blue Line"]),
    _report("c", 12, day=None, venue="old market", country=None, killed=None, perpetrators=[]),
    _report("d", 12, day=9, venue=None, country="KE", killed=7, perpetrators=["Blue Line"]),
    _report("e", 12, day=8, venue=None, country="TZ", killed=11, perpetrators=["Red Hand"]),
    _report("f", 9, day=None, venue=None, country=None, killed=None, perpetrators=[], stage="x"),
]


def _outcome(members: list[MentionInfo], tally: Tally | None = None) -> tuple[Any, ...]:
    inc = merge(members, [], [("a",)], with_sources=False, tally=tally)
    return inc.id, [m.id for m in inc.members], inc.fields, inc.toll_history


def test_ties_go_to_the_value_reported_first() -> None:
    _, members, fields, _ = _outcome(REPORTS)
    assert members[0] == "f:0"
    # Days 9 and 8 have two votes each: the earlier day.
    assert fields["date"]["day"] == 8
    # KE and TZ have two votes each: the name first in order decides, and the place is
    # the most specific one of that country (or of none), the first reported among equals.
    assert fields["place"]["country"] == "KE"
    assert fields["place"]["venue"] == "north gate"
    # The latest reports (day 12) state 7 and 11: the highest minimum.
    assert fields["killed"]["min"] == 11
    assert fields["perpetrators"] == ["Red Hand", "Blue Line"]
    assert fields["stage"] == "accomplished"
    assert fields["confidence"] == 0.62


@settings(max_examples=60, deadline=None)
@given(
    order=st.permutations(range(len(REPORTS))),
    split=st.integers(min_value=0, max_value=len(REPORTS)),
)
def test_any_adding_order_gives_the_fields_of_all_at_once(order: list[int], split: int) -> None:
    expected = _outcome(REPORTS)
    shuffled = [REPORTS[i] for i in order]
    # Some members tallied first (a stored incident), the rest added by the merge.
    tally = Tally.of(shuffled[:split])
    assert _outcome(shuffled, tally) == expected
    assert _outcome(shuffled) == expected
