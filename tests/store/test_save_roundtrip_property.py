"""Any article id and text survive a save unchanged, and a second save is a duplicate."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from incidex_store_builders import article, document

from incidex.models import Extraction
from incidex.store import open_store

IDS = st.text(min_size=1, max_size=40).filter(lambda s: s.strip() != "")
TEXTS = st.text(min_size=1, max_size=400)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc_id=IDS, text=TEXTS, title=st.none() | st.text(max_size=60))
def test_save_roundtrip_keeps_id_and_text(doc_id: str, text: str, title: str | None) -> None:
    store = open_store("sqlite://")
    try:
        doc = document(doc_id, text)
        ext = Extraction(article=article(doc_id, text, title or "", dt.date(2020, 2, 29)))
        assert store.save(doc, ext).status == "stored"
        stored = store.article(doc_id)
        assert stored is not None
        assert (stored.id, stored.text, stored.published) == (doc_id, text, "2020-02-29")
        assert store.save(doc, ext).status == "duplicate"
        assert store.counts().articles == 1
    finally:
        store.close()
