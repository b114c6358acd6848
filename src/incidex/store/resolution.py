"""Keeping copy groups and incidents up to date as articles arrive (the store side of
``incidex.copies`` and ``incidex.resolve``).

After an article is saved, ``Resolver.update(conn, article_id)``:

1. fingerprints it, finds its copies through the LSH index (loaded from the stored
   fingerprints, then kept in step) and regroups the copy component it joins;
2. compares each of its mentions with the stored mentions that could report the same attack
   (found in memory by ``candidates.CandidateIndex``: dates within a window, same or unknown
   country, a nearby or unknown city, or an article it copies), and stores a link for each
   pair judged one attack;
3. re-clusters the whole connected component of linked mentions and rewrites its incidents,
   logging every mention that moved to another incident and why.

Only the touched component is read and written, and every step depends on pairs alone, so
the incidents do not depend on the order in which articles arrive.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import RowMapping

from ..copies import CopyIndex, CopyLink, Fingerprint, copy_groups, fingerprint
from ..models import Extraction, PartialDate
from ..resolve import (
    ClaimInfo,
    Decision,
    MentionInfo,
    MergedIncident,
    cluster,
    decide,
    merge,
)
from .candidates import CandidateIndex, entry_of
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
)
from .write import claim_id, date_range, mention_id

__all__ = ["Resolver", "Timings"]


# Built once: this runs for every article, and building the statement cost more than running it.
_NEWER_FINGERPRINTS = (
    sa.select(copy_fingerprints)
    .where(copy_fingerprints.c.seq > sa.bindparam("seq"))
    .order_by(copy_fingerprints.c.seq)
)


@dataclass(slots=True)
class Timings:
    """Seconds spent grouping copies and resolving incidents in this process."""

    copies: float = 0.0
    resolution: float = 0.0
    articles: int = 0


@dataclass(slots=True)
class _Known:
    """What this process has read or written of the store's resolution state. Entries are
    loaded on first use; the whole cache is dropped when another process wrote."""

    links: dict[str, set[str]] = field(default_factory=dict)
    incident_of: dict[str, str] = field(default_factory=dict)
    members: dict[str, frozenset[str]] = field(default_factory=dict)
    partners: dict[str, set[str]] = field(default_factory=dict)
    group_of: dict[str, tuple[str, ...]] = field(default_factory=dict)
    claims: dict[str, list[tuple[str | None, ClaimInfo]]] = field(default_factory=dict)
    sole: dict[str, str | None] = field(default_factory=dict)


@dataclass(slots=True)
class Resolver:
    """Per-process state: the LSH index of stored fingerprints, the pair decisions and
    mentions already read (all only ever grow, so they stay valid), and a cache of links,
    groups and incidents that is dropped whenever another process has written."""

    index: CopyIndex = field(default_factory=CopyIndex)
    last_seq: int = 0
    decisions: dict[tuple[str, str], Decision] = field(default_factory=dict)
    mentions: dict[str, MentionInfo] = field(default_factory=dict)
    known: _Known = field(default_factory=_Known)
    timings: Timings = field(default_factory=Timings)
    candidates: CandidateIndex | None = None

    def update(self, conn: sa.Connection, article_id: str, saved: Saved | None = None) -> None:
        """Regroup the copies and re-resolve the incidents an article touches. ``saved``
        is what was just written for it (read back from the store when None)."""
        start = time.perf_counter()
        if saved is None:
            saved = _read_saved(conn, article_id)
            if saved is None:
                return
        regrouped = self._group_copies(conn, saved)
        middle = time.perf_counter()
        self._resolve(conn, saved, regrouped)
        self.timings.copies += middle - start
        self.timings.resolution += time.perf_counter() - middle
        self.timings.articles += 1

    def forget(self) -> None:
        """Drop the cached links, groups, incidents and candidate index (after a failed
        transaction, whose writes they may hold)."""
        self.known = _Known()
        self.candidates = None

    def _candidate_index(self, conn: sa.Connection) -> CandidateIndex:
        if self.candidates is None:
            self.candidates = CandidateIndex.load(conn)
        return self.candidates

    # -- copy groups -------------------------------------------------------------------

    def _refresh_index(self, conn: sa.Connection) -> None:
        """Add the fingerprints stored since the index was last read (other processes');
        when there are any, the cached state may be stale and is dropped."""
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
        self._refresh_index(conn)
        fp = fingerprint(article_id, saved.text, saved.published)
        links = self.index.links(fp)
        # The index was just brought up to the newest stored row, inside this transaction.
        self.last_seq += 1
        self.index.add(fp)
        conn.execute(copy_fingerprints.insert().values(_fingerprint_row(fp, self.last_seq)))
        self.known.partners[article_id] = set()
        if not links:
            conn.execute(copy_members.insert().values(article_id=article_id, group_id=article_id))
            self.known.group_of[article_id] = (article_id,)
            return {article_id}
        conn.execute(
            copy_links.insert(),
            [{"article_a": x.a, "article_b": x.b, "kind": x.kind, "score": x.score} for x in links],
        )
        for x in links:
            other = x.b if x.a == article_id else x.a
            self._partners(conn, [other])
            self.known.partners[other].add(article_id)
            self.known.partners[article_id].add(other)
        return self._regroup(conn, article_id)

    def _partners(self, conn: sa.Connection, article_ids: Iterable[str]) -> set[str]:
        """Return the articles directly linked as copies to any of ``article_ids``."""
        ids = set(article_ids)
        missing = sorted(a for a in ids if a not in self.known.partners)
        if missing:
            for a in missing:
                self.known.partners[a] = set()
            stmt = sa.select(copy_links.c.article_a, copy_links.c.article_b).where(
                sa.or_(copy_links.c.article_a.in_(missing), copy_links.c.article_b.in_(missing))
            )
            for a, b in conn.execute(stmt):
                if a in self.known.partners:
                    self.known.partners[a].add(b)
                if b in self.known.partners:
                    self.known.partners[b].add(a)
        return {p for a in ids for p in self.known.partners[a]} - ids

    def _regroup(self, conn: sa.Connection, article_id: str) -> set[str]:
        """Recompute the copy group holding ``article_id``; return its members."""
        component, frontier = {article_id}, {article_id}
        while frontier:
            frontier = self._partners(conn, frontier) - component
            component |= frontier
        ids = sorted(component)
        published = {a: self._published(conn, a) for a in ids}
        pairs = {_pair(a, b) for a in ids for b in self.known.partners[a]}
        found = [CopyLink(a, b, "near_duplicate", 1.0) for a, b in sorted(pairs)]
        (group,) = copy_groups(ids, found, published)
        conn.execute(copy_members.delete().where(copy_members.c.article_id.in_(ids)))
        conn.execute(copy_members.insert(), [{"article_id": a, "group_id": group[0]} for a in ids])
        for a in ids:
            self.known.group_of[a] = group
        return component

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
        if found is None:
            copied = b.article_id in self.known.partners.get(a.article_id, ())
            found = decide(a, b, copy_linked=copied)
            self.decisions[key] = found
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
        missing = sorted(i for i in wanted if i not in self.known.links)
        if missing:
            for i in missing:
                self.known.links[i] = set()
            stmt = sa.select(mention_links.c.mention_id, mention_links.c.other_id).where(
                mention_links.c.mention_id.in_(missing)
            )
            for a, b in conn.execute(stmt):
                self.known.links[a].add(b)
        return {o for i in wanted for o in self.known.links[i]}

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
            self.known.claims[article_id] = list(saved.claims)
            self.known.sole[article_id] = _sole_of(new)
        self.mentions.update((m.id, m) for m in new)
        copied = self._partners(conn, [article_id])
        index = self._candidate_index(conn)
        rows: list[dict[str, Any]] = []
        for m in new:
            self.known.links[m.id] = set()
            if m.fields.get("background"):
                continue
            for other in self._cached(conn, index.candidates(m, copied)):
                d = self._decide(m, other)
                if d.merge:
                    rows += [_link_row(m.id, other.id, d), _link_row(other.id, m.id, d)]
                    self._links(conn, [other.id])
                    self.known.links[other.id].add(m.id)
                    self.known.links[m.id].add(other.id)
        if rows:
            conn.execute(mention_links.insert(), rows)
        index.add(entry_of(m) for m in new if not m.fields.get("background"))
        component = self._component(conn, [m.id for m in new])
        self._rewrite(conn, component, {m.id for m in new}, regrouped)

    def _incidents_of(self, conn: sa.Connection, ids: set[str]) -> dict[str, str]:
        """Return the incident each of these mentions is in now (if any), caching the
        members of those incidents."""
        missing = sorted(i for i in ids if i not in self.known.incident_of)
        if missing:
            stmt = sa.select(incident_members.c.incident_id).where(
                incident_members.c.mention_id.in_(missing)
            )
            unknown = sorted(set(conn.execute(stmt).scalars()) - set(self.known.members))
            if unknown:
                every: dict[str, set[str]] = defaultdict(set)
                stmt2 = sa.select(
                    incident_members.c.incident_id, incident_members.c.mention_id
                ).where(incident_members.c.incident_id.in_(unknown))
                for iid, mid in conn.execute(stmt2):
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

    def _rewrite(
        self, conn: sa.Connection, mention_ids: set[str], fresh: set[str], regrouped: set[str]
    ) -> None:
        """Re-cluster a connected component and rewrite the incidents that changed."""
        members = self._cached(conn, mention_ids)
        foreground = [m for m in members if not m.fields.get("background")]
        clusters = cluster(foreground, self._decide)
        clusters += [[m] for m in members if m.fields.get("background")]
        previous = self._incidents_of(conn, mention_ids)
        changed = [
            c
            for c in clusters
            if not self._unchanged(c, previous, fresh) or any(m.article_id in regrouped for m in c)
        ]
        if not changed:
            return
        gone = sorted({previous[m.id] for c in changed for m in c if m.id in previous})
        if gone:
            conn.execute(incidents.delete().where(incidents.c.id.in_(gone)))
            for iid in gone:
                for mid in self.known.members.pop(iid, frozenset()):
                    self.known.incident_of.pop(mid, None)
        now = dt.datetime.now(dt.UTC)
        merged = [self._merged(conn, c) for c in changed]
        _write_incidents(conn, merged, previous, now)
        for inc in merged:
            ids = frozenset(m.id for m in inc.members)
            self.known.members[inc.id] = ids
            for i in ids:
                self.known.incident_of[i] = inc.id

    def _ledger(self, conn: sa.Connection, arts: set[str]) -> None:
        missing = sorted(a for a in arts if a not in self.known.claims)
        if missing:
            found = _claims(conn, missing)
            sole = _sole_mentions(conn, missing)
            for a in missing:
                self.known.claims[a] = found.get(a, [])
                self.known.sole[a] = sole.get(a)

    def _groups(self, conn: sa.Connection, arts: set[str]) -> None:
        missing = sorted(a for a in arts if a not in self.known.group_of)
        if missing:
            self.known.group_of.update(_groups(conn, missing))

    def _merged(self, conn: sa.Connection, members: list[MentionInfo]) -> MergedIncident:
        ids = {m.id for m in members}
        arts = {m.article_id for m in members}
        self._ledger(conn, arts)
        self._groups(conn, arts)
        claims_of = [
            c
            for a in sorted(arts)
            for mid, c in self.known.claims[a]
            if (mid in ids) or (mid is None and self.known.sole[a] in ids)
        ]
        member_groups = sorted(
            {tuple(x for x in self.known.group_of[a] if x in arts) for a in arts}
        )
        lead = min(members, key=lambda m: (m.published or dt.date.max, m.article_id, m.id))
        decisions = [
            {"mention": m.id, "with": lead.id, **self._decide(m, lead).to_dict()}
            for m in members
            if m.id != lead.id
        ]
        return merge(members, claims_of, member_groups, decisions, with_sources=False)


@dataclass(frozen=True, slots=True)
class Saved:
    """What was stored for one article, as resolution needs it. ``claims`` None means
    "read them from the store when needed"."""

    article_id: str
    text: str
    published: dt.date | None
    mentions: tuple[MentionInfo, ...]
    claims: tuple[tuple[str | None, ClaimInfo], ...] | None = None


def saved_of(article_id: str, extraction: Extraction, published: dt.date | None) -> Saved:
    """Return the Saved view of an extraction just written by ``write.save``."""
    stored = {m.index for m in extraction.mentions}
    infos = tuple(
        MentionInfo(mention_id(article_id, m.index), article_id, published, m.to_dict())
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
    return Saved(article_id, extraction.article.text, published, infos, claims)


def _read_saved(conn: sa.Connection, article_id: str) -> Saved | None:
    row = conn.execute(
        sa.select(articles.c.text, articles.c.published).where(articles.c.id == article_id)
    ).first()
    if row is None:
        return None
    found = tuple(_mentions(conn, mentions.c.article_id == article_id))
    return Saved(article_id, row.text, row.published, found)


def _sole_of(found: Sequence[MentionInfo]) -> str | None:
    """Return the only foreground mention of an article, None when it has 0 or several."""
    foreground = [m.id for m in found if not m.fields.get("background")]
    return foreground[0] if len(foreground) == 1 else None


def _link_row(a: str, b: str, d: Decision) -> dict[str, Any]:
    return {"mention_id": a, "other_id": b, "score": d.score, "reasons": list(d.reasons)}


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
        "anchors": sorted(fp.anchors),
    }


def _fingerprint_of_row(r: RowMapping) -> Fingerprint:
    return Fingerprint(
        article_id=r["article_id"],
        published=r["published"],
        text_hashes=np.frombuffer(r["text_hashes"], dtype=np.uint64),
        text_size=r["text_size"],
        skeleton_hashes=np.frombuffer(r["skeleton_hashes"], dtype=np.uint64),
        skeleton_size=r["skeleton_size"],
        anchors=frozenset(r["anchors"] or ()),
    )


def _groups(conn: sa.Connection, article_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Return, per article, the members of its copy group (original first)."""
    ids = sorted(set(article_ids))
    gid_stmt = sa.select(copy_members.c.article_id, copy_members.c.group_id).where(
        copy_members.c.article_id.in_(ids)
    )
    gid = {a: g for a, g in conn.execute(gid_stmt)}
    stmt = (
        sa.select(copy_members.c.group_id, copy_members.c.article_id)
        .where(copy_members.c.group_id.in_(sorted(set(gid.values()))))
        .order_by(copy_members.c.article_id)
    )
    members: dict[str, list[str]] = defaultdict(list)
    for g, a in conn.execute(stmt):
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
        MentionInfo(r.id, r.article_id, r.published, r.fields or {}) for r in conn.execute(stmt)
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
        info = ClaimInfo(
            id=r["id"],
            article_id=r["article_id"],
            published=r["published"],
            kind=r["kind"],
            speaker=r["speaker"],
            party=r["party"],
            hedged=bool(r["hedged"]),
            sentence=r["sentence"],
            evidence={"start": r["start_char"], "end": r["end_char"], "text": r["text"]},
        )
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
    return {aid: first for aid, first, n in conn.execute(fg) if n == 1}


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
        "date_inferred": sorted(date.inferred),
        "date_start": start,
        "date_end": end,
    }


def _incident_row(inc: MergedIncident, now: dt.datetime) -> dict[str, Any]:
    f = dict(inc.fields)
    place = f.get("place") or {}
    killed, wounded = f.get("killed") or {}, f.get("wounded") or {}
    return {
        "id": inc.id,
        "article_id": inc.lead.article_id,
        "stage": f.get("stage") or "accomplished",
        "background": bool(f.get("background")),
        "attack_types": f.get("attack_types") or ["unknown"],
        "weapons": f.get("weapons") or [],
        **_date_parts(f),
        "venue": place.get("venue"),
        "city": place.get("city"),
        "admin1": place.get("admin1"),
        "country": (place.get("country") or "").upper() or None,
        "lat": place.get("lat"),
        "lon": place.get("lon"),
        "precision": place.get("precision") or 5,
        "target_type": f.get("target_type"),
        "killed_min": killed.get("min"),
        "killed_max": killed.get("max"),
        "killed_qualifier": killed.get("qualifier"),
        "wounded_min": wounded.get("min"),
        "wounded_max": wounded.get("max"),
        "wounded_qualifier": wounded.get("qualifier"),
        "perpetrators": f.get("perpetrators") or [],
        "attribution": f.get("attribution"),
        "fields": {**f, "attack_types": f.get("attack_types") or ["unknown"]},
        "confidence": float(f.get("confidence") or 0.0),
        "sources": inc.independent_sources,
        "attribution_status": inc.status,
        "detail": inc.detail(),
        "resolved_at": now,
    }


def _write_incidents(
    conn: sa.Connection,
    merged: Sequence[MergedIncident],
    previous: dict[str, str],
    now: dt.datetime,
) -> None:
    """Insert incidents with their members and attack types; log members that moved."""
    conn.execute(incidents.insert(), [_incident_row(inc, now) for inc in merged])
    conn.execute(
        incident_members.insert(),
        [{"mention_id": m.id, "incident_id": inc.id} for inc in merged for m in inc.members],
    )
    conn.execute(
        incident_attack_types.insert(),
        [
            {"incident_id": inc.id, "attack_type": t}
            for inc in merged
            for t in dict.fromkeys(inc.fields.get("attack_types") or ["unknown"])
        ],
    )
    for inc in merged:
        _log_moves(conn, inc, previous, now)


def _log_moves(
    conn: sa.Connection, inc: MergedIncident, previous: dict[str, str], now: dt.datetime
) -> None:
    """Log each member that was in another incident before (a merge or a split)."""
    reasons = {d["mention"]: d for d in inc.decisions}
    rows = []
    for m in inc.members:
        before = previous.get(m.id)
        if before is None or before == inc.id:
            continue
        d = reasons.get(m.id, {"merge": True, "reasons": ["lead of the incident"]})
        rows.append(
            {
                "at": now,
                "mention_id": m.id,
                "previous_incident": before,
                "incident_id": inc.id,
                "decision": "merged" if len(inc.members) > 1 else "split",
                "reasons": d["reasons"],
            }
        )
    if rows:
        conn.execute(resolution_log.insert(), rows)
