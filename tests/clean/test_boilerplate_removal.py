"""The plain-text filter drops page junk and keeps the headline and every body paragraph."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from incidex.clean import clean, clean_plain_text
from incidex.models import Article, Document

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
SEED = SHARED / "seed" / "crocus-commentary.txt"
DEV_INPUT = SHARED / "eval" / "dev" / "input.jsonl"

BODY = [
    "Gunmen opened fire on a wedding party in the village of Kerelo on Saturday night, "
    "killing at least seven guests and wounding twenty, the provincial governor said.",
    "The attackers arrived on foot shortly after midnight and fired into the courtyard "
    "where the guests were dancing, according to a relative of the groom.",
    "No group has claimed the attack, which the governor blamed on a local militia that "
    "has fought the army in the hills for several years.",
]
HEADLINE = "Gunmen kill seven at village wedding"


def _document(text: str, media_type: str = "text/plain") -> Document:
    return Document(
        id="t1",
        source="test",
        content_hash="0",
        media_type=media_type,
        raw=text.encode("utf-8"),
        fetched_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
    )


def _cleaned(text: str) -> Article:
    return clean(_document(text))


def test_clean_keeps_headline_and_body_paragraphs() -> None:
    text = "\n\n".join([HEADLINE, *BODY])
    article = _cleaned(text)
    assert article.text == text
    assert article.title == HEADLINE
    assert article.removed == ()


def test_clean_drops_share_and_empty_widget_lines() -> None:
    text = "\n\n".join(
        [
            HEADLINE,
            "No data was found",
            BODY[0],
            "Share on Facebook",
            "Share this page:",
            BODY[1],
            "No results found",
            "Subscribe to our newsletter",
            "Sign up for breaking news alerts",
            BODY[2],
        ]
    )
    assert _cleaned(text).text == "\n\n".join([HEADLINE, *BODY])


def test_clean_drops_navigation_and_wiki_lines() -> None:
    text = "\n".join(
        [
            "Skip to content",
            "Home | News | Sport | Weather",
            "Home > World > Asia",
            HEADLINE,
            "From Wikinews, the free news source you can write!",
            "Jump to navigation Jump to search",
            "",
            BODY[0],
            "",
            "Read more",
            "",
            BODY[1],
            "",
            BODY[2],
        ]
    )
    assert _cleaned(text).text == "\n\n".join([HEADLINE, *BODY])


def test_clean_drops_cookie_notices() -> None:
    text = "\n\n".join(
        [
            "We use cookies to give you the best experience on our website.",
            "Accept all cookies",
            HEADLINE,
            *BODY,
            "By continuing to browse you agree to our use of cookies and our privacy policy.",
        ]
    )
    assert _cleaned(text).text == "\n\n".join([HEADLINE, *BODY])


def test_clean_drops_related_block_with_teasers() -> None:
    text = "\n\n".join(
        [
            HEADLINE,
            *BODY,
            "More stories",
            "Harvest festival draws record crowds",
            "Harvest festival draws record crowds",
            "Organisers said more than ten thousand visitors came to the fair over the…",
            "New ferry route links the islands",
            "The first boat left the harbour on Tuesday with two hundred passengers on...",
        ]
    )
    article = _cleaned(text)
    assert article.text == "\n\n".join([HEADLINE, *BODY])
    assert "Harvest festival draws record crowds" in article.removed
    assert "More stories" in article.removed


def test_clean_resumes_body_after_related_block() -> None:
    text = "\n\n".join(
        [HEADLINE, BODY[0], "Related articles", "Harvest festival draws record crowds", *BODY[1:]]
    )
    assert _cleaned(text).text == "\n\n".join([HEADLINE, *BODY])


def test_clean_drops_inline_related_link() -> None:
    text = "\n\n".join([HEADLINE, BODY[0], "Related: Army sends troops to the hills", *BODY[1:]])
    assert _cleaned(text).text == "\n\n".join([HEADLINE, *BODY])


def test_clean_keeps_headline_once() -> None:
    text = "\n\n".join([HEADLINE, HEADLINE, BODY[0], BODY[1], HEADLINE, BODY[2]])
    article = _cleaned(text)
    assert article.text == "\n\n".join([HEADLINE, *BODY])
    assert article.text.count(HEADLINE) == 1


def test_clean_drops_everything_after_end_heading() -> None:
    text = "\n\n".join(
        [HEADLINE, *BODY, "Sources", "Provincial police statement, 12 March", "Local radio report"]
    )
    assert _cleaned(text).text == "\n\n".join([HEADLINE, *BODY])


def test_clean_keeps_end_heading_word_before_any_prose() -> None:
    # A "Comments" button above the story must not swallow the story.
    text = "\n\n".join([HEADLINE, "Comments", *BODY])
    assert _cleaned(text).text == "\n\n".join([HEADLINE, *BODY])


def test_clean_keeps_hard_wrapped_lines_adjacent() -> None:
    wrapped = "POLICE SAID THAT A BOMB EXPLODED AT THE\nTOWN HALL TODAY, KILLING TWO GUARDS."
    result = clean_plain_text(f"  {wrapped}\n\n\nTHE MAYOR WAS NOT HURT.\n")
    assert result.text == f"{wrapped}\n\nTHE MAYOR WAS NOT HURT."
    assert len(result.segments) == 2


def test_clean_keeps_dateline_and_date_lines() -> None:
    text = "\n\n".join(["Friday, March 3, 2023", "KABUL —", HEADLINE, *BODY])
    assert _cleaned(text).text == text


def test_clean_rejects_text_that_is_all_junk() -> None:
    from incidex.errors import InputError

    with pytest.raises(InputError, match="no text"):
        _cleaned("Share this page:\n\nNo data was found\n\n   \n")


@pytest.mark.skipif(not SEED.exists(), reason="shared seed article not present")
def test_clean_seed_article_keeps_body_and_drops_junk() -> None:
    raw = SEED.read_text(encoding="utf-8")
    article = _cleaned(raw)
    text = article.text
    for junk in ("No data was found", "Share this page", "Related content"):
        assert junk not in text
    paragraphs = [p.strip() for p in raw.split("\n\n") if p.strip()]
    headline = paragraphs[0]
    related_at = paragraphs.index("Related content")
    teasers = paragraphs[related_at + 1 :]
    assert teasers, "the seed should have teasers after its related block"
    for teaser in teasers:
        for line in teaser.split("\n"):
            assert line.strip() not in text
    assert text.startswith(headline + "\n\n")
    assert text.count(headline) == 1
    body = [p for p in paragraphs[1:related_at] if len(p.split()) > 20]
    assert len(body) >= 5
    for paragraph in body:
        assert paragraph in text
    assert article.language == "en"


@pytest.mark.skipif(not DEV_INPUT.exists(), reason="shared dev set not present")
def test_clean_dev_articles_keep_most_of_their_text() -> None:
    import json

    for line in DEV_INPUT.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        article = _cleaned(record["text"])
        assert "Jump to navigation" not in article.text
        assert "From Wikinews, the free news source" not in article.text
        first_prose = next(
            line.strip() for line in record["text"].split("\n") if len(line.split()) > 20
        )
        assert first_prose in article.text, record["id"]
        for seg in article.segments:
            assert (
                article.text[seg.clean_start : seg.clean_start + seg.length]
                == record["text"][seg.raw_start : seg.raw_start + seg.length]
            )


def test_clean_drops_captions_trailers_and_social_counts() -> None:
    text = "\n\n".join(
        [
            HEADLINE,
            "Image caption, Relatives gathered outside the hospital",
            "Listen to this article",
            "Share 12 Tweet 4 Email",
            *BODY,
            "Reporting by Jane Roe; Editing by John Doe",
            "Copyright 2024 Example Media. All rights reserved.",
        ]
    )
    assert _cleaned(text).text == "\n\n".join([HEADLINE, *BODY])


def test_clean_keeps_repeated_fragments_of_wrapped_wire_copy() -> None:
    first = (
        "GUERRILLAS ATTACKED A POWER STATION NEAR THE CAPITAL OF SAN\n"
        "SALVADOR.\n"
        "THE ARMY SAID THREE GUARDS WERE KILLED IN THE FIGHTING THAT\n"
        "FOLLOWED."
    )
    second = (
        "A SPOKESMAN FOR THE ARMED FORCES SAID THE REBELS FLED TOWARD\n"
        "SALVADOR.\n"
        "POLICE ARRESTED TWO MEN IN CONNECTION WITH THE ATTACK ON THE\n"
        "STATION."
    )
    text = f"{first}\n\n{second}"
    article = _cleaned(text)
    assert article.text == text
    assert article.removed == ()


def test_clean_drops_wrapped_junk_paragraph_as_one_unit() -> None:
    body = (
        "THE MAYOR OF THE TOWN SAID THAT A BOMB EXPLODED IN THE MARKET\n"
        "SQUARE ON TUESDAY, KILLING TWO VENDORS AND WOUNDING FOUR OTHERS."
    )
    junk = "SHARE THIS PAGE:"
    article = _cleaned(f"{body}\n\n{junk}\n\n{body.lower()}")
    assert junk in article.removed
    # The repeat, differing only in case, is a duplicate of the whole wrapped paragraph.
    assert article.text == body


def test_removed_with_rules_names_the_rule() -> None:
    from incidex.clean import removed_with_rules

    text = "\n\n".join([HEADLINE, "Skip to content", *BODY, "Related content", "A teaser"])
    assert removed_with_rules(text) == [
        ("Skip to content", "line_pattern"),
        ("Related content", "block_heading"),
        ("A teaser", "teaser"),
    ]
