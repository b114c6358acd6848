"""The relevance gate: articles that could report an attack pass, the rest are not parsed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from incidex import pipeline
from incidex.clean import clean
from incidex.gate import attack_cues, focus_text, may_report_incident, may_report_incident_text
from incidex.models import Article

_EVAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval"


def _article(text: str, title: str | None = None) -> Article:
    return Article(id="t", text=text, language="en", title=title)


def test_gate_passes_attack_reports_in_any_case() -> None:
    assert may_report_incident_text("Gunmen opened fire on a minibus near the border.")
    assert may_report_incident_text("A CAR BOMB EXPLODED OUTSIDE THE MINISTRY TODAY.")
    assert may_report_incident_text("Two aid workers were kidnapped on the road to the camp.")


def test_gate_passes_phrases_spread_over_a_line_break() -> None:
    assert may_report_incident_text("Rebels blew\nup the pipeline station overnight.")
    assert may_report_incident_text("Unknown men set  fire to the town hall.")


def test_gate_turns_away_business_and_weather_news() -> None:
    assert not may_report_incident_text("Quarterly profit rose 12 pct on higher grain exports.")
    assert not may_report_incident_text("Showers are expected over the cocoa zone this week.")


def test_gate_matches_whole_words_only() -> None:
    # "executive", "stable" and "deadline" hold attack words but are none.
    assert not may_report_incident_text("The executive kept prices stable before the deadline.")


def test_gate_needs_two_different_weak_words() -> None:
    # "attack", "fire" and "mines" have business senses: one alone is not enough.
    assert not may_report_incident_text("The chairman met the attack on his pricing calmly.")
    assert not may_report_incident_text("Output at the mines rose; the mines reopened.")
    assert may_report_incident_text("Rebels attacked the convoy at dawn.")


def test_gate_reads_the_title_too() -> None:
    assert may_report_incident(_article("Details follow.", title="Bomb hits bus depot"))
    assert not may_report_incident(_article("Details follow.", title="Bank rates unchanged"))
    assert may_report_incident(_article("Three rebels were seen.", title="Attack on a depot"))


def test_attack_cues_lists_words_and_phrases_in_text_order() -> None:
    cues = attack_cues("Militants opened fire and later two guards died.")
    assert cues == ["militants", "opened fire", "fire", "died"]


def test_gated_article_is_skipped_unparsed_with_its_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INCIDEX_GATE", "1")
    result = pipeline.extract("Wheat futures closed higher on Tuesday in thin trading.")
    assert result.status == "skipped"
    assert result.note == pipeline.GATED_NOTE
    assert result.article.language == "en"
    assert result.mentions == () and result.claims == ()


def test_gate_off_parses_every_article(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INCIDEX_GATE", "0")
    result = pipeline.extract("Wheat futures closed higher on Tuesday in thin trading.")
    assert result.status == "extracted"


# --- recall on the shared evaluation sets (read at run time, never copied) ---------------


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _passes(record: dict[str, Any]) -> bool:
    document = pipeline.document_from_text(
        record["text"], id=record["id"], title=record.get("title")
    )
    return may_report_incident(clean(document))


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return path


def test_gate_passes_every_dev_incident_article() -> None:
    gold = {g["id"]: g for g in _jsonl(_need(_EVAL / "dev" / "gold.jsonl"))}
    relevant = [r for r in _jsonl(_EVAL / "dev" / "input.jsonl") if gold[r["id"]]["incidents"]]
    missed = [r["id"] for r in relevant if not _passes(r)]
    assert relevant and missed == []


def test_gate_passes_98_percent_of_muc4_dev_relevant_messages() -> None:
    gold = {g["id"]: g for g in _jsonl(_need(_EVAL / "muc4" / "gold.jsonl"))}
    relevant = [
        r
        for r in _jsonl(_EVAL / "muc4" / "input.jsonl")
        if r["split"] == "dev" and gold[r["id"]]["incidents"]
    ]
    passed = sum(_passes(r) for r in relevant)
    assert len(relevant) > 100 and passed / len(relevant) >= 0.98


def test_gate_passes_the_labelled_firehose_reports() -> None:
    labels = _need(_EVAL / "firehose" / "labels.jsonl")
    positives = {lab["id"] for lab in _jsonl(labels) if lab["is_incident_report"]}
    reports = [r for r in _jsonl(_EVAL / "firehose" / "articles.jsonl") if r["id"] in positives]
    missed = [r["id"] for r in reports if not _passes(r)]
    assert len(reports) == len(positives) and missed == []


# --- focus: what the parse keeps ---------------------------------------------------------

_STORY = (
    "Depot hit in Kano\n\n"
    "KANO, Nigeria (Agency) - Police gave details on Monday. "
    "The city council met to discuss roads. "
    "The budget was approved after a long debate. "
    "Markets stayed open all week. "
    "Residents said the weather was mild. "
    "Later, gunmen stormed a fuel depot. "
    "The depot is owned by a local firm. "
    "Nobody claimed the raid."
)


def test_focus_keeps_the_length_and_the_line_breaks() -> None:
    focused = focus_text(_STORY)
    assert len(focused) == len(_STORY)
    assert [i for i, c in enumerate(focused) if c == "\n"] == [
        i for i, c in enumerate(_STORY) if c == "\n"
    ]


def test_focus_blanks_only_sentences_far_from_attack_and_claim_words() -> None:
    focused = focus_text(_STORY)
    assert "Depot hit in Kano" in focused and "KANO, Nigeria" in focused
    assert "gunmen stormed a fuel depot" in focused and "Nobody claimed the raid." in focused
    # Neighbours of an attack sentence stay: they may name the place, date or owner.
    assert "Residents said the weather was mild." in focused
    assert "The depot is owned by a local firm." in focused
    assert "The budget was approved" not in focused and "Markets stayed open" not in focused


def test_focus_leaves_text_without_any_cue_past_its_lead_blank() -> None:
    text = "Title line\n\nFirst sentence here. Second one. Third one goes."
    focused = focus_text(text)
    assert focused.startswith("Title line\n\nFirst sentence here.")
    assert focused.endswith(" " * len("Third one goes."))


def test_gate_counts_a_weak_word_once_however_often_it_appears() -> None:
    assert not may_report_incident_text("Fire, fire, fire: the fire sale starts on Friday.")
    assert may_report_incident_text("A fire broke out and three people were hurt.")
