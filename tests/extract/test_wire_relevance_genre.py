"""The wire relevance model's genre features: what kind of piece a message is (its header
label, a recording, its bracketed notes), which tell speeches and interviews from reports."""

from __future__ import annotations

from tests.extract.parsing import message_features

from incidex.extract import relevance

REPORT = (
    "SAN MIGUEL, 12 MAR 90 (RADIO) -- [TEXT] URBAN GUERRILLAS TODAY EXPLODED A BOMB OUTSIDE "
    "THE TOWN HALL OF SAN MIGUEL, WOUNDING TWO GUARDS, THE POLICE SAID."
)
INTERVIEW = (
    "SAN MIGUEL, 12 MAR 90 (RADIO) -- [INTERVIEW WITH\nMAYOR JUAN PEREZ BY UNIDENTIFIED "
    "REPORTER] [TEXT] [BEGIN RECORDING] [REPORTER] WHAT DO YOU THINK OF THE BOMB THAT "
    "EXPLODED OUTSIDE THE TOWN HALL? [PEREZ] IT WAS A COWARDLY ACT. [END RECORDING]"
)


def _features(text: str) -> list[str]:
    return message_features(text, "1990-03-12")


def test_report_header_and_no_recording() -> None:
    feats = _features(REPORT)
    assert "g_header=text" in feats
    assert "g_recording=False" in feats
    assert "g_brackets=<=4" in feats


def test_interview_header_is_read_up_to_with_and_its_recording_counts() -> None:
    feats = _features(INTERVIEW)
    assert "g_header=interview" in feats
    assert "g_recording=True" in feats
    assert "g_brackets=<=9" in feats


def test_message_without_header_has_none() -> None:
    text = "SAN MIGUEL, 12 MAR 90 -- URBAN GUERRILLAS TODAY EXPLODED A BOMB IN SAN MIGUEL."
    assert "g_header=none" in _features(text)


def test_a_report_header_weighs_for_relevance_over_a_speech() -> None:
    base = [f for f in _features(REPORT) if not f.startswith("g_header=")]
    as_report = relevance.relevance([*base, "g_header=text"])
    as_speech = relevance.relevance([*base, "g_header=speech"])
    assert as_report > as_speech
