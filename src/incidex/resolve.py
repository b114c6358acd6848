"""Incident resolution: which mentions, from different articles, report the same attack, and
what the merged incident says.

``decide(a, b)`` judges one pair of mentions from the two alone (symmetric, so arrival order
cannot change it): a conflict (dates apart, other country, other city, other venue, disjoint
methods, tolls that cannot belong together) keeps them apart; otherwise shared evidence
(copy link, same day, same city, same venue, shared names, same method) scores the merge.

``cluster(mentions, decide)`` groups a connected set of mentions deterministically: mentions
are taken most-informative first (then by id), and each joins the cluster it scores best
with, provided it conflicts with no member. The store recomputes the whole connected
component when an article arrives, so the result is the same in any arrival order, and a
merge made on thin evidence is undone when a later mention splits it.

``merge(...)`` returns the incident: each field's chosen value with the rule that chose it and
every source value with its evidence, the toll history, the claims ledger and the
attribution status. The fields come from a ``Tally`` of the members' votes, which a new
member is added to without the others being counted again; every tie is broken by report
order, so the fields do not depend on the order members were added in.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from .data import load_data
from .extract.actors import alias_key, is_case_exact
from .gazetteer import gazetteer, normalize_name
from .models import Count, PartialDate, Place

__all__ = [
    "AttributionStatus",
    "ClaimInfo",
    "Decision",
    "MentionInfo",
    "MergedIncident",
    "Tally",
    "attribution_status",
    "claims_ledger",
    "cluster",
    "decide",
    "decision_key",
    "joined_cluster",
    "merge",
    "source_values",
    "toll_entries",
]

AttributionStatus = Literal["claimed", "established", "disputed", "suspected", "unknown"]

_WORD = re.compile(r"\w+")

# Score a pair needs, with no conflict, to be called one attack.
MERGE_SCORE = 3.5
# Two places this close (km) are one place.
NEAR_KM = 25.0
# Days of slack between written dates (time zones, "last night"), and between dates one of
# which was inferred from a publication date.
DATE_SLACK = 1
INFERRED_SLACK = 3
# Reports often date an attack by the day of a statement about it ("officials said on
# Friday"), so dates this many days apart only part mentions that share no venue.
SOFT_DATE_GAP = 7
# An undated mention happened at most this many days before its article was published.
UNDATED_WINDOW = 10
# Tolls of one attack rise, but not by this factor (plus this margin) between reports.
TOLL_RATIO = 8
TOLL_MARGIN = 5


@lru_cache(maxsize=1)
def _data() -> Mapping[str, Any]:
    data: Mapping[str, Any] = load_data("resolution.json")
    return data


@dataclass(frozen=True, slots=True)
class MentionInfo:
    """A stored mention as resolution sees it: its fields (``Mention.to_dict`` shape,
    evidence included) plus the publication date of its article. The typed views of the
    fields are built once: every pair decision and every merge reads them."""

    id: str
    article_id: str
    published: dt.date | None
    fields: Mapping[str, Any]
    _date: PartialDate | None = field(init=False, repr=False, compare=False)
    _place: Place = field(init=False, repr=False, compare=False)
    _killed: Count | None = field(init=False, repr=False, compare=False)
    _wounded: Count | None = field(init=False, repr=False, compare=False)
    # The names (by field) and distinct values (by field and " distinct") worked out so
    # far: one dictionary, one object fewer per mention for the garbage collector.
    _views: dict[str, Any] = field(init=False, repr=False, compare=False)
    _date_choice: tuple[int, int, tuple[int | None, ...], str] | None = field(
        init=False, repr=False, compare=False
    )
    _attack_types: frozenset[str] = field(init=False, repr=False, compare=False)
    _window: tuple[dt.date, dt.date, bool] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        f = self.fields
        d = f.get("date")
        date = (
            _partial_date(d.get("year"), d.get("month"), d.get("day"), tuple(d["inferred"]))
            if d
            else None
        )
        p = f.get("place") or {}
        place = _place(
            *(p.get(k) for k in ("venue", "city", "admin1", "country", "lat", "lon")),
            p.get("precision") or 5,
        )
        object.__setattr__(self, "_date", date)
        object.__setattr__(self, "_place", place)
        object.__setattr__(self, "_killed", _count_of(f.get("killed")))
        object.__setattr__(self, "_wounded", _count_of(f.get("wounded")))
        object.__setattr__(self, "_views", {})
        object.__setattr__(
            self,
            "_date_choice",
            (*_date_rank(date), (date.year, date.month, date.day), date.iso() or "")
            if date and date.year is not None
            else None,
        )
        object.__setattr__(self, "_attack_types", _attack_types(tuple(f.get("attack_types") or ())))
        object.__setattr__(self, "_window", _window_of(date, self.published))

    @property
    def date(self) -> PartialDate | None:
        return self._date

    @property
    def place(self) -> Place:
        return self._place

    def count(self, name: str) -> Count | None:
        if name == "killed":
            return self._killed
        if name == "wounded":
            return self._wounded
        return _count_of(self.fields.get(name))

    def names(self, name: str) -> frozenset[str]:
        found: frozenset[str] | None = self._views.get(name)
        if found is None:
            values = tuple(self.fields.get(name) or ())
            # Shared only for lists of strings: 1 and 1.0 are one key of the cache.
            shared = all(type(v) is str for v in values)
            found = _name_keys(values) if shared else _name_keys.__wrapped__(values)
            self._views[name] = found
        return found

    def target_names(self) -> frozenset[str]:
        """Return the keys of the targets and victims named (compared in every decision)."""
        found: frozenset[str] | None = self._views.get(" targets or victims")
        if found is None:
            found = self._views[" targets or victims"] = _union(
                self.names("targets"), self.names("victims")
            )
        return found

    def distinct_lists(self) -> tuple[tuple[Any, ...], ...]:
        """Return the distinct values of every list field (``_LIST_FIELDS``, in that order),
        each in its order: one vote each when incidents are merged, and a mention is merged
        again every time its incident grows."""
        found: tuple[tuple[Any, ...], ...] | None = self._views.get(" distinct")
        if found is None:
            fields = self.fields
            found = tuple(tuple(dict.fromkeys(fields.get(n) or ())) for n in _LIST_FIELDS)
            self._views[" distinct"] = found
        return found

    @property
    def attack_types(self) -> frozenset[str]:
        return self._attack_types

    def informativeness(self) -> int:
        """Return how many fields the mention fills (richer mentions lead clusters)."""
        p = self.place
        filled = [
            self.date is not None and self.date.day is not None,
            p.city is not None,
            p.venue is not None,
            bool(self.attack_types),
            self.count("killed") is not None,
            bool(self.names("perpetrators")),
        ]
        return sum(filled)


# The resolver keeps every mention it has read, and the garbage collector goes over every
# object they hold again and again as the store grows: mentions share one object per
# value for their typed views (most hold no names, few distinct tolls, dates and places
# recur across the reports of one attack) instead of each holding copies.
_NONE: frozenset[str] = frozenset()


@lru_cache(maxsize=4096)
def _name_keys(values: tuple[Any, ...]) -> frozenset[str]:
    """Return the keys of a list of names, one set per distinct list (sets are objects
    the garbage collector goes over however long they are kept)."""
    return frozenset(k for v in values if (k := _key(v))) or _NONE


@lru_cache(maxsize=4096)
def _union(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    return a | b or _NONE


# The values below are a stored mention's JSON as read back, kept as they are (an equal
# float for an int, say): typed as what they are, any JSON value.
@lru_cache(maxsize=4096, typed=True)
def _count(low: Any, high: Any, qualifier: Any) -> Count:
    return Count(low, high, qualifier)


@lru_cache(maxsize=4096, typed=True)
def _partial_date(year: Any, month: Any, day: Any, inferred: tuple[Any, ...]) -> PartialDate:
    return PartialDate(year, month, day, frozenset(inferred) or _NONE)


@lru_cache(maxsize=4096, typed=True)
def _place(
    venue: Any, city: Any, admin1: Any, country: Any, lat: Any, lon: Any, precision: Any
) -> Place:
    return Place(venue, city, admin1, country, lat, lon, precision)


@lru_cache(maxsize=1024, typed=True)
def _attack_types(types: tuple[str, ...]) -> frozenset[str]:
    return frozenset(types) - {"unknown"} or _NONE


def _count_of(c: Mapping[str, Any] | None) -> Count | None:
    """Return the Count a stored toll dict states, None when it gives no minimum."""
    if not c or c.get("min") is None:
        return None
    return _count(c["min"], c.get("max"), c.get("qualifier"))


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether two mentions report one attack, with the score and the reasons."""

    merge: bool
    score: float
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"merge": self.merge, "score": self.score, "reasons": list(self.reasons)}


def _key(text: Any) -> str:
    return " ".join(str(text or "").casefold().replace("the ", " ").split())


@lru_cache(maxsize=1)
def _group_aliases() -> dict[str, str]:
    """Return the canonical group name per alias key, keyed as ``extract.actors`` keys
    them (case kept for acronyms, else case-blind)."""
    data = load_data("groups.json")
    ambiguous = frozenset(str(a) for a in data["ambiguous"])
    by_alias: dict[str, str] = {}
    for group in data["groups"]:
        canonical = str(group["name"])
        for alias in [canonical, *(str(a) for a in group["aliases"])]:
            by_alias.setdefault(alias_key(alias, is_case_exact(alias, ambiguous)), canonical)
    return by_alias


def _known_group(name: str) -> str | None:
    """Return the canonical name of the known group that ``name`` is, or contains (the
    longest run of words naming one), else None. A dictionary lookup per word run: the
    extractor's alias regex costs more to compile than resolving a thousand articles."""
    by_alias = _group_aliases()
    words = _WORD.findall(name)
    for n in range(len(words), 0, -1):
        for i in range(len(words) - n + 1):
            run = " ".join(words[i : i + n])
            found = by_alias.get(alias_key(run, True)) or by_alias.get(alias_key(run, False))
            if found is not None:
                return found
    return None


@lru_cache(maxsize=8192)
def _party_key(text: Any) -> str:
    """Return one key for every name of a known group ("TTP" and "Tehrik-i-Taliban
    Pakistan" are one party), else the plain key."""
    name = str(text or "")
    return _key(_known_group(name) or name) if name else ""


def date_range(date: PartialDate | None) -> tuple[dt.date, dt.date] | None:
    """Return the first and last day a partial date can mean, None when it has no year
    or its parts do not form a calendar date."""
    if date is None or date.year is None:
        return None
    try:
        if date.month is None:
            return dt.date(date.year, 1, 1), dt.date(date.year, 12, 31)
        if date.day is None:
            last = calendar.monthrange(date.year, date.month)[1]
            return dt.date(date.year, date.month, 1), dt.date(date.year, date.month, last)
        day = dt.date(date.year, date.month, date.day)
    except ValueError:
        return None
    return day, day


def _window_of(
    d: PartialDate | None, published: dt.date | None
) -> tuple[dt.date, dt.date, bool] | None:
    """Return the days an attack dated ``d`` and reported on ``published`` can fall on,
    and whether that is inferred."""
    span = date_range(d)
    if span is not None and d is not None:
        return span[0], span[1], bool(d.inferred)
    if published is not None:
        return published - dt.timedelta(days=UNDATED_WINDOW), published, True
    return None


def _window(m: MentionInfo) -> tuple[dt.date, dt.date, bool] | None:
    """Return the days the mention's attack can fall on and whether that is inferred."""
    return m._window


def window(m: MentionInfo) -> tuple[dt.date, dt.date] | None:
    """Return the days (with slack) in which another mention of this attack is dated."""
    w = _window(m)
    if w is None:
        return None
    slack = dt.timedelta(days=INFERRED_SLACK)
    return w[0] - slack, w[1] + slack


def _date_gap(a: MentionInfo, b: MentionInfo) -> tuple[int, bool] | None:
    """Return the days between two mentions' date windows (0 when they overlap) and
    whether either window is inferred; None when either is unknown."""
    wa, wb = _window(a), _window(b)
    if wa is None or wb is None:
        return None
    gap = max((wa[0] - wb[1]).days, (wb[0] - wa[1]).days, 0)
    return gap, wa[2] or wb[2]


def _date_evidence(a: MentionInfo, b: MentionInfo) -> tuple[float, str | None, str | None]:
    """Return (score, reason, conflict) of two mentions' dates; a conflict is "hard" when
    the gap exceeds SOFT_DATE_GAP and "soft" otherwise."""
    found = _date_gap(a, b)
    if found is None:
        return 0.0, None, None
    gap, inferred = found
    if gap > (INFERRED_SLACK if inferred else DATE_SLACK):
        return 0.0, f"dates {gap} days apart", "hard" if gap > SOFT_DATE_GAP else "soft"
    da, db = a.date, b.date
    if da is None or db is None:
        return 0.5, "dates compatible with publication", None
    if gap == 0 and da.day is not None and da == db and not inferred:
        return 2.0, f"same day ({da.iso()})", None
    if da.day is not None and db.day is not None and not inferred:
        return 1.5, f"dates {gap} day(s) apart", None
    return 1.0, "compatible dates", None


@lru_cache(maxsize=4096)
def _city_spots(name: str) -> frozenset[tuple[str, float, float]]:
    """Return the gazetteer entries a city name can mean, as (country, lat, lon)."""
    return frozenset(
        (c.country, round(c.lat, 1), round(c.lon, 1)) for c in gazetteer().cities(name)[:5]
    )


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _near(a: Place, b: Place) -> bool | None:
    """Return whether two places' coordinates are within NEAR_KM, None when unknown."""
    if None in (a.lat, a.lon, b.lat, b.lon) or max(a.precision, b.precision) > 2:
        return None
    if a.lat == b.lat and a.lon == b.lon:
        # One gazetteer entry: most pairs compared name the same city.
        return True
    return _km(a.lat or 0.0, a.lon or 0.0, b.lat or 0.0, b.lon or 0.0) <= NEAR_KM


@lru_cache(maxsize=16384)
def same_city(a: str, b: str) -> bool:
    """Return whether two city names name one place (spelling variants via the gazetteer)."""
    if normalize_name(a) == normalize_name(b):
        return True
    return bool(_city_spots(a) & _city_spots(b))


@lru_cache(maxsize=16384)
def _venue_words(venue: str) -> frozenset[str]:
    generic = frozenset(_data()["generic_venue_words"])
    return frozenset(w for w in _WORD.findall(venue.casefold()) if w not in generic)


def _shares_venue(place_reasons: Sequence[str]) -> bool:
    return any(r.startswith("same venue") for r in place_reasons)


@lru_cache(maxsize=65536)
def _place_evidence(a: Place, b: Place) -> tuple[float, tuple[str, ...], str | None]:
    """Return (score, reasons, conflict) of two places. Cached: a place is one of few per
    attack, and every pair decision weighs two of them."""
    if a.country and b.country and a.country.upper() != b.country.upper():
        return 0.0, (), f"other country ({a.country} vs {b.country})"
    score: float = 0.0
    reasons: list[str] = []
    near = _near(a, b)
    if a.city and b.city:
        if same_city(a.city, b.city) or near:
            score, reasons = 2.0, [f"same city ({a.city} / {b.city})"]
        else:
            return 0.0, (), f"other city ({a.city} vs {b.city})"
    elif near:
        score, reasons = 1.5, ["places within 25 km"]
    elif a.country and b.country:
        score, reasons = 0.5, [f"same country ({a.country})"]
    if a.venue and b.venue:
        wa, wb = _venue_words(a.venue), _venue_words(b.venue)
        if wa and wb and not wa & wb:
            return 0.0, (), f"other venue ({a.venue} vs {b.venue})"
        if wa & wb:
            score += 2.0
            reasons.append(f"same venue ({a.venue} / {b.venue})")
    return score, tuple(reasons), None


def _toll_conflict(a: MentionInfo, b: MentionInfo) -> str | None:
    for name, ca, cb in (("killed", a._killed, b._killed), ("wounded", a._wounded, b._wounded)):
        if ca is None or cb is None or ca.min is None or cb.min is None:
            continue
        low, high = sorted((ca.min, cb.min))
        if high > TOLL_RATIO * low + TOLL_MARGIN:
            return f"{name} tolls too far apart ({low} vs {high})"
    return None


def _toll_evidence(a: MentionInfo, b: MentionInfo) -> tuple[float, str | None]:
    ca, cb = a._killed, b._killed
    if ca is None or cb is None:
        return 0.0, None
    if ca.min == cb.min:
        return 1.0, f"same killed figure ({ca.min})"
    return 0.5, "compatible killed figures"


def _names_evidence(a: MentionInfo, b: MentionInfo) -> tuple[float, list[str]]:
    score, reasons = 0.0, []
    shared = a.names("perpetrators") & b.names("perpetrators")
    if shared:
        score += 1.5
        reasons.append(f"shared perpetrators ({', '.join(sorted(shared))})")
    targets = a.target_names() & b.target_names()
    if targets:
        score += 1.0
        reasons.append(f"shared targets ({', '.join(sorted(targets))})")
    return score, reasons


def decide(a: MentionInfo, b: MentionInfo, copy_linked: bool = False) -> Decision:
    """Return whether mentions ``a`` and ``b`` report one attack. Symmetric in a and b."""
    if a.id > b.id:
        a, b = b, a
    if a.article_id == b.article_id:
        # The extractor already told the attacks of one article apart.
        return Decision(False, 0.0, ("apart: two attacks of one article",))
    date_score, date_reason, date_conflict = _date_evidence(a, b)
    if date_conflict == "hard":
        return Decision(False, 0.0, (f"apart: {date_reason}",))
    place_score, place_reasons, place_conflict = _place_evidence(a.place, b.place)
    if place_conflict:
        return Decision(False, 0.0, (f"apart: {place_conflict}",))
    if date_conflict == "soft" and not (copy_linked or _shares_venue(place_reasons)):
        return Decision(False, 0.0, (f"apart: {date_reason}, no shared venue",))
    if date_conflict == "soft":
        date_score, date_reason = 1.0, f"{date_reason}, same venue"
    types_a, types_b = a.attack_types, b.attack_types
    if types_a and types_b and not types_a & types_b:
        methods = f"{'/'.join(sorted(types_a))} vs {'/'.join(sorted(types_b))}"
        return Decision(False, 0.0, (f"apart: other method ({methods})",))
    toll_conflict = _toll_conflict(a, b)
    if toll_conflict:
        return Decision(False, 0.0, (f"apart: {toll_conflict}",))
    score, reasons = date_score + place_score, [*place_reasons]
    if date_reason:
        reasons.insert(0, date_reason)
    if copy_linked:
        score += 3.0
        reasons.append("articles are copies of one story")
    if types_a & types_b:
        score += 1.0
        reasons.append(f"same method ({', '.join(sorted(types_a & types_b))})")
    toll_score, toll_reason = _toll_evidence(a, b)
    names_score, names_reasons = _names_evidence(a, b)
    score += toll_score + names_score
    reasons += ([toll_reason] if toll_reason else []) + names_reasons
    dated = date_score >= 1.0 or copy_linked
    merge = dated and score >= MERGE_SCORE
    return Decision(merge, round(score, 2), tuple(reasons))


def decision_key(m: MentionInfo) -> tuple[Any, ...]:
    """Return everything ``decide`` reads of a mention but its ids and article: two pairs
    of mentions from two articles each, taken in id order, whose keys are equal and whose
    copy link is the same get the same decision. Reports of one attack share most of
    these values, so a caller can decide a pair once per distinct pair of keys."""
    return (
        m._window,
        m.date,
        m.place,
        m.attack_types,
        m._killed,
        m._wounded,
        m.names("perpetrators"),
        m.target_names(),
    )


DecideFn = Callable[[MentionInfo, MentionInfo], Decision]


def cluster(mentions: Iterable[MentionInfo], decide_pair: DecideFn) -> list[list[MentionInfo]]:
    """Return the mentions grouped into incidents, independent of the input order: richer
    mentions are placed first, each joining the cluster it scores best with among those
    it has a merge with and no conflict with."""
    unique = {m.id: m for m in mentions}.values()
    ordered = sorted(unique, key=lambda m: (-m.informativeness(), m.id))
    clusters: list[list[MentionInfo]] = []
    for m in ordered:
        best: tuple[float, int] | None = None
        for i, members in enumerate(clusters):
            decisions = [decide_pair(m, other) for other in members]
            if any(
                not d.merge and d.reasons and d.reasons[0].startswith("apart") for d in decisions
            ):
                continue
            merged = [d.score for d in decisions if d.merge]
            if merged and (best is None or sum(merged) > best[0]):
                best = (sum(merged), i)
        if best is None:
            clusters.append([m])
        else:
            clusters[best[1]].append(m)
    return [sorted(c, key=_report_order) for c in clusters]


def joined_cluster(
    incident: Sequence[MentionInfo], new: MentionInfo, decide_pair: DecideFn
) -> list[MentionInfo] | None:
    """Return what ``cluster`` makes of ``incident`` (mentions it put in one cluster) plus
    ``new`` when ``new`` merges with every member: the one cluster of them all, in report
    order. None when ``new`` does not merge with every member (``cluster`` must decide).

    Exact, not a guess: ``cluster`` never drops a cluster, so one cluster at the end means
    every member joined the first one. With ``new`` merging with all of them, ``new``
    joins that cluster (or starts it), and every member that joined before still finds
    merges and no conflict in it, so the order ``new`` is taken in changes nothing."""
    if not incident or any(not decide_pair(new, m).merge for m in incident):
        return None
    return sorted([*incident, new], key=_report_order)


def _report_order(m: MentionInfo) -> tuple[dt.date, str, str]:
    return (m.published or dt.date.max, m.article_id, m.id)


@dataclass(frozen=True, slots=True)
class ClaimInfo:
    """A claim in an incident's ledger: who said what about whom, where and when."""

    id: str
    article_id: str
    published: dt.date | None
    kind: str
    speaker: str | None
    party: str | None
    hedged: bool
    sentence: str
    evidence: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article_id": self.article_id,
            "published": self.published.isoformat() if self.published else None,
            "kind": self.kind,
            "speaker": self.speaker,
            "party": self.party,
            "hedged": self.hedged,
            "sentence": self.sentence,
            "evidence": dict(self.evidence),
        }


def _party(claim: ClaimInfo) -> str:
    return _key(claim.party or (claim.speaker if claim.kind == "responsibility" else ""))


@lru_cache(maxsize=8192)
def _is_official(speaker: str | None) -> bool:
    words = set(_key(speaker).split())
    return bool(words & set(_data()["official_speakers"]))


def attribution_status(claims: Iterable[Any]) -> AttributionStatus:
    """Return the attribution status of an incident from its claims (objects with ``kind``,
    ``party`` and optionally ``speaker``/``hedged``): ``disputed`` when claims and
    accusations point at different parties or a party pointed at denies it; ``claimed``
    when a group claims it; ``established`` when officials (police, courts,
    prosecutors) state it unhedged with no competing claim; ``suspected`` when one
    party is accused; else ``unknown``."""
    pointed: set[str] = set()
    denied: set[str] = set()
    claimed = official = False
    for c in claims:
        party = _party_key(getattr(c, "party", None))
        if c.kind == "responsibility":
            claimed = True
            pointed.add(party or _party_key(getattr(c, "speaker", None)))
        elif c.kind == "accusation":
            pointed.add(party)
            official |= _is_official(getattr(c, "speaker", None)) and not getattr(
                c, "hedged", False
            )
        elif c.kind == "denial":
            denied.add(party)
    # An unnamed party ("" key) cannot be told apart from a named one, so it never makes
    # two different parties on its own.
    named = pointed - {""}
    if len(named) > 1 or (named & denied) or ("" in denied and pointed):
        return "disputed"
    if claimed:
        return "claimed"
    if pointed:
        return "established" if official else "suspected"
    return "unknown"


@dataclass(frozen=True, slots=True)
class MergedIncident:
    """An incident merged from its mentions: ``fields`` in the ``Mention.to_dict`` shape
    (without evidence), the rule per field in ``rules``, every source value per field in
    ``sources``, ``toll_history`` in time order, the claims ``ledger``, the ``status``, the
    ``articles`` and their ``copy_groups``, and the pair ``decisions`` behind the merge."""

    id: str
    lead: MentionInfo
    members: tuple[MentionInfo, ...]
    fields: Mapping[str, Any]
    rules: Mapping[str, str]
    sources: Mapping[str, list[dict[str, Any]]]
    toll_history: list[dict[str, Any]]
    ledger: list[dict[str, Any]]
    status: AttributionStatus
    articles: tuple[str, ...]
    copy_groups: tuple[tuple[str, ...], ...]
    decisions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def independent_sources(self) -> int:
        """Return how many independent copy groups report the incident."""
        return len(self.copy_groups)

    def detail(self) -> dict[str, Any]:
        """Return what the store keeps beside the fields (JSON-ready). Source values, the
        toll history and the claims ledger are left out: rewritten whenever a report joins
        the incident they would grow with it, and the store rebuilds them from the member
        mentions and their articles' claims when the incident is shown."""
        return {
            "rules": dict(self.rules),
            "articles": list(self.articles),
            "copy_groups": [list(g) for g in self.copy_groups],
            "mentions": [m.id for m in self.members],
            "decisions": self.decisions,
        }


def source_values(members: Sequence[MentionInfo]) -> dict[str, list[dict[str, Any]]]:
    """Return, per field, every member's value with its article and evidence."""
    out: dict[str, list[dict[str, Any]]] = {}
    for m in members:
        ev: Mapping[str, Any] = m.fields.get("evidence") or {}
        for name, facts in ev.items():
            if name == "mention" or not isinstance(facts, list):
                continue
            for f in facts:
                out.setdefault(name, []).append(
                    {
                        "value": f.get("value"),
                        "rule": f.get("rule"),
                        "article_id": m.article_id,
                        "mention_id": m.id,
                        "published": m.published.isoformat() if m.published else None,
                        "evidence": f.get("evidence") or [],
                    }
                )
    return out


def _place_rank(p: Place) -> tuple[int, int]:
    filled = sum(x is not None for x in (p.venue, p.city, p.admin1, p.country, p.lat))
    return (p.precision, -filled)


def _date_rank(d: PartialDate) -> tuple[int, int]:
    parts = sum(x is not None for x in (d.year, d.month, d.day))
    return (-parts, len(d.inferred))


_LIST_FIELDS = (
    "attack_types",
    "weapons",
    "perpetrators",
    "perpetrator_individuals",
    "targets",
    "victims",
    "victim_descriptions",
    "weapon_mentions",
)
_RULES = {
    "date": "date:most_precise_consistent",
    "place": "place:most_specific_consistent",
    "killed": "toll:highest_min_of_most_recent_reports",
    "wounded": "toll:highest_min_of_most_recent_reports",
    **{name: "list:union_most_reported_first" for name in _LIST_FIELDS},
    "target_type": "value:most_reported",
    "stage": "stage:accomplished_if_any_report",
}

# A member's place in report order: the key every tie below is broken by, so the merged
# fields do not depend on the order in which members were added.
_Order = tuple[dt.date, str, str]


@dataclass(slots=True)
class _Best:
    """The member with the smallest key so far among some members, and that key."""

    key: tuple[Any, ...]
    member: MentionInfo

    def offer(self, key: tuple[Any, ...], member: MentionInfo) -> None:
        if key < self.key:
            self.key, self.member = key, member


def _offer(best: dict[Any, _Best], at: Any, key: tuple[Any, ...], member: MentionInfo) -> None:
    found = best.get(at)
    if found is None:
        best[at] = _Best(key, member)
    else:
        found.offer(key, member)


# Votes per value, each with the report order of its first vote (ties go to the value
# reported first). A plain dictionary of plain tuples, which the garbage collector stops
# tracking (an object wrapping it, or a Counter, it never does): the store keeps the
# tallies of its incidents, and each holds a dozen of these.
_Votes = dict[Any, tuple[int, tuple[Any, ...]]]


def _vote(votes: _Votes, value: Any, first: tuple[Any, ...], n: int = 1) -> None:
    found = votes.get(value)
    votes[value] = (n, first) if found is None else (found[0] + n, min(found[1], first))


def _ranked(votes: _Votes) -> list[Any]:
    """Return the values, most voted first, then the first reported first."""
    return sorted(votes, key=lambda v: (-votes[v][0], votes[v][1]))


def _count_vote(counts: dict[Any, int], value: Any) -> None:
    counts[value] = counts.get(value, 0) + 1


@dataclass(slots=True)
class Tally:
    """The running votes behind an incident's merged fields: a report joining an incident
    adds its votes (``add``) instead of the whole incident being merged again. Every
    choice is decided by votes and by report order, so members added in any order give
    the fields ``merge`` gives for all of them at once."""

    # The members in report order, and their report orders: two lists, not one of
    # (order, member) pairs, so that the orders (plain tuples) are left alone by the
    # garbage collector; a pair holding a member it never leaves alone.
    members: list[MentionInfo] = field(default_factory=list)
    orders: list[_Order] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    # date: votes per (year, month, day); the first reported member per date choice.
    day_votes: dict[tuple[int | None, ...], int] = field(default_factory=dict)
    dates: dict[tuple[Any, ...], _Best] = field(default_factory=dict)
    # place: votes per country; per country (None included) the most specific place and
    # the venue votes of its members.
    countries: dict[str, int] = field(default_factory=dict)
    places: dict[str | None, _Best] = field(default_factory=dict)
    venues: dict[str | None, _Votes] = field(default_factory=dict)
    # tolls: per field, the member stating the highest minimum among the latest reports.
    tolls: dict[str, _Best] = field(default_factory=dict)
    lists: dict[str, _Votes] = field(default_factory=lambda: {n: {} for n in _LIST_FIELDS})
    target_types: dict[Any, int] = field(default_factory=dict)
    attributions: dict[Any, int] = field(default_factory=dict)
    accomplished: int = 0
    foreground: int = 0
    confidence: float = -math.inf

    @classmethod
    def of(cls, members: Iterable[MentionInfo]) -> Tally:
        """Return the tally of these mentions."""
        tally = cls()
        for m in members:
            tally.add(m)
        return tally

    def add(self, m: MentionInfo) -> None:
        """Add a member's votes (a no-op for a member already counted)."""
        if m.id in self.ids:
            return
        self.ids.add(m.id)
        order = _report_order(m)
        at = bisect.bisect_right(self.orders, order)
        self.orders.insert(at, order)
        self.members.insert(at, m)
        f = m.fields
        if m._date_choice and m._date:
            _count_vote(self.day_votes, m._date_choice[2])
            _offer(self.dates, m._date_choice, order, m)
        place = m._place
        country = place.country
        if country:
            _count_vote(self.countries, country)
        if f.get("place"):
            _offer(self.places, country, (*_place_rank(place), order), m)
            if place.venue:
                _vote(self.venues.setdefault(country, {}), place.venue, order)
        for name, count in (("killed", m._killed), ("wounded", m._wounded)):
            if count is not None:
                # Latest report first, then the highest minimum, then the highest id.
                key = (-(m.published or dt.date.min).toordinal(), -(count.min or 0), _Desc(m.id))
                _offer(self.tolls, name, key, m)
        lists = self.lists
        for name, values in zip(_LIST_FIELDS, m.distinct_lists(), strict=True):
            if values:
                votes = lists[name]
                for i, value in enumerate(values):
                    _vote(votes, value, (order, i))
        if f.get("target_type"):
            _count_vote(self.target_types, f["target_type"])
        if f.get("attribution"):
            _count_vote(self.attributions, f["attribution"])
        self.accomplished += f.get("stage") == "accomplished"
        self.foreground += not bool(f.get("background"))
        confidence = float(f.get("confidence") or 0.0)
        self.confidence = max(self.confidence, confidence)

    def leads(self, m: MentionInfo) -> bool:
        """Return whether the first member in report order comes before ``m`` (so ``m``
        joining leaves the incident's lead, and its id, as they are)."""
        return bool(self.orders) and self.orders[0] < _report_order(m)

    @property
    def ordered(self) -> list[MentionInfo]:
        """Return the members in report order."""
        return list(self.members)

    def fields(self) -> dict[str, Any]:
        """Return the merged fields (new containers on every call)."""
        lead = self.members[0]
        fields: dict[str, Any] = {
            "date": self._date(),
            "place": self._place(),
            "killed": self._toll("killed"),
            "wounded": self._toll("wounded"),
        }
        for name in _LIST_FIELDS:
            fields[name] = _ranked(self.lists[name])
        if len(fields["attack_types"]) > 1:
            fields["attack_types"] = [t for t in fields["attack_types"] if t != "unknown"]
        fields["target_type"] = _most_voted(self.target_types)
        fields["stage"] = (
            "accomplished" if self.accomplished else lead.fields.get("stage", "accomplished")
        )
        fields["attribution"] = _most_voted(self.attributions)
        fields["background"] = not self.foreground
        fields["confidence"] = self.confidence
        return fields

    def toll_history(self) -> list[dict[str, Any]]:
        """Return every toll the members state, in report order."""
        # Built when asked (the store never asks): kept per member, the entries were most
        # of the objects a tally holds, for the garbage collector to go over again and again.
        return [entry for m in self.members for entry in toll_entries(m)]

    def _date(self) -> dict[str, Any] | None:
        """Return the most precise date, the most reported one among equally precise."""
        if not self.dates:
            return None
        votes = self.day_votes
        _, best = min(
            ((c[0], c[1], -votes[c[2]], c[3], b.key), b.member) for c, b in self.dates.items()
        )
        date = best.date
        return date.to_dict() if date is not None else None

    def _place(self) -> dict[str, Any]:
        """Return the most specific place consistent with the most reported country."""
        countries = self.countries
        country = min(countries, key=lambda c: (-countries[c], c)) if countries else None
        fits = [x for x in dict.fromkeys([None, country]) if x in self.places]
        if not fits:
            return Place().to_dict()
        best = min((self.places[x] for x in fits), key=lambda b: b.key).member
        place = dict(best.fields["place"])
        if place.get("venue") is None:
            venues: _Votes = {}
            for x in fits:
                for venue, (n, first) in self.venues.get(x, {}).items():
                    _vote(venues, venue, first, n)
            ranked = _ranked(venues)
            if ranked:
                place["venue"] = ranked[0]
        return place

    def _toll(self, name: str) -> dict[str, Any]:
        """Return the highest minimum stated by the most recent reports that give one."""
        best = self.tolls.get(name)
        if best is None:
            return Count().to_dict()
        return (best.member.count(name) or Count()).to_dict()


@dataclass(frozen=True, slots=True)
class _Desc:
    """A string that sorts in reverse (the highest id first)."""

    text: str

    def __lt__(self, other: object) -> bool:
        return isinstance(other, _Desc) and self.text > other.text


def toll_entries(m: MentionInfo) -> list[dict[str, Any]]:
    """Return the toll history entries of one mention (killed, then wounded)."""
    out = []
    for name in ("killed", "wounded"):
        c = m.count(name)
        if c is not None:
            out.append(
                {
                    "field": name,
                    "min": c.min,
                    "max": c.max,
                    "qualifier": c.qualifier,
                    "article_id": m.article_id,
                    "published": m.published.isoformat() if m.published else None,
                }
            )
    return out


def _most_voted(votes: Mapping[Any, int]) -> Any:
    if not votes:
        return None
    return min(votes, key=lambda v: (-votes[v], str(v)))


def claims_ledger(claims: Iterable[ClaimInfo]) -> list[dict[str, Any]]:
    """Return an incident's claims ledger: its claims in report order."""
    ordered = sorted(claims, key=lambda c: (c.published or dt.date.max, c.id))
    return [c.to_dict() for c in ordered]


def merge(
    members: Sequence[MentionInfo],
    claims: Sequence[ClaimInfo],
    copy_groups: Sequence[tuple[str, ...]],
    decisions: Sequence[dict[str, Any]] = (),
    with_sources: bool = True,
    tally: Tally | None = None,
    with_history: bool = True,
) -> MergedIncident:
    """Return the incident made of ``members`` (in report order): merged fields with their
    rules and sources, toll history, claims ledger and attribution status. ``copy_groups``
    are the copy groups of the member articles (original first). ``tally``, when given,
    holds the votes of some of the members already; the others' votes are added to it.
    Without ``with_sources`` the source values are left empty, and without
    ``with_history`` the toll history and the claims ledger (the store rebuilds them from
    the members and their articles' claims when an incident is shown)."""
    if tally is None:
        tally = Tally.of(members)
    else:
        for m in members:
            tally.add(m)
    ordered = tally.ordered
    lead = ordered[0]
    # The status does not depend on the order of the claims; the ledger lists them in
    # report order.
    status = attribution_status(claims)
    articles = tuple(dict.fromkeys(m.article_id for m in ordered))
    return MergedIncident(
        id=lead.id,
        lead=lead,
        members=tuple(ordered),
        fields=tally.fields(),
        rules=dict(_RULES),
        sources=source_values(ordered) if with_sources else {},
        toll_history=tally.toll_history() if with_history else [],
        ledger=claims_ledger(claims) if with_history else [],
        status=status,
        articles=articles,
        copy_groups=tuple(tuple(g) for g in copy_groups),
        decisions=list(decisions),
    )
