"""Dates written in an article, resolved against its publication date.

Regular expressions built from ``data/dates.json`` find absolute dates ("22 March 2024",
"March 22", "March 2024", "in 2014"), datelines ("KABUL, June 3 (Reuters) -",
"BOGOTA, 3 JAN 90 --", a "Friday, December 25, 2009" line at the top) and relative ones
("yesterday", "on Friday", "Saturday's attack", "last week", "two days ago"). Parts not
written in the text are listed in ``PartialDate.inferred``. Without a publication date, a
month and day plus the weekday of the attack ("Friday's attack" ... "the March 22
incursion") give the latest year, not after today, in which that day was that weekday.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from ..data import load_data
from ..models import Evidence, Fact, PartialDate
from .actors import group_mentions
from .context import Context
from .numbers import parse_number_words

__all__ = ["DateKind", "DateMention", "find_dates", "months_ago", "weekday_year"]

DateKind = Literal["absolute", "relative", "weekday", "dateline", "published"]
_ALL = frozenset({"year", "month", "day"})
_DATELINE_REACH = 400
_YEARS_BACK = 28  # the calendar repeats every 28 years: no weekday rule looks further


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date written (or implied) in one sentence, with the kind of expression it was."""

    fact: Fact[PartialDate]
    sent_index: int
    kind: DateKind


@dataclass(frozen=True, slots=True)
class _Weekday:
    """A weekday named in the text that the publication date could not resolve."""

    weekday: int
    start: int
    end: int
    about_event: bool


@lru_cache(maxsize=1)
def _lex() -> dict[str, Any]:
    data: dict[str, Any] = load_data("dates.json")
    return data


def _alternation(words: Any) -> str:
    """Return a pattern matching any of the phrases, their words apart by any whitespace
    (wire copy breaks its lines anywhere: "THIS\nMORNING")."""
    phrases = sorted(words, key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in phrases)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    lex = _lex()
    names = sorted(lex["months"], key=len, reverse=True)
    # The dot belongs to abbreviations only: "Jan. 5", but not "4 January." ending a sentence.
    abbreviations = {n for n in names if any(o != n and o.startswith(n) for o in names)}
    mon = "(?P<mon>" + "|".join(
        re.escape(n) + (r"\.?" if n in abbreviations else "") for n in names
    )
    mon += ")"
    wd = rf"(?:(?P<wd>{_alternation(lex['weekdays'])}),?\s+)?"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    year4 = r"(?P<year>(?:1[89]|20)\d\d)"
    dmy_year = r"(?P<year>(?:1[89]|20)\d\d|\d\d(?=\s*(?:--|\(|-|–|—|$)))"
    rel = {**lex["relative_days"], **lex["relative_periods"], **lex["relative_months"]}
    rel.update(lex["relative_years"])
    flags = re.IGNORECASE | re.MULTILINE
    return {
        "mdy": re.compile(rf"\b{wd}{mon}\s+{day}\b(?:,?\s+{year4}\b)?", flags),
        "dmy": re.compile(rf"\b{wd}{day}\s+(?:of\s+)?{mon}(?:,?\s+{dmy_year}\b)?", flags),
        "my": re.compile(rf"\b{mon},?\s+(?:of\s+)?{year4}\b", flags),
        "year": re.compile(rf"\b{year4}\b(?![.,]?\d)", flags),
        "ago": re.compile(
            r"\b(?P<n>\d+|[a-z]+)\s+(?P<unit>" + _alternation(lex["days_ago_units"]) + r")\s+ago\b",
            flags,
        ),
        "rel": re.compile(rf"\b(?P<rel>{_alternation(rel)})\b", flags),
        # "in January", "during March": a month without day or year
        "month": re.compile(
            rf"\b(?:{_alternation(lex['month_prepositions'])})\s+"
            rf"(?P<mon>{_alternation(_full_month_names())})\b(?!\s*,?\s*\d)",
            flags,
        ),
        "weekday": re.compile(
            r"\b(?:(?P<mod>last|past|next|coming|this|on)\s+)?"
            rf"(?P<wd>{_alternation(lex['weekdays'])})(?P<poss>['’]s)?\b",
            flags,
        ),
    }


def _full_month_names() -> list[str]:
    """Return the month names that abbreviate no longer name of their month."""
    months: dict[str, int] = _lex()["months"]
    return [
        n
        for n, k in months.items()
        if not any(o != n and o.startswith(n) and v == k for o, v in months.items())
    ]


@lru_cache(maxsize=1)
def _months_ago_pattern() -> re.Pattern[str]:
    units = _alternation(_lex()["months_ago_units"])
    return re.compile(rf"\b(?P<n>\d+|[a-z]+)\s+(?P<unit>{units})\s+ago\b", re.IGNORECASE)


def months_ago(text: str) -> int | None:
    """Return how many months back a date text counts in months, years or decades ("two
    months ago" 2, "ten years ago" 120), or None when it counts none. Wire text dates a
    recalled attack so with no year the publication date would place ("10 YEARS AGO")."""
    m = _months_ago_pattern().search(text)
    if m is None:
        return None
    word = m.group("n").lower()
    n = 1 if word in ("a", "an") else parse_number_words([word])
    if n is None:
        return None
    return int(n) * int(_lex()["months_ago_units"][m.group("unit").lower()])


def weekday_year(month: int, day: int, weekday: int, today: dt.date) -> int | None:
    """Return the latest year, not after ``today``'s, in which ``month``/``day`` fell on
    ``weekday`` (0 = Monday) and was not later than ``today``; None when none within the
    28-year calendar cycle."""
    for year in range(today.year, today.year - _YEARS_BACK - 1, -1):
        try:
            day_date = dt.date(year, month, day)
        except ValueError:
            continue
        if day_date <= today and day_date.weekday() == weekday:
            return year
    return None


def _month(word: str) -> int:
    return int(_lex()["months"][word.lower().rstrip(".")])


def _weekday(word: str) -> int:
    return int(_lex()["weekdays"][word.lower()])


def _full_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        pivot = int(_lex()["two_digit_year_pivot"])
        return 2000 + year if year < pivot else 1900 + year
    return year


def _valid(year: int | None, month: int, day: int) -> bool:
    try:
        dt.date(year or 2000, month, day)
    except ValueError:
        return False
    return True


def _year_from_published(month: int, day: int, published: dt.date) -> int:
    # A day later in the year than the publication happened the year before
    # ("30 December" in a 3 January report).
    year = published.year
    if (month, day) > (published.month, published.day):
        return year - 1
    return year


class _Finder:
    """Scans one article; remembers which characters earlier patterns already took."""

    def __init__(self, ctx: Context, today: dt.date) -> None:
        self.ctx = ctx
        self.text: str = ctx.article.text
        self.lowered = _lowered_ascii(self.text)
        self.published = ctx.article.published or _reference_date(self.text)
        self.today = today
        # A date in a group's name ("the 19 April Movement") dates nothing.
        self.taken: list[tuple[int, int]] = [(g.start, g.end) for g in group_mentions(ctx.doc)]
        self.out: list[DateMention] = []
        self.open_days: list[tuple[int, int, int, int, int | None]] = []
        self.weekdays: list[_Weekday] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self.taken)

    def add(self, date: PartialDate, start: int, end: int, kind: DateKind, rule: str) -> None:
        self.taken.append((start, end))
        evidence = self.ctx.evidence(start, end)
        fact = Fact(date, (evidence,), f"dates.{rule}")
        self.out.append(DateMention(fact, self.ctx.sentence_index(start), kind))

    def matches(self, name: str) -> Iterator[re.Match[str]]:
        """Yield the matches of pattern ``name`` in characters no date took yet; in ASCII
        text their groups may be in lower case (``_lowered_ascii``)."""
        if self.lowered is None:
            found = _patterns()[name].finditer(self.text)
        else:
            found = _case_sensitive_patterns()[name].finditer(self.lowered)
        for m in found:
            if self.free(m.start(), m.end()):
                yield m


def _lowered_ascii(text: str) -> str | None:
    """Return ``text`` in lower case when it is ASCII (wire copy), else None. The patterns
    spell their words in lower case, so in such text they find the same spans without
    matching case-blind (several times slower), and lower-casing ASCII keeps every offset."""
    return text.lower() if text.isascii() else None


@lru_cache(maxsize=1)
def _case_sensitive_patterns() -> dict[str, re.Pattern[str]]:
    """Return ``_patterns()`` matching case-sensitively, for text in lower case."""
    return {
        name: re.compile(p.pattern, p.flags & ~re.IGNORECASE) for name, p in _patterns().items()
    }


def _reference_date(text: str) -> dt.date | None:
    """Return the date an undated article was written on: its dateline, else the latest
    full date it gives ("January 16, 2013" under a photo), else None."""
    full: list[tuple[int, dt.date]] = []
    for name in ("mdy", "dmy"):
        for m in _patterns()[name].finditer(text):
            if not m.group("year"):
                continue
            try:
                day = dt.date(
                    _full_year(m.group("year")), _month(m.group("mon")), int(m.group("day"))
                )
            except ValueError:
                continue
            if _dateline_kind(text, m.start(), PartialDate(), None) is not None:
                return day
            full.append((m.start(), day))
    return max(d for _, d in full) if full else None


def _dateline_kind(
    text: str, start: int, date: PartialDate, published: dt.date | None
) -> DateKind | None:
    """Return "dateline", "published" or "" for a date at ``start``: a date line at the
    top ("Friday, December 25, 2009"), or a "CITY, date" line opening a wire story."""
    if start > _DATELINE_REACH:
        return None
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    line_end = text.find("\n", start)
    after = text[start : line_end if line_end >= 0 else len(text)]
    if not before.strip() and _rest_is_date_only(after):
        same = published is not None and date.iso() == published.isoformat()
        return "published" if same else "dateline"
    if re.fullmatch(r"\s*[A-Z][A-Za-z .'’-]{1,40},\s*", before):
        return "dateline"
    return None


def _rest_is_date_only(line: str) -> bool:
    m = _patterns()["mdy"].match(line) or _patterns()["dmy"].match(line)
    return m is not None and not line[m.end() :].strip(" ,.")


def _absolute(f: _Finder) -> None:
    """Record day-month dates ("March 22, 2024", "22 March", "3 JAN 90")."""
    found = [*f.matches("mdy"), *f.matches("dmy")]
    found.sort(key=lambda m: (m.start(), -(m.end() - m.start())))
    for m in found:
        if not f.free(m.start(), m.end()):
            continue
        month, day = _month(m.group("mon")), int(m.group("day"))
        year = _full_year(m.group("year")) if m.group("year") else None
        if not _valid(year, month, day) or day == 0:
            continue
        _record_day(f, m, year, month, day)


def _record_day(f: _Finder, m: re.Match[str], year: int | None, month: int, day: int) -> None:
    written_wd = _weekday(m.group("wd")) if m.group("wd") else None
    if year is not None:
        date = PartialDate(year, month, day)
        kind = _dateline_kind(f.text, m.start(), date, f.published) or "absolute"
        f.add(date, m.start(), m.end(), kind, "day_month_year")
        return
    if f.published is not None:
        year = _year_from_published(month, day, f.published)
        date = PartialDate(year, month, day, frozenset({"year"}))
        kind = _dateline_kind(f.text, m.start(), date, None) or "absolute"
        f.add(date, m.start(), m.end(), kind, "day_month_published_year")
        return
    f.taken.append((m.start(), m.end()))
    f.open_days.append((m.start(), m.end(), month, day, written_wd))


def _month_years(f: _Finder) -> None:
    for m in f.matches("my"):
        date = PartialDate(int(m.group("year")), _month(m.group("mon")))
        f.add(date, m.start(), m.end(), "absolute", "month_year")


def _months(f: _Finder) -> None:
    """Record a month named alone ("in January") as the latest such month on or before
    publication, its year inferred."""
    pub = f.published
    if pub is None:
        return
    for m in f.matches("month"):
        month = _month(m.group("mon"))
        # the month's first day is on or before publication exactly when the month is
        date = PartialDate(_year_from_published(month, 1, pub), month, None, frozenset({"year"}))
        f.add(date, m.start("mon"), m.end("mon"), "absolute", "month_published_year")


def _years(f: _Finder) -> None:
    """Record bare years, only where the words around make them dates ("in 2014",
    "the 2014 abduction" tagged DATE by spaCy), not counts ("2000 people")."""
    preps = set(_lex()["year_prepositions"])
    for m in f.matches("year"):
        before = f.text[max(0, m.start() - 12) : m.start()].split()
        tok = _token_at(f.ctx, m.start())
        # "the 2014 abduction" is a year; "2000 fighters" (a plural noun) is a count.
        counts = tok is not None and tok.dep_ == "nummod" and tok.head.tag_ in ("NNS", "NNPS")
        is_date = tok is not None and tok.ent_type_ == "DATE" and not counts
        if (before and before[-1].lower() in preps) or is_date:
            f.add(PartialDate(int(m.group("year"))), m.start(), m.end(), "absolute", "year")


def _token_at(ctx: Context, char: int) -> Any:
    span = ctx.doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _relative(f: _Finder) -> None:
    """Record "yesterday", "last week", "three days ago"... against the publication date."""
    pub = f.published
    if pub is None:
        return
    lex = _lex()
    for m in f.matches("ago"):
        n = parse_number_words([m.group("n")]) if m.group("n").lower() not in ("a", "an") else 1
        if n is None:
            continue
        unit = int(lex["days_ago_units"][m.group("unit").lower()])
        day = pub - dt.timedelta(days=n * unit)
        f.add(_from_day(day, unit == 1), m.start(), m.end(), "relative", "days_ago")
    for m in f.matches("rel"):
        phrase = " ".join(m.group("rel").lower().split())
        f.add(_relative_date(phrase, pub), m.start(), m.end(), "relative", "relative_word")


def _from_day(day: dt.date, with_day: bool) -> PartialDate:
    if with_day:
        return PartialDate(day.year, day.month, day.day, _ALL)
    return PartialDate(day.year, day.month, None, frozenset({"year", "month"}))


def _relative_date(phrase: str, pub: dt.date) -> PartialDate:
    """Return the date a relative phrase names, given the publication date."""
    lex = _lex()
    if phrase in lex["relative_days"]:
        return _from_day(pub + dt.timedelta(days=int(lex["relative_days"][phrase])), True)
    if phrase in lex["relative_periods"]:
        return _from_day(pub + dt.timedelta(days=int(lex["relative_periods"][phrase])), False)
    if phrase in lex["relative_months"]:
        back = -int(lex["relative_months"][phrase])
        month_index = pub.year * 12 + pub.month - 1 - back
        return PartialDate(month_index // 12, month_index % 12 + 1, None, frozenset({"year"}))
    year = pub.year + int(lex["relative_years"][phrase])
    return PartialDate(year, None, None, frozenset({"year"}))


def _weekdays(f: _Finder) -> None:
    """Record "on Friday", "Saturday's attack", "last Tuesday" as the most recent such
    day on or before publication ("last": strictly before); future ones are skipped."""
    future = set(_lex()["weekday_future"])
    previous = set(_lex()["weekday_previous"])
    for m in f.matches("weekday"):
        mod = (m.group("mod") or "").lower()
        if mod in future or _is_future(f.ctx, m.start("wd")):
            continue
        wd = _weekday(m.group("wd"))
        start = m.start() if mod in previous else m.start("wd")
        end = m.end("wd")
        if f.published is None:
            about = _about_event(f.ctx, m.start("wd"), bool(m.group("poss")))
            f.weekdays.append(_Weekday(wd, start, end, about))
            continue
        back = (f.published.weekday() - wd) % 7
        if mod in previous and back == 0:
            back = 7
        day = f.published - dt.timedelta(days=back)
        f.add(_from_day(day, True), start, end, "weekday", "weekday")


def _is_future(ctx: Context, char: int) -> bool:
    """Return True when the weekday dates something to come ("will be observed on Sunday")."""
    tok = _token_at(ctx, char)
    if tok is None:
        return False
    for node in (tok, *tok.ancestors):
        if any(c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll") for c in node.children):
            return True
        if node.pos_ in ("VERB", "AUX"):
            return False
    return False


def _about_event(ctx: Context, char: int, possessive: bool) -> bool:
    """Return True when the weekday dates an attack: "Friday's attack", or a sentence that
    names one ("the blast on Friday")."""
    events = set(_lex()["event_nouns"])
    tok = _token_at(ctx, char)
    if tok is None:
        return False
    if possessive:
        return tok.head.lemma_.lower() in events or tok.head.lower_ in events
    sent = tok.sent
    return any(t.lemma_.lower() in events or t.lower_ in events for t in sent)


def _weekday_rule(f: _Finder) -> None:
    """Give a year to month-day dates of an undated article from the attack's weekday."""
    for start, end, month, day, written in f.open_days:
        if written is not None:
            year = weekday_year(month, day, written, f.today)
            evidence: tuple[Evidence, ...] = (f.ctx.evidence(start, end),)
        else:
            best = _best_weekday(f, month, day)
            year = best[0] if best else None
            evidence = (f.ctx.evidence(start, end),)
            if best is not None:
                evidence = (evidence[0], f.ctx.evidence(best[1].start, best[1].end))
        date = PartialDate(year, month, day, frozenset({"year"}) if year else frozenset())
        rule = "dates.weekday_year" if year else "dates.day_month"
        mention = DateMention(Fact(date, evidence, rule), f.ctx.sentence_index(start), "absolute")
        f.out.append(mention)


def _best_weekday(f: _Finder, month: int, day: int) -> tuple[int, _Weekday] | None:
    """Return (year, weekday mention) for the weekday that dates the attack: one named
    with an attack word, and of those the one giving the latest year."""
    options: list[tuple[int, _Weekday]] = []
    for wd in f.weekdays:
        if not wd.about_event:
            continue
        year = weekday_year(month, day, wd.weekday, f.today)
        if year is not None:
            options.append((year, wd))
    return max(options, key=lambda o: o[0]) if options else None


def find_dates(ctx: Context, today: dt.date | None = None) -> list[DateMention]:
    """Return the dates of the article in text order, each with the parts it gives and
    the parts inferred from the publication date or the weekday rule."""
    f = _Finder(ctx, today or dt.date.today())
    _absolute(f)
    _month_years(f)
    _months(f)
    _years(f)
    _relative(f)
    _weekdays(f)
    _weekday_rule(f)
    f.out.sort(key=lambda d: _first(d.fact.evidence).start)
    return f.out


def _first(evidence: tuple[Evidence, ...]) -> Evidence:
    return evidence[0]
