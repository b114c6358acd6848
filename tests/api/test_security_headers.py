"""Every response, API or page, success or error, carries the security headers."""

from __future__ import annotations

from fastapi.testclient import TestClient

from incidex.api.security import SECURITY_HEADERS, is_loopback


def test_security_headers_on_every_kind_of_response(client: TestClient) -> None:
    responses = [
        client.get("/api/health"),
        client.get("/api/incidents"),
        client.get("/api/incidents/unknown:0"),
        client.get("/api/incidents", params={"limit": 0}),
        client.get("/api/search", params={"q": "("}),
        client.post("/api/articles", json={"text": "x"}),
        client.get("/openapi.json"),
        client.get("/no/such/page"),
        client.get("/"),
    ]
    for r in responses:
        for name, value in SECURITY_HEADERS.items():
            assert r.headers.get(name) == value, (r.request.url, name)
    assert "script-src 'self'" in SECURITY_HEADERS["Content-Security-Policy"]
    assert "unsafe-inline" not in SECURITY_HEADERS["Content-Security-Policy"]


def test_loopback_hosts_are_told_apart_from_public_ones() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0")
    assert not is_loopback("192.168.1.10")
    assert not is_loopback("example.org")
