"""``incidex ingest`` of a directory holding a feed, a WARC archive and bad files, plus a URL
on a local server: good entries stored once, one ``error: SOURCE: reason`` line per bad
input, exit status 1."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli
from tests.ingest.sources import (
    BRIDGE,
    DEPOT,
    MARKET,
    html_page,
    local_server,
    rss_feed,
    rss_item,
    send,
    warc_bytes,
    write,
)

QUARRY = (
    "Militants stormed a police station in the hill town of Brescoy on Thursday, killing "
    "four officers and wounding six, the provincial governor said."
)


def _inputs(directory: Path) -> dict[str, Path]:
    feed = rss_feed(
        rss_item("Market grenade", guid="cli-1", link="https://wire.example.org/1", summary=MARKET),
        rss_item("Photo gallery", guid="cli-2"),
        rss_item(
            "Depot attack",
            guid="cli-3",
            link="https://wire.example.org/3",
            content=f"<p>{DEPOT}</p>",
        ),
    )
    pages: list[dict[str, object]] = [
        {"uri": "https://news.example.org/bridge", "body": html_page("Bridge", BRIDGE)},
        {"uri": "https://news.example.org/robots.txt", "type": "request", "body": b"GET /"},
    ]
    return {
        "feed": write(directory / "wire.rss", feed),
        "warc": write(directory / "crawl.warc.gz", warc_bytes(pages, gzip=True)),
        "not_feed": write(directory / "notes.xml", b'<?xml version="1.0"?><notes>x</notes>'),
        "not_warc": write(directory / "broken.warc", b"this is not an archive\n" * 4),
    }


def test_ingest_reads_feeds_archives_and_urls_and_names_each_bad_input(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    files = _inputs(inputs)
    db = tmp_path / "store.db"
    routes = {"/brescoy.html": lambda h: send(h, html_page("Brescoy", QUARRY), "text/html")}
    env = {"INCIDEX_ALLOW_PRIVATE_URLS": "1", "COLUMNS": "200"}
    with local_server(routes) as base:
        url = f"{base}/brescoy.html"
        proc = run_cli(["ingest", "--db", str(db), str(inputs), url], env=env)
        again = run_cli(["ingest", "--db", str(db), str(inputs), url], env=env)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.strip()]
    expected = [f"{files['feed']}#2", str(files["not_feed"]), str(files["not_warc"])]
    assert len(errors) == len(expected), errors
    for source in expected:
        assert sum(line.startswith(f"error: {source}: ") for line in errors) == 1, errors
    # Two feed entries, one archived page and one downloaded page.
    assert "4 stored" in proc.stdout, proc.stdout
    assert "0 stored" in again.stdout and "4 skipped as duplicates" in again.stdout
    listed = run_cli(["incidents", "--db", str(db), "--json"])
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len({r["article_id"] for r in rows}) == 4, rows
