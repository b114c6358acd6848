"""The list's filter form: typed values become store criteria, bad ones become sentences."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs

from incidex.web.listing import parse_form


def test_good_values_become_criteria() -> None:
    form = parse_form(
        {
            "q": " market ",
            "country": "so",
            "attack_type": "bombing_explosion",
            "status": "claimed",
            "since": "2025-01-01",
            "min_killed": "3",
            "sort": "killed_desc",
            "page": "2",
        }
    )
    assert form.errors == ()
    assert form.criteria == {
        "query": "market",
        "country": "SO",
        "attack_type": "bombing_explosion",
        "status": "claimed",
        "since": dt.date(2025, 1, 1),
        "min_killed": 3,
    }
    assert (form.sort, form.page) == ("killed_desc", 2)


def test_bad_values_are_reported_and_not_applied() -> None:
    form = parse_form(
        {
            "country": "France",
            "since": "yesterday",
            "min_killed": "-2",
            "status": "maybe",
            "sort": "x",
        }
    )
    assert form.criteria == {}
    assert len(form.errors) == 5
    assert any("two-letter" in e for e in form.errors)
    assert any("YYYY-MM-DD" in e for e in form.errors)
    assert form.sort == "date_desc"


def test_query_keeps_filters_and_applies_changes() -> None:
    form = parse_form({"country": "NG", "q": "a&b=c", "sort": "date_asc"})
    params = parse_qs(form.query(page=3))
    assert params == {"country": ["NG"], "q": ["a&b=c"], "sort": ["date_asc"], "page": ["3"]}
    assert "page" not in parse_qs(form.query(page=1))
