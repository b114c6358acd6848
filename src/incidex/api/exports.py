"""Streamed exports of the API: CSV and JSON lines (``incidex.export``'s rows and records)
and GeoJSON, written a piece at a time so a large store never sits in memory."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from fastapi.responses import StreamingResponse
from sqlalchemy.engine import Engine

from ..export import CSV_COLUMNS, csv_row, jsonl_record
from ..store import IncidentDetail, IncidentFilter, IncidentRow
from ..store.query import incident_page

__all__ = [
    "CSVResponse",
    "GeoJSONResponse",
    "JSONLinesResponse",
    "csv_chunks",
    "geojson_chunks",
    "geojson_feature",
    "jsonl_chunks",
]

ROWS_PER_READ = 500


class CSVResponse(StreamingResponse):
    media_type = "text/csv; charset=utf-8"


class JSONLinesResponse(StreamingResponse):
    media_type = "application/x-ndjson"


class GeoJSONResponse(StreamingResponse):
    media_type = "application/geo+json"


def csv_chunks(details: Iterable[IncidentDetail]) -> Iterator[str]:
    """Yield a CSV export (GTD columns first) a row at a time, header first."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    yield _drain(buffer)
    for detail in details:
        writer.writerow(csv_row(detail))
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def jsonl_chunks(details: Iterable[IncidentDetail]) -> Iterator[str]:
    """Yield one JSON line per incident (everything, with evidence and claims)."""
    for detail in details:
        yield json.dumps(jsonl_record(detail), ensure_ascii=False, default=str) + "\n"


def geojson_feature(row: IncidentRow) -> dict[str, Any] | None:
    """Return an incident as a GeoJSON Point feature, None when it has no coordinates."""
    if row.lat is None or row.lon is None:
        return None
    return {
        "type": "Feature",
        "id": row.id,
        "geometry": {"type": "Point", "coordinates": [row.lon, row.lat]},
        "properties": {
            "id": row.id,
            "date": row.date,
            "country": row.country,
            "city": row.city,
            "killed": row.killed,
            "wounded": row.wounded,
            "attack_types": list(row.attack_types),
            "status": row.attribution_status,
        },
    }


def rows_in_order(engine: Engine, filters: IncidentFilter) -> Iterator[IncidentRow]:
    """Yield every incident matching ``filters`` in its order, a keyset page at a time."""
    f = replace(filters, limit=ROWS_PER_READ, after=None, offset=0)
    while True:
        page = incident_page(engine, f, with_total=False)
        yield from page.rows
        if page.next is None:
            return
        f = replace(f, after=page.next)


def geojson_chunks(rows: Iterable[IncidentRow]) -> Iterator[str]:
    """Yield a GeoJSON FeatureCollection of the located incidents, a feature at a time."""
    yield '{"type":"FeatureCollection","features":['
    first = True
    for row in rows:
        feature = geojson_feature(row)
        if feature is None:
            continue
        yield ("" if first else ",") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}\n"
