"""Issue 3 acceptance: the seed article through `incidex extract`, end to end."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.conftest import run_cli, shared_file


def _same(a: str | None, b: str) -> bool:
    return a is not None and b.casefold() in a.casefold()


@pytest.fixture(scope="module")
def seed_output() -> dict[str, Any]:
    proc = run_cli(["extract", str(shared_file("seed", "crocus-commentary.txt"))])
    assert proc.returncode == 0, proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def _incidents(output: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in output["incidents"] if not i["background"] and i["stage"] != "threatened"]


def test_seed_has_exactly_one_incident(seed_output: dict[str, Any]) -> None:
    assert len(_incidents(seed_output)) == 1


def test_seed_incident_types_and_weapons(seed_output: dict[str, Any]) -> None:
    inc = _incidents(seed_output)[0]
    assert set(inc["attack_types"]) == {"armed_assault", "facility_infrastructure_attack"}
    assert set(inc["weapons"]) == {"firearms", "incendiary"}


def test_seed_place_is_crocus_city_hall_moscow(seed_output: dict[str, Any]) -> None:
    place = _incidents(seed_output)[0]["place"]
    assert place["venue"] == "Crocus City Hall"
    assert place["city"] == "Moscow"
    assert place["country"] == "RU"
    assert abs(place["lat"] - 55.75) < 0.5 and abs(place["lon"] - 37.62) < 0.5


def test_seed_date_is_22_march_2024_with_inferred_year(seed_output: dict[str, Any]) -> None:
    date = _incidents(seed_output)[0]["date"]
    assert (date["year"], date["month"], date["day"]) == (2024, 3, 22)
    assert "year" in date["inferred"]
    assert "month" not in date["inferred"] and "day" not in date["inferred"]


def test_seed_tolls(seed_output: dict[str, Any]) -> None:
    inc = _incidents(seed_output)[0]
    assert inc["killed"]["min"] == 139
    assert inc["killed"]["qualifier"] == "at least"
    assert inc["wounded"]["min"] == 200


def test_seed_perpetrator_is_isis_k(seed_output: dict[str, Any]) -> None:
    perps = _incidents(seed_output)[0]["perpetrators"]
    assert any(p in ("ISIS-K", "Islamic State Khorasan Province") for p in perps), perps


def _claims(output: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [c for c in output["claims"] if c["kind"] == kind]


def test_seed_claims(seed_output: dict[str, Any]) -> None:
    resp = _claims(seed_output, "responsibility")
    assert any(_same(c["party"], "ISIS-K") or _same(c["party"], "Khorasan") for c in resp)
    acc = _claims(seed_output, "accusation")
    assert any(_same(c["speaker"], "Putin") and _same(c["party"], "Ukraine") for c in acc)
    den = _claims(seed_output, "denial")
    assert any(
        _same(c["speaker"], "Ukrainian government") and _same(c["party"], "Ukraine") for c in den
    )
    assert any(_same(c["speaker"], "US government") and _same(c["party"], "Ukraine") for c in den)
    warn = _claims(seed_output, "warning")
    assert any(_same(c["speaker"], "US") and _same(c["party"], "Russia") for c in warn)


def test_seed_nothing_from_related_content(seed_output: dict[str, Any]) -> None:
    dumped = json.dumps(seed_output)
    for teaser_word in ("Yevmenov", "Black Sea", "Gaza", "Aid Legislation"):
        assert teaser_word not in dumped


def test_seed_every_claim_is_linked_to_the_incident(seed_output: dict[str, Any]) -> None:
    assert all(c["incident"] == 0 for c in seed_output["claims"])
