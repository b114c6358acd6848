"""Language is detected on the clean text; short texts default to English."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from incidex.clean import _is_plainly_english, clean, detect_language
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


# The function-word test that spares the identifier must never claim another language's text.
@pytest.mark.parametrize("text", [FRENCH, GERMAN, SPANISH])
def test_function_word_check_does_not_take_other_languages_for_english(text: str) -> None:
    assert not _is_plainly_english(text.lower())


def test_function_word_check_recognises_ordinary_english_prose() -> None:
    prose = (
        "The council said on Monday that the new bridge, which has been closed for repairs "
        "since the spring, would open to traffic by the end of the month, and that the cost "
        "of the work was lower than it had expected."
    )
    assert _is_plainly_english(prose.lower())
    assert detect_language(prose) == "en"


def test_function_word_check_leaves_short_text_and_tables_to_the_identifier() -> None:
    assert not _is_plainly_english("the bomb and the fire")
    table = "net 1.2 mln vs 0.8 mln shr 12 cts vs 9 cts revs 40.1 mln vs 35.2 mln " * 3
    assert not _is_plainly_english(table)


def test_identifier_loaded_in_background_is_the_one_detection_uses() -> None:
    # A fresh interpreter: in this one another test may have loaded the identifier already.
    script = (
        "from incidex import clean\n"
        "loader = clean.load_identifier_in_background()\n"
        "assert loader is not None and loader.daemon\n"
        "loader.join()\n"
        "assert clean.load_identifier_in_background() is None\n"
        "identifier = clean._identifier()\n"
        f"assert clean.detect_language({SPANISH!r}) == 'es'\n"
        "assert clean._identifier() is identifier\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
