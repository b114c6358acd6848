"""The command line: parse arguments, call one library function, print. Nothing else."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import export as export_mod
from . import ingest, pipeline
from .config import settings
from .errors import IncidexError
from .models import Rejected
from .store import IncidentFilter, Store, open_store

app = typer.Typer(
    name="incidex",
    help="Turn news about attacks into a structured, evidence-backed record.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Store: an SQLite file path or SQLAlchemy URL [env INCIDEX_DB]."),
]
PathsArg = Annotated[
    list[str],
    typer.Argument(help="Files (.txt .html .htm .md .jsonl), directories, or - for stdin."),
]


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code=2)


@contextmanager
def _store(db: str | None) -> Iterator[Store]:
    try:
        store = open_store(db or settings().db)
    except IncidexError as e:
        raise _fail(str(e)) from None
    try:
        yield store
    finally:
        store.close()


def _progress() -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


def _report_rejected(item: Rejected) -> None:
    err.print(f"[red]error:[/red] {item}", highlight=False, markup=True)


@app.command("extract")
def extract_cli(
    paths: PathsArg,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="json (indented) or jsonl (a line each).")
    ] = "json",
    explain: Annotated[
        bool, typer.Option("--explain", help="Show each value's rule and evidence.")
    ] = False,
) -> None:
    """Extract incidents and claims from articles and print them; nothing is stored."""
    if fmt not in ("json", "jsonl"):
        raise _fail(f"unknown format {fmt!r}; use json or jsonl")
    failed = 0
    results: list[dict[str, Any]] = []
    with _progress() as progress:
        task = progress.add_task("extracting", total=None)
        for item in pipeline.process_many(ingest.read(paths, max_bytes=settings().max_bytes)):
            progress.advance(task)
            if isinstance(item, Rejected):
                failed += 1
                _report_rejected(item)
                continue
            record = item.extraction.to_dict()
            if not explain:
                _drop_evidence(record)
            if fmt == "jsonl":
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
                sys.stdout.flush()
            else:
                results.append(record)
    if fmt == "json" and results:
        payload: Any = results[0] if len(results) == 1 else results
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    if failed:
        raise typer.Exit(code=1)


def _drop_evidence(record: dict[str, Any]) -> None:
    """Keep evidence spans but drop the per-field rule trail unless --explain is given."""
    for incident in record.get("incidents", []):
        ev = incident.get("evidence", {})
        for name, facts in list(ev.items()):
            if isinstance(facts, list):
                ev[name] = [{k: v for k, v in f.items() if k != "rule"} for f in facts]
    for claim in record.get("claims", []):
        claim.pop("rule", None)


@app.command("ingest")
def ingest_cli(paths: PathsArg, db: DbOption = None) -> None:
    """Read articles, extract incidents and claims, and store them (once each)."""
    with _store(db) as store, _progress() as progress:
        task = progress.add_task("ingesting", total=None)

        def tick(item: pipeline.Processed | Rejected) -> None:
            progress.advance(task)
            if isinstance(item, Rejected):
                _report_rejected(item)

        summary = pipeline.ingest(store, paths, on_result=tick)
    out.print(summary.sentence(), highlight=False)
    if summary.failed:
        raise typer.Exit(code=1)


def _parse_since(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(f"--since {value!r} is not a date like 2024-01-31") from None


@app.command("incidents")
def incidents_cli(
    db: DbOption = None,
    country: Annotated[str | None, typer.Option(help="ISO country code, e.g. RU.")] = None,
    since: Annotated[
        str | None, typer.Option(help="Only incidents on or after YYYY-MM-DD.")
    ] = None,
    attack_type: Annotated[
        str | None, typer.Option("--type", help="GTD attack type, e.g. armed_assault.")
    ] = None,
    min_killed: Annotated[int | None, typer.Option(help="At least this many killed.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
) -> None:
    """List stored incidents, newest first."""
    filters = IncidentFilter(
        country=country.upper() if country else None,
        since=_parse_since(since),
        attack_type=attack_type,
        min_killed=min_killed,
        limit=limit,
    )
    with _store(db) as store:
        rows = store.incidents(filters)
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row.to_dict(), ensure_ascii=False) + "\n")
        return
    out.print(_incidents_table(rows))
    out.print(f"{len(rows)} incident(s)", highlight=False)


def _incidents_table(rows: list[Any]) -> Table:
    table = Table(show_lines=False)
    for name in ("id", "date", "place", "types", "killed", "wounded", "perpetrators", "status"):
        table.add_column(name, overflow="fold")
    for r in rows:
        d = r.to_dict()
        table.add_row(
            d["id"],
            d.get("date") or "",
            ", ".join(x for x in (d.get("venue"), d.get("city"), d.get("country")) if x),
            ", ".join(d.get("attack_types") or []),
            _count_text(d.get("killed")),
            _count_text(d.get("wounded")),
            ", ".join(d.get("perpetrators") or []),
            d.get("attribution_status") or "",
        )
    return table


def _count_text(count: Any) -> str:
    if not isinstance(count, dict) or count.get("min") is None:
        return ""
    qualifier = count.get("qualifier")
    text = f"{qualifier} {count['min']}" if qualifier else str(count["min"])
    return f"{text}-{count['max']}" if count.get("max") is not None else text


@app.command("show")
def show_cli(
    incident_id: Annotated[str, typer.Argument(help="Incident id.")], db: DbOption = None
) -> None:
    """Show one incident: each fact with its evidence sentence, the claims, the source."""
    with _store(db) as store:
        detail = store.incident(incident_id)
    if detail is None:
        raise _fail(f"no incident {incident_id!r}; `incidex incidents` lists the ids")
    d = detail.to_dict()
    source = d.get("article") or {}
    out.print(f"[bold]Incident {d['id']}[/bold]  ({d.get('attribution_status', 'unknown')})")
    out.print(
        f"Source: {source.get('id')}  {source.get('title') or ''}  "
        f"{source.get('published') or ''}  {source.get('url') or ''}",
        highlight=False,
    )
    table = Table(show_lines=True)
    for name in ("field", "value", "evidence"):
        table.add_column(name, overflow="fold")
    for fact in d.get("facts", []):
        table.add_row(fact["field"], _value_text(fact["value"]), fact.get("sentence") or "")
    out.print(table)
    claims = d.get("claims", [])
    if claims:
        ctable = Table(title="Claims", show_lines=True)
        for name in ("kind", "speaker", "party", "evidence"):
            ctable.add_column(name, overflow="fold")
        for c in claims:
            ctable.add_row(
                c["kind"], c.get("speaker") or "", c.get("party") or "", c.get("sentence") or ""
            )
        out.print(ctable)


def _value_text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items() if v not in (None, [], ""))
    return str(value)


@app.command("export")
def export_cli(
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl or csv.")] = "jsonl",
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="File (default: stdout).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Write every stored incident as JSON lines or GTD-style CSV."""
    if fmt not in ("jsonl", "csv"):
        raise _fail(f"unknown format {fmt!r}; use jsonl or csv")
    with _store(db) as store:
        if out_path is None:
            n = export_mod.export(store, fmt, sys.stdout)  # type: ignore[arg-type]
        else:
            try:
                with out_path.open("w", encoding="utf-8", newline="") as fh:
                    n = export_mod.export(store, fmt, fh)  # type: ignore[arg-type]
            except OSError as e:
                raise _fail(f"cannot write {out_path}: {e.strerror}") from None
    err.print(f"{n} incident(s) exported", highlight=False)


def main() -> None:
    """Run the CLI; library errors become one line on stderr, never a traceback."""
    try:
        app()
    except IncidexError as e:
        err.print(f"[red]error:[/red] {e}", highlight=False)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        err.print("interrupted; everything already stored is kept")
        raise SystemExit(130) from None
