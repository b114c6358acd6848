"""Which modules the build compiles (mypyc, see ``setup.py``), and when their source runs
instead.

The compiled modules share one library and each other's compiled classes, so they run all
compiled or all as source: as source when any is not compiled (no C compiler at install),
when a source file differs from the one it was compiled from (``compiled_sources.json``,
written by the build: edited since the last install, where the stale build would hide the
edit), or when INCIDEX_PURE_PYTHON is set.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from types import ModuleType

__all__ = ["COMPILED", "compiled", "install", "sources"]

COMPILED = (
    "incidex.copies",
    "incidex.resolve",
    "incidex.store.candidates",
    "incidex.store.resolution",
)
_PACKAGE_DIR = Path(__file__).resolve().parent
_RECORD = _PACKAGE_DIR / "compiled_sources.json"


def sources() -> list[Path]:
    """Return the source files of the compiled modules (what the build compiles; this
    module imports nothing but the standard library, so the build can run it alone)."""
    return [_files(name)[0] for name in COMPILED]


def _files(name: str) -> tuple[Path, Path | None]:
    """Return the source of a compiled module and its compiled file (None when absent)."""
    parts = name.split(".")[1:]
    source = _PACKAGE_DIR.joinpath(*parts).with_suffix(".py")
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        built = source.with_suffix(suffix)
        if built.exists():
            return source, built
    return source, None


@cache
def compiled() -> bool:
    """Return whether the compiled modules run (else their source does)."""
    if os.environ.get("INCIDEX_PURE_PYTHON"):
        return False
    try:
        record = json.loads(_RECORD.read_text())
    except (OSError, ValueError):
        return False
    for name in COMPILED:
        source, built = _files(name)
        if built is None or record.get(name) != _sha256(source):
            return False
    return True


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class _SourceFinder(importlib.abc.MetaPathFinder):
    """Finds the compiled modules' source when it is to run instead of their builds."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in COMPILED or compiled():
            return None
        source, _ = _files(fullname)
        return importlib.util.spec_from_file_location(fullname, source)


def install() -> None:
    """Make the compiled modules import as ``compiled()`` says (once per process)."""
    if not any(isinstance(f, _SourceFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _SourceFinder())
