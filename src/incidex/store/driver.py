"""Statements run straight through the database driver, for the writes made for every
article (copy fingerprints, links, incidents).

SQLAlchemy Core spends several times longer preparing a small statement (cache key, bind
processing, result set-up) than SQLite spends running it, and resolution runs a handful of
them per article. A ``DriverStatement`` is compiled once per dialect by SQLAlchemy, keeps
the column types' own bind processors (JSON, dates, booleans stay encoded exactly as
SQLAlchemy encodes them), and then sends the rows to the DB-API cursor of the connection,
one cursor shared by the statements of a connection checkout (an article's transaction).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

__all__ = [
    "DriverStatement",
    "JSONText",
    "delete_of",
    "insert_of",
    "rows_of",
    "scalar",
    "update_of",
]

_Processor = Callable[[Any], Any] | None


class JSONText(str):
    """A value of a JSON column already encoded exactly as the column encodes it
    (``json.dumps`` with its defaults): written as it is. A large value rebuilt often from
    parts whose encoding does not change is cheaper to join from their encodings."""


def _passing_json_text(proc: _Processor) -> _Processor:
    """Return a JSON column's bind processor that writes JSONText values as they are."""
    if proc is None:
        return None

    def process(value: Any) -> Any:
        return str(value) if type(value) is JSONText else proc(value)

    return process


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    # Parameter names in the order a positional driver wants them; None for named styles.
    positions: tuple[str, ...] | None
    processors: Mapping[str, _Processor]
    # For a positional driver: a row's values in that order (one C call per row), and the
    # place, name and processor of each value that a processor converts.
    values: Callable[[Mapping[str, Any]], tuple[Any, ...]] | None
    converted: tuple[tuple[int, str, Callable[[Any], Any]], ...]


class DriverStatement:
    """An INSERT, UPDATE or DELETE whose rows go to the driver without SQLAlchemy's
    per-execution work; ``run(conn, rows)`` executes it once per row (one executemany)."""

    def __init__(
        self,
        statement: sa.Executable,
        types: Mapping[str, sa.types.TypeEngine[Any]],
        ready: Sequence[str] = (),
    ):
        self._statement = statement
        self._types = dict(types)
        # Columns whose values the caller gives as their bind processor would return them
        # (JSON already encoded as ``str``, floats as ``float``, binary as ``bytes``, which
        # every driver takes for a binary column): sent as they are.
        self._ready = frozenset(ready)
        self._compiled: dict[str, _Compiled] = {}

    def _for(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = self._statement.compile(dialect=dialect)  # type: ignore[attr-defined]
            positions = tuple(compiled.positiontup) if compiled.positional else None
            names = positions if positions is not None else tuple(compiled.binds)
            processors = {n: self._processor(n, dialect) for n in names}
            converted = tuple(
                (i, n, p) for i, n in enumerate(positions or ()) if (p := processors[n]) is not None
            )
            found = _Compiled(
                str(compiled), positions, processors, _values_of(positions), converted
            )
            self._compiled[dialect.name] = found
        return found

    def _processor(self, name: str, dialect: Dialect) -> _Processor:
        column_type = self._types.get(name)
        if column_type is None or name in self._ready:
            return None
        proc = column_type.dialect_impl(dialect).bind_processor(dialect)
        return _passing_json_text(proc) if isinstance(column_type, sa.JSON) else proc

    def run(self, conn: sa.Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Execute the statement for every row (a no-op for none)."""
        if not rows:
            return
        c = self._for(conn.dialect)
        # A value object several rows share (a pair's reasons, written in both directions)
        # is encoded once; the rows keep it alive, so its id stays its own meanwhile.
        memo: dict[tuple[str, int], Any] = {}
        params: list[Any]
        if c.values is not None:
            values, converted = c.values, c.converted
            if converted:
                params = [_converted(values(row), converted, memo) for row in rows]
            else:
                params = [values(row) for row in rows]
        else:
            params = [_processed(row, c.processors, memo) for row in rows]
        # The DB-API cursor of the connection's own transaction: even exec_driver_sql sets
        # up an execution context per call, which costs more than these statements.
        cursor = _cursor_of(conn)
        try:
            if len(params) == 1:
                cursor.execute(c.sql, params[0])
            else:
                cursor.executemany(c.sql, params)
        except conn.dialect.loaded_dbapi.Error as err:
            raise _wrapped(conn, c.sql, params, err) from err


# The cursor of the last connection checkout that ran a statement, with a weak reference to
# that checkout (a pool's connection proxy, new at every checkout): the statements of an
# article's transaction share one cursor instead of opening and closing one each (10-20% of
# their time in the driver on 10,000 articles). A tuple, replaced whole, so a thread reads a
# matching pair.
_last_cursor: tuple[weakref.ref[Any], Any] | None = None


def _cursor_of(conn: sa.Connection) -> Any:
    """Return a DB-API cursor of the connection's current checkout, reused while it lasts."""
    global _last_cursor
    checkout = conn.connection
    last = _last_cursor
    if last is not None and last[0]() is checkout:
        return last[1]
    cursor = checkout.cursor()
    _last_cursor = (weakref.ref(checkout), cursor)
    return cursor


def _value(
    row: Mapping[str, Any], name: str, proc: _Processor, memo: dict[tuple[str, int], Any]
) -> Any:
    value = row[name]
    return value if proc is None else _converted_value(name, value, proc, memo)


def _converted_value(
    name: str, value: Any, proc: Callable[[Any], Any], memo: dict[tuple[str, int], Any]
) -> Any:
    """Return what ``proc`` makes of column ``name``'s ``value``, once per value object."""
    if value is None:
        return proc(value)
    key = (name, id(value))
    if key not in memo:
        memo[key] = proc(value)
    return memo[key]


def _values_of(
    positions: tuple[str, ...] | None,
) -> Callable[[Mapping[str, Any]], tuple[Any, ...]] | None:
    """Return the function that lists a row's values in ``positions`` order."""
    if positions is None:
        return None
    if len(positions) == 1:
        (name,) = positions
        return lambda row: (row[name],)
    getter: Callable[[Mapping[str, Any]], tuple[Any, ...]] = itemgetter(*positions)
    return getter


def _converted(
    values: tuple[Any, ...],
    converted: tuple[tuple[int, str, Callable[[Any], Any]], ...],
    memo: dict[tuple[str, int], Any],
) -> tuple[Any, ...]:
    """Return a row's values with the converted ones replaced by what their processors
    return."""
    out = list(values)
    for i, name, proc in converted:
        out[i] = _converted_value(name, out[i], proc, memo)
    return tuple(out)


def _processed(
    row: Mapping[str, Any], processors: Mapping[str, _Processor], memo: dict[tuple[str, int], Any]
) -> dict[str, Any]:
    return {name: _value(row, name, proc, memo) for name, proc in processors.items()}


def column_types(table: sa.Table, **renamed: str) -> dict[str, sa.types.TypeEngine[Any]]:
    """Return the type of every column of ``table`` by bind name (``renamed`` maps a bind
    name to the column it feeds, for UPDATE ... WHERE binds)."""
    types: dict[str, sa.types.TypeEngine[Any]] = {c.name: c.type for c in table.c}
    for bind, column in renamed.items():
        types[bind] = table.c[column].type
    return types


def insert_of(
    table: sa.Table, *, skip: Sequence[str] = (), ready: Sequence[str] = ()
) -> DriverStatement:
    """Return the INSERT of every column of ``table`` but ``skip`` (columns the database
    fills). The values of the ``ready`` columns are given as the column's bind processor
    would return them: a row made only of such values goes to the driver as it is."""
    columns = [c.name for c in table.c if c.name not in skip]
    stmt = table.insert().values({n: sa.bindparam(n) for n in columns})
    return DriverStatement(stmt, column_types(table), ready)


def update_of(
    table: sa.Table, key: str, *, skip: Sequence[str] = (), only: Sequence[str] | None = None
) -> DriverStatement:
    """Return the UPDATE of the columns ``only`` (else every column but ``key`` and
    ``skip``) of the row of ``table`` whose ``key`` equals the row's ``b_<key>`` value."""
    columns = [c.name for c in table.c if c.name not in (key, *skip)] if only is None else only
    stmt = (
        table.update()
        .where(table.c[key] == sa.bindparam(f"b_{key}"))
        .values({n: sa.bindparam(n) for n in columns})
    )
    return DriverStatement(stmt, column_types(table, **{f"b_{key}": key}))


def delete_of(table: sa.Table, key: str) -> DriverStatement:
    """Return the DELETE of the rows of ``table`` whose ``key`` equals the row's ``key``
    value (one execution per key: an IN list would need a statement per list length)."""
    stmt = table.delete().where(table.c[key] == sa.bindparam(key))
    return DriverStatement(stmt, column_types(table))


def rows_of(result: sa.Result[Any]) -> Any:
    """Return a query's result as a value of any type, to unpack its rows as they come.
    Compiled (``setup.py``), a row typed as a tuple is checked to be one when unpacked,
    and SQLAlchemy's rows are not."""
    return result


def scalar(conn: sa.Connection, sql: str) -> Any:
    """Return the first column of the first row of a parameterless portable query (None
    when it returns no row), run on the DB-API cursor of the connection's transaction."""
    cursor = _cursor_of(conn)
    try:
        cursor.execute(sql)
        # Every row fetched: the shared cursor's query is finished, not left open.
        rows = cursor.fetchall()
    except conn.dialect.loaded_dbapi.Error as err:
        raise _wrapped(conn, sql, (), err) from err
    return rows[0][0] if rows else None


def _wrapped(conn: sa.Connection, sql: str, params: Any, err: Exception) -> sa.exc.StatementError:
    """Return the driver's error as SQLAlchemy raises it (IntegrityError, OperationalError,
    ...): callers tell a refused row or a locked or read-only database apart by those, as
    for the statements SQLAlchemy runs itself."""
    return sa.exc.DBAPIError.instance(
        sql, params, err, conn.dialect.loaded_dbapi.Error, dialect=conn.dialect
    )
