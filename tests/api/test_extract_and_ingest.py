"""POST /api/extract (nothing stored) and POST /api/articles (token, duplicates, 413)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from fastapi.testclient import TestClient

from incidex.api import create_app

# The token the conftest client is made with.
TOKEN = "api-test-token-7f3a"

ARTICLE = (
    "A bomb killed 12 people at a market in Kano, Nigeria, on Friday. "
    "Nine others were wounded, police said."
)
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_extract_json_returns_incidents_with_evidence(client: TestClient) -> None:
    before = client.get("/api/health").json()["documents"]
    r = client.post("/api/extract", json={"text": ARTICLE, "published": "2024-11-02"})
    assert r.status_code == 200, r.text
    incident = r.json()["incidents"][0]
    assert incident["killed"]["min"] == 12
    assert incident["place"]["country"] == "NG"
    span = incident["evidence"]["killed"][0]["evidence"][0]
    assert ARTICLE[span["start"] : span["end"]] == span["text"]
    assert client.get("/api/health").json()["documents"] == before


def test_extract_takes_a_plain_text_body(client: TestClient) -> None:
    r = client.post(
        "/api/extract",
        content=ARTICLE.encode(),
        headers={"content-type": "text/plain; charset=utf-8"},
        params={"published": "2024-11-02"},
    )
    assert r.status_code == 200
    assert r.json()["incidents"][0]["killed"]["min"] == 12


def test_extract_takes_html(client: TestClient) -> None:
    html = (
        "<html><head><title>Kano</title></head>"
        f"<body><article><p>{ARTICLE}</p></article></body></html>"
    )
    r = client.post("/api/extract", json={"html": html})
    assert r.status_code == 200
    assert r.json()["incidents"][0]["killed"]["min"] == 12


def test_extract_bad_input_gets_a_one_line_reason(client: TestClient) -> None:
    cases = [
        ({"json": {}}, 422),
        ({"json": {"text": ARTICLE, "html": "<p>x</p>"}}, 422),
        ({"json": {"text": ARTICLE, "published": "yesterday"}}, 422),
        ({"json": {"text": "   "}}, 400),
        ({"content": b"\xff\xfe\x00bad", "headers": {"content-type": "text/plain"}}, 400),
        ({"content": b"x", "headers": {"content-type": "application/pdf"}}, 415),
    ]
    for kwargs, status in cases:
        r = client.post("/api/extract", **kwargs)  # type: ignore[arg-type]
        assert r.status_code == status, (kwargs, r.text)
        assert "\n" not in r.json()["detail"]


def test_ingest_without_or_with_a_wrong_token_is_401(writable: TestClient) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        r = writable.post("/api/articles", json={"text": ARTICLE}, headers=headers)
        assert r.status_code == 401
        assert r.headers["www-authenticate"] == "Bearer"
    assert writable.get("/api/search", params={"q": "Kano"}).json()["items"] == []


def test_ingest_stores_the_article_and_reports_a_duplicate(writable: TestClient) -> None:
    body = {"text": ARTICLE, "published": "2024-11-02", "id": "kano-market"}
    r = writable.post("/api/articles", json=body, headers=AUTH)
    assert r.status_code == 201, r.text
    stored = r.json()
    assert stored["status"] == "stored" and stored["document_id"] == "kano-market"
    assert stored["incidents"][0]["killed"]["min"] == 12
    hits = writable.get("/api/search", params={"q": "Kano"}).json()["items"]
    assert [h["id"] for h in hits] == ["kano-market"]
    listed = writable.get("/api/incidents", params={"country": "NG", "min_killed": 12}).json()
    assert stored["incidents"][0]["id"] in {i["id"] for i in listed["items"]}
    again = writable.post("/api/articles", json=body, headers=AUTH)
    assert again.status_code == 200
    assert again.json()["status"] == "duplicate"
    assert again.json()["document_id"] == "kano-market"
    # Another outlet's identical text under its own id is a second source of one incident,
    # as for JSON lines...
    other = writable.post("/api/articles", json={**body, "id": "kano-again"}, headers=AUTH)
    assert other.status_code == 201 and other.json()["status"] == "stored"
    incident = writable.get(f"/api/incidents/{other.json()['incidents'][0]['id']}").json()
    assert sorted(incident["articles"]) == ["kano-again", "kano-market"]
    # ...and, word for word the same however short, a copy: one independent source.
    assert [sorted(g) for g in incident["copy_groups"]] == [["kano-again", "kano-market"]]


def test_server_without_a_token_refuses_writes_with_403(store: object, demo_db: Path) -> None:
    with TestClient(create_app(str(demo_db), token=None)) as c:
        r = c.post("/api/articles", json={"text": ARTICLE}, headers=AUTH)
    assert r.status_code == 403
    assert "INCIDEX_TOKEN" in r.json()["detail"]


def test_oversized_body_is_413_declared_or_streamed(demo_db: Path) -> None:
    with TestClient(create_app(str(demo_db), token=TOKEN, max_body_bytes=1_000)) as c:
        big = "x" * 5_000
        declared = c.post("/api/extract", json={"text": big})
        assert declared.status_code == 413
        assert "1,000 bytes" in declared.json()["detail"]

        def chunks() -> Iterator[bytes]:
            for _ in range(10):
                yield b"y" * 500

        streamed = c.post("/api/extract", content=chunks(), headers={"content-type": "text/plain"})
        assert streamed.status_code == 413
        assert streamed.json()["detail"].startswith("the request body is larger")
        assert streamed.headers["x-frame-options"] == "DENY"
