"""The incident page's readings: values as words, and which claims dispute each other."""

from __future__ import annotations

from incidex.web.incident import disputed, format_value


def test_counts_read_with_their_qualifier_and_range() -> None:
    assert (
        format_value("killed", {"min": 12, "max": None, "qualifier": "at least"}) == "at least 12"
    )
    assert format_value("wounded", {"min": 3, "max": 5, "qualifier": None}) == "3–5"
    assert format_value("killed", {"min": None, "max": None, "qualifier": None}) == "unknown"


def test_dates_places_and_lists_read_plainly() -> None:
    date = {"year": 2024, "month": 3, "day": None, "inferred": ["year"]}
    assert format_value("date", date) == "2024-03 (inferred: year)"
    place = {"venue": None, "city": "Kano", "admin1": "Kano", "country": "NG"}
    assert format_value("place", place) == "Kano, Kano, NG"
    assert format_value("weapons", ["firearms", "explosives"]) == "firearms, explosives"
    assert format_value("perpetrators", []) == "—"


def test_a_denial_by_the_accused_party_disputes_the_accusation() -> None:
    ledger = [
        {"kind": "accusation", "speaker": "The interior minister", "party": "Group A"},
        {"kind": "denial", "speaker": "Group A spokesman", "party": "Group A"},
        {"kind": "warning", "speaker": "An embassy", "party": None},
    ]
    assert disputed(ledger) == [True, True, False]


def test_claims_pointing_at_different_parties_dispute_each_other() -> None:
    ledger = [
        {"kind": "responsibility", "speaker": "Group B", "party": "Group B"},
        {"kind": "accusation", "speaker": "The president", "party": "Country C"},
    ]
    assert disputed(ledger) == [True, True]


def test_a_lone_claim_is_not_disputed() -> None:
    ledger = [{"kind": "responsibility", "speaker": "Group B", "party": "group-b"}]
    assert disputed(ledger) == [False]
