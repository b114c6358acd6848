"""Issue 4, "what it must show" 4: the seed article and a reworded version of it, made here by
synonym substitution of at least a third of its content words, land in one copy group."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from incidex.copies import CopyIndex, copy_groups, fingerprint, link_between
from incidex.data import load_data

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed" / "crocus-commentary.txt"

# Plain English synonyms, the kind a content spinner swaps in (multi-word ones included).
SYNONYMS = {
    "government": "administration",
    "terrorist": "militant",
    "people": "individuals",
    "responsible": "accountable",
    "attack": "assault",
    "warning": "alert",
    "intelligence": "espionage",
    "security": "safety",
    "administration": "government",
    "potential": "possible",
    "threat": "menace",
    "regime": "government",
    "found": "discovered",
    "group": "faction",
    "accountable": "answerable",
    "early": "initial",
    "invasion": "incursion",
    "seems": "appears",
    "including": "counting",
    "disrupt": "interrupt",
    "episode": "incident",
    "war": "conflict",
    "crackdown": "clampdown",
    "become": "turn into",
    "dangers": "perils",
    "support": "backing",
    "world": "globe",
    "danger": "peril",
    "terrorism": "extremism",
    "less": "fewer",
    "months": "weeks",
    "escalation": "intensification",
    "data": "information",
    "incursion": "raid",
    "concert": "gig",
    "venue": "location",
    "body": "corpse",
    "known": "recognised",
    "crushed": "smashed",
    "twice": "two times",
    "massacred": "slaughtered",
    "wounded": "injured",
    "spray": "hail",
    "gunfire": "shooting",
    "arson": "fire-raising",
    "beginning": "start",
    "sold": "vended",
    "show": "performance",
    "popular": "well-liked",
    "rock": "rock-and-roll",
    "formed": "created",
    "fire": "blaze",
    "put": "placed",
    "arrives": "comes",
    "rejected": "dismissed",
    "truth": "reality",
    "claim": "assertion",
    "legitimacy": "validity",
    "strongman": "autocrat",
    "someone": "somebody",
    "condemn": "denounce",
    "others": "the rest",
    "expressed": "voiced",
    "involved": "implicated",
    "quick": "swift",
    "affirmation": "confirmation",
    "responsibility": "liability",
    "obscured": "hidden",
    "finally": "eventually",
    "admitted": "conceded",
    "radical": "extreme",
    "falsely": "wrongly",
    "declared": "announced",
    "somehow": "in some way",
    "ultimately": "in the end",
    "deception": "trickery",
    "effects": "consequences",
    "notably": "especially",
    "road": "path",
    "carried": "conducted",
    "truly": "really",
    "done": "finished",
    "taken": "adopted",
    "better": "improved",
    "safeguards": "protections",
    "imminent": "impending",
    "senior": "high-ranking",
    "officials": "functionaries",
    "emphasised": "stressed",
    "perhaps": "maybe",
    "believing": "thinking",
    "part": "portion",
    "conspiracy": "plot",
    "reelection": "re-election",
    "prevented": "stopped",
    "call": "appeal",
    "global": "worldwide",
    "solidarity": "unity",
    "joint": "shared",
    "action": "measures",
    "lethal": "deadly",
    "deaths": "fatalities",
    "elsewhere": "somewhere else",
    "liable": "responsible",
    "convene": "assemble",
    "genuine": "real",
    "accounting": "reckoning",
    "failure": "failing",
    "catch": "detect",
    "plot": "scheme",
    "course": "path",
    "state": "country",
    "embroiled": "entangled",
    "dangerous": "hazardous",
    "left": "remained",
    "delighted": "pleased",
    "overstretched": "overextended",
    "therefore": "thus",
    "powerless": "helpless",
    "launched": "started",
    "largely": "mostly",
    "overlooked": "ignored",
    "media": "press",
    "employees": "workers",
    "fueled": "stoked",
    "grievances": "complaints",
    "permitted": "allowed",
    "recruit": "enlist",
    "assassins": "killers",
    "facts": "details",
    "time": "period",
    "remain": "stay",
    "unclear": "uncertain",
    "political": "partisan",
    "enemies": "foes",
    "resulting": "ensuing",
    "strikes": "attacks",
    "raids": "incursions",
    "denied": "refused",
    "reasonable": "sensible",
    "measures": "steps",
    "persist": "continue",
    "vulnerable": "exposed",
    "doubt": "question",
    "likely": "probable",
    "shift": "change",
    "rivalry": "competition",
    "ended": "finished",
    "groups": "factions",
    "point": "moment",
    "engagement": "involvement",
    "vanished": "disappeared",
    "international": "global",
    "cooperation": "collaboration",
    "possible": "feasible",
    "citizens": "residents",
    "secure": "safe",
    "asked": "requested",
    "assistance": "aid",
    "country": "nation",
    "military": "armed forces",
    "year": "twelvemonth",
    "increasingly": "more and more",
    "concerned": "worried",
    "regional": "local",
}


def _spin(text: str) -> tuple[str, float]:
    """Return ``text`` with every word found in SYNONYMS replaced, and the share of its
    content words (not function words, not capitalised names) that was replaced."""
    function_words = set(load_data("copies.json")["function_words"])
    seen = swapped = 0

    def swap(m: re.Match[str]) -> str:
        nonlocal seen, swapped
        word = m.group(0)
        if word.casefold() in function_words or not word[0].islower():
            return word
        seen += 1
        if word in SYNONYMS:
            swapped += 1
            return SYNONYMS[word]
        return word

    spun = re.sub(r"[A-Za-z]+", swap, text)
    return spun, swapped / max(seen, 1)


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip("shared seed article not available")
    return SEED.read_text(encoding="utf-8")


def test_spun_seed_replaces_at_least_a_third_of_content_words(seed_text: str) -> None:
    spun, share = _spin(seed_text)
    assert share >= 1 / 3
    assert spun != seed_text


def test_seed_and_its_spun_copy_share_one_copy_group(seed_text: str) -> None:
    spun, _ = _spin(seed_text)
    original = fingerprint("seed", seed_text, dt.date(2024, 3, 25))
    copy = fingerprint("seed-spun", spun, dt.date(2024, 3, 27))
    index = CopyIndex()
    index.add(original)
    links = index.links(copy)
    assert [(x.a, x.b, x.kind) for x in links] == [("seed", "seed-spun", "reworded")]
    published = {"seed": original.published, "seed-spun": copy.published}
    assert copy_groups(["seed", "seed-spun"], links, published) == [("seed", "seed-spun")]


def test_seed_is_no_copy_of_an_unrelated_text(seed_text: str) -> None:
    other = (
        "Farmers in the northern valley began harvesting wheat early this year after a warm "
        "spring, and cooperatives said prices were likely to fall as supply rises. Officials "
        "expect exports to grow by a fifth, while storage remains a concern for small growers "
        "who lack silos and must sell quickly. Rain in the coming weeks could still damage the "
        "crop, the agriculture ministry warned on Tuesday, urging growers to cover stored grain."
    )
    assert link_between(fingerprint("seed", seed_text), fingerprint("wheat", other)) is None
