"""CSV with GTD column names and JSON lines, both readable back."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from incidex_store_builders import MARKET_TEXT

from incidex.errors import ConfigError
from incidex.export import CSV_COLUMNS, export
from incidex.store import IncidentFilter, Store

GTD = [
    "eventid",
    "iyear",
    "imonth",
    "iday",
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
    "gname",
    "nkill",
    "nwound",
    "summary",
]
INCIDEX = ["article_id", "killed_qualifier", "wounded_qualifier", "date_inferred", "evidence"]


def csv_rows(
    store: Store, filters: IncidentFilter | None = None
) -> tuple[int, list[str], list[dict[str, str]]]:
    out = io.StringIO(newline="")
    n = export(store, "csv", out, filters)
    reader = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    rows = list(reader)
    return n, list(reader.fieldnames or []), rows


def test_csv_header_has_gtd_and_incidex_columns(filled_store: Store) -> None:
    _, header, _ = csv_rows(filled_store)
    assert header == list(CSV_COLUMNS)
    assert set(GTD) <= set(header)
    assert set(INCIDEX) <= set(header)


def test_csv_round_trips_values(filled_store: Store) -> None:
    n, _, rows = csv_rows(filled_store)
    assert n == len(rows) == 2
    market = next(r for r in rows if r["eventid"] == "mkt:0")
    assert (market["iyear"], market["imonth"], market["iday"]) == ("2024", "5", "3")
    assert (market["country"], market["country_txt"], market["city"]) == (
        "KE",
        "Kenya",
        "Port Selin",
    )
    assert market["attacktype1_txt"] == "armed_assault"
    assert market["attacktype2_txt"] == ""
    assert market["weaptype1_txt"] == "firearms"
    assert market["gname"] == "Red Hand Front"
    assert (market["nkill"], market["killed_qualifier"], market["nwound"]) == (
        "12",
        "at least",
        "30",
    )
    assert market["targtype1_txt"] == "business"
    assert (market["latitude"], market["longitude"], market["specificity"]) == ("-1.5", "37.1", "1")
    assert market["article_id"] == "mkt"
    # Issue 4: a claim plus an accusation of another party (who denies it) is disputed.
    assert market["attribution_status"] == "disputed"
    # The summary sentence holds commas and double quotes; csv quoting must keep it whole.
    assert market["summary"] in MARKET_TEXT and market["summary"].startswith("Gunmen opened fire")
    spans = json.loads(market["evidence"])
    start, end, rule = spans["killed"][0]
    assert MARKET_TEXT[start:end] == "at least 12" and rule == "toll.killing"


def test_csv_writes_zero_for_unknown_day_and_month(filled_store: Store) -> None:
    _, _, rows = csv_rows(filled_store)
    bridge = next(r for r in rows if r["eventid"] == "brg:0")
    assert (bridge["iyear"], bridge["imonth"], bridge["iday"]) == ("2023", "3", "0")
    assert bridge["country_txt"] == "Ukraine"
    assert bridge["nwound"] == ""


def test_csv_keeps_quotes_and_commas_in_summary(filled_store: Store) -> None:
    detail = filled_store.incident("mkt:0")
    assert detail is not None
    _, _, rows = csv_rows(filled_store)
    market = next(r for r in rows if r["eventid"] == "mkt:0")
    assert market["summary"] == detail.row.summary


def test_export_respects_filters(filled_store: Store) -> None:
    n, _, rows = csv_rows(filled_store, IncidentFilter(country="UA"))
    assert n == 1 and [r["eventid"] for r in rows] == ["brg:0"]


def test_jsonl_lines_parse_with_evidence_and_claims(filled_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with path.open("w", encoding="utf-8") as out:
        n = export(filled_store, "jsonl", out)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert n == len(lines) == 2
    records = {r["id"]: r for r in map(json.loads, lines)}
    market = records["mkt:0"]
    assert market["article_id"] == "mkt"
    assert market["killed"] == {"min": 12, "max": None, "qualifier": "at least"}
    assert market["fields"]["place"]["city"] == "Port Selin"
    assert market["evidence"]["killed"][0]["text"] == "at least 12"
    assert [c["kind"] for c in market["claims"]] == ["responsibility", "accusation", "denial"]
    assert market["article"]["title"] == "Market shooting in Port Selin"
    assert records["brg:0"]["claims"] == []


def test_export_unknown_format_raises_config_error(filled_store: Store) -> None:
    with pytest.raises(ConfigError):
        export(filled_store, "xml", io.StringIO())  # type: ignore[arg-type]
