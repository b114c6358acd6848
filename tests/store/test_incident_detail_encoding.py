"""The incident detail the resolver writes is encoded exactly as ``json.dumps`` encodes
``MergedIncident.detail()`` (the resolver joins it from its ids' encodings), and a copy
fingerprint's anchors as it encodes their sorted list."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from incidex.copies import fingerprint
from incidex.resolve import MentionInfo, merge
from incidex.store.resolution import _detail_json, _fingerprint_row


def _mention(article_id: str, day: int) -> MentionInfo:
    fields = {"attack_types": ["bombing"], "killed": {"min": day, "max": None}}
    return MentionInfo(f"{article_id}:0", article_id, dt.date(2024, 5, day), fields)


@pytest.mark.parametrize(
    "groups",
    [
        [("a", 'b"é\\')],
        [("a",), ('b"é\\',)],
        [],
    ],
)
def test_detail_json_is_json_dumps_of_detail(groups: list[tuple[str, ...]]) -> None:
    members = [_mention("a", 3), _mention('b"é\\', 4)]
    incident = merge(members, [], groups, with_sources=False)
    assert str(_detail_json(incident)) == json.dumps(incident.detail())


def test_detail_with_decisions_is_json_dumps_too() -> None:
    members = [_mention("a", 3), _mention("b", 4)]
    decisions = [{"mention": "b:0", "with": "a:0", "merge": True, "score": 4.0}]
    incident = merge(members, [], [("a",), ("b",)], decisions, with_sources=False)
    assert str(_detail_json(incident)) == json.dumps(incident.detail())


def test_fingerprint_anchors_are_json_dumps_of_their_sorted_list() -> None:
    fp = fingerprint("a", 'Gunmen from Zürich killed 12 people at the "Kenyatta" market.')
    row = _fingerprint_row(fp, 1)
    assert fp.anchors
    assert str(row["anchors"]) == json.dumps(sorted(fp.anchors))
