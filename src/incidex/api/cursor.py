"""Opaque page cursors: a keyset position (sort order, sort value, incident id) or a search
offset, as URL-safe base64 of a small JSON array."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Any, get_args

from ..errors import InputError
from ..store.query import After, Order

__all__ = ["decode_after", "decode_offset", "encode_after", "encode_offset"]

ORDERS: tuple[str, ...] = get_args(Order)


def _encode(payload: list[Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> Any:
    """Return the JSON a cursor holds; raises InputError when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return json.loads(raw)
    except (binascii.Error, ValueError) as err:
        raise InputError("cursor", "is not a cursor this server gave out") from err


def encode_after(order: Order, after: After) -> str:
    """Return the cursor of a keyset position in ``order``."""
    return _encode(["k", order, after.value, after.id])


def decode_after(cursor: str, order: Order) -> After:
    """Return the keyset position of ``cursor``; raises InputError when it is malformed or
    was made for another sort order."""
    payload = _decode(cursor)
    valid = (
        isinstance(payload, list)
        and len(payload) == 4
        and payload[0] == "k"
        and payload[1] in ORDERS
        and isinstance(payload[2], (str, int, type(None)))
        and not isinstance(payload[2], bool)
        and isinstance(payload[3], str)
    )
    if not valid:
        raise InputError("cursor", "is not a cursor this server gave out")
    if payload[1] != order:
        raise InputError("cursor", "was made for another sort order; start again without it")
    if payload[2] is not None and not _fits(order, payload[2]):
        raise InputError("cursor", "is not a cursor this server gave out")
    return After(payload[2], payload[3])


def _fits(order: Order, value: str | int) -> bool:
    """Return whether a cursor's sort value has the type of the order's key."""
    key = order.rsplit("_", 1)[0]
    if key == "country":
        return isinstance(value, str)
    if key == "date":
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            return False
        return isinstance(value, str)
    return isinstance(value, int) and abs(value) < 2**62


def encode_offset(offset: int) -> str:
    """Return the cursor of a result offset (search results)."""
    return _encode(["o", offset])


def decode_offset(cursor: str) -> int:
    """Return the offset of a search cursor; raises InputError when it is malformed."""
    payload = _decode(cursor)
    valid = (
        isinstance(payload, list)
        and len(payload) == 2
        and payload[0] == "o"
        and isinstance(payload[1], int)
        and not isinstance(payload[1], bool)
        and 0 <= payload[1] <= 1_000_000
    )
    if not valid:
        raise InputError("cursor", "is not a cursor this server gave out")
    return int(payload[1])
