"""Inputs for the feed, WARC and URL tests, built in the test from invented article text:
RSS 2.0 and Atom XML, WARC archives (warcio's writer, plus hand-written broken records),
and a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import io
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from incidex.ingest import read
from incidex.models import Rejected

MARKET = (
    "A grenade thrown into a vegetable market in the town of Orvana killed three traders "
    "and wounded eleven shoppers on Saturday, the regional police chief said."
)
DEPOT = (
    "Gunmen on motorcycles attacked a fuel depot outside Kessaly on Tuesday night, "
    "killing two guards before setting a tanker on fire, officials said."
)
BRIDGE = (
    "A roadside bomb struck a minibus near the Tarnow bridge on Friday morning, killing "
    "five passengers, a hospital spokesman said."
)
WEATHER = "Light rain is expected across the northern districts over the weekend."


def rss_feed(*items: str, title: str = "Example Wire") -> bytes:
    """Return an RSS 2.0 document holding ``items`` (already ``<item>`` elements)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{title}</title><link>https://wire.example.org/</link>"
        "<description>Test wire</description>" + "".join(items) + "</channel></rss>\n"
    ).encode()


def rss_item(
    title: str,
    *,
    link: str | None = None,
    guid: str | None = None,
    date: str | None = None,
    summary: str | None = None,
    content: str | None = None,
) -> str:
    """Return one RSS ``<item>``; ``content`` goes into ``content:encoded`` as CDATA."""
    parts = [f"<title>{title}</title>"]
    if link:
        parts.append(f"<link>{link}</link>")
    if guid:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    if summary is not None:
        parts.append(f"<description>{summary}</description>")
    if content is not None:
        parts.append(f"<content:encoded><![CDATA[{content}]]></content:encoded>")
    return "<item>" + "".join(parts) + "</item>"


def atom_feed(*entries: str) -> bytes:
    """Return an Atom document holding ``entries`` (already ``<entry>`` elements)."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Atom</title>'
        "<id>urn:example:feed</id><updated>2025-05-01T00:00:00Z</updated>"
        + "".join(entries)
        + "</feed>\n"
    ).encode()


def atom_entry(
    title: str, entry_id: str, updated: str, body: str, *, kind: str = "html", link: str = ""
) -> str:
    """Return one Atom ``<entry>``; ``body`` is escaped into ``<content type=kind>``."""
    escaped = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    href = f'<link href="{link}"/>' if link else ""
    return (
        f"<entry><title>{title}</title><id>{entry_id}</id>{href}<updated>{updated}</updated>"
        f'<content type="{kind}">{escaped}</content></entry>'
    )


def html_page(title: str, text: str) -> bytes:
    return (
        f"<!doctype html><html><head><title>{title}</title></head>"
        f"<body><article><h1>{title}</h1><p>{text}</p></article></body></html>"
    ).encode()


def warc_bytes(records: list[dict[str, object]], *, gzip: bool) -> bytes:
    """Return a WARC archive written by warcio; each record is a dict with ``uri``,
    ``type`` (default response), ``body``, ``status``, ``content_type``, ``date``."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    for spec in records:
        writer.write_record(_warc_record(writer, spec))
    return out.getvalue()


def _warc_record(writer: WARCWriter, spec: dict[str, object]) -> object:
    kind = str(spec.get("type", "response"))
    body = spec.get("body", b"")
    assert isinstance(body, bytes)
    warc_headers = {"WARC-Date": str(spec.get("date", "2025-04-05T06:07:08Z"))}
    content_type = str(spec.get("content_type", "text/html; charset=utf-8"))
    if kind == "response":
        status = str(spec.get("status", "200 OK"))
        http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        return writer.create_warc_record(
            str(spec["uri"]),
            "response",
            payload=io.BytesIO(body),
            http_headers=http,
            warc_headers_dict=warc_headers,
        )
    return writer.create_warc_record(
        str(spec["uri"]),
        kind,
        payload=io.BytesIO(body),
        length=len(body),
        warc_content_type=content_type,
        warc_headers_dict=warc_headers,
    )


def raw_warc_record(uri: str, block: bytes) -> bytes:
    """Return one uncompressed response record written by hand, ``block`` as its HTTP
    message (so that it can be malformed, which warcio's writer refuses to write)."""
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-"
        f"000000000001>\r\nWARC-Date: 2025-04-05T06:07:08Z\r\nWARC-Target-URI: {uri}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    ).encode()
    return head + block + b"\r\n\r\n"


# -- a local HTTP server ---------------------------------------------------------------

Route = Callable[[BaseHTTPRequestHandler], None]


def send(
    handler: BaseHTTPRequestHandler,
    body: bytes,
    content_type: str,
    *,
    status: int = 200,
    length: bool = True,
) -> None:
    """Answer with ``body``; without ``length`` the body is sent chunked."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    if length:
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
        return
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    for start in range(0, len(body), 4096):
        piece = body[start : start + 4096]
        handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
    handler.wfile.write(b"0\r\n\r\n")


def redirect(handler: BaseHTTPRequestHandler, location: str, status: int = 302) -> None:
    handler.send_response(status)
    handler.send_header("Location", location)
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def trickle(handler: BaseHTTPRequestHandler, pieces: int, pause: float) -> None:
    """Send a chunked body slowly, one small piece every ``pause`` seconds."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    try:
        for _ in range(pieces):
            handler.wfile.write(b"5\r\nslow \r\n")
            handler.wfile.flush()
            time.sleep(pause)
        handler.wfile.write(b"0\r\n\r\n")
    except OSError:
        pass  # the client gave up, as it should


class _QuietServer(ThreadingHTTPServer):
    """A test server that takes a client hanging up mid-answer (as the reader does with a
    body over its limit) as the client's right, not as an error to print."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def local_server(routes: dict[str, Route]) -> Iterator[str]:
    """Serve ``routes`` (path -> handler function) on 127.0.0.1; yield the base URL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            route = routes.get(self.path)
            if route is None:
                send(self, b"not here", "text/plain", status=404)
            else:
                route(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = _QuietServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def only_rejection(source: str, max_bytes: int | None = None) -> Rejected:
    """Return the one result of reading ``source``, checked to be a Rejected on one line."""
    results = list(read([source]) if max_bytes is None else read([source], max_bytes=max_bytes))
    assert len(results) == 1, results
    (only,) = results
    assert isinstance(only, Rejected), only
    assert "\n" not in only.reason and "\n" not in only.source
    return only
