"""Build of incidex: the modules that group copies and resolve incidents are compiled with
mypyc (``incidex.native.COMPILED``), the rest is installed as Python source.

Compiled, grouping and resolution took a fifth less CPU on the 10k bench articles (3.06-3.31
s against 3.83-4.05, every table identical). Without a C compiler, or with
INCIDEX_PURE_PYTHON=1 set, the package is installed as source alone and runs the same.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from setuptools import Extension, setup

# The modules compiled, as paths; ``incidex.native`` names the same modules, and reads what
# they were compiled from in RECORD.
RECORD = Path("src/incidex/compiled_sources.json")
COMPILED = [
    "src/incidex/copies.py",
    "src/incidex/resolve.py",
    "src/incidex/store/candidates.py",
    "src/incidex/store/resolution.py",
]

# The build environment holds mypy but not the packages incidex imports: their types are
# taken as Any (which also leaves their values unchecked in the compiled code, as Python
# leaves them), and the checks that would flag that are off for the build.
MYPY_FLAGS = [
    "--ignore-missing-imports",
    "--follow-imports=silent",
    "--no-warn-return-any",
    "--no-warn-unused-ignores",
    "--allow-subclassing-any",
    "--allow-untyped-decorators",
    "--allow-untyped-calls",
]


def compiled_modules() -> list[Extension]:
    """Return the extensions mypyc makes of ``COMPILED``, none when the build is asked to
    be pure Python or mypyc cannot make them (the source then runs as it is)."""
    if os.environ.get("INCIDEX_PURE_PYTHON"):
        return []
    try:
        from mypyc.build import mypycify

        extensions = mypycify([*MYPY_FLAGS, *COMPILED], opt_level="3", group_name="incidex")
    except (Exception, SystemExit) as err:
        print(
            f"incidex: not compiling {', '.join(COMPILED)} ({err}); installing source",
            file=sys.stderr,
        )
        return []
    for extension in extensions:
        # A compiler error leaves that module as source instead of failing the install.
        extension.optional = True
    RECORD.write_text(json.dumps(_source_hashes(), indent=1, sort_keys=True) + "\n")
    return list(extensions)


def _source_hashes() -> dict[str, str]:
    """Return the SHA-256 of each compiled module's source, by module name."""
    return {
        ".".join(Path(path).with_suffix("").parts[1:]): hashlib.sha256(
            Path(path).read_bytes()
        ).hexdigest()
        for path in COMPILED
    }


setup(ext_modules=compiled_modules())
