"""Upper-case wire reports: an attack word the rules would leave unsupported (no weapon, no
attackers, no toll) still reports an incident there, typed as the MUC-4 keys type it; in
modern news the rules' caution stands."""

from __future__ import annotations

from incidex import annotate, clean
from incidex.extract import extract
from incidex.models import Extraction
from incidex.pipeline import document_from_text


def _extracted(text: str) -> Extraction:
    article = clean.clean(document_from_text(text, id="t", published="1990-03-12"))
    return extract(article, annotate.annotate(article), wire_relevance=False)


def test_wire_bare_attack_is_an_armed_assault() -> None:
    found = _extracted(
        "SAN MIGUEL, 12 MAR 90 (RADIO) -- [TEXT] THE TOWN HALL OF SAN MIGUEL WAS ATTACKED LAST "
        "NIGHT, THE MAYOR SAID. THE BUILDING WAS PARTLY DESTROYED."
    )
    assert [[f.value for f in m.attack_types] for m in found.mentions] == [["armed_assault"]]


def test_modern_bare_attack_needs_support() -> None:
    found = _extracted(
        "San Miguel, 12 March 1990 -- The town hall of San Miguel was attacked last night, the "
        "mayor said. The building was partly destroyed."
    )
    assert not found.mentions
