"""Data flows one way: a stage imports earlier stages only, and models imports nothing of
ours. This test fails on a backward import edge."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "src" / "incidex"
ORDER = [
    "models",
    "errors",
    "config",
    "gazetteer",
    "ingest",
    "clean",
    "annotate",
    "extract",
    "store",
    "export",
    "pipeline",
    "cli",
]


def _stage(module: str) -> str:
    return module.split(".")[0]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(PKG).with_suffix("")
    parts = list(rel.parts)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = parts[: len(parts) - node.level]
                target = ".".join([*base, node.module or ""]).strip(".")
                if not target and node.names:
                    target = node.names[0].name
                found.add(target or parts[0])
            elif node.module and node.module.startswith("incidex."):
                found.add(node.module.removeprefix("incidex."))
        elif isinstance(node, ast.Import):
            found |= {
                a.name.removeprefix("incidex.") for a in node.names if a.name.startswith("incidex.")
            }
    return found


def test_no_backward_imports() -> None:
    bad = []
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG)
        own = _stage(".".join(rel.with_suffix("").parts))
        if own not in ORDER:
            continue
        for target in _imports(path):
            other = _stage(target)
            if other in ORDER and ORDER.index(other) > ORDER.index(own):
                bad.append(f"{rel} imports {target}")
    assert not bad, bad


def test_models_imports_only_the_standard_library() -> None:
    tree = ast.parse((PKG / "models.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0 and not (node.module or "").startswith("incidex")
