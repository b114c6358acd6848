"""incidex: news about attacks and political violence -> structured incidents and claims,
every value with the evidence span it came from.

    >>> import incidex
    >>> result = incidex.extract("Gunmen killed 12 people at a market in Kano on Friday.")
    >>> result.to_dict()["incidents"][0]["killed"]["min"]
    12
"""

from __future__ import annotations

from .errors import ConfigError, IncidexError, InputError, StoreError
from .models import (
    Article,
    Claim,
    Count,
    Document,
    Evidence,
    Extraction,
    Fact,
    Incident,
    Mention,
    PartialDate,
    Place,
    Rejected,
)
from .native import install as _install_compiled_modules
from .pipeline import Processed, extract, process_many

__version__ = "0.1.0"

# Before any of them is imported (none is by the imports above).
_install_compiled_modules()

__all__ = [
    "Article",
    "Claim",
    "ConfigError",
    "Count",
    "Document",
    "Evidence",
    "Extraction",
    "Fact",
    "Incident",
    "IncidexError",
    "InputError",
    "Mention",
    "PartialDate",
    "Place",
    "Processed",
    "Rejected",
    "StoreError",
    "extract",
    "process_many",
]
