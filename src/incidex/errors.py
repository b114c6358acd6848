"""Errors incidex raises, each a sentence a user can act on.

    IncidexError
     +-- InputError(source)      an input cannot be read: missing, binary, empty, undecodable,
     |                           malformed JSON line, no text; the batch goes on
     +-- ConfigError             a setting is wrong (unknown spaCy model, bad store URL)
     +-- StoreError              the store cannot be opened or written

The CLI prints ``str(err)`` on one line; nothing else reaches the user as a traceback.
"""

from __future__ import annotations

__all__ = ["ConfigError", "IncidexError", "InputError", "StoreError"]


class IncidexError(Exception):
    """Base of every error incidex raises on purpose."""


class InputError(IncidexError):
    """An input cannot be used; ``source`` names it, ``reason`` says why."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ConfigError(IncidexError):
    """A setting is wrong; the message says which and what to set instead."""


class StoreError(IncidexError):
    """The store cannot be opened, migrated or written."""
