"""Two outlets carrying the same text under their own ids are two articles (one copy
group, one source); the same id and text given twice is one."""

from __future__ import annotations

from pathlib import Path

from incidex import pipeline
from incidex.store import open_store

TEXT = (
    "Gunmen opened fire on a wedding party in the village of Tandara, Mali, on Saturday, "
    "killing nine guests and wounding fourteen, a local official said.\n\n"
    "No group has said it carried out the attack, the official added."
)


def test_identical_texts_under_two_ids_are_two_articles_in_one_copy_group(
    tmp_path: Path,
) -> None:
    store = open_store(str(tmp_path / "ids.db"))
    saved = []
    for doc_id in ("outlet-a-1", "outlet-b-7", "outlet-a-1"):
        doc = pipeline.document_from_text(TEXT, id=doc_id, published="2025-03-02")
        saved.append(store.save(doc, pipeline.extract_document(doc)).status)
    counts = store.counts()
    groups = store.copy_groups()
    store.close()
    assert saved[:2] == ["stored", "stored"] and saved[2] != "stored"
    assert counts.articles == 2 and counts.incidents == 1
    assert [sorted(a.id for a in g.articles) for g in groups] == [["outlet-a-1", "outlet-b-7"]]


def test_a_text_without_an_id_is_known_by_its_content() -> None:
    a = pipeline.document_from_text(TEXT)
    b = pipeline.document_from_text(TEXT)
    c = pipeline.document_from_text(TEXT, id="given")
    assert a.content_hash == b.content_hash != c.content_hash
