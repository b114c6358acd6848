"""Raw bytes decode to text in the encoding they carry; binary data is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from incidex.clean import clean, decode_text
from incidex.errors import InputError
from incidex.models import Document

SENTENCE = "The café’s owner said “three men” fled — police found €500 and a naïve note."


def test_decode_text_reads_utf8_with_bom() -> None:
    assert decode_text(b"\xef\xbb\xbf" + SENTENCE.encode("utf-8"), "s") == SENTENCE


def test_decode_text_reads_windows_1252() -> None:
    assert decode_text(SENTENCE.encode("cp1252"), "s") == SENTENCE


def test_decode_text_reads_latin1_bytes_cp1252_leaves_unassigned() -> None:
    assert decode_text("Señor\x81 said".encode("latin-1"), "s") == "Señor\x81 said"


def test_decode_text_uses_declared_html_charset() -> None:
    page = '<html><head><meta charset="koi8-r"></head><body><p>Москва</p></body></html>'
    assert "Москва" in decode_text(page.encode("koi8-r"), "s")


def test_decode_text_reads_utf16_with_bom() -> None:
    assert decode_text(SENTENCE.encode("utf-16"), "s") == SENTENCE


def test_decode_text_normalises_newlines() -> None:
    assert decode_text(b"one\r\ntwo\rthree\n", "s") == "one\ntwo\nthree\n"


def test_decode_text_rejects_binary_blob() -> None:
    blob = bytes(range(256)) * 4
    with pytest.raises(InputError, match="cannot decode as text"):
        decode_text(blob, "blob.bin")


def test_decode_text_rejects_control_heavy_ascii() -> None:
    blob = b"\x01\x02\x03\x04 GIF89a \x05\x06\x07\x08" * 20
    with pytest.raises(InputError, match="cannot decode as text"):
        decode_text(blob, "image.gif")


def test_clean_binary_document_raises_input_error_naming_source() -> None:
    doc = Document(
        id="b",
        source="archive.zip",
        content_hash="0",
        media_type="text/plain",
        raw=b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(200)),
        fetched_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
    )
    with pytest.raises(InputError) as info:
        clean(doc)
    assert info.value.source == "archive.zip"


def test_clean_cp1252_document_keeps_its_accents() -> None:
    text = "Car bomb in Bogotá kills four\n\n" + SENTENCE
    doc = Document(
        id="w",
        source="w.txt",
        content_hash="0",
        media_type="text/plain",
        raw=text.encode("cp1252"),
        fetched_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
    )
    article = clean(doc)
    assert article.text == text
    assert article.title == "Car bomb in Bogotá kills four"
