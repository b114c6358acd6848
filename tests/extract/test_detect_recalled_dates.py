"""An attack told as happening long before the report ("ten years ago", "two months ago")
is recalled background, in wire text as in modern news; one a few days or weeks back is
the report's news."""

from __future__ import annotations

import pytest
from tests.extract.parsing import MODERN, WIRE, extracted

from incidex.extract.dates import months_ago


def _live_and_recalled(text: str) -> tuple[int, int]:
    mentions = extracted(text).mentions
    live = sum(not m.background for m in mentions)
    return live, len(mentions) - live


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("two months ago", 2),
        ("TEN YEARS AGO", 120),
        ("a decade ago", 120),
        ("8 months ago", 8),
        ("three days ago", None),
        ("last year", None),
    ],
)
def test_months_ago_counts_months_years_and_decades(text: str, months: int | None) -> None:
    assert months_ago(text) == months


@pytest.mark.parametrize(
    "text",
    [
        WIRE + "THE POLICE SAID TODAY THAT THE MAYOR OF SAN ISIDRO WAS KILLED BY GUERRILLAS TEN "
        "YEARS AGO IN HIS HOUSE.",
        WIRE + "THE TEACHER WHOM THE REBELS KIDNAPPED NINE MONTHS AGO IN SAN ISIDRO WROTE A "
        "LETTER TO HIS FAMILY.",
        MODERN + "The police said the mayor of San Isidro was killed by guerrillas ten years ago "
        "in his house.",
        # wire messages wrap their lines anywhere, inside a date phrase too
        WIRE + "THE POLICE SAID THAT GUERRILLAS KIDNAPPED THE MAYOR OF SAN ISIDRO IN HIS HOUSE "
        "LAST\nYEAR.",
        WIRE + "THE TWO UNION LEADERS LEFT THE COUNTRY TODAY, TWO YEARS AFTER THE KIDNAPPING OF "
        "THREE TEACHERS IN SAN ISIDRO.",
        MODERN + "The two union leaders left the country today, two weeks after the kidnapping "
        "of three teachers in San Isidro.",
    ],
    ids=[
        "wire_ten_years_ago",
        "wire_nine_months_ago",
        "modern_ten_years_ago",
        "wire_last_year_over_two_lines",
        "wire_two_years_after",
        "modern_two_weeks_after",
    ],
)
def test_attack_recalled_from_long_before_is_background(text: str) -> None:
    assert _live_and_recalled(text) == (0, 1)


@pytest.mark.parametrize(
    "text",
    [
        WIRE + "THE POLICE SAID TODAY THAT THE MAYOR OF SAN ISIDRO WAS KILLED BY GUERRILLAS TWO "
        "MONTHS AGO IN HIS HOUSE.",
        MODERN + "The police said the mayor of San Isidro was killed by guerrillas three weeks "
        "ago in his house.",
        # the MUC-4 keys count acts of recent weeks a report sets before its news
        WIRE + "THE TWO UNION LEADERS LEFT THE COUNTRY TODAY, TWO WEEKS AFTER THE KIDNAPPING OF "
        "THREE TEACHERS IN SAN ISIDRO.",
        WIRE + "THE POST OF MAYOR HAS BEEN VACANT SINCE 2 FEBRUARY, WHEN GUERRILLAS SHOT THE "
        "MAYOR OF SAN ISIDRO IN HIS HOUSE.",
    ],
    ids=[
        "wire_two_months_ago",
        "modern_three_weeks_ago",
        "wire_two_weeks_after",
        "wire_vacant_since",
    ],
)
def test_attack_a_few_weeks_or_months_back_stays_live(text: str) -> None:
    assert _live_and_recalled(text) == (1, 0)
