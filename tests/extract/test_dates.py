"""Dates: absolute, partial, relative to the publication date, datelines, weekday rule."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from incidex.annotate import load_nlp
from incidex.extract.context import Context
from incidex.extract.dates import DateMention, find_dates, weekday_year
from incidex.models import Article, PartialDate

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
PUBLISHED = datetime.date(2024, 3, 25)  # a Monday
TODAY = datetime.date(2026, 11, 25)
ALL = frozenset({"year", "month", "day"})


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp()


def dates_of(nlp: Any, text: str, published: datetime.date | None = PUBLISHED) -> list[DateMention]:
    art = Article(id="t1", text=text, language="en", published=published)
    return find_dates(Context(art, nlp(text)), today=TODAY)


def values(mentions: list[DateMention]) -> list[PartialDate]:
    return [m.fact.value for m in mentions]


def test_weekday_year_finds_latest_matching_year() -> None:
    assert weekday_year(3, 22, 4, TODAY) == 2024
    assert weekday_year(3, 22, 0, TODAY) == 2021
    assert weekday_year(2, 29, 3, TODAY) == 2024
    assert weekday_year(12, 25, 4, datetime.date(2020, 1, 1)) == 2015


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The bombing happened on 14 February 2019.", PartialDate(2019, 2, 14)),
        ("The bombing happened on February 14, 2019.", PartialDate(2019, 2, 14)),
        ("The bombing happened on Feb. 14, 2019.", PartialDate(2019, 2, 14)),
        ("The bombing happened in October 2019.", PartialDate(2019, 10)),
        ("The group was founded in 2014.", PartialDate(2014)),
        ("The bombing happened on March 2.", PartialDate(2024, 3, 2, frozenset({"year"}))),
        ("The bombing happened on 30 December.", PartialDate(2023, 12, 30, frozenset({"year"}))),
    ],
)
def test_dates_absolute_and_partial(nlp: Any, text: str, expected: PartialDate) -> None:
    found = dates_of(nlp, text)
    assert values(found) == [expected]
    assert found[0].kind == "absolute"


def test_dates_bare_number_is_not_a_year(nlp: Any) -> None:
    assert dates_of(nlp, "The militia has 2000 fighters.") == []


@pytest.mark.parametrize(
    ("text", "expected", "kind"),
    [
        ("A bomb went off yesterday.", PartialDate(2024, 3, 24, ALL), "relative"),
        ("A bomb went off today.", PartialDate(2024, 3, 25, ALL), "relative"),
        ("A bomb went off last night.", PartialDate(2024, 3, 24, ALL), "relative"),
        ("A bomb went off three days ago.", PartialDate(2024, 3, 22, ALL), "relative"),
        ("A bomb went off on Friday.", PartialDate(2024, 3, 22, ALL), "weekday"),
        ("Saturday's attack shocked the town.", PartialDate(2024, 3, 23, ALL), "weekday"),
        ("A bomb went off on Monday.", PartialDate(2024, 3, 25, ALL), "weekday"),
        ("A bomb went off last Monday.", PartialDate(2024, 3, 18, ALL), "weekday"),
        (
            "A bomb went off last week.",
            PartialDate(2024, 3, None, frozenset({"year", "month"})),
            "relative",
        ),
        # wire copy breaks its lines anywhere, inside a date phrase too
        (
            "A BOMB WENT OFF THIS\nMORNING NEAR THE TOWER.",
            PartialDate(2024, 3, 25, ALL),
            "relative",
        ),
        ("A bomb went off last\nnight.", PartialDate(2024, 3, 24, ALL), "relative"),
        # a month alone: the latest such month on or before publication (2024-03-25)
        (
            "The attack took place in January, police said.",
            PartialDate(2024, 1, None, frozenset({"year"})),
            "absolute",
        ),
        (
            "The attack took place in November, police said.",
            PartialDate(2023, 11, None, frozenset({"year"})),
            "absolute",
        ),
        (
            "A bomb went off last month.",
            PartialDate(2024, 2, None, frozenset({"year"})),
            "relative",
        ),
    ],
)
def test_dates_relative_to_published(nlp: Any, text: str, expected: PartialDate, kind: str) -> None:
    found = dates_of(nlp, text)
    assert values(found) == [expected]
    assert found[0].kind == kind


def test_dates_future_weekday_is_skipped(nlp: Any) -> None:
    assert dates_of(nlp, "The victims will be buried on Thursday.") == []


def test_dates_relative_needs_publication_date(nlp: Any) -> None:
    assert dates_of(nlp, "A bomb went off yesterday.", published=None) == []


def test_dates_wire_datelines(nlp: Any) -> None:
    text = "LIMA, 4 FEB 91 (RADIO) -- A CAR BOMB EXPLODED YESTERDAY NEAR THE EMBASSY."
    found = dates_of(nlp, text, published=None)
    assert [(m.kind, m.fact.value) for m in found] == [
        ("dateline", PartialDate(1991, 2, 4)),
        ("relative", PartialDate(1991, 2, 3, ALL)),
    ]
    reuters = "ISLAMABAD, June 3 (Reuters) - A bomb exploded in a market on Sunday."
    found = dates_of(nlp, reuters, published=datetime.date(2023, 6, 4))
    assert found[0].kind == "dateline"
    assert found[0].fact.value == PartialDate(2023, 6, 3, frozenset({"year"}))


def test_dates_top_date_line(nlp: Any) -> None:
    text = "Sunday, May 7, 2023\n\nA gunman opened fire on Saturday in the square."
    found = dates_of(nlp, text, published=datetime.date(2023, 5, 7))
    assert [(m.kind, m.fact.value) for m in found] == [
        ("published", PartialDate(2023, 5, 7)),
        ("weekday", PartialDate(2023, 5, 6, ALL)),
    ]


def test_dates_weekday_rule_without_publication_date(nlp: Any) -> None:
    text = (
        "The March 22 raid on the theatre shocked the country. "
        "On Monday, the minister resigned. Friday's attack was the worst in years."
    )
    found = dates_of(nlp, text, published=None)
    assert values(found) == [PartialDate(2024, 3, 22, frozenset({"year"}))]
    assert found[0].fact.rule == "dates.weekday_year"
    assert [e.text for e in found[0].fact.evidence] == ["March 22", "Friday"]


def test_dates_weekday_written_with_the_day(nlp: Any) -> None:
    found = dates_of(nlp, "Gunmen struck on Friday, March 22, in the capital.", published=None)
    assert values(found) == [PartialDate(2024, 3, 22, frozenset({"year"}))]


def test_dates_evidence_matches_text(nlp: Any) -> None:
    text = "On 5 May 2021 a bomb exploded; another went off yesterday."
    for mention in dates_of(nlp, text):
        for ev in mention.fact.evidence:
            assert text[ev.start : ev.end] == ev.text
        assert mention.fact.rule.startswith("dates.")


def test_dates_seed_article(nlp: Any) -> None:
    path = SHARED / "seed" / "crocus-commentary.txt"
    if not path.exists():
        pytest.skip("shared seed article not available")
    found = dates_of(nlp, path.read_text(encoding="utf-8"), published=None)
    days = {m.fact.value for m in found if m.fact.value.day is not None}
    assert days == {PartialDate(2024, 3, 22, frozenset({"year"}))}


_SHOUTED = (
    "BOGOTA, 3 JAN 90 (EFE) -- ON FRIDAY THE POLICE SAID THAT TWO DAYS AGO, ON "
    "DECEMBER 30, 1989, GUNMEN ATTACKED A BUS; LAST WEEK'S RAID AND THE MARCH 1989 "
    "AMBUSH WERE IN 1988. SATURDAY'S BLAST CAME YESTERDAY, 2 OF JANUARY.",
    "On Tuesday, March 5 2024 a bomb went off; three weeks ago another one did, in 2019.",
)


@pytest.mark.parametrize("text", _SHOUTED)
def test_ascii_text_is_scanned_in_lower_case_with_the_same_spans(text: str) -> None:
    """Wire text is matched case-sensitively in its lower-case copy: every pattern must find
    the spans it finds case-blind in the text itself, with the same groups but for case."""
    from incidex.extract.dates import _case_sensitive_patterns, _lowered_ascii, _patterns

    lowered = _lowered_ascii(text)
    assert lowered is not None
    for name, pattern in _patterns().items():
        blind = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
        fast = [
            (m.span(), m.groupdict()) for m in _case_sensitive_patterns()[name].finditer(lowered)
        ]
        assert [(s, {k: v and v.lower() for k, v in g.items()}) for s, g in blind] == fast
    assert any(_patterns()[name].search(text) for name in ("dmy", "ago", "rel", "weekday", "my"))


def test_non_ascii_text_is_scanned_case_blind() -> None:
    from incidex.extract.dates import _lowered_ascii

    assert _lowered_ascii("“ON FRIDAY”") is None


def test_dates_in_a_group_name_date_nothing(nlp: Any) -> None:
    # M-19 is named for a date; its name is no date of the attack
    text = "Rebels of the 19 April Movement attacked a police post on 3 March 2024."
    assert values(dates_of(nlp, text)) == [PartialDate(2024, 3, 3)]
