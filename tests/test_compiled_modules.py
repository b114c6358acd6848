"""The grouping and resolution modules run compiled when the build compiled them, and as
source when asked to, or when a source file was edited after the build."""

from __future__ import annotations

import importlib.machinery
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import incidex
from incidex import native

PACKAGE = Path(incidex.__file__).resolve().parent
COMPILED_SUFFIXES = tuple(importlib.machinery.EXTENSION_SUFFIXES)


def _loaded_files(pythonpath: Path | None = None, **env: str) -> list[str]:
    """Return the file each compiled module is imported from in a new interpreter."""
    code = (
        "import importlib, incidex.native as n\n"
        "for name in n.COMPILED: print(importlib.import_module(name).__file__)"
    )
    environ = {k: v for k, v in os.environ.items() if k != "INCIDEX_PURE_PYTHON"} | env
    if pythonpath is not None:
        environ["PYTHONPATH"] = str(pythonpath)
    out = subprocess.run(
        [sys.executable, "-c", code], env=environ, check=True, capture_output=True, text=True
    )
    return out.stdout.split()


def _built() -> bool:
    return all(native._files(name)[1] is not None for name in native.COMPILED)


@pytest.mark.skipif(
    not os.environ.get("INCIDEX_REQUIRE_COMPILED"), reason="only where the build must compile"
)
def test_the_build_compiled_every_module_and_they_run_compiled() -> None:
    assert _built()
    assert native.compiled()
    assert all(f.endswith(COMPILED_SUFFIXES) for f in _loaded_files())


def test_asked_for_source_every_module_runs_from_source() -> None:
    files = _loaded_files(INCIDEX_PURE_PYTHON="1")
    assert len(files) == len(native.COMPILED)
    assert all(f.endswith(".py") for f in files)


@pytest.mark.skipif(not _built(), reason="the build compiled nothing here")
def test_a_source_edited_after_the_build_runs_as_source_with_the_others(tmp_path: Path) -> None:
    copy = tmp_path / "incidex"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    for group in PACKAGE.parent.glob("incidex__mypyc*"):
        shutil.copy2(group, tmp_path)
    assert all(f.endswith(COMPILED_SUFFIXES) for f in _loaded_files(tmp_path))
    edited = copy / "store" / "resolution.py"
    edited.write_text(edited.read_text() + "# edited\n")
    files = _loaded_files(tmp_path)
    sources = [copy / native._files(name)[0].relative_to(PACKAGE) for name in native.COMPILED]
    assert [Path(f).resolve() for f in files] == [p.resolve() for p in sources]
