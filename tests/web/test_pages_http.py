"""Every page over HTTP: status codes, no inline script or style (the CSP forbids them),
escaped article text, filters that report bad values, the 404 page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from incidex_web_helpers import HOSTILE_TITLE, LITERAL

from incidex.store import Store

HTML = {"accept": "text/html"}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
INLINE_STYLE = re.compile(r"<style\b|\sstyle=")
HANDLER_ATTR = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


@pytest.fixture(scope="module")
def client(web_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(web_app) as c:
        yield c


def _pages(store: Store, incident_id: str) -> list[str]:
    article_id = incident_id.split(":")[0]
    return [
        "/",
        "/?country=NG&sort=killed_desc",
        "/map",
        "/timeline",
        "/paste",
        f"/incidents/{quote(incident_id)}",
        f"/articles/{quote(article_id)}",
    ]


def test_every_page_answers_without_inline_code_or_style(
    client: TestClient, web_store: Store, hostile_incident_id: str
) -> None:
    for path in _pages(web_store, hostile_incident_id):
        r = client.get(path, headers=HTML)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
        assert not INLINE_SCRIPT.search(r.text), path
        assert not INLINE_STYLE.search(r.text), path
        assert not HANDLER_ATTR.search(r.text), path


def test_hostile_text_is_escaped_on_the_article_and_incident_pages(
    client: TestClient, hostile_incident_id: str
) -> None:
    article = client.get(f"/articles/{quote(hostile_incident_id.split(':')[0])}").text
    assert LITERAL not in article
    assert "&lt;script&gt;window.__pwned=2&lt;/script&gt;" in article
    incident = client.get(f"/incidents/{quote(hostile_incident_id)}").text
    assert HOSTILE_TITLE not in incident
    assert "&lt;img src=x onerror=" in incident


def test_pasted_text_is_escaped_and_highlighted(client: TestClient) -> None:
    text = "Gunmen killed 4 people in Kano on Friday. <script>alert(1)</script>"
    r = client.post("/paste", data={"text": text, "published": "2025-05-10"}, headers=HTML)
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert 'class="hl hl-' in r.text


def test_empty_paste_is_refused_with_a_sentence(client: TestClient) -> None:
    r = client.post("/paste", data={"text": "   "}, headers=HTML)
    assert r.status_code == 400
    assert "Paste the text or HTML of an article first." in r.text


def test_bad_filters_show_errors_and_list_everything(client: TestClient, web_store: Store) -> None:
    r = client.get("/?min_killed=many&since=soon", headers=HTML)
    assert r.status_code == 200
    assert "The minimum killed must be a whole number" in r.text
    assert "must be written YYYY-MM-DD" in r.text
    assert r.text.count("<tr>") - 1 == web_store.count_incidents()


def test_country_filter_lists_only_that_country(client: TestClient, web_store: Store) -> None:
    r = client.get("/?country=so", headers=HTML)
    expected = [row.id for row in web_store.incidents() if row.country == "SO"]
    assert expected
    links = re.findall(r'href="/incidents/([^"]+)"', r.text)
    assert sorted(links) == sorted(quote(i) for i in expected)


def test_map_points_are_the_incidents_with_coordinates(
    client: TestClient, web_store: Store
) -> None:
    points = client.get("/ui-data/points.json").json()["points"]
    expected = {r.id for r in web_store.incidents() if r.lat is not None}
    assert {p["id"] for p in points} == expected
    assert all(-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 for p in points)


def test_unknown_incident_article_and_page_get_the_404_page(client: TestClient) -> None:
    for path in ["/incidents/no-such-incident", "/articles/no-such-article", "/no/such/page"]:
        r = client.get(path, headers=HTML)
        assert r.status_code == 404, path
        assert "<h1>Not found</h1>" in r.text


def test_static_files_are_served(client: TestClient) -> None:
    for path in [
        "/static/incidex.css",
        "/static/js/map.js",
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/world-atlas/countries-110m.json",
        "/static/vendor/uplot/uPlot.iife.min.js",
    ]:
        assert client.get(path).status_code == 200, path
