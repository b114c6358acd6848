"""Issue 3, point 4: every kind of bad input in one batch, good files between them."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import run_cli

GOOD = (
    "Gunmen attack police post in Kano\n\n"
    "Gunmen killed four police officers at a checkpoint in Kano, Nigeria, on Monday, "
    "police said.\n"
)
GOOD2 = (
    "Bomb blast at Peshawar market\n\n"
    "A bomb exploded at a crowded market in Peshawar, Pakistan, on Sunday, killing at least "
    "seven people and wounding 20 others, officials said.\n"
)


def _write_batch(d: Path) -> dict[str, Path]:
    files = {
        "good1": d / "good1.txt",
        "binary": d / "binary.txt",
        "empty": d / "empty.txt",
        "undecodable": d / "latin.txt",
        "good2": d / "good2.txt",
        "html": d / "broken.html",
        "jsonl": d / "records.jsonl",
        "emptydir": d / "nothing_here",
    }
    files["good1"].write_text(GOOD, encoding="utf-8")
    files["binary"].write_bytes(bytes(range(256)) * 8)
    files["empty"].write_bytes(b"   \n\n")
    files["undecodable"].write_bytes(b"\x81\x8d\x8f\x90\x9d" * 40 + b"\xff\xfe\x00\x9d")
    files["good2"].write_text(GOOD2, encoding="utf-8")
    files["html"].write_text("<html><head><title></title></head><body><<<>>></body", "utf-8")
    lines = [
        json.dumps({"id": "rec-good", "text": GOOD2.replace("Peshawar", "Quetta")}),
        '{"id": "rec-broken", "text": "unterminated',
        json.dumps({"id": "rec-notext", "title": "No body here"}),
        json.dumps({"id": "rec-good-2", "text": GOOD.replace("Kano", "Maiduguri")}),
    ]
    files["jsonl"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    files["emptydir"].mkdir()
    return files


def test_bad_inputs_each_get_one_line_and_the_batch_goes_on(tmp_path: Path) -> None:
    files = _write_batch(tmp_path)
    db = tmp_path / "store.db"
    missing = tmp_path / "does-not-exist.txt"
    args = ["ingest", "--db", str(db), str(files["good1"]), str(missing)]
    args += [
        str(files[k])
        for k in ("binary", "empty", "undecodable", "good2", "html", "jsonl", "emptydir")
    ]
    proc = run_cli(args, env={"COLUMNS": "200"})
    assert proc.returncode != 0
    errors = [line for line in proc.stderr.splitlines() if line.strip()]
    expected_sources = [
        str(missing),
        str(files["binary"]),
        str(files["empty"]),
        str(files["undecodable"]),
        str(files["html"]),
        f"{files['jsonl']}:2",
        f"{files['jsonl']}:3",
        str(files["emptydir"]),
    ]
    for source in expected_sources:
        matching = [line for line in errors if source in line and "error" in line.lower()]
        assert len(matching) == 1, (source, errors)
    assert len(errors) == len(expected_sources), errors
    assert "Traceback" not in proc.stderr
    listed = run_cli(["incidents", "--db", str(db), "--json"])
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    article_ids = {r["article_id"] for r in rows}
    assert {"rec-good", "rec-good-2"} <= article_ids
    assert len(article_ids) == 4
    assert "4 stored" in proc.stdout


def test_missing_only_input_exits_nonzero_with_one_line(tmp_path: Path) -> None:
    proc = run_cli(["extract", str(tmp_path / "nope.txt")])
    assert proc.returncode != 0
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "nope.txt" in lines[0]
    assert os.linesep not in lines[0]
