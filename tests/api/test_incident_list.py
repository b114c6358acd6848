"""GET /api/incidents: filters, sorts, keyset pages; GET /api/incidents/{id}: detail, 404."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

# The token the conftest clients are made with.
TOKEN = "api-test-token-7f3a"


def _all(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    """Return every item of a list walked page by page, two at a time."""
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(50):
        query = {**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
        r = client.get("/api/incidents", params=query)
        assert r.status_code == 200, r.text
        body = r.json()
        assert len(body["items"]) <= 2
        items.extend(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("the pages never ended")


def test_list_returns_the_demo_attacks_with_total(client: TestClient) -> None:
    body = client.get("/api/incidents").json()
    countries = {i["country"] for i in body["items"]}
    assert {"SO", "PK", "NG", "FR"} <= countries
    assert body["total"] == len(body["items"]) >= 5
    assert body["next_cursor"] is None


def test_walking_pages_gives_every_incident_once_in_order(client: TestClient) -> None:
    whole = client.get("/api/incidents", params={"limit": 500}).json()["items"]
    for sort in ("-date", "date", "-killed", "killed", "country", "-country"):
        walked = _all(client, sort=sort)
        ids = [i["id"] for i in walked]
        assert len(ids) == len(set(ids)), sort
        assert sorted(ids) == sorted(i["id"] for i in whole), sort
        single = client.get("/api/incidents", params={"sort": sort, "limit": 500}).json()
        assert ids == [i["id"] for i in single["items"]], sort


def test_sort_by_killed_descending_puts_the_largest_toll_first(client: TestClient) -> None:
    items = client.get("/api/incidents", params={"sort": "-killed"}).json()["items"]
    tolls = [i["killed"]["min"] for i in items if i["killed"]["min"] is not None]
    assert tolls == sorted(tolls, reverse=True)
    assert items[0]["country"] == "SO"  # the Mogadishu market bomb, 14 killed
    known = [i["killed"]["min"] is not None for i in items]
    assert known == sorted(known, reverse=True)  # unknown tolls last


def test_sort_by_date_ascending_is_in_date_order(client: TestClient) -> None:
    items = client.get("/api/incidents", params={"sort": "date"}).json()["items"]
    dates = [i["date"] for i in items if i["date"]]
    assert dates == sorted(dates)


def test_page_cursor_survives_an_insert_ahead_of_it(writable: TestClient) -> None:
    first = writable.get("/api/incidents", params={"limit": 3}).json()
    second = writable.get("/api/incidents", params={"limit": 3, "cursor": first["next_cursor"]})
    newest = {
        "text": "A car bomb killed 7 people near a bus station in Kandahar, Afghanistan, "
        "on Monday, police said.",
        "published": "2026-01-06",
    }
    r = writable.post("/api/articles", json=newest, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201 and r.json()["incidents"]
    head = writable.get("/api/incidents", params={"limit": 1}).json()["items"][0]
    assert head["id"] == r.json()["incidents"][0]["id"]  # the new incident sorts first
    again = writable.get("/api/incidents", params={"limit": 3, "cursor": first["next_cursor"]})
    assert again.json()["items"] == second.json()["items"]
    assert again.json()["total"] == second.json()["total"] + 1


def test_filters_narrow_the_list(client: TestClient) -> None:
    def ids(**params: Any) -> set[str]:
        return {i["id"] for i in _all(client, **params)}

    everything = ids()
    somalia = ids(country="so")
    assert len(somalia) == 1 and somalia < everything
    assert ids(attack_type="bombing_explosion") == somalia
    assert ids(min_killed=13) == somalia  # 14 killed; no other demo toll is above 12
    assert ids(perpetrator="shabab") == somalia
    assert ids(status="claimed") >= somalia
    assert ids(q="mogadishu") == somalia
    assert ids(since="2025-06-01", until="2025-06-05") == somalia
    assert ids(since="2030-01-01") == set()
    assert ids(country="SO", min_killed=100) == set()


def test_total_counts_every_match_not_just_the_page(client: TestClient) -> None:
    body = client.get("/api/incidents", params={"limit": 1}).json()
    assert len(body["items"]) == 1
    assert body["total"] == len(_all(client))


def test_bad_parameters_get_a_one_line_reason(client: TestClient) -> None:
    for params in (
        {"limit": 0},
        {"limit": 501},
        {"country": "Somalia"},
        {"since": "last week"},
        {"sort": "colour"},
        {"status": "maybe"},
    ):
        r = client.get("/api/incidents", params=params)
        assert r.status_code == 422, params
        detail = r.json()["detail"]
        assert isinstance(detail, str) and "\n" not in detail


def test_a_forged_or_foreign_cursor_is_refused(client: TestClient) -> None:
    assert client.get("/api/incidents", params={"cursor": "not-a-cursor"}).status_code == 400
    cursor = client.get("/api/incidents", params={"limit": 1}).json()["next_cursor"]
    r = client.get("/api/incidents", params={"cursor": cursor, "sort": "killed"})
    assert r.status_code == 400
    assert "sort order" in r.json()["detail"]


def test_detail_has_facts_evidence_claims_and_sources(client: TestClient) -> None:
    somalia = client.get("/api/incidents", params={"country": "SO"}).json()["items"][0]
    r = client.get(f"/api/incidents/{somalia['id']}")
    assert r.status_code == 200
    d = r.json()
    assert d["id"] == somalia["id"] and d["killed"]["min"] == 14
    assert d["article"]["id"] == somalia["article_id"]
    assert any(c["kind"] == "responsibility" for c in d["claims"])
    killed = d["evidence"]["killed"][0]
    assert "14" in killed["text"] and killed["text"] in killed["sentence"]
    assert d["articles"] == [somalia["article_id"]]
    assert {"toll_history", "claims_ledger", "rules", "source_values"} <= set(d)


def test_unknown_incident_and_article_are_json_404s(client: TestClient) -> None:
    for path in ("/api/incidents/nope:0", "/api/articles/nope"):
        r = client.get(path)
        assert r.status_code == 404
        assert r.headers["content-type"] == "application/json"
        assert "nope" in r.json()["detail"]
