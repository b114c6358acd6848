"""The store's tables (SQLAlchemy Core), how a store URL is opened, and how it is migrated.

The tables here describe the schema that the Alembic revisions in ``migrations/versions``
build; ``tests/store`` checks that the two agree. Everything but the SQLite connect-time
settings is portable SQL, so the same code runs on PostgreSQL.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ..errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "BEGIN_OPTION",
    "SCHEMA_REVISION",
    "SEARCH_TABLE",
    "SQLITE_BUSY_TIMEOUT_MS",
    "articles",
    "claims",
    "copy_fingerprints",
    "copy_links",
    "copy_members",
    "current_revision",
    "documents",
    "evidence",
    "head_revision",
    "incident_attack_types",
    "incident_members",
    "incidents",
    "mention_attack_types",
    "mention_links",
    "mentions",
    "metadata",
    "migrate",
    "open_engine",
    "resolution_log",
    "stale_incidents",
    "store_url",
]

# Writers wait this long for another process's write lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000
# Execution option naming the statement that opens an SQLite transaction; writers ask for
# "BEGIN IMMEDIATE" so two processes never deadlock upgrading a read lock to a write lock.
BEGIN_OPTION = "incidex_sqlite_begin"
# The newest revision in migrations/versions; a test keeps the two in step.
SCHEMA_REVISION = "0005"

STAGE_CHECK = "stage IN ('accomplished', 'attempted', 'threatened')"
KIND_CHECK = "kind IN ('responsibility', 'accusation', 'denial', 'warning')"
STATUS_CHECK = "status IN ('extracted', 'skipped')"

metadata = sa.MetaData()

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("content_hash", sa.String, nullable=False, unique=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("media_type", sa.String, nullable=False),
    sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.String, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.Date),
    sa.Column("site", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("language", sa.String, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("status", sa.String, nullable=False),
    sa.Column("note", sa.Text),
    sa.CheckConstraint(STATUS_CHECK, name="ck_articles_status"),
    sa.Index("ix_articles_published", "published"),
)


def _incident_fact_columns() -> list[sa.Column[Any]]:
    """Return the columns of an incident's facts, shared by a single report (mentions)
    and a merged incident (incidents); new Column objects on every call."""
    return [
        sa.Column("stage", sa.String, nullable=False),
        sa.Column("background", sa.Boolean, nullable=False),
        sa.Column("attack_types", sa.JSON, nullable=False),
        sa.Column("weapons", sa.JSON, nullable=False),
        sa.Column("date_year", sa.Integer),
        sa.Column("date_month", sa.Integer),
        sa.Column("date_day", sa.Integer),
        sa.Column("date_iso", sa.String),
        sa.Column("date_inferred", sa.JSON, nullable=False),
        # The first and last day the (partial) date can mean; filters compare against these.
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("venue", sa.Text),
        sa.Column("city", sa.Text),
        sa.Column("admin1", sa.Text),
        sa.Column("country", sa.String(2)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("precision", sa.Integer, nullable=False),
        sa.Column("target_type", sa.String),
        sa.Column("killed_min", sa.Integer),
        sa.Column("killed_max", sa.Integer),
        sa.Column("killed_qualifier", sa.String),
        sa.Column("wounded_min", sa.Integer),
        sa.Column("wounded_max", sa.Integer),
        sa.Column("wounded_qualifier", sa.String),
        sa.Column("perpetrators", sa.JSON, nullable=False),
        sa.Column("attribution", sa.String),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
    ]


mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column(
        "article_id",
        sa.String,
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("index", sa.Integer, nullable=False),
    *_incident_fact_columns(),
    sa.UniqueConstraint("article_id", "index", name="uq_mentions_article_index"),
    sa.CheckConstraint(STAGE_CHECK, name="ck_mentions_stage"),
    sa.CheckConstraint("date_month BETWEEN 1 AND 12", name="ck_mentions_month"),
    sa.CheckConstraint("date_day BETWEEN 1 AND 31", name="ck_mentions_day"),
    sa.CheckConstraint("precision BETWEEN 1 AND 5", name="ck_mentions_precision"),
    sa.CheckConstraint("killed_min >= 0", name="ck_mentions_killed_min"),
    sa.CheckConstraint("wounded_min >= 0", name="ck_mentions_wounded_min"),
    sa.CheckConstraint("confidence BETWEEN 0 AND 1", name="ck_mentions_confidence"),
    sa.Index("ix_mentions_country", "country"),
    sa.Index("ix_mentions_date_start", "date_start"),
    sa.Index("ix_mentions_killed_min", "killed_min"),
    sa.Index("ix_mentions_article_id", "article_id"),
)

# One row per (mention, attack type) so the type filter is an indexed, portable lookup.
mention_attack_types = sa.Table(
    "mention_attack_types",
    metadata,
    sa.Column(
        "mention_id",
        sa.String,
        sa.ForeignKey("mentions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("attack_type", sa.String, primary_key=True),
    sa.Index("ix_mention_attack_types_type", "attack_type"),
)

evidence = sa.Table(
    "evidence",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "mention_id",
        sa.String,
        sa.ForeignKey("mentions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("field", sa.String, nullable=False),
    sa.Column("fact_index", sa.Integer, nullable=False),
    sa.Column("value", sa.JSON),
    sa.Column("rule", sa.String),
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("sentence", sa.Text, nullable=False),
    sa.Column("sentence_start", sa.Integer, nullable=False),
    sa.CheckConstraint("start_char <= end_char", name="ck_evidence_span"),
    sa.Index("ix_evidence_mention_id", "mention_id"),
)

claims = sa.Table(
    "claims",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column(
        "article_id",
        sa.String,
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column(
        "mention_id", sa.String, sa.ForeignKey("mentions.id", ondelete="SET NULL"), nullable=True
    ),
    sa.Column("index", sa.Integer, nullable=False),
    sa.Column("kind", sa.String, nullable=False),
    sa.Column("speaker", sa.Text),
    sa.Column("party", sa.Text),
    sa.Column("hedged", sa.Boolean, nullable=False),
    sa.Column("rule", sa.String, nullable=False),
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("sentence", sa.Text, nullable=False),
    sa.Column("sentence_start", sa.Integer, nullable=False),
    sa.CheckConstraint(KIND_CHECK, name="ck_claims_kind"),
    sa.Index("ix_claims_article_id", "article_id"),
    sa.Index("ix_claims_mention_id", "mention_id"),
)


copy_fingerprints = sa.Table(
    "copy_fingerprints",
    metadata,
    sa.Column(
        "article_id",
        sa.String,
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    # Rows are read back in this order so an index loaded piecemeal stays in step.
    sa.Column("seq", sa.Integer, nullable=False, unique=True),
    sa.Column("published", sa.Date),
    sa.Column("text_hashes", sa.LargeBinary, nullable=False),
    sa.Column("text_size", sa.Integer, nullable=False),
    sa.Column("skeleton_hashes", sa.LargeBinary, nullable=False),
    sa.Column("skeleton_size", sa.Integer, nullable=False),
    sa.Column("anchors", sa.JSON, nullable=False),
)

copy_links = sa.Table(
    "copy_links",
    metadata,
    sa.Column(
        "article_a", sa.String, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "article_b", sa.String, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("kind", sa.String, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Index("ix_copy_links_article_b", "article_b"),
)

copy_members = sa.Table(
    "copy_members",
    metadata,
    sa.Column(
        "article_id",
        sa.String,
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    # The id of the group's original (its earliest article).
    sa.Column("group_id", sa.String, nullable=False),
    sa.Index("ix_copy_members_group_id", "group_id"),
)

mention_links = sa.Table(
    "mention_links",
    metadata,
    sa.Column(
        "mention_id", sa.String, sa.ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "other_id", sa.String, sa.ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("reasons", sa.JSON, nullable=False),
    # One row per pair, the smaller id first (revision 0004); a mention's links are found
    # by either column.
    sa.Index("ix_mention_links_other_id", "other_id"),
)

incidents = sa.Table(
    "incidents",
    metadata,
    # The id of the incident's lead mention (the earliest report).
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("article_id", sa.String, nullable=False),
    *_incident_fact_columns(),
    sa.Column("sources", sa.Integer, nullable=False),
    sa.Column("attribution_status", sa.String, nullable=False),
    sa.Column("detail", sa.JSON, nullable=False),
    sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=False),
    # The day lists sort by (date_start, else the article's publication date); database
    # triggers fill it (revision 0003), so writers leave it out.
    sa.Column("sort_date", sa.Date),
    sa.Index("ix_incidents_country", "country"),
    sa.Index("ix_incidents_date_start", "date_start"),
    sa.Index("ix_incidents_killed_min", "killed_min"),
    sa.Index("ix_incidents_list_date", "background", "sort_date", "id"),
    sa.Index("ix_incidents_list_killed", "background", "killed_min", "id"),
    sa.Index("ix_incidents_list_wounded", "background", "wounded_min", "id"),
    sa.Index("ix_incidents_list_country", "background", "country", "id"),
    sa.Index("ix_incidents_attribution_status", "attribution_status"),
)

# The SQLite full-text index of the articles (an FTS5 table and its shadow tables, made and
# kept in step by revision 0003); not SQLAlchemy tables, so schema comparisons skip them.
SEARCH_TABLE = "articles_fts"

incident_members = sa.Table(
    "incident_members",
    metadata,
    sa.Column(
        "mention_id", sa.String, sa.ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "incident_id",
        sa.String,
        sa.ForeignKey("incidents.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Index("ix_incident_members_incident_id", "incident_id"),
)

incident_attack_types = sa.Table(
    "incident_attack_types",
    metadata,
    sa.Column(
        "incident_id",
        sa.String,
        sa.ForeignKey("incidents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("attack_type", sa.String, primary_key=True),
    sa.Index("ix_incident_attack_types_type", "attack_type"),
)

# Every re-resolution that moved a mention out of the incident it was in, and why.
resolution_log = sa.Table(
    "resolution_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("mention_id", sa.String, nullable=False),
    sa.Column("previous_incident", sa.String),
    sa.Column("incident_id", sa.String, nullable=False),
    sa.Column("decision", sa.String, nullable=False),
    sa.Column("reasons", sa.JSON, nullable=False),
    sa.Index("ix_resolution_log_mention_id", "mention_id"),
)


# One mark per report that joined an incident since its row was last written (revision
# 0005): the row's merged facts, counts and attack types lag its members until the marks
# are materialized (``Resolver.materialize``). A mark goes with its incident.
stale_incidents = sa.Table(
    "stale_incidents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "incident_id",
        sa.String,
        sa.ForeignKey("incidents.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Index("ix_stale_incidents_incident_id", "incident_id"),
)


def store_url(url_or_path: str) -> sa.URL:
    """Return the SQLAlchemy URL of a store given as a URL or as a plain file path."""
    if "://" in url_or_path:
        try:
            return make_url(url_or_path)
        except ArgumentError as err:
            raise StoreError(
                f"{url_or_path!r} is not a database URL; give a file path or a URL such as "
                "sqlite:///incidex.db or postgresql+psycopg://user@host/db"
            ) from err
    path = Path(url_or_path).expanduser().resolve()
    return sa.URL.create("sqlite", database=str(path))


def _sqlite_file(url: sa.URL) -> Path | None:
    """Return the file of an on-disk SQLite URL, None for other databases or memory."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    database = str(url.database)
    if url.query.get("uri") == "true" and database.startswith("file:"):
        # SQLite's URI form (sqlite:///file:/path/incidex.db?mode=ro&uri=true opens a
        # store read-only): the file is the URI's path.
        database = database.removeprefix("file:").split("?", 1)[0]
    return Path(database)


def _check_sqlite_location(path: Path) -> None:
    """Raise StoreError when the SQLite file cannot be created or is not a database."""
    if not path.parent.is_dir():
        raise StoreError(
            f"cannot create the store {path}: the directory {path.parent} does not exist; "
            "create it or set INCIDEX_DB to a writable path"
        )
    if path.is_dir():
        raise StoreError(f"the store path {path} is a directory; give a file name instead")


def _on_sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    # Python's sqlite3 would otherwise open transactions on its own and leave DDL outside
    # them; SQLAlchemy's "begin" event below opens them instead.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        _use_wal(cursor)
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def _use_wal(cursor: Any) -> None:
    # WAL is a property of the file, so it only has to be switched on once. The switch takes
    # an exclusive lock, and SQLite answers "database is locked" at once, without calling the
    # busy handler, when another process holds the file; processes opening a fresh store
    # together therefore retry within the busy timeout instead of failing.
    if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
        return
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() + delay > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


def _on_sqlite_begin(conn: sa.Connection) -> None:
    conn.exec_driver_sql(str(conn.get_execution_options().get(BEGIN_OPTION, "BEGIN")))


def open_engine(url: sa.URL) -> Engine:
    """Return an Engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
    sqlite_file = _sqlite_file(url)
    if sqlite_file is not None:
        _check_sqlite_location(sqlite_file)
    try:
        engine = sa.create_engine(url)
    except (ArgumentError, ImportError) as err:
        raise StoreError(
            f"cannot use the store URL {url.render_as_string(hide_password=True)}: {err}"
        ) from err
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).resolve().parent / "migrations"))
    return cfg


def head_revision() -> str | None:
    """Return the newest revision among the shipped migrations."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(conn: sa.Connection) -> str | None:
    """Return the schema revision recorded in the database, None for a fresh one."""
    # Read Alembic's version table directly: opening an up-to-date store then needs no
    # Alembic import, which costs more than the rest of opening.
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    version = sa.table("alembic_version", sa.column("version_num", sa.String))
    return conn.execute(sa.select(version.c.version_num)).scalar_one_or_none()


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema revision; raise StoreError if impossible."""
    try:
        with engine.connect() as conn:
            if current_revision(conn) == SCHEMA_REVISION:
                return
    except (SQLAlchemyError, sqlite3.Error) as err:
        raise StoreError(_open_failure(engine.url, err)) from err
    _upgrade(engine)


def _upgrade(engine: Engine) -> None:
    from alembic import command
    from alembic.util import CommandError

    try:
        # One writer at a time: a second process opening a fresh store waits here and then
        # finds the schema already at head.
        with (
            engine.connect() as conn,
            conn.execution_options(**{BEGIN_OPTION: "BEGIN IMMEDIATE"}).begin(),
        ):
            if current_revision(conn) == SCHEMA_REVISION:
                return
            cfg = _alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except (SQLAlchemyError, sqlite3.Error) as err:
        raise StoreError(_open_failure(engine.url, err)) from err
    except CommandError as err:
        shown = engine.url.render_as_string(hide_password=True)
        raise StoreError(
            f"the store {shown} has a schema this incidex version does not know ({err}); "
            "upgrade incidex or use another store"
        ) from err


def _open_failure(url: sa.URL, err: BaseException) -> str:
    """Return the sentence telling the user why the store at ``url`` cannot be opened."""
    shown = url.render_as_string(hide_password=True)
    detail = str(getattr(err, "orig", None) or err).strip()
    if "not a database" in detail or "malformed" in detail:
        return (
            f"the store {shown} is not an incidex database or is corrupt ({detail}); "
            "move it aside or point INCIDEX_DB at another file"
        )
    if "readonly" in detail or "unable to open" in detail or "permission" in detail.lower():
        return f"cannot write the store {shown} ({detail}); choose a writable location"
    return f"cannot open the store {shown}: {detail}"
