"""The store's copy groups are the connected components of the copy links, with the
earliest article first, whatever order the articles arrive in: whether a copy joins the
groups the store keeps in memory or the store follows the stored links (after it forgot
what it kept, as after another process wrote)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from pathlib import Path

import pytest
import sqlalchemy as sa

from incidex.models import Article, Document, Extraction
from incidex.store import Store, open_store
from incidex.store.schema import copy_members

FLOOD = (
    "Armed men stormed the river port of Kessany before dawn on Sunday, setting fire to "
    "nine barges and killing at least 14 dock workers, the harbour master said. Survivors "
    "told reporters that the raiders arrived in four speedboats from the southern bank and "
    "stayed for almost an hour while the night shift hid in the grain sheds. The Eastern "
    "Shore Legion claimed the raid in a message to a radio station in Marrow, saying the "
    "port paid tolls to its rivals. The regional governor ordered a curfew along the quays "
    "and said the navy would patrol the channel until the end of the month."
)
VOTE = (
    "Election officials in the coastal district of Vennmark counted ballots through the "
    "night on Thursday after a turnout of 71 percent, the highest in two decades, forced "
    "polling stations to stay open three hours late. The mayor of Ostrel said queues "
    "stretched around the town hall twice and that volunteers handed out tea to voters "
    "waiting in the rain. Preliminary results due on Saturday will decide whether the "
    "Harbour Alliance keeps the seat it has held since 1998 or loses it to the farmers' "
    "list that campaigned on the price of fuel."
)
# Each with its publication day: a later arrival is often the earlier article, and the
# round-up carrying both stories joins their groups.
ARTICLES = {
    "flood": (FLOOD, 5),
    "flood-posted": ("Posted by the news desk.\n\n" + FLOOD + "\n\nShare this story", 3),
    "flood-short": (FLOOD[: FLOOD.index(" The regional governor")], 7),
    "vote": (VOTE, 4),
    "vote-posted": ("Latest:\n" + VOTE, 2),
    "round-up": (FLOOD + "\n\n" + VOTE, 6),
}


def _save(store: Store, article_id: str) -> None:
    text, day = ARTICLES[article_id]
    published = dt.date(2025, 2, day)
    raw = text.encode("utf-8")
    document = Document(
        id=article_id,
        source=f"test:{article_id}",
        content_hash=hashlib.sha256(raw).hexdigest(),
        media_type="text/plain",
        raw=raw,
        fetched_at=dt.datetime(2025, 2, 8, tzinfo=dt.UTC),
        published=published,
    )
    article = Article(
        id=article_id, text=text, language="en", title=article_id, published=published
    )
    assert store.save(document, Extraction(article=article)).stored


def _members(order: list[str], path: Path, forget: bool) -> list[tuple[str, str]]:
    with open_store(str(path)) as store:
        for article_id in order:
            if forget:
                store.resolver.forget()
            _save(store, article_id)
        with store.engine.connect() as conn:
            rows = conn.execute(sa.select(copy_members.c.article_id, copy_members.c.group_id))
            return sorted((a, g) for a, g in rows)


@pytest.mark.parametrize("seed", range(6))
def test_groups_do_not_depend_on_order_or_on_what_the_store_kept(seed: int, tmp_path: Path) -> None:
    order = list(ARTICLES)
    random.Random(seed).shuffle(order)
    kept = _members(order, tmp_path / "kept.db", forget=False)
    assert kept == sorted((a, "vote-posted") for a in ARTICLES)
    assert _members(order, tmp_path / "forgot.db", forget=True) == kept


def test_groups_apart_until_the_round_up_joins_them(tmp_path: Path) -> None:
    order = [a for a in ARTICLES if a != "round-up"]
    floods = [a for a in order if a.startswith("flood")]
    expected = sorted((a, "flood-posted" if a in floods else "vote-posted") for a in order)
    assert _members(order, tmp_path / "apart.db", forget=False) == expected
