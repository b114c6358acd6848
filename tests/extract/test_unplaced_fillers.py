"""A wire report's kept role fillers that no reported incident has (named outside every
incident's sentences, or only in a background incident's) go to its incident when it
reports exactly one; fillers the incident already has, in full or in part, are not added
again, and a report of several incidents gets none.
The spans are given by hand; the text is written for these tests."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tests.extract.parsing import parsed

from incidex.extract import _with_unplaced_fillers
from incidex.extract.context import Context
from incidex.extract.roles import RoleSpan
from incidex.models import Fact, Mention

TEXT = (
    "SAN ISIDRO, 4 MAR 90 -- A BOMB EXPLODED LAST NIGHT AT THE TOWN HALL OF SAN ISIDRO. "
    "THE MAYOR, PEDRO GOMEZ SOTO, WAS NOT HURT. "
    "POLICE SAID THAT URBAN GUERRILLAS PLACED THE BOMB."
)


@pytest.fixture(scope="module")
def ctx() -> Context:
    return parsed(TEXT, "1990-03-04")


def _span(ctx: Context, role: str, words: str) -> RoleSpan:
    start = TEXT.index(words)
    return RoleSpan(role, start, start + len(words), ctx.sentence_index(start), 0.9)


def _mention(ctx: Context, index: int, background: bool = False) -> Mention:
    return Mention(
        article_id="t",
        index=index,
        evidence=ctx.evidence(TEXT.index("BOMB"), TEXT.index("BOMB") + 4),
        background=background,
    )


def _fact(ctx: Context, words: str) -> Fact[str]:
    start = TEXT.index(words)
    return Fact(words, (ctx.evidence(start, start + len(words)),), "test")


def test_fillers_outside_the_incident_go_to_the_reported_incident(ctx: Context) -> None:
    old = _mention(ctx, 0, background=True)
    lead = replace(_mention(ctx, 1), targets=(_fact(ctx, "TOWN HALL"),))
    found = [
        _span(ctx, "VICTIM", "PEDRO GOMEZ SOTO"),
        _span(ctx, "PERPIND", "URBAN GUERRILLAS"),
        _span(ctx, "TARGET", "TOWN HALL OF SAN ISIDRO"),
    ]
    out = _with_unplaced_fillers(ctx, (old, lead), found)
    assert out[0] == old
    assert [f.value for f in out[1].victims] == ["PEDRO GOMEZ SOTO"]
    assert [f.value for f in out[1].perpetrator_individuals] == ["URBAN GUERRILLAS"]
    # the town hall is reported already, in shorter words
    assert [f.value for f in out[1].targets] == ["TOWN HALL"]


def test_a_filler_the_incident_has_is_not_added(ctx: Context) -> None:
    lead = replace(_mention(ctx, 0), victims=(_fact(ctx, "PEDRO GOMEZ SOTO"),))
    out = _with_unplaced_fillers(ctx, (lead,), [_span(ctx, "VICTIM", "GOMEZ SOTO")])
    assert out == (lead,)


def test_a_report_of_several_incidents_gets_no_fillers(ctx: Context) -> None:
    first, second = _mention(ctx, 0), _mention(ctx, 1)
    found = [_span(ctx, "VICTIM", "PEDRO GOMEZ SOTO")]
    assert _with_unplaced_fillers(ctx, (first, second), found) == (first, second)


def test_a_report_of_background_incidents_only_gets_no_fillers(ctx: Context) -> None:
    old = _mention(ctx, 0, background=True)
    found = [_span(ctx, "VICTIM", "PEDRO GOMEZ SOTO")]
    assert _with_unplaced_fillers(ctx, (old,), found) == (old,)
