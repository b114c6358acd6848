"""Every segment of the clean text maps exactly onto the decoded raw text, and clean never
fails on arbitrary input except with InputError."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from incidex.clean import clean, clean_plain_text, decode_text
from incidex.errors import InputError
from incidex.models import Article, Document

_LINES = st.sampled_from(
    [
        "Share this page:",
        "No data was found",
        "Related content",
        "Read more",
        "Home | News | Sport",
        "A short teaser title",
        "A summary that trails off…",
        "Police said two men were arrested after the explosion at the depot on Monday.",
        "The governor condemned the attack and promised to rebuild the school.",
        "",
        "   ",
    ]
)
_TEXTS = st.one_of(
    st.text(),
    st.lists(st.one_of(_LINES, st.text(max_size=40)), max_size=30).map("\n".join),
    st.lists(_LINES, max_size=30).map(lambda lines: "\r\n".join(lines)),
)


def _document(raw: bytes, media_type: str = "text/plain") -> Document:
    return Document(
        id="p1",
        source="prop",
        content_hash="0",
        media_type=media_type,
        raw=raw,
        fetched_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
    )


def _assert_segments_map(article_text: str, raw: str, segments: tuple[object, ...]) -> None:
    covered = 0
    for seg in segments:
        cs, rs, n = seg.clean_start, seg.raw_start, seg.length  # type: ignore[attr-defined]
        assert n > 0
        assert article_text[cs : cs + n] == raw[rs : rs + n]
        covered += n
    # Only the "\n\n" joints between segments are not copied from the raw text.
    assert len(article_text) - covered == 2 * max(len(segments) - 1, 0)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_clean_plain_text_segments_round_trip(text: str) -> None:
    result = clean_plain_text(text)
    _assert_segments_map(result.text, text, result.segments)


@settings(max_examples=200, deadline=None)
@given(_TEXTS)
def test_clean_segments_point_into_decoded_raw(text: str) -> None:
    raw = text.encode("utf-8")
    try:
        article = clean(_document(raw))
    except InputError:
        return
    assert isinstance(article, Article)
    if article.segments:
        _assert_segments_map(article.text, decode_text(raw, "prop"), article.segments)
        first = article.segments[0]
        assert article.raw_offset(first.clean_start) == first.raw_start


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["text/plain", "text/html"]))
def test_clean_never_crashes_on_bytes(raw: bytes, media_type: str) -> None:
    try:
        article = clean(_document(raw, media_type))
    except InputError as err:
        assert err.source == "prop"
        return
    assert article.text.strip()


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_clean_never_crashes_on_html_media_type(text: str) -> None:
    try:
        article = clean(_document(f"<html><body><p>{text}</p></body></html>".encode(), "text/html"))
    except InputError:
        return
    assert article.segments == ()
