"""URLs: pages and feeds read from a local server; hostile URLs refused with one line.

Nothing here reaches the internet: the server listens on 127.0.0.1, and every refused URL
is refused before any connection (an address literal, a scheme, credentials or a port).
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterator

import httpx
import pytest
from tests.ingest.sources import (
    DEPOT,
    MARKET,
    Route,
    html_page,
    local_server,
    only_rejection,
    redirect,
    rss_feed,
    rss_item,
    send,
    trickle,
)

from incidex.ingest import UrlPolicy, read
from incidex.ingest.url_safety import Refused
from incidex.ingest.urls import GuardedTransport, read_url
from incidex.models import Document, Rejected

LIMIT = 50_000
OPEN = UrlPolicy(allow_private=True, allowed_ports=None)
# Only the test server's address is allowed: a redirect elsewhere must still be refused.
ONLY_LOCAL = UrlPolicy(allowed_networks=(ipaddress.ip_network("127.0.0.1/32"),), allowed_ports=None)


def _routes() -> dict[str, Route]:
    latin = "Les assaillants ont tué deux gardes à Kessaly, a déclaré la police.".encode("latin-1")
    big = b"word " * (LIMIT // 4)
    return {
        "/article.html": lambda h: send(h, html_page("Market attack", MARKET), "text/html"),
        "/depot.txt": lambda h: send(h, DEPOT.encode(), "text/plain; charset=utf-8"),
        "/latin.txt": lambda h: send(h, latin, "text/plain; charset=iso-8859-1"),
        "/feed": lambda h: send(
            h,
            rss_feed(rss_item("Depot", guid="d1", summary=DEPOT), rss_item("Empty")),
            "application/rss+xml",
        ),
        "/logo.png": lambda h: send(h, b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png"),
        "/big": lambda h: send(h, big, "text/plain"),
        "/big-chunked": lambda h: send(h, big, "text/plain", length=False),
        "/binary.html": lambda h: send(h, bytes(range(256)) * 4, "text/html"),
        "/hop1": lambda h: redirect(h, "/hop2"),
        "/hop2": lambda h: redirect(h, "/article.html", status=301),
        "/loop": lambda h: redirect(h, "/loop"),
        "/to-private": lambda h: redirect(h, "http://10.0.0.1/admin"),
        "/to-metadata": lambda h: redirect(h, "http://169.254.169.254/latest/meta-data/"),
        "/to-ipv6-loopback": lambda h: redirect(h, "http://[::1]:8080/"),
        "/to-file": lambda h: redirect(h, "file:///etc/passwd"),
        "/to-credentials": lambda h: redirect(h, "http://user:secret@127.0.0.1/"),
        "/slow": lambda h: trickle(h, pieces=20, pause=0.2),
    }


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with local_server(_routes()) as base:
        yield base


def _one(url: str, policy: UrlPolicy = OPEN, limit: int = LIMIT) -> Document | Rejected:
    results = list(read_url(url, max_bytes=limit, policy=policy))
    assert len(results) == 1, results
    return results[0]


def test_html_page_becomes_a_document(server: str) -> None:
    doc = _one(f"{server}/article.html")
    assert isinstance(doc, Document)
    assert doc.media_type == "text/html" and MARKET.encode() in doc.raw
    assert doc.source == doc.url == f"{server}/article.html"


def test_plain_text_page_becomes_a_document(server: str) -> None:
    doc = _one(f"{server}/depot.txt")
    assert isinstance(doc, Document)
    assert doc.media_type == "text/plain" and doc.raw == DEPOT.encode()


def test_declared_charset_is_turned_into_utf8(server: str) -> None:
    doc = _one(f"{server}/latin.txt")
    assert isinstance(doc, Document)
    assert "tué deux gardes à Kessaly".encode() in doc.raw


def test_feed_url_gives_one_document_per_entry(server: str) -> None:
    results = list(read_url(f"{server}/feed", max_bytes=LIMIT, policy=OPEN))
    assert [type(r) for r in results] == [Document, Rejected]
    assert results[0].source == f"{server}/feed#1"
    assert isinstance(results[0], Document) and results[0].raw == DEPOT.encode()


def test_redirects_are_followed_to_the_final_page(server: str) -> None:
    doc = _one(f"{server}/hop1")
    assert isinstance(doc, Document)
    assert doc.source == f"{server}/hop1" and doc.url == f"{server}/article.html"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/logo.png", "image/png"),
        ("/missing", "404"),
        ("/big", "too big"),
        ("/big-chunked", "too big"),
        ("/binary.html", "binary"),
        ("/loop", "more than 5 redirects"),
    ],
)
def test_bad_answers_are_one_rejected_line(server: str, path: str, expected: str) -> None:
    rejected = _one(f"{server}{path}")
    assert isinstance(rejected, Rejected)
    assert rejected.source == f"{server}{path}"
    assert expected in rejected.reason and "\n" not in rejected.reason


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/to-private", "10.0.0.1 is a private address"),
        ("/to-metadata", "169.254.169.254 is a link-local address"),
        ("/to-ipv6-loopback", "::1 is a loopback address"),
        ("/to-file", "only http and https URLs are read"),
        ("/to-credentials", "user name or password"),
    ],
)
def test_redirect_from_an_allowed_server_to_a_refused_url_is_refused(
    server: str, path: str, expected: str
) -> None:
    rejected = _one(f"{server}{path}", policy=ONLY_LOCAL)
    assert isinstance(rejected, Rejected) and expected in rejected.reason


def test_the_allowed_server_itself_is_read_under_the_narrow_policy(server: str) -> None:
    assert isinstance(_one(f"{server}/article.html", policy=ONLY_LOCAL), Document)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://10.0.0.1/", "private"),
        ("http://[::1]/", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://[::ffff:192.168.1.1]/", "private"),
        ("http://localhost/", "loopback"),
        ("file:///etc/passwd", "only http and https URLs are read"),
        ("ftp://ftp.example.org/pub/file.txt", "only http and https URLs are read"),
        ("https://user:pass@news.example.org/", "user name or password"),
        ("https://news.example.org:8443/story", "port 8443 is refused"),
        ("http://news.example.org:22/", "port 22 is refused"),
        ("http://" + "a" * 3000 + ".example.org/", "longer than"),
        ("http://news.example.org/a\nb", "control characters"),
    ],
)
def test_hostile_urls_are_refused_without_the_private_setting(
    url: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INCIDEX_ALLOW_PRIVATE_URLS", raising=False)
    assert expected in only_rejection(url, max_bytes=LIMIT).reason


def test_the_private_setting_lets_read_fetch_a_local_page(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INCIDEX_ALLOW_PRIVATE_URLS", "1")
    (doc,) = list(read([f"{server}/article.html"], max_bytes=LIMIT))
    assert isinstance(doc, Document)
    monkeypatch.setenv("INCIDEX_ALLOW_PRIVATE_URLS", "0")
    (refused,) = list(read([f"{server}/article.html"], max_bytes=LIMIT))
    assert isinstance(refused, Rejected)


def test_a_download_slower_than_the_total_timeout_is_abandoned(server: str) -> None:
    policy = UrlPolicy(allow_private=True, allowed_ports=None, total_timeout=0.5)
    started = time.monotonic()
    rejected = _one(f"{server}/slow", policy=policy)
    assert isinstance(rejected, Rejected) and "timed out" in rejected.reason
    assert time.monotonic() - started < 3


def test_connections_are_checked_again_when_they_are_made(server: str) -> None:
    # Past the checks made before each request (a name that resolves differently the
    # second time), the connection itself still refuses the address.
    strict = httpx.Client(transport=GuardedTransport(UrlPolicy()), trust_env=False)
    with strict, pytest.raises(Refused, match="loopback"):
        strict.get(f"{server}/article.html")
    allowed = GuardedTransport(ONLY_LOCAL)
    with httpx.Client(transport=allowed, trust_env=False) as client:
        assert MARKET in client.get(f"{server}/article.html").text
