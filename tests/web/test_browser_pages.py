"""The pages in real headless Chromium over the real server: list, filters, incident,
map, timeline, paste, phone width, and hostile article text that must stay inert."""

from __future__ import annotations

from typing import Any

from incidex_web_helpers import HOSTILE_TEXT, HOSTILE_TITLE, LITERAL, TOKEN, GuardedPage

from incidex.store import Store


def _rows(page: Any) -> Any:
    return page.locator("table.incidents tbody tr")


def test_list_loads_and_filters_by_country(web_page: GuardedPage) -> None:
    web_page.goto("/")
    assert _rows(web_page.page).count() >= 6
    web_page.shot("list")
    web_page.page.fill("input[name=country]", "SO")
    web_page.page.click("form.filters button[type=submit]")
    web_page.page.wait_for_url("**country=SO**")
    rows = _rows(web_page.page)
    assert rows.count() >= 1
    places = rows.locator("td:nth-child(2) a").all_inner_texts()
    assert all(p.endswith(", SO") for p in places), places
    web_page.shot("list-filtered-SO")
    assert web_page.guard.problems() == []


def test_incident_page_shows_facts_claims_and_toll_chart(web_page: GuardedPage) -> None:
    web_page.goto("/?country=SO")
    web_page.page.click("table.incidents tbody tr:first-child td:nth-child(2) a")
    web_page.page.wait_for_selector("#toll-chart[data-ready=true] canvas")
    page = web_page.page
    assert "/incidents/" in page.url
    assert page.locator("dl.facts dt", has_text="Killed").count() == 1
    page.locator("dl.facts details summary").first.click()
    assert page.locator("dl.facts details[open] blockquote mark").count() >= 1
    assert page.locator("ul.ledger li.claim-responsibility").count() >= 1
    assert page.locator("article.source").count() >= 1
    web_page.shot("incident")
    assert web_page.guard.problems() == []


def test_map_draws_offline_basemap_and_markers(web_page: GuardedPage) -> None:
    web_page.goto("/map")
    page = web_page.page
    page.wait_for_selector("#map[data-ready=true]")
    assert page.locator(".leaflet-overlay-pane path").count() > 100
    markers = page.locator(".toll-marker, .marker-cluster")
    assert markers.count() >= 1
    web_page.shot("map")
    page.locator(".toll-marker").first.click()
    link = page.locator(".leaflet-popup-content a")
    link.wait_for()
    assert "/incidents/" in (link.get_attribute("href") or "")
    assert web_page.guard.problems() == []


def test_timeline_chart_renders(web_page: GuardedPage) -> None:
    web_page.goto("/timeline")
    web_page.page.wait_for_selector("#timeline-chart[data-ready=true] canvas")
    assert web_page.page.locator("table tbody tr").count() >= 1
    web_page.shot("timeline")
    assert web_page.guard.problems() == []


PASTED = (
    "Bomb kills nine at bus station in Quetta\n\n"
    "QUETTA, Pakistan, March 12, 2025 — A bomb hidden in a parked motorcycle exploded at the "
    "main bus station in Quetta on Wednesday, killing nine people and wounding 23 others, "
    "police said.\n\n"
    "The Balochistan Liberation Army claimed responsibility for the bombing in a message "
    "sent to reporters.\n"
)


def test_paste_shows_the_extraction_highlighted_and_saves_with_the_token(
    web_page: GuardedPage, web_store: Store
) -> None:
    web_page.goto("/paste")
    page = web_page.page
    page.fill("#paste-text", PASTED)
    page.click("#extract-button")
    page.wait_for_selector("#article-text mark.hl", timeout=30_000)
    assert page.locator("#article-text mark.hl-killed").count() >= 1
    assert page.locator("#article-text mark.hl-place").count() >= 1
    assert page.locator("ul.legend li").count() >= 8
    assert "nine people" in page.inner_text("#article-text")
    web_page.shot("paste")

    page.fill("#save-form input[name=token]", "not-the-token")
    page.click("#save-form button[type=submit]")
    page.wait_for_selector("#save-status:has-text('Not saved (401)')")
    page.fill("#save-form input[name=token]", TOKEN)
    page.click("#save-form button[type=submit]")
    page.wait_for_selector("#save-status a", timeout=30_000)
    assert "Saved (stored)" in page.inner_text("#save-status")
    stored = page.get_attribute("#save-status a", "href") or ""
    assert web_store.article(stored.rsplit("/", 1)[1]) is not None
    web_page.shot("paste-saved")
    # The failed save logs its 401 response in the console; nothing else may.
    assert [p for p in web_page.guard.problems() if "401" not in p] == []


def test_list_is_usable_at_phone_width_and_by_keyboard(web_page: GuardedPage) -> None:
    page = web_page.page
    page.set_viewport_size({"width": 375, "height": 800})
    web_page.goto("/")
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 376
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    web_page.shot("list-375px")
    assert web_page.guard.problems() == []


def _assert_inert(web_page: GuardedPage, shown: str) -> None:
    page = web_page.page
    assert web_page.pwned() is None
    assert page.locator("img[src=x], svg[onload], b[onmouseover]").count() == 0
    assert shown in page.inner_text("body")
    assert web_page.guard.problems() == []


def test_hostile_article_renders_inert_on_every_page(
    web_page: GuardedPage, hostile_incident_id: str
) -> None:
    from urllib.parse import quote

    web_page.goto("/?q=Kano")
    _assert_inert(web_page, HOSTILE_TITLE)
    web_page.shot("hostile-list")

    web_page.goto(f"/incidents/{quote(hostile_incident_id)}")
    _assert_inert(web_page, HOSTILE_TITLE)
    web_page.shot("hostile-incident")

    article_id = hostile_incident_id.split(":")[0]
    web_page.goto(f"/articles/{quote(article_id)}")
    _assert_inert(web_page, LITERAL)
    web_page.page.hover("#article-text")
    _assert_inert(web_page, "</textarea><svg onload=window.__pwned=4>")
    web_page.shot("hostile-article")

    web_page.goto("/paste")
    web_page.page.fill("#paste-text", HOSTILE_TEXT)
    web_page.page.click("#extract-button")
    web_page.page.wait_for_selector("#article-text", timeout=30_000)
    _assert_inert(web_page, LITERAL)
    assert web_page.page.input_value("#paste-text").strip() == HOSTILE_TEXT.strip()
    web_page.shot("hostile-paste")
