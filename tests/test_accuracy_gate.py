"""Accuracy gate: the dev-set scores must not fall below the floors in accuracy_floors.json.

Runs ``incidex extract`` and the shared scorer as a user would (subprocesses), reading the
evaluation data from ../shared at run time; skipped when that data is absent.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared" / "eval"
FLOORS = ROOT / "tests" / "accuracy_floors.json"


def _dev_scores(tmp_path: Path) -> dict[str, Any]:
    """Return the scorer's JSON report of a fresh extraction over the dev set."""
    predictions = tmp_path / "dev_predictions.jsonl"
    incidex = Path(sys.executable).parent / "incidex"
    with predictions.open("w", encoding="utf-8") as fh:
        subprocess.run(
            [str(incidex), "extract", str(SHARED / "dev" / "input.jsonl"), "--format", "jsonl"],
            stdout=fh,
            check=True,
            timeout=300,
        )
    scored = subprocess.run(
        [
            sys.executable,
            str(SHARED / "score.py"),
            str(SHARED / "dev" / "gold.jsonl"),
            str(predictions),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    report: dict[str, Any] = json.loads(scored.stdout)
    return report


@pytest.mark.skipif(not (SHARED / "dev" / "gold.jsonl").exists(), reason="no shared dev set")
def test_dev_scores_stay_above_their_floors(tmp_path: Path) -> None:
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["dev"]
    report = _dev_scores(tmp_path)
    assert report["missing"] == 0
    below = {
        name: (report["fields"][name]["f1"], floor)
        for name, floor in floors["fields"].items()
        if report["fields"][name]["f1"] < floor
    }
    assert not below, f"fields below their floors (score, floor): {below}"
    assert report["macro_f1"] >= floors["macro_f1"], (report["macro_f1"], floors["macro_f1"])
