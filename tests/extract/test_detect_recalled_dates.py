"""An attack told as happening long before the report ("ten years ago", "two months ago")
is recalled background, in wire text as in modern news; one a few days or weeks back is
the report's news."""

from __future__ import annotations

import pytest

from incidex import annotate, clean
from incidex.extract import extract
from incidex.extract.dates import months_ago
from incidex.models import Extraction
from incidex.pipeline import document_from_text


def _extracted(text: str) -> Extraction:
    article = clean.clean(document_from_text(text, id="t", published="1990-03-12"))
    return extract(article, annotate.annotate(article), wire_relevance=False)


def _live_and_recalled(text: str) -> tuple[int, int]:
    mentions = _extracted(text).mentions
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
        "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] THE POLICE SAID TODAY THAT THE MAYOR OF "
        "SAN ISIDRO WAS KILLED BY GUERRILLAS TEN YEARS AGO IN HIS HOUSE.",
        "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] THE TEACHER WHOM THE REBELS KIDNAPPED NINE "
        "MONTHS AGO IN SAN ISIDRO WROTE A LETTER TO HIS FAMILY.",
        "San Isidro, 12 March 1990 -- The police said the mayor of San Isidro was killed "
        "by guerrillas ten years ago in his house.",
    ],
)
def test_attack_dated_by_an_ago_phrase_long_before_is_background(text: str) -> None:
    assert _live_and_recalled(text) == (0, 1)


@pytest.mark.parametrize(
    "text",
    [
        "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] THE POLICE SAID TODAY THAT THE MAYOR OF "
        "SAN ISIDRO WAS KILLED BY GUERRILLAS TWO MONTHS AGO IN HIS HOUSE.",
        "San Isidro, 12 March 1990 -- The police said the mayor of San Isidro was killed "
        "by guerrillas three weeks ago in his house.",
    ],
)
def test_attack_a_few_weeks_or_months_back_stays_live(text: str) -> None:
    assert _live_and_recalled(text) == (1, 0)


def test_wire_date_broken_over_two_lines_still_counts_back() -> None:
    # wire messages wrap their lines anywhere, inside a date phrase too
    text = (
        "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] THE POLICE SAID THAT GUERRILLAS KIDNAPPED THE "
        "MAYOR OF SAN ISIDRO IN HIS HOUSE LAST\nYEAR."
    )
    assert _live_and_recalled(text) == (0, 1)


@pytest.mark.parametrize(
    "text",
    [
        "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] THE TWO UNION LEADERS LEFT THE COUNTRY "
        "TODAY, TWO WEEKS AFTER THE KIDNAPPING OF THREE TEACHERS IN SAN ISIDRO.",
        "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] THE POST OF MAYOR HAS BEEN VACANT SINCE 2 "
        "FEBRUARY, WHEN GUERRILLAS SHOT THE MAYOR OF SAN ISIDRO IN HIS HOUSE.",
    ],
)
def test_wire_attack_set_weeks_before_the_news_stays_live(text: str) -> None:
    # the MUC-4 keys count acts of recent weeks a report sets before its news
    assert _live_and_recalled(text) == (1, 0)


@pytest.mark.parametrize(
    "text",
    [
        "SAN ISIDRO, 12 MAR 90 (RADIO) -- [TEXT] THE TWO UNION LEADERS LEFT THE COUNTRY "
        "TODAY, TWO YEARS AFTER THE KIDNAPPING OF THREE TEACHERS IN SAN ISIDRO.",
        "San Isidro, 12 March 1990 -- The two union leaders left the country today, two "
        "weeks after the kidnapping of three teachers in San Isidro.",
    ],
)
def test_attack_set_years_before_or_in_modern_news_is_background(text: str) -> None:
    assert _live_and_recalled(text) == (0, 1)
