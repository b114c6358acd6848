"""GET /api/articles/{id} (text and evidence spans) and GET /api/search (FTS5)."""

from __future__ import annotations

from fastapi.testclient import TestClient


def _somalia_article(client: TestClient) -> str:
    item = client.get("/api/incidents", params={"country": "SO"}).json()["items"][0]
    return str(item["article_id"])


def test_article_spans_cite_slices_of_its_text(client: TestClient) -> None:
    a = client.get(f"/api/articles/{_somalia_article(client)}").json()
    assert "Mogadishu" in a["text"]
    kinds = {s["kind"] for s in a["spans"]}
    assert {"killed", "place", "claim"} <= kinds
    for s in a["spans"]:
        assert 0 <= s["start"] < s["end"] <= len(a["text"])
        assert s["label"]
    killed = next(s for s in a["spans"] if s["kind"] == "killed")
    assert "14" in a["text"][killed["start"] : killed["end"]]
    assert a["incident_ids"]


def test_article_spans_match_the_detail_evidence_text(client: TestClient) -> None:
    article_id = _somalia_article(client)
    text = client.get(f"/api/articles/{article_id}").json()["text"]
    incident = client.get("/api/incidents", params={"country": "SO"}).json()["items"][0]
    detail = client.get(f"/api/incidents/{incident['id']}").json()
    for fact in detail["facts"]:
        assert text[fact["start"] : fact["end"]] == fact["text"]


def test_search_finds_articles_by_their_words(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "Mogadishu"})
    assert r.status_code == 200
    hits = r.json()["items"]
    assert [h["id"] for h in hits][:1] == [_somalia_article(client)]
    assert hits[0]["snippet"]


def test_search_takes_hyphenated_names_as_plain_words(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "al-Shabaab"})
    assert r.status_code == 200
    assert _somalia_article(client) in {h["id"] for h in r.json()["items"]}


def test_search_pages_with_a_cursor(client: TestClient) -> None:
    seen: list[str] = []
    cursor = None
    for _ in range(20):
        params = {"q": "police OR killed OR attack", "limit": 1}
        r = client.get("/api/search", params={**params, **({"cursor": cursor} if cursor else {})})
        seen += [h["id"] for h in r.json()["items"]]
        cursor = r.json()["next_cursor"]
        if cursor is None:
            break
    assert len(seen) >= 3 and len(seen) == len(set(seen))


def test_malformed_search_is_a_400_sentence(client: TestClient) -> None:
    for q in ('"unclosed quote', "bomb AND (", "NEAR(", "nosuchcolumn: bomb"):
        r = client.get("/api/search", params={"q": q})
        assert r.status_code == 400, q
        detail = r.json()["detail"]
        assert "not a valid search" in detail and "\n" not in detail


def test_search_with_nothing_matching_is_empty(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "zzqxyplonk"})
    assert r.json() == {"items": [], "next_cursor": None}
