"""The incident page's view: facts with why each value was chosen, the toll history as
chart data, the claims ledger with disputes marked, and the source articles with the
sentences cited from them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..store import IncidentDetail
from .highlight import Segment, Span, kind_of_field, segments

__all__ = [
    "FactView",
    "IncidentView",
    "LedgerEntry",
    "SourceView",
    "format_value",
    "incident_view",
]

FACT_ORDER = (
    "date",
    "place",
    "attack_types",
    "weapons",
    "killed",
    "wounded",
    "perpetrators",
    "perpetrator_individuals",
    "target_type",
    "targets",
    "victims",
    "victim_descriptions",
    "weapon_mentions",
    "stage",
)
# Fields whose values are category codes (GTD categories, stage), shown as words.
CODED_FIELDS = frozenset({"attack_types", "weapons", "target_type", "stage"})


@dataclass(frozen=True, slots=True)
class SourceValue:
    """What one report said for a field, the rule that read it and the cited sentence."""

    value: str
    rule: str | None
    article_id: str
    published: str | None
    sentence: list[Segment]


@dataclass(frozen=True, slots=True)
class FactView:
    """One field of the incident: its chosen value, the merge rule, and the reports."""

    field: str
    label: str
    value: str
    rule: str | None
    sources: list[SourceValue]


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One claim about the incident; ``disputed`` when other claims contradict it."""

    kind: str
    speaker: str | None
    party: str | None
    hedged: bool
    article_id: str
    published: str | None
    sentence: list[Segment]
    disputed: bool


@dataclass(frozen=True, slots=True)
class SourceView:
    """A source article of the incident and the sentences cited from it."""

    id: str
    title: str | None
    url: str | None
    published: str | None
    site: str | None
    sentences: list[list[Segment]]


@dataclass(frozen=True, slots=True)
class IncidentView:
    """Everything the incident page shows."""

    detail: IncidentDetail
    facts: list[FactView]
    ledger: list[LedgerEntry]
    sources: list[SourceView]
    copy_groups: list[list[str]]
    tolls: dict[str, list[Any]]


def _count(value: Mapping[str, Any]) -> str:
    low, high, qualifier = value.get("min"), value.get("max"), value.get("qualifier")
    if low is None:
        return "unknown"
    text = f"{low}–{high}" if high is not None else str(low)
    return f"{qualifier} {text}" if qualifier else text


def format_value(field: str, value: Any) -> str:
    """Return a field's value as a short human reading ("at least 12", "Cali, CO")."""
    if value is None or value == [] or value == "":
        return "—"
    if field in ("killed", "wounded") and isinstance(value, Mapping):
        return _count(value)
    if field == "date" and isinstance(value, Mapping):
        parts = [value.get("year"), value.get("month"), value.get("day")]
        shown = "-".join(f"{p:02d}" for p in parts if p is not None) or "unknown"
        inferred = value.get("inferred") or []
        return f"{shown} (inferred: {', '.join(inferred)})" if inferred else shown
    if field == "place" and isinstance(value, Mapping):
        names = [value.get(k) for k in ("venue", "city", "admin1", "country")]
        return ", ".join(str(n) for n in names if n) or "unknown"
    if isinstance(value, list | tuple):
        return ", ".join(_code(field, str(v)) for v in value)
    return _code(field, str(value))


def _code(field: str, value: str) -> str:
    """Return a category code ("bombing_explosion") as words; other values unchanged."""
    return value.replace("_", " ") if field in CODED_FIELDS else value


def sentence_segments(sentence: str, cited: Sequence[str], kind: str) -> list[Segment]:
    """Return a sentence with each cited text found in it marked as ``kind``."""
    spans = []
    for text in cited:
        at = sentence.find(text) if text else -1
        if at >= 0:
            spans.append(Span(at, at + len(text), kind, text))
    return segments(sentence.strip(), spans)


def _source_values(field: str, reports: Sequence[Mapping[str, Any]]) -> list[SourceValue]:
    out = []
    for r in reports:
        evidence = r.get("evidence") or []
        sentence = evidence[0].get("sentence", "") if evidence else ""
        cited = [e.get("text", "") for e in evidence if e.get("sentence") == sentence]
        out.append(
            SourceValue(
                value=format_value(field, r.get("value")),
                rule=r.get("rule"),
                article_id=str(r.get("article_id", "")),
                published=r.get("published"),
                sentence=sentence_segments(sentence, cited, kind_of_field(field)),
            )
        )
    return out


def _facts(detail: IncidentDetail) -> list[FactView]:
    reports: Mapping[str, Any] = detail.merged.get("sources") or {}
    rules: Mapping[str, Any] = detail.merged.get("rules") or {}
    out = []
    for name in FACT_ORDER:
        value = detail.fields.get(name)
        evidence = detail.evidence.get(name, ())
        if name not in reports and not evidence and value in (None, [], ""):
            continue
        sources = _source_values(name, reports.get(name) or [])
        if not sources:
            sources = [
                SourceValue(
                    format_value(name, e.value),
                    e.rule,
                    detail.row.article_id,
                    detail.row.published,
                    sentence_segments(e.sentence, [e.text], kind_of_field(name)),
                )
                for e in evidence
            ]
        label = name.replace("_", " ").capitalize()
        out.append(FactView(name, label, format_value(name, value), rules.get(name), sources))
    return out


def _key(name: Any) -> str:
    return str(name or "").casefold().replace("-", " ").strip()


def disputed(entries: Sequence[Mapping[str, Any]]) -> list[bool]:
    """Return, per ledger entry, whether other entries contradict it: a party both blamed
    (or claiming) and denying, or blame and claims pointing at different parties."""
    pointed = {
        _key(e.get("party") or e.get("speaker"))
        for e in entries
        if e.get("kind") in ("responsibility", "accusation")
    }
    pointed.discard("")
    denied = {_key(e.get("party")) for e in entries if e.get("kind") == "denial"}
    several = len(pointed) > 1
    out = []
    for e in entries:
        kind = e.get("kind")
        party = _key(e.get("party") or (e.get("speaker") if kind == "responsibility" else None))
        if kind == "denial":
            out.append(party in pointed or (party == "" and bool(pointed)))
        elif kind in ("responsibility", "accusation"):
            out.append(several or party in denied)
        else:
            out.append(False)
    return out


def _ledger(detail: IncidentDetail) -> list[LedgerEntry]:
    entries: list[Mapping[str, Any]] = list(detail.merged.get("claims_ledger") or [])
    if not entries:
        entries = [c.to_dict() for c in detail.claims if c.linked]
    flags = disputed(entries)
    out = []
    for e, flag in zip(entries, flags, strict=True):
        ev = e.get("evidence") or {}
        sentence = e.get("sentence") or ev.get("sentence") or ""
        out.append(
            LedgerEntry(
                kind=str(e.get("kind")),
                speaker=e.get("speaker"),
                party=e.get("party"),
                hedged=bool(e.get("hedged")),
                article_id=str(e.get("article_id", "")),
                published=e.get("published"),
                sentence=sentence_segments(sentence, [ev.get("text", "")], "claim"),
                disputed=flag,
            )
        )
    return out


def _cited_by_article(detail: IncidentDetail) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """Return, per article id, each cited sentence with its (text, kind) citations."""
    out: dict[str, dict[str, list[tuple[str, str]]]] = {}
    reports: Mapping[str, Any] = detail.merged.get("sources") or {}
    for name, rows in reports.items():
        for r in rows:
            for e in r.get("evidence") or []:
                by_sentence = out.setdefault(str(r.get("article_id")), {})
                by_sentence.setdefault(e.get("sentence", ""), []).append(
                    (e.get("text", ""), kind_of_field(name))
                )
    if not out:
        for name, evs in detail.evidence.items():
            for ev in evs:
                by_sentence = out.setdefault(detail.row.article_id, {})
                by_sentence.setdefault(ev.sentence, []).append((ev.text, kind_of_field(name)))
    return out


def _sentence(sentence: str, cited: Sequence[tuple[str, str]]) -> list[Segment]:
    spans = []
    for text, kind in cited:
        at = sentence.find(text) if text else -1
        if at >= 0:
            spans.append(Span(at, at + len(text), kind, f"{kind}: {text}"))
    return segments(sentence.strip(), spans)


def _sources(detail: IncidentDetail) -> list[SourceView]:
    cited = _cited_by_article(detail)
    refs = detail.articles or (detail.article,)
    return [
        SourceView(
            a.id,
            a.title,
            a.url,
            a.published,
            a.site,
            [_sentence(s, c) for s, c in cited.get(a.id, {}).items() if s.strip()],
        )
        for a in refs
    ]


def _tolls(detail: IncidentDetail) -> dict[str, list[Any]]:
    """Return the toll history as chart series: one point per report, in report order."""
    reports: dict[str, dict[str, Any]] = {}
    for h in detail.merged.get("toll_history") or []:
        key = str(h.get("article_id"))
        point = reports.setdefault(key, {"label": h.get("published") or key})
        point[str(h.get("field"))] = h.get("min")
    if not reports:
        reports[detail.row.article_id] = {
            "label": detail.row.published or detail.row.article_id,
            "killed": detail.row.killed,
            "wounded": detail.row.wounded,
        }
    points = list(reports.values())
    return {
        "labels": [p["label"] for p in points],
        "killed": [p.get("killed") for p in points],
        "wounded": [p.get("wounded") for p in points],
    }


def incident_view(detail: IncidentDetail) -> IncidentView:
    """Return what the incident page shows for one stored incident."""
    groups = [list(g) for g in detail.merged.get("copy_groups") or [] if len(g) > 1]
    return IncidentView(
        detail, _facts(detail), _ledger(detail), _sources(detail), groups, _tolls(detail)
    )
