"""Keeping copy groups and incidents up to date as articles arrive (the store side of
``incidex.copies`` and ``incidex.resolve``).

After an article is saved, ``Resolver.update(conn, article_id)``:

1. fingerprints it, finds its copies through the LSH index (loaded from the stored
   fingerprints, then kept in step) and regroups the copy component it joins;
2. compares each of its mentions with the stored mentions that could report the same attack
   (found in memory by ``candidates.CandidateIndex``: dates within a window, same or unknown
   country, a nearby or unknown city, or an article it copies), and stores a link with
   its decision and reasons for each incident (or mention in none) it is judged one
   attack with: one link joins the mentions every merging pair would;
3. re-clusters the whole connected component of linked mentions and writes the incidents
   that changed, logging every mention that moved to another incident and why. An incident
   that keeps its id is updated in place, setting only the columns that changed; member and
   attack-type rows are added or removed only where they changed. The merged fields come
   from each incident's ``resolve.Tally``, kept in memory: a report joining an incident
   adds its votes to it instead of every member being merged again. The usual case, one
   mention joining a whole incident after its lead (``Resolver._join_in_place``), skips
   the re-clustering altogether: only one member row is written, and a mark saying the
   incident's row is stale (table ``stale_incidents``). A mention joining a whole
   incident before its lead (``Resolver._join_before_lead``) becomes its lead: the row is
   copied under its id, the member rows, attack types and marks re-pointed to it, the
   moves logged, and the copy marked stale in the same way.

Most articles are such a join, and an attack reported 40 times had its merged fields
worked out and its row rewritten 40 times, where only the last was ever read. The rows of
the marked incidents are rewritten once per batch instead (``Resolver.materialize``:
every ``FLUSH_MARKS`` marks or ``FLUSH_SECONDS``, and whenever the store is read, see
``Store.flush``), to what rewriting them at every join would have left; that time counts
as resolution. The marks are stored with the joins, so another process reading the store
meanwhile, or the next to open it after a crash, materializes them itself: from this
process's tallies when it holds them, else from the stored members. A row is rewritten
in full unless all the marks this process made for it are still stored (then no other
process rewrote it, and only the columns that changed since this process wrote it are).
On 10,000 generated articles (7,114 joins) the rows are rewritten 846 times instead of
7,114, and resolution takes 11-12% less CPU (grouping 11%); a batch of 1,000 marks or
10 s rewrote 2,239, one batch at the end 472.

``incidex ingest`` saves its articles a batch to a transaction (``Store.save_batch``): the
batch's rows are written, then each article is resolved in turn as above, and the INSERTs
most articles make (fingerprint, copy membership and links, mention links, incident member,
stale mark) are held and written at the end, one statement per table (``_Deferred``),
earlier when a statement reads or changes their table. The rows are those resolving the
articles one by one writes. On the save loop of the 10k bench articles (batches of 32;
one sitting, alternated): the main process's CPU 16.1 / 16.5 -> 10.8 s, grouping and
resolution 5.22 / 5.38 -> 4.32 s, now counting the resolver's view of each article
(``Resolver.view``, 0.27 s), which had been left out.

Only the touched component is read and written, and every step depends on pairs alone, so
the incidents do not depend on the order in which articles arrive. The writes made for
every article go straight to the DB-API cursor (``store/driver.py``): SQLAlchemy's
per-statement work cost more than the statements.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, fields
from functools import lru_cache
from json.encoder import encode_basestring_ascii
from operator import itemgetter
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import RowMapping

from ..copies import (
    CopyIndex,
    CopyLink,
    Fingerprint,
    copy_groups,
    fingerprint,
    make_fingerprint,
    original_of,
)
from ..models import Document, Extraction, PartialDate
from ..resolve import (
    ClaimInfo,
    Decision,
    MentionInfo,
    MergedIncident,
    Tally,
    cluster,
    decide,
    decision_key,
    joined_cluster,
    merge,
)
from .candidates import CandidateIndex, Entry, entry_of
from .driver import (
    DriverStatement,
    JSONText,
    column_types,
    delete_of,
    insert_of,
    rows_of,
    scalar,
    update_of,
)
from .query import claim_info
from .schema import (
    articles,
    claims,
    copy_fingerprints,
    copy_links,
    copy_members,
    incident_attack_types,
    incident_members,
    incidents,
    mention_links,
    mentions,
    resolution_log,
    stale_incidents,
)
from .write import claim_id, date_range, mention_id

__all__ = ["Resolver", "Timings"]


# Built once: this runs for every article, and building the statement cost more than running it.
_NEWER_FINGERPRINTS = (
    sa.select(copy_fingerprints)
    .where(copy_fingerprints.c.seq > sa.bindparam("seq"))
    .order_by(copy_fingerprints.c.seq)
)
# Portable SQL, asked before every article: other processes' fingerprints are read only
# when there are any.
_NEWEST_SEQ = "SELECT max(seq) FROM copy_fingerprints"
# The writes made for every article go straight to the driver (see store/driver.py).
# Its hashes go as bytes and its anchors as JSON text: only the date is converted per row.
_INSERT_FINGERPRINT = insert_of(
    copy_fingerprints, ready=("text_hashes", "skeleton_hashes", "anchors")
)
_INSERT_COPY_MEMBER = insert_of(copy_members)
# Their scores are floats and a link's reasons are encoded once per distinct list
# (``_strings``): the rows go to the driver as they are, with no value converted per row.
_INSERT_COPY_LINK = insert_of(copy_links, ready=("score",))
_INSERT_MENTION_LINK = insert_of(mention_links, ready=("score", "reasons"))
_INSERT_INCIDENT = insert_of(incidents, skip=("sort_date",))
_UPDATE_INCIDENT = update_of(incidents, "id", skip=("sort_date",))
_INSERT_INCIDENT_MEMBER = insert_of(incident_members)
_INSERT_INCIDENT_TYPE = insert_of(incident_attack_types)
# A report that comes before an incident's lead moves every member to its new id.
_MOVE_INCIDENT_MEMBERS = update_of(incident_members, "incident_id", only=("incident_id",))
_MOVE_INCIDENT_TYPES = update_of(incident_attack_types, "incident_id", only=("incident_id",))
_MOVE_STALE = update_of(stale_incidents, "incident_id", only=("incident_id",))


def _copy_of_incident() -> DriverStatement:
    """Return the INSERT of a copy of the incident row whose id is ``b_id``, under the id
    and lead's article given (``id``, ``article_id``); its sort date is the trigger's."""
    kept = [c for c in incidents.c if c.name not in ("id", "article_id", "sort_date")]
    source = sa.select(
        sa.bindparam("id", type_=incidents.c.id.type),
        sa.bindparam("article_id", type_=incidents.c.article_id.type),
        *kept,
    ).where(incidents.c.id == sa.bindparam("b_id"))
    stmt = incidents.insert().from_select(["id", "article_id", *(c.name for c in kept)], source)
    return DriverStatement(stmt, column_types(incidents, b_id="id"))


# A report that comes before an incident's lead moves the row to its id, copied.
_COPY_INCIDENT = _copy_of_incident()
_INSERT_LOG = insert_of(resolution_log, skip=("id",), ready=("reasons",))
_DELETE_COPY_MEMBER = delete_of(copy_members, "article_id")
_DELETE_INCIDENT = delete_of(incidents, "id")
_DELETE_INCIDENT_MEMBER = delete_of(incident_members, "mention_id")
_DELETE_INCIDENT_TYPES = delete_of(incident_attack_types, "incident_id")
_INSERT_STALE = insert_of(stale_incidents, skip=("id",))
_DELETE_STALE = delete_of(stale_incidents, "id")
# The INSERTs of ``_Deferred``, by table.
_DEFERRED_INSERTS = {
    copy_fingerprints: _INSERT_FINGERPRINT,
    copy_members: _INSERT_COPY_MEMBER,
    copy_links: _INSERT_COPY_LINK,
    mention_links: _INSERT_MENTION_LINK,
    incident_members: _INSERT_INCIDENT_MEMBER,
    stale_incidents: _INSERT_STALE,
}
_STALE_MARKS = sa.select(stale_incidents.c.id, stale_incidents.c.incident_id)
_MEMBERS_OF = sa.select(incident_members.c.mention_id).where(
    incident_members.c.incident_id == sa.bindparam("incident_id")
)

# A report joining a known incident marks it stale instead of rewriting its row; the
# marked rows are rewritten once this many marks were made, or this many seconds after the
# first mark since the last rewrite (and whenever the store is read, see ``Store.flush``).
FLUSH_MARKS = 5000
FLUSH_SECONDS = 60.0


@dataclass(slots=True)
class Timings:
    """Seconds spent grouping copies and resolving incidents in this process: wall time,
    and the CPU time of this process (which stays comparable when the machine is busy)."""

    copies: float = 0.0
    resolution: float = 0.0
    articles: int = 0
    copies_cpu: float = 0.0
    resolution_cpu: float = 0.0

    def count(self, since: tuple[float, float], copies: bool = False) -> tuple[float, float]:
        """Add the time since ``since`` (a ``_clock()`` reading) to copy grouping or to
        resolution; return the clock now."""
        now = _clock()
        if copies:
            self.copies += now[0] - since[0]
            self.copies_cpu += now[1] - since[1]
        else:
            self.resolution += now[0] - since[0]
            self.resolution_cpu += now[1] - since[1]
        return now


def _clock() -> tuple[float, float]:
    """Return the wall and CPU clocks the timings are counted in."""
    return time.perf_counter(), time.process_time()


_NO_PARTNERS: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Reports:
    """The articles of an incident's members and the claims about those members."""

    articles: frozenset[str]
    claims: tuple[ClaimInfo, ...]


@dataclass(slots=True)
class _Known:
    """What this process has read or written of the store's resolution state. Entries are
    loaded on first use; the whole cache is dropped when another process wrote."""

    # Each mention's linked mentions as a tuple, which the garbage collector stops
    # tracking once it holds only strings: a set per mention was, with its dozen or more
    # entries, a large part of every full collection as the store grew.
    links: dict[str, tuple[str, ...]] = field(default_factory=dict)
    incident_of: dict[str, str] = field(default_factory=dict)
    members: dict[str, frozenset[str]] = field(default_factory=dict)
    # Each article's copy partners, as a tuple (few each) that the garbage collector stops
    # tracking, unlike a set; the many articles without any share one empty tuple.
    partners: dict[str, tuple[str, ...]] = field(default_factory=dict)
    group_of: dict[str, tuple[str, ...]] = field(default_factory=dict)
    claims: dict[str, tuple[tuple[str | None, ClaimInfo], ...]] = field(default_factory=dict)
    sole: dict[str, str | None] = field(default_factory=dict)
    # Incident rows and attack types as this process last wrote them, so an update sets
    # only what changed.
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    attack_types: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The votes behind each incident as last written, so a report joining it adds its own
    # votes instead of the incident being merged again.
    tallies: dict[str, Tally] = field(default_factory=dict)
    # The articles and claims behind each incident as last written, so a report joining
    # it adds its own instead of every member's being gathered again.
    reports: dict[str, _Reports] = field(default_factory=dict)
    # The stale marks this process stored per incident since it last materialized. Only
    # materializing deletes marks: while all of an incident's are still stored, no other
    # process rewrote its row, and ``rows`` holds it as stored.
    marked: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class _Deferred:
    """The rows of the INSERTs that most articles make (fingerprint, copy membership and
    links, mention links, incident membership, stale mark), held until the end of the
    batch of articles resolved together (``Resolver.update_many``), or until a statement
    reads or changes their table: then each table's rows go as one statement (an
    executemany). Resolving the 10k bench articles in batches of 32 took 4.63 / 4.50 s
    CPU so, against 5.11 / 4.75 s writing each article's rows once it was resolved."""

    rows: dict[sa.Table, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: sa.Table, rows: Iterable[dict[str, Any]]) -> None:
        """Hold rows to insert into ``table`` (one of ``_DEFERRED_INSERTS``)."""
        self.rows.setdefault(table, []).extend(rows)

    def move(self, table: sa.Table, old: str, new: str) -> None:
        """Re-point to incident ``new`` the rows held for ``table`` (one with an
        ``incident_id``) that point to incident ``old``."""
        for row in self.rows.get(table, ()):
            if row["incident_id"] == old:
                row["incident_id"] = new

    def write(self, conn: sa.Connection, *tables: sa.Table) -> None:
        """Write the rows held for these tables (for every table when none is named), in
        the order they were added. No held row references another held table's rows."""
        for table in tables or tuple(self.rows):
            held = self.rows.pop(table, None)
            if held is not None:
                _DEFERRED_INSERTS[table].run(conn, held)


@dataclass(slots=True)
class Resolver:
    """Per-process state: the LSH index of stored fingerprints, the pair decisions and
    mentions already read (all only ever grow, so they stay valid), and a cache of links,
    groups and incidents that is dropped whenever another process has written."""

    index: CopyIndex = field(default_factory=CopyIndex)
    last_seq: int = 0
    decisions: dict[tuple[str, str], Decision] = field(default_factory=dict)
    # Pair decisions by what they depend on (resolve.decision_key): the number of each
    # distinct key, the number of each mention's key, and the decision per pair of numbers
    # (in id order) and copy link. Most pairs repeat one already decided.
    key_numbers: dict[tuple[Any, ...], int] = field(default_factory=dict)
    key_number_of: dict[str, int] = field(default_factory=dict)
    by_keys: dict[tuple[int, int, bool], Decision] = field(default_factory=dict)
    # One object per distinct decision (a third of those made repeat one already made):
    # every decision kept is an object every full garbage collection goes over.
    distinct: dict[Decision, Decision] = field(default_factory=dict)
    mentions: dict[str, MentionInfo] = field(default_factory=dict)
    known: _Known = field(default_factory=_Known)
    timings: Timings = field(default_factory=Timings)
    candidates: CandidateIndex | None = None
    # Stale marks this process made since it last materialized, and when the first was.
    unflushed: int = 0
    first_unflushed: float = 0.0
    flush_marks: int = FLUSH_MARKS
    flush_seconds: float = FLUSH_SECONDS
    deferred: _Deferred = field(default_factory=_Deferred)

    def update(self, conn: sa.Connection, article_id: str, saved: Saved | None = None) -> None:
        """Regroup the copies and re-resolve the incidents an article touches. ``saved``
        is what was just written for it (read back from the store when None)."""
        if saved is None:
            saved = _read_saved(conn, article_id)
            if saved is None:
                return
        self._update(conn, saved, refresh=True)
        self._write_deferred(conn)

    def prepare(self, conn: sa.Connection) -> None:
        """Make ready for ``update_many``, before the articles' rows are written: bring the
        copy index up to the stored fingerprints, and load the candidate index, read
        from the stored mentions, while it cannot hold the mentions of articles saved
        but not resolved yet. Counted as copy grouping time."""
        start = _clock()
        self._refresh_index(conn)
        self._candidate_index(conn)
        self.timings.count(start, copies=True)

    def update_many(self, conn: sa.Connection, saved: Sequence[Saved]) -> None:
        """Do what ``update`` does for each of these articles, saved together after
        ``prepare``, in their order: the INSERTs most of them make are written together
        at the end (``_Deferred``)."""
        for s in saved:
            self._update(conn, s, refresh=False)
        self._write_deferred(conn)

    def view(
        self, document: Document, extraction: Extraction, fp: Fingerprint | None = None
    ) -> Saved:
        """Return resolution's view of a document saved with ``extraction`` (``saved_of``,
        at its publication date), the time it takes counted as resolution."""
        start = _clock()
        saved = saved_of(document.id, extraction, extraction.published(document), fp)
        self.timings.count(start)
        return saved

    def _update(self, conn: sa.Connection, saved: Saved, refresh: bool) -> None:
        """Regroup the copies and re-resolve the incidents of a saved article; ``refresh``
        first reads the fingerprints other processes stored."""
        start = _clock()
        if refresh:
            self._refresh_index(conn)
        regrouped = self._group_copies(conn, saved)
        middle = self.timings.count(start, copies=True)
        self._resolve(conn, saved, regrouped)
        if self._flush_due():
            self._materialize(conn)
        self.timings.count(middle)
        self.timings.articles += 1

    def _write_deferred(self, conn: sa.Connection) -> None:
        """Write every deferred row (counted as resolution time)."""
        start = _clock()
        self.deferred.write(conn)
        self.timings.count(start)

    def materialize(self, conn: sa.Connection) -> int:
        """Rewrite the row of every incident marked stale (by any process) from its members,
        as it would have been written when they joined, and delete the marks read; return
        how many incidents were rewritten. Counted as resolution time."""
        start = _clock()
        done = self._materialize(conn)
        self.timings.count(start)
        return done

    def _flush_due(self) -> bool:
        if not self.unflushed:
            return False
        return (
            self.unflushed >= self.flush_marks
            or time.monotonic() - self.first_unflushed >= self.flush_seconds
        )

    def _materialize(self, conn: sa.Connection) -> int:
        self.deferred.write(conn)
        # The marks are read before the cache is checked: a report another process adds
        # after this read leaves a mark this call does not delete, and one added before it
        # stored a fingerprint, which drops the cache (its tallies lack that report).
        marks = rows_of(conn.execute(_STALE_MARKS)).all()
        newest = scalar(conn, _NEWEST_SEQ)
        if newest is not None and int(newest) > self.last_seq:
            self.known = _Known()
        self.unflushed = 0
        if not marks:
            return 0
        now = dt.datetime.now(dt.UTC)
        stored: dict[str, int] = defaultdict(int)
        for _, iid in marks:
            stored[iid] += 1
        for iid in sorted(stored):
            self._write_stale(conn, iid, stored[iid], now)
        _DELETE_STALE.run(conn, [{"id": mark} for mark, _ in marks])
        self.known.marked.clear()
        return len(stored)

    def _write_stale(self, conn: sa.Connection, iid: str, marks: int, now: dt.datetime) -> None:
        """Rewrite a stale incident's row and attack types from its tally (read from its
        stored members when this process does not hold it). ``marks`` is how many of its
        marks are stored: fewer than this process stored means another process rewrote the
        row meanwhile, and it is rewritten in full."""
        known = self.known
        tally, reports = known.tallies.get(iid), known.reports.get(iid)
        members = known.members.get(iid)
        if tally is None or reports is None or members is None or tally.ids != members:
            tally, reports = self._stored_tally(conn, iid)
        if not tally.ids:
            return
        inc = self._merged_tally(tally, reports)
        before = known.rows.get(iid) if known.marked.get(iid) == marks else None
        if before is not None and iid in known.attack_types:
            _write_joined(conn, inc, before, known, now)
            return
        known.rows.pop(iid, None)
        known.attack_types.pop(iid, None)
        _write_incidents(conn, [inc], dict.fromkeys(tally.ids, iid), {iid}, known, now)

    def _stored_tally(self, conn: sa.Connection, iid: str) -> tuple[Tally, _Reports]:
        """Return the tally and reports of a stored incident from its member rows, and
        cache them with its members."""
        self.deferred.write(conn, incident_members)
        ids = frozenset(conn.execute(_MEMBERS_OF, {"incident_id": iid}).scalars())
        tally = Tally.of(self._cached(conn, ids))
        reports = self._reports(conn, tally)
        known = self.known
        known.members[iid] = ids
        known.tallies[iid] = tally
        known.reports[iid] = reports
        for i in ids:
            known.incident_of[i] = iid
        return tally, reports

    def _mark_stale(self, conn: sa.Connection, iid: str) -> None:
        """Mark an incident's row stale in this transaction."""
        self.deferred.add(stale_incidents, [{"incident_id": iid}])
        marked = self.known.marked
        marked[iid] = marked.get(iid, 0) + 1
        if not self.unflushed:
            self.first_unflushed = time.monotonic()
        self.unflushed += 1

    def forget(self) -> None:
        """Drop all this process holds of the store, to be read again when needed: after
        a failed transaction, whose writes it may hold (the copy index the fingerprints,
        the caches the links, groups, incidents and decisions, the deferred rows). The
        timings and flush settings stay."""
        fresh = Resolver(
            timings=self.timings, flush_marks=self.flush_marks, flush_seconds=self.flush_seconds
        )
        for f in fields(self):
            setattr(self, f.name, getattr(fresh, f.name))

    def _candidate_index(self, conn: sa.Connection) -> CandidateIndex:
        if self.candidates is None:
            self.candidates = CandidateIndex.load(conn)
        return self.candidates

    # -- copy groups -------------------------------------------------------------------

    def _refresh_index(self, conn: sa.Connection) -> None:
        """Add the fingerprints stored since the index was last read (other processes');
        when there are any, the cached state may be stale and is dropped."""
        self.deferred.write(conn, copy_fingerprints)
        newest = scalar(conn, _NEWEST_SEQ)
        if newest is None or int(newest) <= self.last_seq:
            return
        written: list[str] = []
        for r in conn.execute(_NEWER_FINGERPRINTS, {"seq": self.last_seq}).mappings():
            self.index.add(_fingerprint_of_row(r))
            self.last_seq = max(self.last_seq, int(r["seq"]))
            written.append(r["article_id"])
        if written:
            self.known = _Known()
            if self.candidates is not None:
                self.candidates.add_articles(conn, written)

    def _group_copies(self, conn: sa.Connection, saved: Saved) -> set[str]:
        """Fingerprint the article, store its copy links and regroup; return the articles
        whose copy group changed."""
        article_id = saved.article_id
        fp = saved.fingerprint or fingerprint(article_id, saved.text, saved.published)
        links = self.index.add_linked(fp)
        # The index was brought up to the newest stored row, inside this transaction.
        self.last_seq += 1
        deferred = self.deferred
        deferred.add(copy_fingerprints, [_fingerprint_row(fp, self.last_seq)])
        partners = self.known.partners
        partners[article_id] = _NO_PARTNERS
        if not links:
            deferred.add(
                copy_members,
                [{"article_id": article_id, "group_id": article_id}],
            )
            self.known.group_of[article_id] = (article_id,)
            return {article_id}
        deferred.add(
            copy_links,
            [{"article_a": x.a, "article_b": x.b, "kind": x.kind, "score": x.score} for x in links],
        )
        for x in links:
            other = x.b if x.a == article_id else x.a
            self._partners(conn, [other])
            partners[other] = _with(partners[other], article_id)
            partners[article_id] = _with(partners[article_id], other)
        return self._regroup(conn, article_id)

    def _partners(self, conn: sa.Connection, article_ids: Iterable[str]) -> set[str]:
        """Return the articles directly linked as copies to any of ``article_ids``."""
        ids = set(article_ids)
        partners = self.known.partners
        missing = sorted(a for a in ids if a not in partners)
        if missing:
            self.deferred.write(conn, copy_links)
            found: dict[str, set[str]] = {a: set() for a in missing}
            stmt = sa.select(copy_links.c.article_a, copy_links.c.article_b).where(
                sa.or_(copy_links.c.article_a.in_(missing), copy_links.c.article_b.in_(missing))
            )
            for a, b in rows_of(conn.execute(stmt)):
                if a in found:
                    found[a].add(b)
                if b in found:
                    found[b].add(a)
            for a, linked in found.items():
                partners[a] = tuple(sorted(linked)) or _NO_PARTNERS
        return {p for a in ids for p in partners[a]} - ids

    def _regroup(self, conn: sa.Connection, article_id: str) -> set[str]:
        """Recompute the copy group holding ``article_id``; return its members."""
        group = self._joined_group(conn, article_id) or self._linked_group(conn, article_id)
        ids = sorted(group)
        # Rows known to name the right original already are left as they are.
        moved = [a for a in ids if self.known.group_of.get(a, (None,))[0] != group[0]]
        # The article being grouped has no row to delete yet (its first is written here):
        # most regroupings then run no DELETE at all.
        stale = [a for a in moved if a != article_id or a in self.known.group_of]
        if stale:
            self.deferred.write(conn, copy_members)
            _DELETE_COPY_MEMBER.run(conn, [{"article_id": a} for a in stale])
        self.deferred.add(
            copy_members,
            [{"article_id": a, "group_id": group[0]} for a in moved],
        )
        for a in ids:
            self.known.group_of[a] = group
        return set(ids)

    def _joined_group(self, conn: sa.Connection, article_id: str) -> tuple[str, ...] | None:
        """Return the copy group of ``article_id`` (original first, the rest by id) from the
        known groups of its partners, which it joins into one: their original or it is the
        original. None when a partner's group or a member's partners are not known, which
        ``_linked_group`` would read (it reads nothing more when they are known). Saves
        walking the links of every member each time a copy joins a large group."""
        groups = self.known.group_of
        joined: dict[str, tuple[str, ...]] = {}
        for partner in self.known.partners[article_id]:
            group = groups.get(partner)
            if group is None:
                return None
            joined[group[0]] = group
        members = {article_id}.union(*joined.values())
        if not self.known.partners.keys() >= members:
            return None
        # Each group's original is its earliest member: the earliest of those and the
        # article is the earliest of all.
        firsts = [article_id, *joined]
        first = original_of(firsts, {a: self._published(conn, a) for a in firsts})
        members.discard(first)
        return (first, *sorted(members))

    def _linked_group(self, conn: sa.Connection, article_id: str) -> tuple[str, ...]:
        """Return the copy group of ``article_id`` (original first, the rest by id), found
        by following the copy links from it."""
        component, frontier = {article_id}, {article_id}
        while frontier:
            frontier = self._partners(conn, frontier) - component
            component |= frontier
        ids = sorted(component)
        published = {a: self._published(conn, a) for a in ids}
        pairs = {_pair(a, b) for a in ids for b in self.known.partners[a]}
        found = [CopyLink(a, b, "near_duplicate", 1.0) for a, b in sorted(pairs)]
        (group,) = copy_groups(ids, found, published)
        return group

    def _published(self, conn: sa.Connection, article_id: str) -> dt.date | None:
        fp = self.index.fingerprint(article_id)
        if fp is not None:
            return fp.published
        stmt = sa.select(articles.c.published).where(articles.c.id == article_id)
        value: dt.date | None = conn.execute(stmt).scalar_one_or_none()
        return value

    # -- incidents ---------------------------------------------------------------------

    def _decide(self, a: MentionInfo, b: MentionInfo) -> Decision:
        key = (a.id, b.id) if a.id < b.id else (b.id, a.id)
        found = self.decisions.get(key)
        if found is not None:
            return found
        copied = b.article_id in self.known.partners.get(a.article_id, ())
        if a.article_id == b.article_id:
            return decide(a, b, copy_linked=copied)
        first, second = (a, b) if a.id < b.id else (b, a)
        keys = (self._key_number(first), self._key_number(second), copied)
        decision = self.by_keys.get(keys)
        if decision is None:
            decision = self.by_keys[keys] = self._kept(decide(a, b, copy_linked=copied))
        # Pairs share the decision objects of their pairs of keys: far fewer than the pairs,
        # so few objects for the garbage collector to go over however many pairs are kept.
        self.decisions[key] = decision
        return decision

    def _new_decisions(
        self, conn: sa.Connection, m: MentionInfo, ids: AbstractSet[str], copied: AbstractSet[str]
    ) -> list[tuple[str, Decision]]:
        """Return, by id, the decision of a new mention with each stored mention of ``ids``
        (all of other articles; ``copied`` holds those of the articles it copies), as
        ``_decide`` finds it. These pairs were never asked before and most are not asked
        again: they are found by their keys' numbers alone, without a cache entry per pair
        (about 18 pairs per article, most of the resolver's lookups), and without the
        stored mentions themselves but to decide a pair of keys not seen yet: most pairs
        are a report and the members of the incident it joins, and their ids and numbers
        are enough."""
        number_of = self.key_number_of
        for unnumbered in self._cached(conn, [i for i in ids if i not in number_of]):
            self._key_number(unnumbered)
        mine, by_keys, mentions = self._key_number(m), self.by_keys, self.mentions
        out = []
        for other in ids:
            theirs = number_of.get(other)
            if theirs is None:
                # No longer stored (``_cached`` found none).
                continue
            copy = other in copied
            keys = (mine, theirs, copy) if m.id < other else (theirs, mine, copy)
            decision = by_keys.get(keys)
            if decision is None:
                decision = decide(m, mentions[other], copy_linked=copy)
                decision = by_keys[keys] = self._kept(decision)
            out.append((other, decision))
        return out

    def _kept(self, decision: Decision) -> Decision:
        """Return the kept decision equal to ``decision`` (keeping it when new)."""
        return self.distinct.setdefault(decision, decision)

    def _key_number(self, m: MentionInfo) -> int:
        """Return the number of the mention's decision key (numbered on first sight)."""
        found = self.key_number_of.get(m.id)
        if found is None:
            found = self.key_numbers.setdefault(decision_key(m), len(self.key_numbers))
            self.key_number_of[m.id] = found
        return found

    def _cached(self, conn: sa.Connection, ids: Iterable[str]) -> list[MentionInfo]:
        """Return the mentions with these ids, read from the store only once each."""
        wanted = sorted(set(ids))
        missing = [i for i in wanted if i not in self.mentions]
        if missing:
            for m in _mentions(conn, mentions.c.id.in_(missing)):
                self.mentions[m.id] = m
        return [self.mentions[i] for i in wanted if i in self.mentions]

    def _links(self, conn: sa.Connection, ids: Iterable[str]) -> set[str]:
        """Return the mentions linked to any of ``ids`` (as one attack)."""
        wanted = set(ids)
        self._load_links(conn, wanted)
        links = self.known.links
        # One union of the link sets: an incident's members are linked to one another, so
        # the component of a report joining it goes over every member's links.
        return set().union(*[links[i] for i in wanted])

    def _load_links(self, conn: sa.Connection, ids: Iterable[str]) -> None:
        """Read the links of those of ``ids`` not known yet. A pair is stored once, so a
        mention's links are read from both columns."""
        missing = sorted(i for i in ids if i not in self.known.links)
        if missing:
            self.deferred.write(conn, mention_links)
            links = self.known.links
            for i in missing:
                links[i] = ()
            stmt = sa.select(mention_links.c.mention_id, mention_links.c.other_id).where(
                sa.or_(
                    mention_links.c.mention_id.in_(missing), mention_links.c.other_id.in_(missing)
                )
            )
            # A mention already known holds this link already: it is not added again.
            for a, b in rows_of(conn.execute(stmt)):
                _add_link(links, a, b)
                _add_link(links, b, a)

    def _component(self, conn: sa.Connection, start: Iterable[str]) -> set[str]:
        """Return the mentions connected to ``start`` through mention links."""
        component = set(start)
        frontier = set(component)
        while frontier:
            frontier = self._links(conn, frontier) - component
            component |= frontier
        return component

    def _resolve(self, conn: sa.Connection, saved: Saved, regrouped: set[str]) -> None:
        article_id, new = saved.article_id, list(saved.mentions)
        if not new:
            return
        if saved.claims is not None:
            self.known.claims[article_id] = saved.claims
            self.known.sole[article_id] = _sole_of(new)
        self.mentions.update((m.id, m) for m in new)
        copied = self._partners(conn, [article_id])
        index = self._candidate_index(conn)
        copied_mentions = {i for a in copied for i in index.by_article.get(a, ())}
        merging: dict[str, list[tuple[str, Decision]]] = {}
        entries: list[Entry] = []
        for m in new:
            if m.fields.get("background"):
                continue
            entries.append(entry := entry_of(m))
            found = index.candidates(m, copied, entry)
            decided = self._new_decisions(conn, m, found, copied_mentions)
            merging[m.id] = [(o, d) for o, d in decided if d.merge]
        fresh = {m.id for m in new}
        linked = self._spanning(conn, merging, fresh)
        # The stored links of the others are read before this article's are written.
        self._load_links(conn, {other for _, other, _ in linked})
        links = self.known.links
        for m in new:
            links[m.id] = tuple(b for a, b, _ in linked if a == m.id)
        for a, b, _ in linked:
            _add_link(links, b, a)
        self.deferred.add(mention_links, [_link_row(a, b, d) for a, b, d in linked])
        index.add(entries)
        component = self._component(conn, [m.id for m in new])
        merged_with = {i: frozenset(o for o, _ in pairs) for i, pairs in merging.items()}
        self._rewrite(conn, component, fresh, regrouped, merged_with)

    def _spanning(
        self, conn: sa.Connection, merging: dict[str, list[tuple[str, Decision]]], fresh: set[str]
    ) -> list[tuple[str, str, Decision]]:
        """Return the links to store for new mentions and the stored mentions each merges
        with: one per incident those are in (to its lead when that is one of them, else to
        the smallest id), and one per mention in none. The members of an incident are
        linked already, so the components the links make are those of every merging pair,
        and a report joining an incident of n members writes one link, not n (their number
        grew with the square of the incident's size). Each stored link keeps its decision
        and reasons; the other pairs' decisions are made again whenever they are needed."""
        stored = {o for pairs in merging.values() for o, _ in pairs} - fresh
        incident_of = self._incidents_of(conn, stored, fresh)
        out: list[tuple[str, str, Decision]] = []
        for m, pairs in merging.items():
            chosen: dict[str, tuple[str, Decision]] = {}
            for other, d in sorted(pairs, key=itemgetter(0)):
                iid = incident_of.get(other)
                if iid is None:
                    out.append((m, other, d))
                elif iid not in chosen or other == iid:
                    chosen[iid] = (other, d)
            out.extend((m, other, d) for other, d in chosen.values())
        return out

    def _incidents_of(self, conn: sa.Connection, ids: set[str], fresh: set[str]) -> dict[str, str]:
        """Return the incident each of these mentions is in now (if any), caching the
        members of those incidents. ``fresh`` mentions were written in this transaction,
        so they are in none yet."""
        missing = sorted(i for i in ids - fresh if i not in self.known.incident_of)
        if missing:
            self.deferred.write(conn, incident_members)
            stmt = sa.select(incident_members.c.incident_id).where(
                incident_members.c.mention_id.in_(missing)
            )
            unknown = sorted(set(conn.execute(stmt).scalars()) - set(self.known.members))
            if unknown:
                every: dict[str, set[str]] = defaultdict(set)
                stmt2 = sa.select(
                    incident_members.c.incident_id, incident_members.c.mention_id
                ).where(incident_members.c.incident_id.in_(unknown))
                for iid, mid in rows_of(conn.execute(stmt2)):
                    every[iid].add(mid)
                    self.known.incident_of[mid] = iid
                for iid, mids in every.items():
                    self.known.members[iid] = frozenset(mids)
        return {i: self.known.incident_of[i] for i in ids if i in self.known.incident_of}

    def _unchanged(self, c: list[MentionInfo], previous: dict[str, str], fresh: set[str]) -> bool:
        """Return whether a cluster is exactly an incident already stored."""
        ids = frozenset(m.id for m in c)
        before = {previous.get(i) for i in ids}
        if len(before) != 1 or ids & fresh:
            return False
        (iid,) = before
        return iid is not None and self.known.members.get(iid) == ids

    def _joined(
        self, foreground: list[MentionInfo], previous: dict[str, str], fresh: set[str]
    ) -> list[list[MentionInfo]] | None:
        """Return the clusters of a component that is one stored incident plus one new
        mention merging with all of it (the usual report of a known attack) without
        re-clustering the incident; None for any other component."""
        new = [m for m in foreground if m.id in fresh]
        old = [m for m in foreground if m.id not in fresh]
        incidents_before = {previous.get(m.id) for m in old}
        if len(new) != 1 or len(incidents_before) != 1:
            return None
        (iid,) = incidents_before
        if iid is None or self.known.members.get(iid) != frozenset(m.id for m in old):
            return None
        joined = joined_cluster(old, new[0], self._decide)
        return [joined] if joined is not None else None

    def _rewrite(
        self,
        conn: sa.Connection,
        mention_ids: set[str],
        fresh: set[str],
        regrouped: set[str],
        merged_with: Mapping[str, frozenset[str]],
    ) -> None:
        """Re-cluster a connected component and rewrite the incidents that changed.
        ``merged_with`` holds the stored mentions each fresh one was judged to merge with."""
        if self._join_in_place(conn, mention_ids, fresh, merged_with):
            return
        # Member rows are deleted and re-pointed below, incidents with their marks.
        self.deferred.write(conn, incident_members, stale_incidents)
        members = self._cached(conn, mention_ids)
        foreground = [m for m in members if not m.fields.get("background")]
        previous = self._incidents_of(conn, mention_ids, fresh)
        clusters = self._joined(foreground, previous, fresh) or cluster(foreground, self._decide)
        clusters += [[m] for m in members if m.fields.get("background")]
        changed = [
            c
            for c in clusters
            if not self._unchanged(c, previous, fresh) or any(m.article_id in regrouped for m in c)
        ]
        if not changed:
            return
        now = dt.datetime.now(dt.UTC)
        tallies = [self._tally(c, previous) for c in changed]
        made = [self._merged(conn, c, t) for c, t in zip(changed, tallies, strict=True)]
        merged = [inc for inc, _ in made]
        touched = {previous[m.id] for c in changed for m in c if m.id in previous}
        kept = touched & {inc.id for inc in merged}
        gone = sorted(touched - kept)
        if gone:
            _DELETE_INCIDENT.run(conn, [{"id": i} for i in gone])
            for iid in gone:
                self.known.rows.pop(iid, None)
                self.known.attack_types.pop(iid, None)
        # Member rows that survive (not removed with a deleted incident) but now point
        # at another incident are moved; rows already right are left alone.
        moved = [
            m.id
            for inc in merged
            for m in inc.members
            if previous.get(m.id) in kept and previous[m.id] != inc.id
        ]
        _DELETE_INCIDENT_MEMBER.run(conn, [{"mention_id": i} for i in moved])
        for iid in kept & self.known.marked.keys():
            # Marked stale: another process may have rewritten the row meanwhile.
            self.known.rows.pop(iid, None)
            self.known.attack_types.pop(iid, None)
        _write_incidents(conn, merged, previous, kept, self.known, now)
        for inc in merged:
            _log_moves(conn, inc.members, previous, now, self._decide)
        for iid in touched:
            self.known.tallies.pop(iid, None)
            self.known.reports.pop(iid, None)
            for mid in self.known.members.pop(iid, frozenset()):
                self.known.incident_of.pop(mid, None)
        for (inc, reports), tally in zip(made, tallies, strict=True):
            ids = frozenset(m.id for m in inc.members)
            self.known.members[inc.id] = ids
            self.known.tallies[inc.id] = tally
            self.known.reports[inc.id] = reports
            for i in ids:
                self.known.incident_of[i] = inc.id

    def _join_in_place(
        self,
        conn: sa.Connection,
        component: set[str],
        fresh: set[str],
        merged_with: Mapping[str, frozenset[str]],
    ) -> bool:
        """Write the usual report of a known attack, when that is what the component is:
        an article's one mention, merging with every member of one stored incident (the
        rest of the component). ``joined_cluster`` says what the re-clustering in
        ``_rewrite`` would make of it: one incident of them all, in report order, so the
        running tally is brought up to date instead (``_join_after_lead``,
        ``_join_before_lead``). Return False, having written nothing, for any other
        component."""
        if len(fresh) != 1:
            return False
        (new_id,) = fresh
        new = self.mentions[new_id]
        old = frozenset(component - fresh)
        if not old or new.fields.get("background"):
            return False
        known = self.known
        iid = known.incident_of.get(next(iter(old)))
        tally = known.tallies.get(iid) if iid is not None else None
        if (
            iid is None
            or tally is None
            or known.members.get(iid) != old
            or tally.ids != old
            or tally.foreground != len(old)
            or not old.issubset(merged_with.get(new_id, ()))
            or tally.members[0].id != iid
        ):
            return False
        # ``new`` merges with every member (the pair decisions are those just made).
        if tally.leads(new):
            self._join_after_lead(conn, iid, tally, new)
        else:
            self._join_before_lead(conn, iid, tally, new)
        return True

    def _join_after_lead(
        self, conn: sa.Connection, iid: str, tally: Tally, new: MentionInfo
    ) -> None:
        """Write a report joining incident ``iid`` after its lead: the incident keeps its
        members, its lead and its id, and nobody moves, so nothing is logged. Only the
        joining mention's member row and a stale mark are written; materializing writes
        the row the re-clustering would write."""
        known = self.known
        known.reports[iid] = self._added_reports(conn, iid, tally, new)
        # The row itself is rewritten once per batch (``materialize``): until then the mark
        # says it lags its members.
        self.deferred.add(incident_members, [{"mention_id": new.id, "incident_id": iid}])
        self._mark_stale(conn, iid)
        known.members[iid] = known.members[iid] | {new.id}
        known.incident_of[new.id] = iid

    def _join_before_lead(
        self, conn: sa.Connection, iid: str, tally: Tally, new: MentionInfo
    ) -> None:
        """Write a report joining incident ``iid`` before its lead: ``new`` leads it, so it
        is stored under ``new``'s id and every member moves there, as the re-clustering
        would store it, and the moves are logged. The row is copied under the new id and
        lead's article, its member rows, attack types and stale marks re-pointed to it,
        and the copy marked stale: materializing writes the merged fields once per batch,
        as for a join after the lead. Of 10,000 generated articles 1,110 come before the
        lead; most incidents gain more reports before the batch ends, and materializing
        rewrote 1,031 rows instead of 846, where computing and inserting each new row
        took a third of this path's CPU."""
        known = self.known
        old = known.members[iid]
        reports = self._added_reports(conn, iid, tally, new)
        moved = {"b_incident_id": iid, "incident_id": new.id}
        # The member rows and marks are re-pointed, those held where they are, and the
        # old row deleted.
        for table in (incident_members, stale_incidents):
            self.deferred.move(table, iid, new.id)
        # The copy first: the rows re-pointed to it reference it.
        _COPY_INCIDENT.run(conn, [{"b_id": iid, "id": new.id, "article_id": new.article_id}])
        _MOVE_INCIDENT_MEMBERS.run(conn, [moved])
        self.deferred.add(incident_members, [{"mention_id": new.id, "incident_id": new.id}])
        _MOVE_INCIDENT_TYPES.run(conn, [moved])
        _MOVE_STALE.run(conn, [moved])
        _DELETE_INCIDENT.run(conn, [{"id": iid}])
        now = dt.datetime.now(dt.UTC)
        _log_moves(conn, tally.members, dict.fromkeys(old, iid), now, self._decide)
        # The caches follow the rows: the copy is the old row, with its marks, so it is
        # the row this process last wrote exactly when the old one was.
        row = known.rows.pop(iid, None)
        if row is not None:
            known.rows[new.id] = {**row, "id": new.id, "article_id": new.article_id}
        types = known.attack_types.pop(iid, None)
        if types is not None:
            known.attack_types[new.id] = types
        marked = known.marked.pop(iid, 0)
        if marked:
            known.marked[new.id] = marked
        known.tallies[new.id] = known.tallies.pop(iid)
        known.reports.pop(iid, None)
        known.reports[new.id] = reports
        known.members[new.id] = known.members.pop(iid) | {new.id}
        for i in known.members[new.id]:
            known.incident_of[i] = new.id
        self._mark_stale(conn, new.id)

    def _added_reports(
        self, conn: sa.Connection, iid: str, tally: Tally, new: MentionInfo
    ) -> _Reports:
        """Add ``new`` to the tally of incident ``iid`` and return the incident's reports
        with ``new``'s added."""
        tally.add(new)
        reports = self.known.reports.get(iid)
        if reports is None:
            return self._reports(conn, tally)
        return self._joined_reports(conn, reports, new)

    def _ledger(self, conn: sa.Connection, arts: set[str]) -> None:
        missing = sorted(a for a in arts if a not in self.known.claims)
        if missing:
            found = _claims(conn, missing)
            sole = _sole_mentions(conn, missing)
            for a in missing:
                self.known.claims[a] = tuple(found.get(a, ()))
                self.known.sole[a] = sole.get(a)

    def _groups(self, conn: sa.Connection, arts: set[str]) -> None:
        missing = sorted(a for a in arts if a not in self.known.group_of)
        if missing:
            self.deferred.write(conn, copy_members)
            self.known.group_of.update(_groups(conn, missing))

    def _tally(self, members: list[MentionInfo], previous: dict[str, str]) -> Tally:
        """Return the votes of a cluster: those of the largest stored incident it holds
        whole, to which the merge adds the other members (a fresh tally when it holds none).
        An incident held whole by a cluster is in no other, so its tally is reused once."""
        ids = {m.id for m in members}
        held = [
            t
            for iid in sorted({previous[i] for i in ids if i in previous})
            if (t := self.known.tallies.get(iid)) is not None and t.ids <= ids
        ]
        return max(held, key=lambda t: len(t.ids)) if held else Tally()

    def _merged(
        self, conn: sa.Connection, members: list[MentionInfo], tally: Tally
    ) -> tuple[MergedIncident, _Reports]:
        for m in members:
            tally.add(m)
        reports = self._reports(conn, tally)
        return self._merged_tally(tally, reports), reports

    def _reports(self, conn: sa.Connection, tally: Tally) -> _Reports:
        """Return the articles and claims of a tally's members."""
        arts = {m.article_id for m in tally.members}
        self._ledger(conn, arts)
        self._groups(conn, arts)
        claims = tuple(c for a in sorted(arts) for c in self._claims_about(a, tally.ids))
        return _Reports(frozenset(arts), claims)

    def _joined_reports(self, conn: sa.Connection, before: _Reports, m: MentionInfo) -> _Reports:
        """Return the reports of an incident that ``m``, the one mention of a new article,
        joined: its article and claims added to ``before``. The claims about the other
        members stay as they were: each claim is about a mention of its own article."""
        a = m.article_id
        self._ledger(conn, {a})
        self._groups(conn, {a})
        added = self._claims_about(a, {m.id})
        return _Reports(before.articles | {a}, before.claims + tuple(added))

    def _claims_about(self, article_id: str, ids: AbstractSet[str]) -> list[ClaimInfo]:
        """Return the claims of an article about any of ``ids``: those linked to one, and
        the unlinked ones when its only foreground mention is one."""
        sole = self.known.sole[article_id]
        return [
            c
            for mid, c in self.known.claims[article_id]
            if (mid in ids) or (mid is None and sole in ids)
        ]

    def _merged_tally(self, tally: Tally, reports: _Reports) -> MergedIncident:
        """Return the incident of a tally holding all its members' votes (``reports``, its
        members' articles and the claims about them). The order of the claims does not
        matter: the status does not depend on it, and the store keeps no ledger."""
        arts = reports.articles
        # Each copy group once (its members share one tuple), cut down to these articles.
        # Worked out on every write: a copy group changes when a later article copies one
        # of the incident's, whether or not it reports the incident.
        groups = {self.known.group_of[a] for a in arts}
        member_groups = sorted({_within(g, arts) for g in groups})
        # The pair decisions behind the merge are not stored with the incident: each one
        # is in the mention links (merges) or the resolution log (moves), and ``show``
        # recomputes them against the lead. Encoding them on every update grew with the
        # incident.
        return merge(
            (), reports.claims, member_groups, with_sources=False, tally=tally, with_history=False
        )


def _within(group: tuple[str, ...], arts: AbstractSet[str]) -> tuple[str, ...]:
    """Return the members of a copy group among ``arts`` (an article's own group of one,
    the usual case, as it is)."""
    if len(group) == 1:
        return group
    return tuple(x for x in group if x in arts)


@dataclass(frozen=True, slots=True)
class Saved:
    """What was stored for one article, as resolution needs it. ``claims`` None means
    "read them from the store when needed"; ``fingerprint`` None, "fingerprint the text"
    (else it is the text's fingerprint, computed where the article was extracted)."""

    article_id: str
    text: str
    published: dt.date | None
    mentions: tuple[MentionInfo, ...]
    claims: tuple[tuple[str | None, ClaimInfo], ...] | None = None
    fingerprint: Fingerprint | None = None


def saved_of(
    article_id: str,
    extraction: Extraction,
    published: dt.date | None,
    fp: Fingerprint | None = None,
) -> Saved:
    """Return the Saved view of an extraction just written by ``write.save``. ``fp`` is
    the fingerprint of its text when already computed (by ``copies.fingerprint`` with
    this id and publication date; any other is dropped and the text fingerprinted)."""
    stored = {m.index for m in extraction.mentions}
    infos = tuple(
        MentionInfo(
            mention_id(article_id, m.index),
            article_id,
            published,
            _without_evidence(m.to_dict(evidence=False)),
        )
        for m in extraction.mentions
    )
    claims = tuple(
        (
            mention_id(article_id, c.incident)
            if c.incident is not None and c.incident in stored
            else None,
            ClaimInfo(
                id=claim_id(article_id, i),
                article_id=article_id,
                published=published,
                kind=c.kind,
                speaker=c.speaker,
                party=c.party,
                hedged=c.hedged,
                sentence=c.evidence.sentence,
                evidence={
                    "start": c.evidence.start,
                    "end": c.evidence.end,
                    "text": c.evidence.text,
                },
            ),
        )
        for i, c in enumerate(extraction.claims)
    )
    if fp is not None and (fp.article_id != article_id or fp.published != published):
        fp = None
    return Saved(article_id, extraction.article.text, published, infos, claims, fp)


def _without_evidence(fields: dict[str, Any]) -> dict[str, Any]:
    """Return a mention's fields without the evidence, which resolution never reads (the
    store merges incidents without source values), and with tuples for lists: the
    resolver keeps every mention it has seen, and the evidence and lists were most of the
    objects the garbage collector went over, again and again as the store grew (a tuple
    of strings it stops tracking). The lists of a nested value (a date's inferred parts)
    are tuples too: a dictionary holding nothing tracked is left alone as well."""
    return {k: _untracked(v) for k, v in fields.items() if k != "evidence"}


def _untracked(value: Any) -> Any:
    """Return a field's value with tuples for its lists and those of a nested dictionary.
    The values are JSON's (plain lists and dictionaries): their types are compared, and a
    dictionary's are looked over in one C-level pass (the views of the 10k bench
    articles: 0.223 -> 0.191 s CPU against ``isinstance`` and ``any``)."""
    kind = type(value)
    if kind is list:
        return tuple(value)
    if kind is dict and list in map(type, value.values()):
        return {k: tuple(v) if type(v) is list else v for k, v in value.items()}
    return value


def _read_saved(conn: sa.Connection, article_id: str) -> Saved | None:
    row = rows_of(
        conn.execute(
            sa.select(articles.c.text, articles.c.published).where(articles.c.id == article_id)
        )
    ).first()
    if row is None:
        return None
    found = tuple(_mentions(conn, mentions.c.article_id == article_id))
    return Saved(article_id, row.text, row.published, found)


def _with(items: tuple[str, ...], item: str) -> tuple[str, ...]:
    """Return ``items`` with ``item`` added when missing."""
    return items if item in items else (*items, item)


def _add_link(links: dict[str, tuple[str, ...]], a: str, b: str) -> None:
    """Add ``b`` to the links of ``a`` when ``a``'s links are known and lack it."""
    found = links.get(a)
    if found is not None:
        links[a] = _with(found, b)


def _sole_of(found: Sequence[MentionInfo]) -> str | None:
    """Return the only foreground mention of an article, None when it has 0 or several."""
    foreground = [m.id for m in found if not m.fields.get("background")]
    return foreground[0] if len(foreground) == 1 else None


def _link_row(a: str, b: str, d: Decision) -> dict[str, Any]:
    """Return the one row of a linked pair: the smaller id first (revision 0004)."""
    first, second = _pair(a, b)
    return {
        "mention_id": first,
        "other_id": second,
        "score": d.score,
        "reasons": _strings(d.reasons),
    }


@lru_cache(maxsize=4096)
def _strings(texts: tuple[str, ...]) -> str:
    """Return ``_json_text(texts)``, the plain ``str`` the JSON column's bind processor
    makes of it, cached: a new report's links to the members of one incident mostly give
    the same reasons."""
    return _json_text(texts)


def _json_text(texts: Sequence[str]) -> str:
    """Return a list of strings encoded as ``json.dumps`` encodes it, string by string (a
    fraction of the cost of the whole call, for a few short strings)."""
    return "[" + ", ".join(map(encode_basestring_ascii, texts)) + "]"


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _fingerprint_row(fp: Fingerprint, seq: int) -> dict[str, Any]:
    return {
        "article_id": fp.article_id,
        "seq": seq,
        "published": fp.published,
        "text_hashes": fp.text_hashes.tobytes(),
        "text_size": fp.text_size,
        "skeleton_hashes": fp.skeleton_hashes.tobytes(),
        "skeleton_size": fp.skeleton_size,
        # A list of strings, encoded as the JSON column encodes it without the call.
        "anchors": _json_text(sorted(fp.anchors)),
    }


def _fingerprint_of_row(r: RowMapping) -> Fingerprint:
    return make_fingerprint(
        r["article_id"],
        r["published"],
        np.frombuffer(r["text_hashes"], dtype=np.uint64),
        r["text_size"],
        np.frombuffer(r["skeleton_hashes"], dtype=np.uint64),
        r["skeleton_size"],
        frozenset(r["anchors"] or ()),
    )


def _groups(conn: sa.Connection, article_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Return, per article, the members of its copy group (original first)."""
    ids = sorted(set(article_ids))
    gid_stmt = sa.select(copy_members.c.article_id, copy_members.c.group_id).where(
        copy_members.c.article_id.in_(ids)
    )
    gid = {a: g for a, g in rows_of(conn.execute(gid_stmt))}
    stmt = (
        sa.select(copy_members.c.group_id, copy_members.c.article_id)
        .where(copy_members.c.group_id.in_(sorted(set(gid.values()))))
        .order_by(copy_members.c.article_id)
    )
    members: dict[str, list[str]] = defaultdict(list)
    for g, a in rows_of(conn.execute(stmt)):
        members[g].append(a)
    out: dict[str, tuple[str, ...]] = {}
    for a in ids:
        g = gid.get(a)
        out[a] = (g, *(x for x in members[g] if x != g)) if g else (a,)
    return out


def _mention_select() -> sa.Select[Any]:
    return sa.select(
        mentions.c.id, mentions.c.article_id, mentions.c.fields, articles.c.published
    ).join(articles, articles.c.id == mentions.c.article_id)


def _mentions(conn: sa.Connection, where: sa.ColumnElement[bool]) -> list[MentionInfo]:
    stmt = _mention_select().where(where).order_by(mentions.c.id)
    return [
        MentionInfo(r.id, r.article_id, r.published, _without_evidence(r.fields or {}))
        for r in rows_of(conn.execute(stmt))
    ]


def _claims(
    conn: sa.Connection, article_ids: Sequence[str]
) -> dict[str, list[tuple[str | None, ClaimInfo]]]:
    """Return, per article, its claims with the mention each is linked to."""
    ids = sorted(set(article_ids))
    out: dict[str, list[tuple[str | None, ClaimInfo]]] = defaultdict(list)
    stmt = (
        sa.select(claims, articles.c.published)
        .join(articles, articles.c.id == claims.c.article_id)
        .where(claims.c.article_id.in_(ids))
        .order_by(claims.c.article_id, claims.c.index)
    )
    for r in conn.execute(stmt).mappings():
        info = claim_info(r, r["published"])
        out[r["article_id"]].append((r["mention_id"], info))
    return dict(out)


def _sole_mentions(conn: sa.Connection, article_ids: Sequence[str]) -> dict[str, str]:
    """Return, per article with exactly one foreground mention, that mention's id (its
    unlinked claims are about that mention)."""
    ids = sorted(set(article_ids))
    fg = (
        sa.select(mentions.c.article_id, sa.func.min(mentions.c.id), sa.func.count())
        .where(mentions.c.article_id.in_(ids), mentions.c.background == sa.false())
        .group_by(mentions.c.article_id)
    )
    return {aid: first for aid, first, n in rows_of(conn.execute(fg)) if n == 1}


def _date_parts(fields: dict[str, Any]) -> dict[str, Any]:
    d = fields.get("date") or {}
    date = PartialDate(
        d.get("year"), d.get("month"), d.get("day"), frozenset(d.get("inferred") or ())
    )
    start, end = date_range(date)
    return {
        "date_year": date.year,
        "date_month": date.month,
        "date_day": date.day,
        "date_iso": date.iso(),
        "date_inferred": tuple(sorted(date.inferred)),
        "date_start": start,
        "date_end": end,
    }


def _place_columns(f: dict[str, Any]) -> dict[str, Any]:
    place = f.get("place") or {}
    return {
        "venue": place.get("venue"),
        "city": place.get("city"),
        "admin1": place.get("admin1"),
        "country": (place.get("country") or "").upper() or None,
        "lat": place.get("lat"),
        "lon": place.get("lon"),
        "precision": place.get("precision") or 5,
    }


def _toll_columns(name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def columns(f: dict[str, Any]) -> dict[str, Any]:
        count = f.get(name) or {}
        return {
            f"{name}_min": count.get("min"),
            f"{name}_max": count.get("max"),
            f"{name}_qualifier": count.get("qualifier"),
        }

    return columns


# The columns that each merged field is stored in besides ``fields`` (in column order),
# so a report joining an incident rewrites only the columns of the fields it changed.
_FIELD_COLUMNS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "stage": lambda f: {"stage": f.get("stage") or "accomplished"},
    "background": lambda f: {"background": bool(f.get("background"))},
    "attack_types": lambda f: {"attack_types": f.get("attack_types") or ("unknown",)},
    "weapons": lambda f: {"weapons": f.get("weapons") or ()},
    "date": _date_parts,
    "place": _place_columns,
    "target_type": lambda f: {"target_type": f.get("target_type")},
    "killed": _toll_columns("killed"),
    "wounded": _toll_columns("wounded"),
    "perpetrators": lambda f: {"perpetrators": f.get("perpetrators") or ()},
    "attribution": lambda f: {"attribution": f.get("attribution")},
    "confidence": lambda f: {"confidence": float(f.get("confidence") or 0.0)},
}


def _frozen(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Return merged fields with tuples for their lists (a date's inferred parts too). The
    incident rows this process last wrote are kept, and lists in them were most of the
    objects the garbage collector went over in those rows; JSON encodes a tuple as it
    encodes a list, so the rows written are the same."""
    return {k: _untracked(v) for k, v in fields.items()}


def _fields_value(f: Mapping[str, Any]) -> dict[str, Any]:
    """Return the ``fields`` column of merged fields."""
    return {**f, "attack_types": f.get("attack_types") or ("unknown",)}


def _incident_row(inc: MergedIncident, now: dt.datetime) -> dict[str, Any]:
    f = _frozen(inc.fields)
    row: dict[str, Any] = {"id": inc.id, "article_id": inc.lead.article_id}
    for columns in _FIELD_COLUMNS.values():
        row.update(columns(f))
    row["fields"] = _fields_value(f)
    row.update(_joined_columns(inc, now))
    return row


def _joined_columns(inc: MergedIncident, now: dt.datetime) -> dict[str, Any]:
    """Return the columns that change whenever a report joins an incident, whatever it
    says: its sources, claims and members."""
    return {
        "sources": inc.independent_sources,
        "attribution_status": inc.status,
        "detail": _detail_json(inc),
        "resolved_at": now,
    }


def _joined_changes(
    inc: MergedIncident, before: dict[str, Any], now: dt.datetime
) -> dict[str, Any]:
    """Return the columns of ``inc`` (its lead and id as in ``before``, the row as last
    written) whose values may differ from ``before``: those of the merged fields that
    changed and the columns every join changes. Built from the merged fields alone, without
    building and comparing the whole row."""
    f = _frozen(inc.fields)
    old = before["fields"]
    changes: dict[str, Any] = {}
    # The merged fields are the ``fields`` column as they are unless they name no attack
    # type; most joins change none of them.
    if (f if f.get("attack_types") else _fields_value(f)) != old:
        value = _fields_value(f)
        for name, columns in _FIELD_COLUMNS.items():
            if value.get(name) != old.get(name):
                changes.update(columns(f))
        changes["fields"] = value
    changes.update(_joined_columns(inc, now))
    return changes


def _detail_json(inc: MergedIncident) -> JSONText:
    """Return ``inc.detail()`` encoded exactly as ``json.dumps`` encodes it, joined from
    the encodings of its ids: rewritten whenever a report joins the incident, the whole
    dictionary cost more to build, encode and compare with the row as last written than
    the rest of the join. The constant rules are encoded once."""
    if inc.decisions:
        return JSONText(json.dumps(inc.detail()))
    ids = _json_text
    groups = ", ".join(ids(g) for g in inc.copy_groups)
    return JSONText(
        f'{{"rules": {_rules_json(tuple(inc.rules.items()))}, '
        f'"articles": {ids(inc.articles)}, "copy_groups": [{groups}], '
        f'"mentions": {ids(tuple(m.id for m in inc.members))}, "decisions": []}}'
    )


@lru_cache(maxsize=8)
def _rules_json(rules: tuple[tuple[str, str], ...]) -> str:
    return json.dumps(dict(rules))


def _write_incidents(
    conn: sa.Connection,
    merged: Sequence[MergedIncident],
    previous: dict[str, str],
    kept: set[str],
    known: _Known,
    now: dt.datetime,
) -> None:
    """Write incidents with their members and attack types: the ``kept`` ones (still
    stored) are updated, the others inserted; log members that moved. Member rows are
    inserted only for mentions not in that incident before (the caller removed their
    old rows). ``known`` holds the rows and attack types this process last wrote per
    incident: only what changed is rewritten, and it is kept up to date."""
    rows = [_incident_row(inc, now) for inc in merged]
    for r in rows:
        if r["id"] in kept:
            _update_incident(conn, r, known.rows.get(r["id"]))
        known.rows[r["id"]] = r
    types = {inc.id: _attack_types_of(inc) for inc in merged}
    retyped = sorted(i for i in kept if known.attack_types.get(i) != types[i])
    _DELETE_INCIDENT_TYPES.run(conn, [{"incident_id": i} for i in retyped])
    _INSERT_INCIDENT.run(conn, [r for r in rows if r["id"] not in kept])
    _INSERT_INCIDENT_MEMBER.run(
        conn,
        [
            {"mention_id": m.id, "incident_id": inc.id}
            for inc in merged
            for m in inc.members
            if previous.get(m.id) != inc.id
        ],
    )
    _INSERT_INCIDENT_TYPE.run(
        conn,
        [
            {"incident_id": i, "attack_type": t}
            for i, ts in types.items()
            if i not in kept or i in retyped
            for t in ts
        ],
    )
    known.attack_types.update(types)


def _update_incident(
    conn: sa.Connection, row: dict[str, Any], before: dict[str, Any] | None
) -> None:
    """Update a stored incident to ``row``, setting only the columns that differ from
    ``before`` (the row as last written; every column when unknown). Columns left alone
    keep their indexes and the sort-date trigger untouched."""
    if before is None:
        _UPDATE_INCIDENT.run(conn, [{"b_id": row["id"], **row}])
        return
    columns = tuple(c for c, v in row.items() if c != "id" and before.get(c) != v)
    if columns:
        _column_update(columns).run(conn, [{"b_id": row["id"], **row}])


def _write_joined(
    conn: sa.Connection,
    inc: MergedIncident,
    before: dict[str, Any],
    known: _Known,
    now: dt.datetime,
) -> None:
    """Write the incident's columns that changed from ``before``, its row as last written
    (reports joined it since; its lead and id are those of ``before``), which is brought
    up to date in place, and its attack types when they changed. Writes what
    ``_write_incidents`` would write."""
    changes = _joined_changes(inc, before, now)
    columns = tuple(c for c, v in changes.items() if c == "fields" or before[c] != v)
    before.update(changes)
    if columns:
        _column_update(columns).run(conn, [{"b_id": inc.id, **changes}])
    types = _attack_types_of(inc) if "attack_types" in changes else None
    retyped = types is not None and known.attack_types.get(inc.id) != types
    if retyped:
        _DELETE_INCIDENT_TYPES.run(conn, [{"incident_id": inc.id}])
    if types is not None and retyped:
        _INSERT_INCIDENT_TYPE.run(conn, [{"incident_id": inc.id, "attack_type": t} for t in types])
        known.attack_types[inc.id] = types


@lru_cache(maxsize=256)
def _column_update(columns: tuple[str, ...]) -> DriverStatement:
    return update_of(incidents, "id", only=columns)


def _attack_types_of(inc: MergedIncident) -> tuple[str, ...]:
    return tuple(dict.fromkeys(inc.fields.get("attack_types") or ["unknown"]))


_LEAD_REASONS = ("lead of the incident",)


def _log_moves(
    conn: sa.Connection,
    members: Sequence[MentionInfo],
    previous: dict[str, str],
    now: dt.datetime,
    decide_pair: Callable[[MentionInfo, MentionInfo], Decision],
) -> None:
    """Log each member of an incident (``members`` in report order, its lead first) that
    was in another incident before (a merge or a split), with the reasons of its decision
    against the lead."""
    lead = members[0]
    rows = []
    for m in members:
        before = previous.get(m.id)
        if before is None or before == lead.id:
            continue
        reasons = _LEAD_REASONS if m.id == lead.id else decide_pair(m, lead).reasons
        rows.append(
            {
                "at": now,
                "mention_id": m.id,
                "previous_incident": before,
                "incident_id": lead.id,
                "decision": "merged" if len(members) > 1 else "split",
                # Encoded once per distinct list, as for the links.
                "reasons": _strings(reasons),
            }
        )
    _INSERT_LOG.run(conn, rows)
