"""The armed-group alias matcher: every alias in groups.json is found whole, in running
text, with its separators varied, and never inside a longer word."""

from __future__ import annotations

import pytest

from incidex.data import load_data
from incidex.extract.actors import canonical_group, group_alias


def _aliases() -> list[tuple[str, str]]:
    return [
        (str(g["name"]), str(alias))
        for g in load_data("groups.json")["groups"]
        for alias in [g["name"], *g["aliases"]]
    ]


def test_every_alias_names_its_group_inside_a_sentence() -> None:
    pairs = _aliases()
    owners: dict[str, set[str]] = {}
    for name, alias in pairs:
        owners.setdefault(alias.casefold(), set()).add(name)
    wrong = [
        (alias, name, found)
        for name, alias in pairs
        if (found := canonical_group(f"a statement from {alias} on Tuesday"))
        not in owners[alias.casefold()]
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("fighters of Boko-Haram raided", "Boko Haram"),
        ("a BokoHaram camp", "Boko Haram"),
        ("the Islamic State Khorasan Province said", "ISIS-K"),
    ],
)
def test_aliases_match_with_separators_varied(text: str, group: str) -> None:
    assert canonical_group(text) == canonical_group(group) is not None


def test_an_alias_inside_a_longer_word_is_no_match() -> None:
    assert canonical_group("a counter-Boko Haram unit") is None
    assert canonical_group("the Bokoharamite channel") is None
    assert group_alias("Boko Haram") == canonical_group("Boko Haram") is not None
