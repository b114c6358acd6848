"""Regression floors for MUC-4: the dev split's REE micro F1, detection and incident type
must not drop below ``tests/accuracy_floors.json`` (``muc4_dev``).

Reads the MUC-4 data from ../shared at run time (skipped when absent); no text of it is
kept in the repository."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
MUC = SHARED / "eval" / "muc4"
FLOORS = Path(__file__).resolve().parents[1] / "accuracy_floors.json"


def _floors() -> dict[str, float]:
    floors: dict[str, float] = json.loads(FLOORS.read_text(encoding="utf-8"))["muc4_dev"]
    return floors


@pytest.fixture(scope="module")
def muc_dev_scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    if not (MUC / "input.jsonl").exists() or not (SHARED / "eval" / "score_muc.py").exists():
        pytest.skip("MUC-4 data not available")
    work = tmp_path_factory.mktemp("muc")
    dev = work / "dev.jsonl"
    with (MUC / "input.jsonl").open(encoding="utf-8") as src, dev.open("w") as out:
        out.writelines(line for line in src if json.loads(line).get("split") == "dev")
    pred = work / "pred.jsonl"
    with pred.open("w") as out:
        subprocess.run(
            [sys.executable, "-m", "incidex", "extract", str(dev), "--format", "jsonl"],
            stdout=out,
            check=True,
        )
    scored = subprocess.run(
        [
            sys.executable,
            str(SHARED / "eval" / "score_muc.py"),
            str(MUC / "gold.jsonl"),
            str(pred),
            "--split",
            "dev",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(scored.stdout)
    return result


def test_roles_muc_dev_ree_stays_above_floor(muc_dev_scores: dict[str, object]) -> None:
    ree = muc_dev_scores["ree"]
    assert isinstance(ree, dict)
    assert ree["micro"]["f1"] >= _floors()["ree_micro_f1"]


def test_muc_dev_detection_and_incident_type_stay_above_floors(
    muc_dev_scores: dict[str, object],
) -> None:
    fields = muc_dev_scores["fields"]
    assert isinstance(fields, dict)
    floors = _floors()
    assert fields["detection"]["f1"] >= floors["detection"]
    assert fields["incident_type"]["f1"] >= floors["incident_type"]


def test_roles_muc_dev_finds_every_role(muc_dev_scores: dict[str, object]) -> None:
    ree = muc_dev_scores["ree"]
    assert isinstance(ree, dict)
    for role in ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon"):
        assert ree[role]["found_gold"] > 0, role
