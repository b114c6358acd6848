"""The CLI over merged incidents: `incidents` shows independent sources and status, `show`
the merged facts with rules, toll history, claims ledger and copy groups, `copies` the copy
groups, and `export --format jsonl` the articles and copy groups of each incident."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from incidex_resolve_articles import MOMBASA_ARTICLES, ingest_texts
from typer.testing import CliRunner

from incidex.cli import app
from incidex.store import open_store


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(Path(tmp_path_factory.mktemp("cli")) / "store.db")
    with open_store(path) as store:
        ingest_texts(store, MOMBASA_ARTICLES)
    return path


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "240"})
    assert result.exit_code == 0, result.output
    return result.output


def test_incidents_json_has_sources_and_status(db: str) -> None:
    rows = [json.loads(x) for x in _run("incidents", "--db", db, "--json").splitlines() if x]
    hotel = next(r for r in rows if r["id"] == "first:0")
    assert hotel["sources"] == 3 and hotel["attribution_status"] == "disputed"


def test_show_prints_rules_history_ledger_and_copy_groups(db: str) -> None:
    shown = _run("show", "first:0", "--db", db)
    for heading in ("Merged facts", "Toll history", "Claims ledger", "Copy groups"):
        assert heading in shown
    assert "toll:highest_min_of_most_recent_reports" in shown
    assert "first, first-syndicated" in shown and "second, second-spun" in shown


def test_copies_lists_groups_with_original_first(db: str) -> None:
    lines = [json.loads(x) for x in _run("copies", "--db", db, "--json").splitlines() if x]
    assert [[a["id"] for a in g["articles"]] for g in lines] == [
        ["first", "first-syndicated"],
        ["second", "second-spun"],
    ]


def test_export_jsonl_carries_articles_and_copy_groups(db: str, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    _run("export", "--format", "jsonl", "--out", str(out), "--db", db)
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    hotel = next(r for r in records if r["id"] == "first:0")
    assert sorted(hotel["articles"]) == sorted(a for a, _, _ in MOMBASA_ARTICLES)
    assert sorted(map(sorted, hotel["copy_groups"])) == [
        ["first", "first-syndicated"],
        ["second", "second-spun"],
        ["third"],
    ]
