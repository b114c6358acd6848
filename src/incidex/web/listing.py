"""The incidents list: the filter form read from a query string, the page of rows it
selects, and the links that sort and page through it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast, get_args
from urllib.parse import urlencode

from ..models import ATTACK_TYPES
from ..store import IncidentFilter, IncidentRow, Store
from ..store.query import AttributionStatus, Order

__all__ = [
    "ORDERS",
    "PAGE_SIZE",
    "STATUSES",
    "FilterForm",
    "Listing",
    "list_incidents",
    "matching_rows",
    "parse_form",
]

PAGE_SIZE = 50
STATUSES: tuple[str, ...] = get_args(AttributionStatus)
ORDERS: tuple[str, ...] = get_args(Order)
FORM_KEYS = ("q", "country", "attack_type", "perpetrator", "status", "since", "until", "min_killed")


@dataclass(frozen=True, slots=True)
class FilterForm:
    """The filters as typed (to refill the form), the errors found in them, and the
    store filter they make."""

    values: Mapping[str, str]
    errors: tuple[str, ...]
    sort: str
    page: int
    criteria: Mapping[str, Any] = field(default_factory=dict)

    def query(self, **changes: str | int) -> str:
        """Return the query string of this form with ``changes`` applied (empty dropped)."""
        params: dict[str, str | int] = {k: v for k, v in self.values.items() if v}
        params["sort"] = self.sort
        params.update(changes)
        if params.get("page") in (1, "1"):
            del params["page"]
        return urlencode({k: v for k, v in params.items() if v not in ("", None)})


@dataclass(frozen=True, slots=True)
class Listing:
    """One page of the incidents list."""

    rows: list[IncidentRow]
    total: int
    form: FilterForm
    pages: int

    @property
    def first(self) -> int:
        return 0 if not self.rows else (self.form.page - 1) * PAGE_SIZE + 1

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def _date(raw: str, name: str, errors: list[str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors.append(f"The {name} date must be written YYYY-MM-DD, not {raw!r}.")
        return None


def _int(raw: str, name: str, errors: list[str], low: int = 0) -> int | None:
    try:
        value = int(raw)
    except ValueError:
        errors.append(f"The {name} must be a whole number, not {raw!r}.")
        return None
    if value < low:
        errors.append(f"The {name} must be at least {low}.")
        return None
    return value


def _choice(raw: str, name: str, allowed: tuple[str, ...], errors: list[str]) -> str | None:
    if raw in allowed:
        return raw
    errors.append(f"Unknown {name} {raw!r}; choose one of: {', '.join(allowed)}.")
    return None


def _criteria(values: Mapping[str, str], errors: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if values["q"]:
        out["query"] = values["q"]
    if values["country"]:
        if len(values["country"]) == 2 and values["country"].isalpha():
            out["country"] = values["country"].upper()
        else:
            errors.append(
                f"The country must be a two-letter code (FR, SO...), not {values['country']!r}."
            )
    if values["attack_type"]:
        out["attack_type"] = _choice(values["attack_type"], "attack type", ATTACK_TYPES, errors)
    if values["status"]:
        out["status"] = _choice(values["status"], "status", STATUSES, errors)
    if values["perpetrator"]:
        out["perpetrator"] = values["perpetrator"]
    for key in ("since", "until"):
        if values[key]:
            out[key] = _date(values[key], key, errors)
    if values["min_killed"]:
        out["min_killed"] = _int(values["min_killed"], "minimum killed", errors)
    return {k: v for k, v in out.items() if v is not None}


def parse_form(params: Mapping[str, str]) -> FilterForm:
    """Return the filter form of a query string; bad values become errors, not filters."""
    values = {k: params.get(k, "").strip()[:200] for k in FORM_KEYS}
    errors: list[str] = []
    criteria = _criteria(values, errors)
    default_sort = "date_desc" if "date_desc" in ORDERS else ORDERS[0]
    sort = params.get("sort", default_sort)
    if sort not in ORDERS:
        errors.append(f"Unknown sort {sort!r}; the list is sorted by date instead.")
        sort = default_sort
    page = _int(params.get("page", "1") or "1", "page", errors, low=1) or 1
    return FilterForm(values, tuple(errors), sort, page, criteria)


def store_filter(form: FilterForm) -> IncidentFilter:
    """Return the store filter of the form's criteria (the store applies every one)."""
    return IncidentFilter(**form.criteria, order=cast(Order, form.sort))


def matching_rows(store: Store, form: FilterForm, limit: int) -> list[IncidentRow]:
    """Return up to ``limit`` incidents matching the form, in its order (pages ignored)."""
    return store.incidents(dataclasses.replace(store_filter(form), limit=limit))


def list_incidents(store: Store, form: FilterForm) -> Listing:
    """Return the page of incidents the form asks for, with the total that match."""
    base = store_filter(form)
    offset = (form.page - 1) * PAGE_SIZE
    rows = store.incidents(dataclasses.replace(base, limit=PAGE_SIZE, offset=offset))
    total = store.count_incidents(base)
    pages = max(1, -(-total // PAGE_SIZE))
    return Listing(rows, total, form, pages)
