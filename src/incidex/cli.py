"""The command line: parse arguments, call one library function, print. Nothing else."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import ingest, pipeline
from .config import settings
from .errors import IncidexError
from .models import Rejected

if TYPE_CHECKING:
    from .store import Store

app = typer.Typer(
    name="incidex",
    help="Turn news about attacks into a structured, evidence-backed record.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Piped output (a log, `make demo`) gets room for a whole table row instead of 80 columns.
_PIPED_WIDTH = 160
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else _PIPED_WIDTH)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Store: an SQLite file path or SQLAlchemy URL [env INCIDEX_DB]."),
]
PathsArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Files (.txt .md .html .htm .jsonl .json .rss .atom .xml .warc .warc.gz; "
        "any of them as NAME.gz; others are read by their content), directories, "
        "http(s) URLs, or - for stdin (the default when input is piped).",
        show_default=False,
    ),
]


def _sources(paths: list[str] | None) -> list[str]:
    """Return the sources to read: the paths given, else standard input when it is piped."""
    if paths:
        return paths
    if sys.stdin is None or sys.stdin.isatty():
        raise _fail("name the files, directories or URLs to read, or pipe articles in")
    return ["-"]


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code=2)


@contextmanager
def _store(db: str | None) -> Iterator[Store]:
    # Imported here: SQLAlchemy and the copy index cost `incidex extract` a second at start-up.
    from .store import open_store

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
    paths: PathsArg = None,
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
    sources = ingest.read(_sources(paths), max_bytes=settings().max_bytes)
    out = _JsonWriter(lines=fmt == "jsonl")
    with _progress() as progress:
        task = progress.add_task("extracting", total=None)
        for item in pipeline.process_many(sources):
            progress.advance(task)
            if isinstance(item, Rejected):
                failed += 1
                _report_rejected(item)
                continue
            record = item.extraction.to_dict()
            if not explain:
                _drop_evidence(record)
            out.write(record)
    out.close()
    if failed:
        raise typer.Exit(code=1)


class _JsonWriter:
    """Writes records as they come: a line each (jsonl), or one indented JSON value, an
    object for a single record and an array for several, streamed so that the first
    record shows as soon as it is extracted."""

    def __init__(self, *, lines: bool) -> None:
        self.lines = lines
        self.held: dict[str, Any] | None = None
        self.count = 0

    def write(self, record: dict[str, Any]) -> None:
        if self.lines:
            self._emit(json.dumps(record, ensure_ascii=False) + "\n")
        elif self.count == 0:
            self.held = record  # an object if it stays alone, else the array's first item
        else:
            if self.count == 1:
                self._emit("[\n" + self._item(self.held))
            self._emit(",\n" + self._item(record))
        self.count += 1

    def close(self) -> None:
        if self.lines or self.count == 0:
            return
        if self.count == 1:
            self._emit(json.dumps(self.held, ensure_ascii=False, indent=2) + "\n")
        else:
            self._emit("\n]\n")

    @staticmethod
    def _item(record: Any) -> str:
        text = json.dumps(record, ensure_ascii=False, indent=2)
        return "\n".join("  " + line for line in text.split("\n"))

    @staticmethod
    def _emit(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()


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
def ingest_cli(paths: PathsArg = None, db: DbOption = None) -> None:
    """Read articles, extract incidents and claims, and store them (once each)."""
    sources = _sources(paths)
    with _store(db) as store, _progress() as progress:
        task = progress.add_task("ingesting", total=None)

        def tick(item: pipeline.Processed | Rejected) -> None:
            progress.advance(task)
            if isinstance(item, Rejected):
                _report_rejected(item)

        summary = pipeline.ingest(store, sources, on_result=tick)
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
    """List stored incidents (merged across articles), newest first, with how many
    independent sources report each and its attribution status."""
    from .store import IncidentFilter

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
    columns = ("id", "date", "place", "types", "killed", "wounded", "perpetrators", "sources")
    for name in (*columns, "status"):
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
            str(d.get("sources") or 1),
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
    """Show one incident: merged facts with the rule that chose each, every source value
    with its evidence, the toll history, the claims ledger and the copy groups."""
    with _store(db) as store:
        detail = store.incident(incident_id)
    if detail is None:
        raise _fail(f"no incident {incident_id!r}; `incidex incidents` lists the ids")
    d = detail.to_dict()
    out.print(
        f"[bold]Incident {d['id']}[/bold]  ({d.get('attribution_status', 'unknown')}, "
        f"{d.get('sources', 1)} independent source(s), {len(d['articles'])} article(s))"
    )
    source = d.get("article") or {}
    out.print(
        f"Source: {source.get('id')}  {source.get('title') or ''}  "
        f"{source.get('published') or ''}  {source.get('url') or ''}",
        highlight=False,
    )
    out.print(f"Articles: {', '.join(d['articles'])}", highlight=False)
    out.print(_merged_table(d))
    out.print(_source_table(d))
    _print_toll_history(d.get("toll_history") or [])
    _print_ledger(d.get("claims_ledger") or [])
    _print_copy_groups(d.get("copy_groups") or [])


def _merged_table(d: dict[str, Any]) -> Table:
    table = Table(title="Merged facts", show_lines=True)
    for name in ("field", "value", "rule"):
        table.add_column(name, overflow="fold")
    fields = d.get("fields") or {}
    for name, rule in sorted((d.get("rules") or {}).items()):
        value = fields.get(name)
        if value in (None, [], {}):
            continue
        table.add_row(name, _value_text(value), rule)
    return table


def _source_table(d: dict[str, Any]) -> Table:
    table = Table(title="Source values", show_lines=True)
    for name in ("field", "value", "article", "published", "evidence"):
        table.add_column(name, overflow="fold")
    for name, values in (d.get("source_values") or {}).items():
        for v in values:
            sentence = next((e.get("sentence") for e in v.get("evidence") or []), "")
            table.add_row(
                name,
                _value_text(v.get("value")),
                v.get("article_id") or "",
                v.get("published") or "",
                sentence or "",
            )
    return table


def _print_toll_history(history: list[dict[str, Any]]) -> None:
    if not history:
        return
    table = Table(title="Toll history")
    for name in ("published", "field", "figure", "article"):
        table.add_column(name, overflow="fold")
    for h in history:
        table.add_row(h.get("published") or "", h["field"], _count_text(h), h["article_id"])
    out.print(table)


def _print_ledger(ledger: list[dict[str, Any]]) -> None:
    if not ledger:
        return
    table = Table(title="Claims ledger", show_lines=True)
    for name in ("published", "kind", "speaker", "party", "source", "evidence"):
        table.add_column(name, overflow="fold")
    for c in ledger:
        kind = f"{c['kind']} (hedged)" if c.get("hedged") else c["kind"]
        table.add_row(
            c.get("published") or "",
            kind,
            c.get("speaker") or "",
            c.get("party") or "",
            c["article_id"],
            c.get("sentence") or "",
        )
    out.print(table)


def _print_copy_groups(groups: list[list[str]]) -> None:
    out.print("[bold]Copy groups[/bold] (original first; each group counts as one source)")
    for g in groups:
        out.print("  " + ", ".join(g), highlight=False)


@app.command("copies")
def copies_cli(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a list.")] = False,
) -> None:
    """List copy groups: articles that are copies (syndicated or reworded) of one story,
    the original (earliest) first."""
    with _store(db) as store:
        groups = store.copy_groups()
    for g in groups:
        if as_json:
            sys.stdout.write(json.dumps(g.to_dict(), ensure_ascii=False) + "\n")
            continue
        out.print(f"[bold]{g.id}[/bold] ({len(g.articles)} articles)")
        for a in g.articles:
            out.print(f"  {a.id}  {a.published or ''}  {a.title or ''}", highlight=False)
    if not as_json:
        out.print(f"{len(groups)} copy group(s)", highlight=False)


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
    from . import export as export_mod

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


@app.command("prepare")
def prepare_cli() -> None:
    """Build the gazetteer's place index into this environment (make install runs it), so
    that no later run waits for it, whatever its home directory."""
    from . import gazetteer

    with err.status("building the gazetteer's place index (about 10 s)"):
        path = gazetteer.prepare_cache()
    if path is None:
        raise _fail("could not write the gazetteer's place index; extraction builds it in memory")
    err.print(f"gazetteer index ready: {path}", highlight=False)


@app.command("serve")
def serve_cli(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the JSON API (/api, schema at /openapi.json) and the web pages. Writes need
    INCIDEX_TOKEN; without it the server only listens on a loopback address."""
    from .api.security import is_loopback

    token = settings().token
    if not token and not is_loopback(host):
        raise _fail(
            f"refusing to listen on {host} without a token: set INCIDEX_TOKEN to a secret "
            "(clients send it as a bearer token) or listen on 127.0.0.1"
        )
    import uvicorn

    from .api import create_app

    with _store(db) as store:
        uvicorn.run(create_app(store, token=token), host=host, port=port)


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


if __name__ == "__main__":
    main()
