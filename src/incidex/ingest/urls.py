"""Reading http and https URLs (httpx), under the rules of ``incidex.ingest.url_safety``.

Every hop is checked before it is requested, and every connection is checked again when
it is made: it goes to the very address that was checked, so a name that resolves
differently the second time cannot slip through. Redirects are followed here, at most
five. Timeouts: 10 s to connect, 30 s for the whole download. A body over ``max_bytes`` is
refused while it streams, never truncated. Environment proxies are ignored, since a proxy
would fetch what the address rules forbid.

What the server sends decides the reading: HTML and plain text become one ``Document``
(source the URL as given, url the final URL), an RSS or Atom feed one per entry (as
``incidex.ingest.feeds`` reads files); any other content type is refused naming it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import httpcore
import httpx

from ..models import Document, Rejected
from .documents import as_utf8, hash_hex, new_document, not_text_reason
from .feeds import documents_from_feed, looks_like_feed
from .url_safety import (
    MAX_URL_CHARS,
    Refused,
    UrlPolicy,
    shown,
    static_refusal,
    url_policy_from_settings,
    vetted_addresses,
)

__all__ = ["GuardedTransport", "read_url"]

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/plain"})
_FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_HEADERS = {
    "User-Agent": "incidex (news incident extraction)",
    "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "text/plain;q=0.9,*/*;q=0.1",
}


@dataclass(frozen=True, slots=True)
class _Fetched:
    url: str
    content_type: str
    charset: str | None
    body: bytes


def read_url(
    url: str, *, max_bytes: int, policy: UrlPolicy | None = None
) -> Iterator[Document | Rejected]:
    """Return the documents at ``url``: one page, or one per feed entry; a refused or
    failed download as one ``Rejected`` naming the URL."""
    rules = policy if policy is not None else url_policy_from_settings()
    fetched_at = dt.datetime.now(dt.UTC)
    try:
        fetched = _fetch(url, max_bytes, rules)
    except Refused as err:
        yield Rejected(shown(url), err.reason)
        return
    # The URL passed the checks (no control characters, not over-long): it is the source.
    yield from _documents(fetched, url, fetched_at)


def _documents(
    fetched: _Fetched, source: str, fetched_at: dt.datetime
) -> Iterator[Document | Rejected]:
    kind = _kind(fetched)
    if kind is None:
        sent = shown(fetched.content_type or "no content type")
        yield Rejected(source, f"the server sent {sent}, not HTML, plain text or a feed")
        return
    if kind == "feed":
        yield from documents_from_feed(fetched.body, source, fetched_at=fetched_at)
        return
    problem = not_text_reason(fetched.body, "page")
    if problem is not None:
        yield Rejected(source, problem)
        return
    raw = as_utf8(fetched.body, fetched.charset)
    yield new_document(raw, source, kind, hash_hex(raw), url=fetched.url, fetched_at=fetched_at)


def _kind(fetched: _Fetched) -> str | None:
    """Return ``feed``, ``text/html`` or ``text/plain`` for a response, None for others."""
    content_type = fetched.content_type
    if content_type in _FEED_TYPES or (not content_type and looks_like_feed(fetched.body)):
        return "feed"
    if content_type in _HTML_TYPES:
        # A feed served with the wrong content type is still a feed.
        return "feed" if looks_like_feed(fetched.body) else "text/html"
    if content_type in _TEXT_TYPES or not content_type:
        return "text/plain"
    return None


def _fetch(url: str, max_bytes: int, policy: UrlPolicy) -> _Fetched:
    """Return the body of ``url`` after following redirects, each hop checked."""
    deadline = time.monotonic() + policy.total_timeout
    current = _parsed(url)
    timeout = httpx.Timeout(policy.connect_timeout, pool=policy.connect_timeout)
    with httpx.Client(
        transport=GuardedTransport(policy),
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
        headers=_HEADERS,
    ) as client:
        for _hop in range(policy.max_redirects + 1):
            if time.monotonic() > deadline:
                raise Refused(_timed_out(current))
            _check_url(current, policy)
            fetched = _get(client, current, max_bytes, deadline)
            if isinstance(fetched, _Fetched):
                return fetched
            current = fetched
    raise Refused(f"more than {policy.max_redirects} redirects: not followed further")


def _get(
    client: httpx.Client, url: httpx.URL, max_bytes: int, deadline: float
) -> _Fetched | httpx.URL:
    """Return the fetched body, or the URL a redirect points to."""
    try:
        with client.stream("GET", url) as response:
            if response.status_code in _REDIRECTS:
                return _redirect_target(url, response)
            if not response.is_success:
                phrase = response.reason_phrase or "error"
                raise Refused(f"the server answered {response.status_code} {phrase}")
            body = _body(response, max_bytes, deadline)
            content_type = response.headers.get("content-type", "")
            return _Fetched(
                url=str(url),
                content_type=content_type.split(";")[0].strip().lower(),
                charset=response.charset_encoding,
                body=body,
            )
    except httpx.TimeoutException:
        raise Refused(_timed_out(url)) from None
    except httpx.HTTPError as err:
        raise Refused(f"download failed: {_one_line(err)}") from None


def _redirect_target(url: httpx.URL, response: httpx.Response) -> httpx.URL:
    location = response.headers.get("location")
    if not location:
        raise Refused(f"the server answered {response.status_code} without a Location")
    try:
        return url.join(location)
    except (httpx.InvalidURL, ValueError) as err:
        raise Refused(f"redirect to an invalid URL ({_one_line(err)})") from None


def _body(response: httpx.Response, max_bytes: int, deadline: float) -> bytes:
    """Return the response body; refuse it when it is over ``max_bytes`` or too slow."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise Refused(_too_big(int(declared), max_bytes))
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise Refused(_too_big(size, max_bytes, at_least=True))
        if time.monotonic() > deadline:
            raise Refused(_timed_out(response.url))
        chunks.append(chunk)
    return b"".join(chunks)


def _parsed(url: str) -> httpx.URL:
    if len(url) > MAX_URL_CHARS:
        raise Refused(f"URL is longer than {MAX_URL_CHARS:,} characters")
    if any(ord(c) < 32 or ord(c) == 127 for c in url):
        raise Refused("URL contains control characters")
    try:
        return httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as err:
        raise Refused(f"not a valid URL ({_one_line(err)})") from None


def _check_url(url: httpx.URL, policy: UrlPolicy) -> None:
    """Refuse a URL by its scheme, credentials, port or the addresses its host has."""
    reason = static_refusal(
        url.scheme, url.userinfo.decode("ascii", "replace"), url.host, url.port, policy
    )
    if reason is not None:
        raise Refused(reason)
    vetted_addresses(url.host, url.port or (443 if url.scheme == "https" else 80), policy)


class _GuardedBackend(httpcore.NetworkBackend):
    """Connects only to addresses the policy allows, checked at connection time."""

    def __init__(self, policy: UrlPolicy) -> None:
        self._policy = policy
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        address = vetted_addresses(host, port, self._policy)[0]
        return self._inner.connect_tcp(
            address,
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise Refused("unix sockets are not read")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """An httpx transport that connects only to addresses ``policy`` allows, checked as
    each connection is made (TLS still verifies the certificate against the host name).
    It replaces the pool httpx builds, because httpx offers no other way to choose how
    connections are opened."""

    def __init__(self, policy: UrlPolicy) -> None:
        super().__init__(trust_env=False, retries=0)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=4,
            network_backend=_GuardedBackend(policy),
        )


def _too_big(size: int, max_bytes: int, *, at_least: bool = False) -> str:
    shown = f"over {max_bytes:,}" if at_least else f"{size:,}"
    return f"page is too big ({shown} bytes, limit {max_bytes:,}): refused, not truncated"


def _timed_out(url: httpx.URL) -> str:
    return f"download from {shown(url.host)} timed out: the server is too slow or unreachable"


def _one_line(err: BaseException) -> str:
    text = str(err).strip()
    line = text.splitlines()[0] if text else type(err).__name__
    return shown(line)
