"""The copy index finds an article's copies (syndicated under other page junk, or cut
short) and nothing else, whatever order the articles were indexed in."""

from __future__ import annotations

import datetime as dt
import itertools

from incidex.copies import CopyIndex, fingerprint

STORY = (
    "Gunmen on motorcycles attacked the weekly cattle market in Dorvani on Tuesday morning, "
    "killing at least 17 traders and wounding 40 others, the district governor said. "
    "Witnesses said the attackers fired into the crowd for twenty minutes before setting "
    "fire to the grain stalls and fleeing towards the river. The Northern Reach Brigade said "
    "in a statement that its fighters carried out the raid to punish traders who paid taxes "
    "to the provincial council. The governor called the killings a massacre of civilians and "
    "promised that soldiers would guard the market when it reopens next week."
)
OTHER = (
    "The national assembly in Veltria approved a budget on Thursday that raises spending on "
    "rural roads by a fifth and cuts the fuel subsidy for large farms, after a debate that "
    "lasted eleven hours. The finance minister said the new roads would let farmers in the "
    "eastern provinces reach the coastal ports in a single day, and that the subsidy had "
    "mostly helped a few hundred estates. Opposition members walked out before the vote and "
    "said they would challenge the fuel measure in the constitutional court next month."
)
ARTICLES = {
    "a-story": STORY,
    "b-syndicated": "Share this page:\nFacebook\nEmail\n\n" + STORY + "\n\nRelated content",
    "c-cut-short": STORY[: STORY.index(" The governor called")],
    "d-other": OTHER,
}


def _links_in_order(order: tuple[str, ...]) -> set[tuple[str, str]]:
    index = CopyIndex()
    found: set[tuple[str, str]] = set()
    for day, article_id in enumerate(order, start=1):
        fp = fingerprint(article_id, ARTICLES[article_id], dt.date(2024, 6, day))
        found |= {(x.a, x.b) for x in index.links(fp)}
        index.add(fp)
    return found


def test_copies_are_found_and_the_unrelated_article_is_not() -> None:
    assert _links_in_order(tuple(ARTICLES)) == {
        ("a-story", "b-syndicated"),
        ("a-story", "c-cut-short"),
        ("b-syndicated", "c-cut-short"),
    }


def test_links_do_not_depend_on_indexing_order() -> None:
    expected = _links_in_order(tuple(ARTICLES))
    for order in itertools.permutations(ARTICLES):
        assert _links_in_order(order) == expected


def test_add_linked_is_links_then_add() -> None:
    for order in itertools.permutations(ARTICLES):
        both, one = CopyIndex(), CopyIndex()
        for day, article_id in enumerate(order, start=1):
            fp = fingerprint(article_id, ARTICLES[article_id], dt.date(2024, 6, day))
            expected = both.links(fp)
            both.add(fp)
            assert one.add_linked(fp) == expected
            # Again for an article indexed already: its links, nothing added twice.
            assert one.add_linked(fp) == both.links(fp)
        assert len(one) == len(both) == len(ARTICLES)


BRIEF = "A grenade thrown at a bus stop in Dorvani wounded six people on Tuesday, police said."


def _short_links(texts: dict[str, str]) -> set[tuple[str, str]]:
    index = CopyIndex()
    found: set[tuple[str, str]] = set()
    for article_id, text in texts.items():
        fp = fingerprint(article_id, text, dt.date(2024, 6, 1))
        found |= {(x.a, x.b) for x in index.links(fp)}
        index.add(fp)
    return found


def test_identical_short_texts_are_copies_and_near_ones_are_not() -> None:
    links = _short_links(
        {
            "brief-1": BRIEF,
            # the same words under other spacing and case: the same brief
            "brief-2": BRIEF.upper().replace(" ", "  "),
            # one word changed: a short text that is not identical is not a copy
            "brief-3": BRIEF.replace("six", "seven"),
            # the brief as the opening of a long story is not a copy of the story
            "story": BRIEF + " " + STORY,
        }
    )
    assert links == {("brief-1", "brief-2")}
