"""Saving: stored once by content hash, duplicates and id conflicts write nothing."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from incidex_store_builders import MARKET_TEXT, bridge_extraction, document, market_extraction

from incidex.models import Extraction
from incidex.store import Store
from incidex.store.schema import metadata


def table_counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in metadata.sorted_tables
        }


def test_save_stores_article_mentions_claims_and_evidence(store: Store) -> None:
    doc, ext = market_extraction()
    result = store.save(doc, ext)
    assert result.status == "stored" and result.stored
    counts = table_counts(store)
    assert counts["documents"] == counts["articles"] == counts["mentions"] == 1
    assert counts["claims"] == 3
    # trigger + attack type + date + place + weapon + killed + wounded + perp + target type
    assert counts["evidence"] == 9
    summary = store.counts()
    assert (summary.documents, summary.articles, summary.incidents, summary.claims) == (1, 1, 1, 3)


def test_duplicate_save_returns_duplicate_and_writes_nothing(store: Store) -> None:
    doc, ext = market_extraction()
    store.save(doc, ext)
    before = table_counts(store)
    again = store.save(doc, ext)
    assert again.status == "duplicate"
    assert table_counts(store) == before


def test_same_content_under_another_id_is_duplicate(store: Store) -> None:
    doc, ext = market_extraction("first")
    store.save(doc, ext)
    copy_doc, copy_ext = market_extraction("second")
    result = store.save(copy_doc, copy_ext)
    assert result.status == "duplicate"
    assert "first" in result.message
    assert store.article("second") is None


def test_known_id_with_other_content_is_conflict(store: Store) -> None:
    doc, ext = market_extraction("same-id")
    store.save(doc, ext)
    before = table_counts(store)
    other_doc, other_ext = bridge_extraction("same-id")
    result = store.save(other_doc, other_ext)
    assert result.status == "conflict"
    assert "different content" in result.message
    assert table_counts(store) == before
    stored = store.article("same-id")
    assert stored is not None and stored.text == MARKET_TEXT


def test_has_hash_reports_stored_content_only(store: Store) -> None:
    doc, ext = market_extraction()
    other, _ = bridge_extraction()
    assert not store.has_hash(doc.content_hash)
    store.save(doc, ext)
    assert store.has_hash(doc.content_hash)
    assert not store.has_hash(other.content_hash)


def test_skipped_extraction_stores_article_without_incidents(store: Store) -> None:
    doc, ext = market_extraction("skip")
    skipped = Extraction(article=ext.article, status="skipped", note="language is not English")
    assert store.save(doc, skipped).status == "stored"
    stored = store.article("skip")
    assert stored is not None
    assert (stored.status, stored.note) == ("skipped", "language is not English")
    assert stored.incident_ids == ()
    assert store.counts().by_status == {"skipped": 1}


def test_article_keeps_text_metadata_and_provenance(store: Store) -> None:
    doc, ext = market_extraction("prov")
    store.save(doc, ext)
    stored = store.article("prov")
    assert stored is not None
    assert stored.text == MARKET_TEXT
    assert stored.title == "Market shooting in Port Selin"
    assert stored.published == "2024-05-04"
    assert stored.content_hash == doc.content_hash
    assert stored.source == "test:prov"
    assert stored.incident_ids == ("prov:0",)
    assert stored.claim_count == 3
    assert store.article("missing") is None


def test_document_metadata_fills_gaps_of_article(store: Store) -> None:
    doc = dataclasses.replace(document("meta", MARKET_TEXT), url="https://example.org/a")
    _, ext = market_extraction("meta")
    store.save(doc, ext)
    stored = store.article("meta")
    assert stored is not None and stored.url == "https://example.org/a"
