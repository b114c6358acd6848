"""The public surface is what __all__ says, and nothing leaks by accident."""

from __future__ import annotations

import incidex


def test_all_is_sorted_and_complete() -> None:
    public = sorted(n for n in dir(incidex) if not n.startswith("_") and n[0].isupper())
    assert incidex.__all__ == sorted(incidex.__all__)
    for name in public:
        assert name in incidex.__all__, name


def test_extract_returns_typed_objects() -> None:
    result = incidex.extract(
        "Gunmen killed 12 people at a market in Kano, Nigeria, on Friday.",
        published="2024-05-10",
    )
    assert isinstance(result, incidex.Extraction)
    mention = result.mentions[0]
    assert isinstance(mention, incidex.Mention)
    assert mention.killed is not None and mention.killed.value == incidex.Count(12, None, None)
    assert mention.date is not None and mention.date.value.day == 10
    d = result.to_dict()
    assert d["incidents"][0]["killed"]["min"] == 12
    assert d["incidents"][0]["place"]["country"] == "NG"
