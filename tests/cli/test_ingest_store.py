"""Ingest into a real SQLite store, query it back, and ingest again (nothing new)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.conftest import DEMO, run_cli


def test_demo_ingest_then_reingest_stores_nothing(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    first = run_cli(["ingest", "--db", str(db), str(DEMO)])
    assert first.returncode == 0, first.stderr
    assert " 0 skipped as duplicates" in first.stdout
    second = run_cli(["ingest", "--db", str(db), str(DEMO)])
    assert second.returncode == 0, second.stderr
    assert " 0 stored" in second.stdout
    listed = run_cli(["incidents", "--db", str(db), "--json"])
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) >= 5
    again = run_cli(["incidents", "--db", str(db), "--json"])
    assert again.stdout == listed.stdout
    # Piped, the table still gives each incident one line (a log stays readable).
    table = run_cli(["incidents", "--db", str(db)]).stdout
    assert "Mogadishu market, Mogadishu, SO" in table
    assert sum("│ doc-" in line for line in table.splitlines()) == len(rows)


def test_filters_show_and_export(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    assert run_cli(["ingest", "--db", str(db), str(DEMO)]).returncode == 0
    rows = [
        json.loads(x)
        for x in run_cli(["incidents", "--db", str(db), "--json"]).stdout.split("\n")
        if x
    ]
    country = rows[0]["country"]
    only = [
        json.loads(x)
        for x in run_cli(
            ["incidents", "--db", str(db), "--json", "--country", country.lower()]
        ).stdout.split("\n")
        if x
    ]
    assert only and all(r["country"] == country for r in only)
    assert len(only) < len(rows)
    big = [
        json.loads(x)
        for x in run_cli(
            ["incidents", "--db", str(db), "--json", "--min-killed", "10"]
        ).stdout.split("\n")
        if x
    ]
    assert all((r["killed"] or {}).get("min", 0) >= 10 for r in big)
    shown = run_cli(["show", rows[0]["id"], "--db", str(db)], env={"COLUMNS": "200"})
    assert shown.returncode == 0, shown.stderr
    assert "Source:" in shown.stdout
    missing = run_cli(["show", "no-such-id", "--db", str(db)])
    assert missing.returncode != 0 and "no-such-id" in missing.stderr
    out_csv = tmp_path / "out.csv"
    exp = run_cli(["export", "--format", "csv", "--out", str(out_csv), "--db", str(db)])
    assert exp.returncode == 0, exp.stderr
    reader = csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8")))
    records = list(reader)
    assert len(records) == len(rows)
    for column in (
        "eventid",
        "iyear",
        "imonth",
        "iday",
        "country_txt",
        "city",
        "latitude",
        "longitude",
        "attacktype1_txt",
        "weaptype1_txt",
        "gname",
        "nkill",
        "nwound",
    ):
        assert column in (reader.fieldnames or [])
    jl = run_cli(["export", "--format", "jsonl", "--db", str(db)])
    assert len([json.loads(x) for x in jl.stdout.splitlines() if x]) == len(rows)


def test_jsonl_extract_keeps_given_ids(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        "\n".join(
            json.dumps({"id": f"mine-{i}", "text": t})
            for i, t in enumerate(
                [
                    "Gunmen killed two guards at a bank in Lagos on Monday.",
                    "Wheat prices rose for a third week as dry weather cut the harvest outlook.",
                ]
            )
        )
        + "\n",
        encoding="utf-8",
    )
    proc = run_cli(["extract", str(src), "--format", "jsonl"])
    assert proc.returncode == 0, proc.stderr
    ids = [json.loads(x)["id"] for x in proc.stdout.splitlines()]
    assert ids == ["mine-0", "mine-1"]


def test_non_english_article_is_stored_and_reported_not_extracted(tmp_path: Path) -> None:
    article = tmp_path / "fr.txt"
    article.write_text(
        "Attentat à la bombe sur un marché\n\nUne bombe a explosé mardi sur un marché très "
        "fréquenté de la ville, tuant au moins douze personnes et en blessant trente autres, "
        "selon la police, qui a ouvert une enquête et bouclé tout le quartier.\n",
        encoding="utf-8",
    )
    db = tmp_path / "s.db"
    proc = run_cli(["ingest", "--db", str(db), str(article)])
    assert proc.returncode == 0, proc.stderr
    assert "1 stored" in proc.stdout and "1 not English" in proc.stdout
    out = run_cli(["extract", str(article)])
    record = json.loads(out.stdout)
    assert record["language"] == "fr" and record["status"] == "skipped"
    assert record["incidents"] == []
