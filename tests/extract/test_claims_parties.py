"""Responsibility and accusation claims concern organisations: a person or a pronoun is
never the party claimed or blamed."""

from __future__ import annotations

from incidex.annotate import annotate
from incidex.extract.claims import find_claims
from incidex.extract.context import Context
from incidex.models import Article


def _claims(text: str) -> list[tuple[str, str | None]]:
    article = Article(id="t", text=text, language="en")
    return [(c.kind, c.party) for c in find_claims(Context(article, annotate(article)))]


def test_a_pronoun_never_claims_responsibility() -> None:
    found = _claims("Police found a leaflet at the scene. It said that it claimed the bombing.")
    assert not [c for c in found if c[0] == "responsibility"]


def test_a_named_group_still_claims_responsibility() -> None:
    found = _claims("The Shining Path claimed responsibility for the bombing of the bridge.")
    assert ("responsibility", "Shining Path") in found
