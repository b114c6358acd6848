"""Language is detected on the clean text; short texts default to English."""

from __future__ import annotations

import datetime as dt

import pytest

from incidex.clean import clean, detect_language
from incidex.models import Document

FRENCH = (
    "Une voiture piégée a explosé mardi matin devant le commissariat central de la ville, "
    "faisant au moins six morts et une vingtaine de blessés, selon un responsable de la "
    "police locale. Aucun groupe n'a encore revendiqué l'attentat."
)
GERMAN = (
    "Bei einem Sprengstoffanschlag auf einen Bahnhof im Norden des Landes sind am Montagabend "
    "mindestens vier Menschen getötet worden. Die Polizei teilte mit, dass die Ermittlungen "
    "noch andauern und bisher niemand festgenommen wurde."
)
SPANISH = (
    "Un grupo de hombres armados atacó el jueves por la noche un puesto militar en las afueras "
    "de la ciudad y mató a tres soldados, informó el ministerio de Defensa en un comunicado. "
    "Los atacantes huyeron hacia las montañas."
)
ENGLISH = (
    "A roadside bomb struck a police convoy on the highway north of the capital on Tuesday, "
    "killing two officers and wounding five, a provincial spokesman said."
)


@pytest.mark.parametrize(("text", "code"), [(FRENCH, "fr"), (GERMAN, "de"), (SPANISH, "es")])
def test_detect_language_finds_non_english(text: str, code: str) -> None:
    assert detect_language(text) == code


def test_detect_language_finds_english() -> None:
    assert detect_language(ENGLISH) == "en"


def test_detect_language_reads_all_caps_wire_copy_as_english() -> None:
    assert detect_language(ENGLISH.upper()) == "en"


def test_detect_language_defaults_short_text_to_english() -> None:
    assert detect_language("Blast at depot") == "en"
    assert detect_language("12:30 GMT") == "en"
    assert detect_language("") == "en"


def test_clean_returns_non_english_article() -> None:
    doc = Document(
        id="fr",
        source="fr.txt",
        content_hash="0",
        media_type="text/plain",
        raw=f"Attentat à la voiture piégée\n\n{FRENCH}".encode(),
        fetched_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
    )
    article = clean(doc)
    assert article.language == "fr"
    assert FRENCH in article.text
