"""HTML pages clean to exactly their article body, with title, date, site and author."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from incidex.clean import clean, looks_like_html
from incidex.errors import InputError
from incidex.models import Article, Document

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _page(name: str, media_type: str = "text/html", **meta: object) -> Article:
    doc = Document(
        id=name,
        source=str(FIXTURES / name),
        content_hash="0",
        media_type=media_type,
        raw=(FIXTURES / name).read_bytes(),
        fetched_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        **meta,  # type: ignore[arg-type]
    )
    return clean(doc)


MARKET_BODY = "\n\n".join(
    [
        "A bomb hidden in a vegetable cart exploded at the crowded Harbourtown market on Sunday "
        "morning, killing at least nine people and wounding 31 others, the regional police chief "
        "said.",
        "Witnesses described a loud explosion shortly after ten o'clock, when the market is "
        "busiest, followed by panic as shoppers ran towards the river road. Several stalls caught "
        "fire and burned for more than an hour.",
        "No group has claimed responsibility for the attack. The interior minister told reporters "
        "that investigators were examining fragments of the device and interviewing traders who "
        "had seen the cart arrive.",
        "The injured were taken to the two hospitals in the district, where doctors said four of "
        "them were in a critical condition.",
    ]
)
CHECKPOINT_BODY = "\n\n".join(
    [
        "Armed men on motorcycles opened fire on an army checkpoint outside the town of Valdoro "
        "late on Wednesday, killing three soldiers and a civilian driver, the defence ministry "
        "said in a statement.",
        "The attackers fled into the hills after a gunfight that lasted about twenty minutes, "
        "according to a local official who asked not to be named. Two of the assailants were "
        "wounded and later arrested at a farm.",
        "A spokesman for the Northern Liberation Front said the group had carried out the raid in "
        "retaliation for the arrest of its commanders, a claim the ministry did not confirm.",
    ]
)
EMBASSY_BODY = "\n\n".join(
    [
        "A car packed with explosives blew up outside a foreign embassy in Port Amara on Friday "
        "afternoon, wounding twelve people, including two security guards, police said.",
        "The blast shattered windows along the avenue and left a deep crater in front of the "
        "embassy gate. Firefighters put out burning vehicles while ambulances carried the wounded "
        "to the central hospital.",
        "Police said the driver had parked the car minutes before the explosion and walked away. "
        "Officers were studying footage from nearby shops to identify him.",
        "The foreign ministry condemned the bombing and said the embassy would remain closed "
        "until further notice.",
    ]
)
HOSTAGE_BODY = "\n\n".join(
    [
        "Fighters from an armed rebel group stormed a fishing camp on the shore of Lake Orun "
        "before dawn on Saturday and took fourteen fishermen hostage, the district commissioner "
        "said.",
        "The commissioner said the gunmen arrived in three boats, set fire to the drying racks and "
        "forced the men to march into the forest. Relatives said the rebels later demanded a "
        "ransom by telephone.",
        "Security forces have begun searching the forest with the help of local hunters, a "
        "military spokesman said on Sunday.",
    ]
)

PAGES = [
    (
        "market_bombing.html",
        MARKET_BODY,
        "Bomb blast at Harbourtown market kills nine",
        dt.date(2023, 5, 14),
        "Eastern Courier",
        "Maria Velasco",
    ),
    (
        "checkpoint_attack.html",
        CHECKPOINT_BODY,
        "Gunmen attack army checkpoint near Valdoro",
        dt.date(2022, 11, 3),
        "Northern Star Daily",
        "Tomas Reyes",
    ),
    (
        "embassy_car_bomb.html",
        EMBASSY_BODY,
        "Car bomb outside embassy in Port Amara wounds twelve",
        dt.date(2021, 8, 27),
        "Coastal Wire",
        "Amina Diallo",
    ),
    (
        "junk_inside_article.html",
        HOSTAGE_BODY,
        "Rebels seize hostages at Lake Orun fishing camp",
        dt.date(2020, 2, 9),
        "Inland Herald",
        "Kofi Mensah",
    ),
]


@pytest.mark.parametrize(("name", "body", "title", "published", "site", "author"), PAGES)
def test_clean_html_page_gives_body_and_metadata(
    name: str, body: str, title: str, published: dt.date, site: str, author: str
) -> None:
    article = _page(name)
    assert article.text == body
    assert article.title == title
    assert article.published == published
    assert article.site == site
    assert article.author == author
    assert article.language == "en"
    assert article.segments == ()


def test_clean_html_drops_junk_inside_article_element() -> None:
    article = _page("junk_inside_article.html")
    for junk in ("No data was found", "Share this page:", "Related content"):
        assert junk in article.removed
    assert "Fishing season opens early this year" not in article.text
    assert "Army sends reinforcements" not in article.text


def test_clean_html_input_metadata_wins_over_page() -> None:
    article = _page(
        "market_bombing.html",
        title="Nine dead in market bombing",
        published=dt.date(2023, 5, 15),
        site="Wire copy",
        url="https://example.org/market",
    )
    assert article.title == "Nine dead in market bombing"
    assert article.published == dt.date(2023, 5, 15)
    assert article.site == "Wire copy"
    assert article.url == "https://example.org/market"
    assert article.author == "Maria Velasco"


def test_clean_sniffs_html_sent_as_plain_text() -> None:
    article = _page("embassy_car_bomb.html", media_type="text/plain")
    assert article.text == EMBASSY_BODY
    assert article.site == "Coastal Wire"


def test_clean_survives_malformed_html() -> None:
    article = _page("malformed.html")
    assert article.text.startswith("Police said a grenade was thrown at a bus station")
    assert "var x" not in article.text


def test_clean_html_without_text_raises_input_error() -> None:
    doc = Document(
        id="empty",
        source="empty.html",
        content_hash="0",
        media_type="text/html",
        raw=b"<html><head><script>var a = 1;</script></head><body><nav>Home</nav></body></html>",
        fetched_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
    )
    with pytest.raises(InputError, match="no text"):
        clean(doc)


def test_looks_like_html_tells_pages_from_prose() -> None:
    assert looks_like_html("<!DOCTYPE html><html><body><p>x</p></body></html>")
    assert looks_like_html("\n  <html lang='en'><p>x</p>")
    assert not looks_like_html("Police said 3 < 4 and the <b> tag was not used.")
