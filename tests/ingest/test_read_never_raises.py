"""``read`` never raises, whatever the bytes, and hostile JSON does not hang it."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidex.ingest import SUPPORTED_SUFFIXES, documents_from_jsonl, read
from incidex.models import Document, Rejected

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
RECORDS = st.fixed_dictionaries(
    {},
    optional={
        "id": JSON_VALUES,
        "text": st.text() | JSON_VALUES,
        "html": st.text() | JSON_VALUES,
        "published": st.text(max_size=30) | JSON_VALUES,
        "title": JSON_VALUES,
    },
)
JSONL_LINE = st.one_of(RECORDS.map(json.dumps), JSON_VALUES.map(json.dumps), st.text(max_size=40))


def _read_bytes_as(data: bytes, suffix: str) -> list[Document | Rejected]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        return list(read([str(path)], max_bytes=10_000))


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.binary(max_size=2_000), suffix=st.sampled_from(sorted(SUPPORTED_SUFFIXES)))
def test_read_never_raises_on_arbitrary_bytes(data: bytes, suffix: str) -> None:
    results = _read_bytes_as(data, suffix)
    assert results
    assert all(isinstance(r, (Document, Rejected)) for r in results)


@settings(max_examples=80, deadline=None)
@given(lines=st.lists(JSONL_LINE, max_size=8))
def test_read_never_raises_on_arbitrary_json_lines(lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    results = list(documents_from_jsonl(data, "x.jsonl"))
    assert all(isinstance(r, (Document, Rejected)) for r in results)
    # Each non-empty line gives exactly one result, unless the whole input was refused.
    if not (len(results) == 1 and results[0].source == "x.jsonl"):
        assert len(results) == sum(1 for raw in data.split(b"\n") if raw.strip())


def _nested(depth: int) -> Any:
    return "[" * depth + "]" * depth


def test_read_survives_deep_nesting_and_huge_lines(tmp_path: Path) -> None:
    deep = '{"text": "a", "x": ' + _nested(200_000) + "}"
    huge = json.dumps({"id": "big", "text": "word " * 400_000})
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(["[" * 200_000, deep, "{" * 200_000, huge]), encoding="utf-8")
    started = time.monotonic()
    results = list(read([str(path)]))
    assert time.monotonic() - started < 10
    reasons = [r.reason if isinstance(r, Rejected) else r.id for r in results]
    assert "nested too deeply" in reasons[0] and "nested too deeply" in reasons[1]
    assert "malformed JSON line" in reasons[2]
    assert reasons[3] == "big"
