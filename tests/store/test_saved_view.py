"""What the resolver keeps of a mention it was just given (``resolution.saved_of``, built
from the extraction without its evidence) is what it reads back from the store for that
mention once it forgets: pair decisions and merges see the same fields either way."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from incidex_store_builders import MARKET_TEXT, market_extraction, market_mention

from incidex.store import open_store
from incidex.store.resolution import _read_saved, saved_of


def test_saved_view_equals_the_stored_mentions_read_back(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "a.db"))
    mention = market_mention("first", MARKET_TEXT)
    doc, ext = market_extraction("first", dt.date(2024, 5, 4), mentions=[mention])
    assert store.save(doc, ext).stored
    given = saved_of("first", ext, ext.published(doc))
    with store.engine.connect() as conn:
        read = _read_saved(conn, "first")
    store.close()
    assert read is not None and given.mentions
    assert [(m.id, m.published, dict(m.fields)) for m in given.mentions] == [
        (m.id, m.published, dict(m.fields)) for m in read.mentions
    ]
    # Neither view holds the evidence, which resolution never reads.
    assert all("evidence" not in m.fields for m in given.mentions)
    assert given.mentions[0].fields["place"]["city"]
