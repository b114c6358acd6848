"""Build of incidex: the modules that group copies and resolve incidents
(``incidex.native.COMPILED``) are compiled with mypyc, the rest is installed as Python
source.

Compiled, grouping and resolution took a quarter less CPU on the 10k bench articles
(2.80-3.03 s against 3.83-4.05, every table identical). Without a C compiler, or with
INCIDEX_PURE_PYTHON=1 set, the package is installed as source alone and runs the same.
"""

from __future__ import annotations

import hashlib
import json
import os
import runpy
import sys
from pathlib import Path

from setuptools import Extension, setup

# incidex.native, run alone (it imports only the standard library): which modules are
# compiled, and where the build records what they were compiled from.
NATIVE = runpy.run_path("src/incidex/native.py")
RECORD = Path("src/incidex/compiled_sources.json")
COMPILED = [str(path.relative_to(Path.cwd().resolve())) for path in NATIVE["sources"]()]

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


# The commands that only read the package's metadata: a pip install runs setup.py for two
# of them before the build, and compiling for each would triple the build's time.
METADATA_ONLY = {"egg_info", "dist_info"}


def compiled_modules() -> list[Extension]:
    """Return the extensions mypyc makes of ``COMPILED``, none when the build is asked to
    be pure Python, only metadata is asked for, or mypyc cannot make them (the source then
    runs as it is)."""
    if os.environ.get("INCIDEX_PURE_PYTHON") or set(sys.argv[1:2]) <= METADATA_ONLY:
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
        name: hashlib.sha256(Path(path).read_bytes()).hexdigest()
        for name, path in zip(NATIVE["COMPILED"], COMPILED, strict=True)
    }


setup(ext_modules=compiled_modules())
