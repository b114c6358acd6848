"""Hand-built documents and extractions for store and export tests (our own sentences)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from typing import TypeVar

import sqlalchemy as sa

from incidex.models import (
    Article,
    Claim,
    ClaimKind,
    Count,
    Document,
    Evidence,
    Extraction,
    Fact,
    Mention,
    PartialDate,
    Place,
)
from incidex.store import Store
from incidex.store.schema import mention_links

T = TypeVar("T")

FETCHED = dt.datetime(2024, 5, 6, 12, 0, tzinfo=dt.UTC)

MARKET_TEXT = (
    "Gunmen opened fire on a crowded market in Port Selin on 3 May 2024, killing at least "
    "12 people and wounding 30, police said. The Red Hand Front said it carried out the "
    'attack. The interior minister blamed the Blue Dawn movement, which said it had "no part, '
    'none at all" in the shooting.'
)

BRIDGE_TEXT = (
    "A car bomb exploded near the Old Mill bridge in Tarvik in March 2023, killing 4 soldiers. "
    "No group has said it was behind the blast."
)


def evidence(article_id: str, text: str, phrase: str) -> Evidence:
    """Return the Evidence of the first occurrence of ``phrase`` in ``text``."""
    start = text.index(phrase)
    end = start + len(phrase)
    s_start = text.rfind(". ", 0, start)
    s_start = 0 if s_start < 0 else s_start + 2
    s_end = text.find(". ", end)
    s_end = len(text) if s_end < 0 else s_end + 1
    return Evidence(article_id, start, end, phrase, text[s_start:s_end], s_start)


def fact(value: T, article_id: str, text: str, phrase: str, rule: str) -> Fact[T]:
    return Fact(value, (evidence(article_id, text, phrase),), rule)


def document(doc_id: str, text: str, published: dt.date | None = None) -> Document:
    raw = text.encode("utf-8")
    return Document(
        id=doc_id,
        source=f"test:{doc_id}",
        content_hash=hashlib.sha256(raw).hexdigest(),
        media_type="text/plain",
        raw=raw,
        fetched_at=FETCHED,
        published=published,
    )


def article(doc_id: str, text: str, title: str, published: dt.date | None) -> Article:
    return Article(id=doc_id, text=text, language="en", title=title, published=published)


def market_mention(doc_id: str, text: str = MARKET_TEXT, **overrides: object) -> Mention:
    """Return the market shooting of MARKET_TEXT as a Mention (fields overridable; a field
    given is not built, so ``text`` need only hold the phrases of those not given)."""
    place = Place(venue="market", city="Port Selin", country="KE", lat=-1.5, lon=37.1, precision=1)
    defaults: dict[str, Callable[[], object]] = {
        "article_id": lambda: doc_id,
        "index": lambda: 0,
        "evidence": lambda: evidence(doc_id, text, "opened fire"),
        "attack_types": lambda: (
            fact("armed_assault", doc_id, text, "opened fire", "trigger.fire"),
        ),
        "date": lambda: fact(PartialDate(2024, 5, 3), doc_id, text, "3 May 2024", "date.absolute"),
        "place": lambda: fact(place, doc_id, text, "Port Selin", "place.gazetteer"),
        "weapons": lambda: (fact("firearms", doc_id, text, "opened fire", "weapon.fire"),),
        "killed": lambda: fact(
            Count(12, None, "at least"), doc_id, text, "at least 12", "toll.killing"
        ),
        "wounded": lambda: fact(Count(30), doc_id, text, "wounding 30", "toll.wounding"),
        "perpetrators": lambda: (
            fact("Red Hand Front", doc_id, text, "Red Hand Front", "perp.claim"),
        ),
        "target_type": lambda: fact("business", doc_id, text, "market", "target.lexicon"),
        "confidence": lambda: 0.8,
    }
    fields = {name: make() for name, make in defaults.items() if name not in overrides}
    fields.update(overrides)
    return Mention(**fields)  # type: ignore[arg-type]


def claim(
    doc_id: str,
    text: str,
    kind: ClaimKind,
    speaker: str | None,
    party: str | None,
    phrase: str,
    incident: int | None = 0,
) -> Claim:
    return Claim(
        article_id=doc_id,
        kind=kind,
        speaker=speaker,
        party=party,
        evidence=evidence(doc_id, text, phrase),
        rule=f"claim.{kind}",
        incident=incident,
    )


def market_claims(doc_id: str, text: str = MARKET_TEXT) -> tuple[Claim, ...]:
    return (
        claim(doc_id, text, "responsibility", "Red Hand Front", "Red Hand Front", "carried out"),
        claim(doc_id, text, "accusation", "interior minister", "Blue Dawn", "blamed"),
        claim(doc_id, text, "denial", "Blue Dawn", "Blue Dawn", "no part"),
    )


def market_extraction(
    doc_id: str = "mkt",
    published: dt.date | None = dt.date(2024, 5, 4),
    mentions: Sequence[Mention] | None = None,
    claims: Sequence[Claim] | None = None,
    text: str = MARKET_TEXT,
) -> tuple[Document, Extraction]:
    """Return the document and extraction of ``text`` (a variant of MARKET_TEXT)."""
    doc = document(doc_id, text, published)
    ext = Extraction(
        article=article(doc_id, text, "Market shooting in Port Selin", published),
        mentions=tuple(mentions) if mentions is not None else (market_mention(doc_id, text),),
        claims=tuple(claims) if claims is not None else market_claims(doc_id, text),
    )
    return doc, ext


def bridge_extraction(doc_id: str = "brg") -> tuple[Document, Extraction]:
    """Return BRIDGE_TEXT: a bombing with a month-only date, no claims of responsibility."""
    t = BRIDGE_TEXT
    mention = Mention(
        article_id=doc_id,
        index=0,
        evidence=evidence(doc_id, t, "car bomb exploded"),
        attack_types=(fact("bombing_explosion", doc_id, t, "car bomb exploded", "trigger.bomb"),),
        date=fact(PartialDate(2023, 3), doc_id, t, "March 2023", "date.month"),
        place=fact(
            Place(venue="Old Mill bridge", city="Tarvik", country="UA", precision=1),
            doc_id,
            t,
            "Tarvik",
            "place.gazetteer",
        ),
        weapons=(fact("explosives", doc_id, t, "car bomb", "weapon.bomb"),),
        killed=fact(Count(4), doc_id, t, "killing 4", "toll.killing"),
        target_type=fact("military", doc_id, t, "soldiers", "target.lexicon"),
    )
    published = dt.date(2023, 3, 20)
    ext = Extraction(
        article=article(doc_id, t, "Bomb near bridge", published),
        mentions=(mention,),
    )
    return document(doc_id, t, published), ext


def stored_links(store: Store) -> list[tuple[str, str]]:
    """Return the stored mention links, as (mention_id, other_id) pairs in order."""
    with store.engine.connect() as conn:
        stmt = sa.select(mention_links.c.mention_id, mention_links.c.other_id)
        return sorted((a, b) for a, b in conn.execute(stmt))
