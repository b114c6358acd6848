"""`incidex extract` in its default json format: one object for one article, one array for
several, written as indented JSON whichever way it is streamed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "src" / "incidex" / "demo"


def _extract(*paths: Path) -> str:
    cmd = [sys.executable, "-m", "incidex", "extract", *map(str, paths)]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def test_several_articles_print_as_one_indented_array() -> None:
    files = sorted(DEMO.glob("*.txt"))[:3]
    out = _extract(*files)
    records = json.loads(out)
    assert isinstance(records, list) and len(records) == 3
    assert out == json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def test_one_article_prints_as_one_object() -> None:
    out = _extract(DEMO / "mogadishu-market-bombing.txt")
    record = json.loads(out)
    assert isinstance(record, dict) and record["incidents"]
    assert out == json.dumps(record, ensure_ascii=False, indent=2) + "\n"
