"""Places: where an attack happened, as venue, city, admin1 region, country and coordinates.

``find_places`` reads each sentence in three passes:

1. *atoms*: the smallest place words. Common-noun venues in a locative position ("at a
   market", "attacked a police station"); names (spaCy GPE/LOC/FAC/NORP/ORG entities and runs
   of proper nouns) typed by their frame ("the town of X" -> city, "X province" -> admin1,
   "the neighbourhood of X" -> district, "the Iraqi city" -> country) or else by the gazetteer,
   weighing population against the countries the article names (its *votes*).
2. *groups*: atoms joined by the parse inside one noun phrase ("Moscow's Crocus City Hall",
   "a bus station in the central town of Hillah", "Kabul, Afghanistan") form one expression.
3. *resolution*: each group becomes one ``Place``, its city re-read inside the group's country.

A dateline ("KABUL, June 3 (Reuters) —") adds one more mention. ``incident_place`` then picks,
among the mentions of the sentences that report an incident, the most specific one and fills
its gaps from consistent mentions nearby and from the article's country votes.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Literal

from ..data import load_data
from ..gazetteer import Admin1, City, Gazetteer, gazetteer, normalize_name
from ..models import Evidence, Fact, Place
from ..truecase import is_mostly_upper
from .context import Context
from .parsed import doc_ents, doc_memo, doc_tokens, span_ents, span_tokens

__all__ = ["PlaceMention", "consistent", "find_places", "incident_place"]

Role = Literal["venue", "district", "city", "admin1", "country"]

# How far (in sentences) incident_place looks around the incident's sentences for a place.
_NEIGHBOUR_SENTENCES = 2
# A possessive ending an entity took in ("El Salvador's").
_POSSESSIVE_END = re.compile(r"\s*['’]s$", re.IGNORECASE)
# The entity labels of places.
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Score weights: a country named in the same phrase outweighs any population gap of a town;
# the article's share of country mentions outweighs about two orders of magnitude.
_LOCAL_COUNTRY_BONUS = 4.0
_VOTE_BONUS = 2.5
_ADMIN1_MENTIONED_BONUS = 3.0
# An admin1 reading counts as a place of this many inhabitants (log10) against city readings.
_ADMIN1_WEIGHT = 6.0
_MAX_CLIMB = 6


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """One place expression of the article, resolved as far as the text and gazetteer go."""

    fact: Fact[Place]
    sent_index: int


@dataclass(slots=True)
class _Atom:
    """Tokens ``start:end`` of the doc naming one place part; ``root`` is the token the parse
    hangs the phrase from."""

    start: int
    end: int
    root: int
    role: Role
    text: str
    rule: str
    country: str | None = None
    city: City | None = None
    admin1: Admin1 | None = None
    named: bool = False


@dataclass(slots=True)
class _Votes:
    """How often the article names each country (names count 1, nationality words 0.5)."""

    counts: Counter[str] = field(default_factory=Counter)
    admin1: set[str] = field(default_factory=set)
    evidence: dict[str, tuple[int, int]] = field(default_factory=dict)

    def share(self, country: str) -> float:
        total = sum(self.counts.values())
        return self.counts[country] / total if total else 0.0

    def top(self) -> str | None:
        ranked = self.counts.most_common(2)
        if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
            return None
        return ranked[0][0]


@dataclass(frozen=True, slots=True)
class _Lexicon:
    venue_nouns: frozenset[str]
    generic_venue_heads: frozenset[str]
    place_nouns: dict[str, Role]
    locative_preps: frozenset[str]
    attack_verbs: frozenset[str]
    directions: frozenset[str]
    not_places: frozenset[str]
    name_particles: frozenset[str]
    min_bare_city_population: int
    dateline: re.Pattern[str]
    dateline_max_offset: int


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = load_data("places.json")
    place_nouns: dict[str, Role] = {}
    for role, words in data["place_nouns"].items():
        for word in words:
            place_nouns[word] = role
    return _Lexicon(
        venue_nouns=frozenset(data["venue_nouns"]),
        generic_venue_heads=frozenset(data["generic_venue_heads"]),
        place_nouns=place_nouns,
        locative_preps=frozenset(data["locative_preps"]),
        attack_verbs=frozenset(data["attack_verbs"]),
        directions=frozenset(data["directions"]),
        not_places=frozenset(normalize_name(w) for w in data["not_places"]),
        name_particles=frozenset(data["name_particles"]),
        min_bare_city_population=int(data["min_bare_city_population"]),
        dateline=re.compile(data["dateline"]["pattern"], re.MULTILINE),
        dateline_max_offset=int(data["dateline"]["max_offset"]),
    )


# ---------------------------------------------------------------------------------------------
# Article-level country votes


def _article_votes(ctx: Context, g: Gazetteer) -> _Votes:
    """Return the countries the article names, counted: country names, admin1 regions (for
    their country) and nationality words."""
    votes = _Votes()
    for ent in _entities_with_joined_countries(ctx.doc, g):
        text = _strip_det(ent.text)
        if ent.label_ in ("GPE", "LOC"):
            iso = g.country_of_name(text)
            if iso is None:
                regions = {a.country for a in g.admin1(text)}
                if len(regions) == 1 and not g.cities(text):
                    iso = regions.pop()
                    votes.admin1.add(normalize_name(text))
            if iso is not None:
                votes.counts[iso] += 1.0  # type: ignore[assignment]
                votes.evidence.setdefault(iso, (ent.start_char, ent.end_char))
        elif ent.label_ == "NORP":
            iso = g.demonym_country(text)
            if iso is not None:
                votes.counts[iso] += 0.5  # type: ignore[assignment]
                votes.evidence.setdefault(iso, (ent.start_char, ent.end_char))
    return votes


def _entities_with_joined_countries(doc: Any, g: Gazetteer) -> list[Any]:
    """Return the document's entities, two joined by "of (the)" made one span where together
    they name a country: "Democratic Republic" + "of the" + "Congo"."""
    out: list[Any] = []
    for ent in doc_ents(doc):
        prev = out[-1] if out else None
        if prev is not None and _joins_as_country(
            (prev.start, prev.end, ""), (ent.start, ent.end, ""), doc, g
        ):
            out[-1] = doc.char_span(prev.start_char, ent.end_char, label="GPE")
        else:
            out.append(ent)
    return out


# ---------------------------------------------------------------------------------------------
# Readings of a name


def _strip_det(text: str) -> str:
    """Return a name without its leading article and a possessive ending the entity took
    in ("El Salvador's")."""
    words = _POSSESSIVE_END.sub("", text).split()
    return " ".join(words[1:] if words and words[0].lower() in ("the", "a", "an") else words)


def _city_score(city: City, votes: _Votes, local: str | None) -> float:
    score = math.log10(city.population + 1) + _VOTE_BONUS * votes.share(city.country)
    if local is not None and city.country == local:
        score += _LOCAL_COUNTRY_BONUS
    if city.admin1 is not None and normalize_name(city.admin1) in votes.admin1:
        score += _ADMIN1_MENTIONED_BONUS
    return score


def _admin1_score(region: Admin1, votes: _Votes, local: str | None) -> float:
    score = _ADMIN1_WEIGHT + _VOTE_BONUS * votes.share(region.country)
    if local is not None and region.country == local:
        score += _LOCAL_COUNTRY_BONUS
    return score


def _best_city(g: Gazetteer, name: str, votes: _Votes, local: str | None) -> City | None:
    found = g.cities(name)
    if not found:
        return None
    return max(found[:50], key=lambda c: _city_score(c, votes, local))


def _best_admin1(g: Gazetteer, name: str, votes: _Votes, local: str | None) -> Admin1 | None:
    found = g.admin1(name)
    if not found:
        return None
    return max(found, key=lambda a: _admin1_score(a, votes, local))


def _read_name(atom: _Atom, g: Gazetteer, votes: _Votes, min_pop: int) -> bool:
    """Type an untyped name as country, admin1 or city by the gazetteer; return False when it
    is none of them (or only a hamlet while nothing else marks it as a place)."""
    iso = g.country_of_name(atom.text)
    if iso is not None:
        atom.role, atom.country, atom.rule = "country", iso, "places.country"
        return True
    city = _best_city(g, atom.text, votes, None)
    region = _best_admin1(g, atom.text, votes, None)
    city_score = _city_score(city, votes, None) if city else -1.0
    region_score = _admin1_score(region, votes, None) if region else -1.0
    if city is not None and region is not None and city.country == region.country:
        # A region named after its own city ("Kandahar", "Basra"): the bare name is the city.
        region_score = -1.0
    if region is not None and region_score >= city_score:
        atom.role, atom.admin1, atom.country = "admin1", region, region.country
        atom.rule = "places.admin1"
        return True
    if city is not None and city.population >= min_pop:
        atom.role, atom.city, atom.country = "city", city, city.country
        atom.rule = "places.gazetteer_city"
        return True
    return False


# ---------------------------------------------------------------------------------------------
# Atoms


def _is_locative(tok: Any, lex: _Lexicon) -> bool:
    """Return True when the noun ``tok`` stands where a place stands: object of a locative
    preposition, object of an attack verb, possessor of a place, or in apposition to one."""
    dep, head = tok.dep_, tok.head
    if dep == "pobj":
        return bool(head.lower_ in lex.locative_preps)
    if dep in ("dobj", "nsubjpass"):
        return bool(head.pos_ == "VERB" and head.lemma_.lower() in lex.attack_verbs)
    if dep in ("appos", "conj") and head.i != tok.i:
        return _is_locative(head, lex)
    return False


def _venue_span(head: Any) -> tuple[int, int]:
    """Return the token range of a venue noun phrase without determiners, possessors and
    numbers: its compound/adjective modifiers up to the noun, plus "of" + proper name."""
    start = head.i
    for child in reversed(list(head.lefts)):
        if child.dep_ in ("compound", "amod", "nmod") and child.i == start - 1:
            start = child.left_edge.i if child.left_edge.dep_ != "det" else child.i
            while start < child.i and head.doc[start].dep_ in ("det", "poss", "case", "punct"):
                start += 1
        else:
            break
    end = head.i + 1
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [c for c in child.children if c.dep_ == "pobj" and c.pos_ == "PROPN"]
            if objects:
                end = objects[0].right_edge.i + 1
        break
    return start, end


def _venue_atoms(sent: Any, lex: _Lexicon, g: Gazetteer, votes: _Votes) -> list[_Atom]:
    atoms: list[_Atom] = []
    for tok in span_tokens(sent):
        if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ == "compound":
            continue
        if tok.lemma_.lower() not in lex.venue_nouns or not _is_locative(tok, lex):
            continue
        start, end = _venue_span(tok)
        doc = tok.doc
        propn = [t for t in doc[start:end] if t.pos_ == "PROPN" and t.i < tok.i]
        text = doc[start:end].text
        named = bool(propn)
        if propn and tok.lemma_.lower() in lex.generic_venue_heads:
            # "Crocus City Hall concert venue": the name is the venue, the rest says its kind.
            text = doc[propn[0].i : propn[-1].i + 1].text
        atom = _Atom(start, end, tok.i, "venue", text, "places.venue", named=named)
        atoms.append(atom)
        for mod in doc[start:end]:
            iso = g.demonym_country(mod.text) if mod.ent_type_ == "NORP" else None
            if iso is not None:
                atom.country = iso
        if propn:
            city_atom = _city_inside_venue(doc, propn, g, votes, lex)
            if city_atom is not None:
                atoms.append(city_atom)
    return atoms


def _city_inside_venue(
    doc: Any, propn: list[Any], g: Gazetteer, votes: _Votes, lex: _Lexicon
) -> _Atom | None:
    """Return a city atom for a venue named after its town ("Abu Ghraib prison")."""
    first, last = propn[0].i, propn[-1].i + 1
    if last - first != len(propn):
        return None
    name = doc[first:last].text
    city = _best_city(g, name, votes, None)
    if city is None or city.population < lex.min_bare_city_population:
        return None
    return _Atom(
        first, last, propn[-1].i, "city", name, "places.venue_town", city=city, country=city.country
    )


def _name_spans(sent: Any) -> list[tuple[int, int, str]]:
    """Return (start, end, label) of every entity and of every run of proper nouns outside
    entities, determiners stripped; label is "" for a bare proper-noun run."""
    spans: list[tuple[int, int, str]] = []
    covered: set[int] = set()
    tokens = doc_tokens(sent.doc)
    for ent in span_ents(sent):
        start = ent.start
        while start < ent.end and tokens[start].dep_ == "det":
            start += 1
        end = _line_end(ent.doc, start, ent.end)
        whole = " ".join(ent.doc[start : ent.end].text.split())
        if end < ent.end and gazetteer().names_place(whole):
            end = ent.end  # a name the wire wrapped ("SAN\nSALVADOR"), not a title's end
        if start < end:
            spans.append((start, end, ent.label_))
            covered.update(range(ent.start, ent.end))
    i = sent.start
    while i < sent.end:
        tok = tokens[i]
        if tok.pos_ == "PROPN" and i not in covered:
            j = i
            while j < sent.end and j not in covered and _continues_name(sent.doc, j):
                j += 1
            while j > i and tokens[j - 1].is_punct:
                j -= 1
            if j > i:
                spans.append((i, j, ""))
            # a run of nothing but punctuation tagged PROPN must still move on
            i = max(j, i + 1)
        else:
            i += 1
    return sorted(spans)


def _joined_country_names(
    spans: list[tuple[int, int, str]], doc: Any, g: Gazetteer
) -> list[tuple[int, int, str]]:
    """Return the spans with two names joined by "of" or "of the" made one where together
    they name a country ("Democratic Republic" + "Congo"): apart, the second part may name
    another country."""
    out: list[tuple[int, int, str]] = []
    for span in spans:
        if out and _joins_as_country(out[-1], span, doc, g):
            out[-1] = (out[-1][0], span[1], "GPE")
        else:
            out.append(span)
    return out


def _joins_as_country(
    a: tuple[int, int, str], b: tuple[int, int, str], doc: Any, g: Gazetteer
) -> bool:
    between = [t.lower_ for t in doc_tokens(doc)[a[1] : b[0]]]
    if between not in (["of"], ["of", "the"]):
        return False
    return g.country(doc[a[0] : b[1]].text) is not None


def _continues_name(doc: Any, j: int) -> bool:
    """Return True when token ``j`` belongs to the proper-noun run before it: a proper noun,
    or any word glued to its neighbour by hyphens ("Dasht-e-Barchi")."""
    tokens = doc_tokens(doc)
    tok = tokens[j]
    if tok.pos_ == "PROPN":
        return True
    lex = _lexicon()
    nxt = tokens[j + 1] if j + 1 < len(tokens) else None
    if tok.lower_ in lex.name_particles and nxt is not None and nxt.pos_ == "PROPN":
        return True
    glued = j > 0 and tokens[j - 1].whitespace_ == "" and not tokens[j - 1].is_space
    return glued and (tok.is_alpha or tok.text == "-") and (tok.text == "-" or tok.text[0] != " ")


def _line_end(doc: Any, start: int, end: int) -> int:
    """Return where the span stops at its first line break (a title running into a byline)."""
    tokens = doc_tokens(doc)
    for i in range(start + 1, end):
        if "\n" in tokens[i - 1].whitespace_ or tokens[i].is_space:
            return i
    return end


def _span_root(doc: Any, start: int, end: int) -> Any:
    """Return the token of ``start:end`` whose head lies outside the span."""
    for tok in doc[start:end]:
        if not start <= tok.head.i < end or tok.head.i == tok.i:
            return tok
    return doc[end - 1]


def _framed_role(
    doc: Any, start: int, end: int, lex: _Lexicon, own_suffix: bool = True
) -> tuple[Role, int, str] | None:
    """Return (role, end without suffix, rule) when the name's frame says what it is:
    "the town of X", "X province", "X District", "Jalalabad City"."""
    root = _span_root(doc, start, end)
    last = doc[end - 1]
    suffix_role = lex.place_nouns.get(last.lower_)
    if suffix_role is not None and end - start > 1 and own_suffix:
        return suffix_role, end - 1, "places.type_suffix"
    following = doc[end] if end < len(doc) else None
    if following is not None and following.pos_ == "NOUN":
        role = lex.place_nouns.get(following.lower_)
        if role is not None:
            return role, end, "places.type_suffix"
    head = root.head
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN":
        noun = head.head
        named = any(c.pos_ == "PROPN" and c.dep_ == "compound" for c in noun.lefts)
        role = lex.place_nouns.get(noun.lower_)
        if role is not None and not named:
            return role, end, "places.type_of"
    return None


def _name_atom(
    doc: Any, span: tuple[int, int, str], lex: _Lexicon, g: Gazetteer, votes: _Votes
) -> _Atom | None:
    start, end, label = span
    text = doc[start:end].text
    if label in ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"):
        return None
    if normalize_name(text) in lex.not_places or not any(c.isalpha() for c in text):
        return None
    root = _span_root(doc, start, end)
    if label == "NORP":
        return _demonym_atom(doc, start, end, root, lex, g)
    # An organisation's own last word is part of its name ("Islamic State"), not a place type.
    framed = _framed_role(doc, start, end, lex, own_suffix=label != "ORG")
    if framed is not None:
        return _framed_atom(doc, start, end, root, framed, g, votes)
    if label == "FAC":
        atom = _Atom(start, end, root.i, "city", text, "places.gazetteer_city")
        # The parser tags some towns as facilities ("Abu Ghraib"); a known town stays a town.
        if _read_name(atom, g, votes, lex.min_bare_city_population) and atom.role == "city":
            return atom
        return _Atom(start, end, root.i, "venue", text, "places.facility", named=True)
    venue_word = doc[end - 1].lemma_.lower() in lex.venue_nouns
    # Organisations named after buildings ("the White House said") are places only where a
    # place stands in the sentence.
    if label == "ORG" and venue_word and _is_locative(root, lex):
        return _Atom(start, end, root.i, "venue", text, "places.named_venue", named=True)
    atom = _Atom(start, end, root.i, "city", text, "places.gazetteer_city")
    if label == "LOC":
        # LOC names regions and landforms ("the Middle East", "Central Asia"), never towns.
        return atom if _read_name(atom, g, votes, 0) and atom.role != "city" else None
    if label == "GPE":
        if not _read_name(atom, g, votes, 0) or _foreign_owner(atom, root, lex, votes):
            return None
        return None if atom.role == "country" and _is_modifier(root, lex) else atom
    if not (_is_locative(root, lex) or root.dep_ == "poss"):
        return None
    if not _read_name(atom, g, votes, lex.min_bare_city_population):
        return None
    return None if _foreign_owner(atom, root, lex, votes) else atom


def _foreign_owner(atom: _Atom, root: Any, lex: _Lexicon, votes: _Votes) -> bool:
    """Return whether a name read as a town owns something that is no place ("Duarte's
    declaration", "Rivera's murder") while the town lies in none of the countries the
    article names: a person's name more often than a foreign town."""
    if atom.role != "city" or root.dep_ != "poss" or _is_locative(root, lex):
        return False
    return bool(votes.counts) and (atom.country is None or not votes.share(atom.country))


def _is_modifier(root: Any, lex: _Lexicon) -> bool:
    """Return True when a country name only qualifies a noun that is no place ("U.S.
    officials", "Pakistan army"): it says whose, not where."""
    if root.dep_ not in ("compound", "amod", "nmod", "poss"):
        return False
    noun = root.head
    return noun.lower_ not in lex.place_nouns and noun.lemma_.lower() not in lex.venue_nouns


def _demonym_atom(
    doc: Any, start: int, end: int, root: Any, lex: _Lexicon, g: Gazetteer
) -> _Atom | None:
    """Return a country atom for a nationality word modifying a place or venue noun
    ("the Iraqi city of Fallujah", "a Kenyan airfield")."""
    iso = g.demonym_country(doc[start:end].text)
    head = root.head
    if iso is None or root.dep_ not in ("amod", "compound", "nmod"):
        return None
    noun = head.lemma_.lower()
    if noun not in lex.place_nouns and noun not in lex.venue_nouns:
        return None
    return _Atom(start, end, root.i, "country", doc[start:end].text, "places.demonym", country=iso)


def _framed_atom(
    doc: Any,
    start: int,
    end: int,
    root: Any,
    framed: tuple[Role, int, str],
    g: Gazetteer,
    votes: _Votes,
) -> _Atom:
    role, name_end, rule = framed
    text = doc[start:name_end].text
    atom = _Atom(start, end, root.i, role, text, rule)
    if role == "city" and g.cities(doc[start:end].text) and name_end != end:
        # "Sadr City", "Mexico City": the suffix belongs to the name.
        atom.text = doc[start:end].text
    if role == "city":
        atom.city = _best_city(g, atom.text, votes, None)
        atom.country = atom.city.country if atom.city else None
    elif role == "admin1":
        atom.admin1 = _best_admin1(g, text, votes, None)
        atom.country = atom.admin1.country if atom.admin1 else None
        atom.country = atom.country or g.country_of_name(text)
        if atom.country is not None and atom.admin1 is None and g.country_of_name(text):
            atom.role = "country"
    return atom


def _sentence_atoms(sent: Any, lex: _Lexicon, g: Gazetteer, votes: _Votes) -> list[_Atom]:
    atoms = _venue_atoms(sent, lex, g, votes)
    taken = {i for a in atoms for i in range(a.start, a.end)}
    for span in _joined_country_names(_name_spans(sent), sent.doc, g):
        if any(i in taken for i in range(span[0], span[1])):
            continue
        if _names_a_person(sent.doc, span):
            continue
        atom = _name_atom(sent.doc, span, lex, g, votes)
        if atom is not None:
            atoms.append(atom)
            taken.update(range(atom.start, atom.end))
    return sorted(atoms, key=lambda a: a.start)


def _names_a_person(doc: Any, span: tuple[int, int, str]) -> bool:
    """Return whether a one-word name is a person's: the last word of a run of names the
    parse split ("Pablo Pelaez" + "Gonzalez"), or a word of a person's full name the
    article gives elsewhere ("Jorge Castillo Garcia" ... "Castillo")."""
    start, end, label = span
    if end - start != 1 or label in _PLACE_LABELS:
        return False
    tokens = doc_tokens(doc)
    before = tokens[start - 1] if start > 0 else None
    if before is not None and before.pos_ == "PROPN" and before.ent_type_ not in _PLACE_LABELS:
        return True
    return tokens[start].lower_ in doc_memo(doc, "person_words", _person_words)


def _person_words(doc: Any) -> frozenset[str]:
    """Return the words of the full names (two words or more) of people in a document."""
    return frozenset(
        t.lower_ for ent in doc_ents(doc) if ent.label_ == "PERSON" and len(ent) > 1 for t in ent
    )


# ---------------------------------------------------------------------------------------------
# Groups


def _climb(atom: _Atom, doc: Any, lex: _Lexicon) -> list[int]:
    """Return the tokens above the atom inside its noun phrase, lowest first: climbing through
    possessives, compounds, appositions, locative prepositions, place and venue nouns, and
    stopping below a verb, an event noun or a coordination ("in Kabul and in Kandahar")."""
    tok, path = doc[atom.root], []
    for _ in range(_MAX_CLIMB):
        dep, head = tok.dep_, tok.head
        if head.i == tok.i or head.pos_ in ("VERB", "AUX") or dep not in _CLIMB_DEPS:
            break
        if dep == "pobj" and head.lower_ not in lex.locative_preps:
            break
        if dep == "pobj" and head.head.lower_ in lex.directions:
            # "west of Baghdad", "north of Kabul": a landmark to measure from, not the place.
            break
        if _line_break_between(doc, tok, head):
            break
        path.append(head.i)
        is_place = head.lower_ in lex.place_nouns or head.lemma_.lower() in lex.venue_nouns
        if head.pos_ != "ADP" and not is_place and not atom.start <= head.i < atom.end:
            break
        tok = head
    return path


def _line_break_between(doc: Any, a: Any, b: Any) -> bool:
    """Return True when a line break separates tokens ``a`` and ``b``: a title and the first
    paragraph are parsed as one sentence but are never one place."""
    # Token by token: ``doc.text`` would rebuild the whole text on every call.
    lo, hi = min(a.i, b.i), max(a.i, b.i)
    return any("\n" in doc[i].text_with_ws for i in range(lo, hi))


_CLIMB_DEPS = frozenset({"poss", "compound", "nmod", "amod", "appos", "pobj", "prep", "npadvmod"})


def _verb_anchor(atom: _Atom, doc: Any, top: int) -> int | None:
    """Return the verb a venue object or a locative phrase hangs from ("attacked a school in
    Peshawar": both hang from "attacked")."""
    tok = doc[top]
    if atom.role == "venue" and doc[atom.root].dep_ in ("dobj", "nsubjpass") and top == atom.root:
        return int(doc[atom.root].head.i)
    if tok.pos_ == "ADP" and tok.dep_ == "prep" and tok.head.pos_ == "VERB":
        return int(tok.head.i)
    return None


def _groups(atoms: list[_Atom], doc: Any, lex: _Lexicon) -> list[list[_Atom]]:
    owner = {i: n for n, a in enumerate(atoms) for i in range(a.start, a.end)}
    parent = list(range(len(atoms)))

    def find(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    tops: dict[int, int] = {}
    anchors: dict[int, list[int]] = {}
    for n, atom in enumerate(atoms):
        path = _climb(atom, doc, lex)
        for i in path:
            if i in owner and owner[i] != n:
                parent[find(n)] = find(owner[i])
        top = path[-1] if path else atom.root
        if top in tops:
            parent[find(n)] = find(tops[top])
        tops.setdefault(top, n)
        verb = _verb_anchor(atom, doc, top)
        if verb is not None:
            anchors.setdefault(verb, []).append(n)
    for members in anchors.values():
        _join_on_verb(members, atoms, parent, find)
    for n in range(len(atoms) - 1):
        if _comma_hierarchy(atoms[n], atoms[n + 1], doc):
            parent[find(n + 1)] = find(n)
    grouped: dict[int, list[_Atom]] = {}
    for n, atom in enumerate(atoms):
        grouped.setdefault(find(n), []).append(atom)
    return sorted(grouped.values(), key=lambda grp: grp[0].start)


_LEVEL = {"venue": 0, "district": 1, "city": 2, "admin1": 3, "country": 4}


def _comma_hierarchy(a: _Atom, b: _Atom, doc: Any) -> bool:
    """Return True for "Quetta, Balochistan" and "Elbe, Somalia": a comma between a place and
    a larger one, however the parser attached them."""
    between = doc[a.end : b.start].text.strip()
    return between == "," and _LEVEL[a.role] < _LEVEL[b.role] and _LEVEL[b.role] >= 2


def _join_on_verb(members: list[int], atoms: list[_Atom], parent: list[int], find: Any) -> None:
    """Join a venue with the places of the same verb when no two of them name rival places
    of one level ("fled from Kabul to Kandahar" stays two places)."""
    roots = list(dict.fromkeys(find(n) for n in members))
    if len(roots) < 2:
        return
    roles = [a.role for n, a in enumerate(atoms) if find(n) in roots and a.role != "venue"]
    has_venue = any(atoms[n].role == "venue" for n in members)
    if has_venue and len(roles) == len(set(roles)):
        for root in roots[1:]:
            parent[find(root)] = find(roots[0])


# ---------------------------------------------------------------------------------------------
# Resolution of a group


def _precision(place: Place) -> int:
    """Return GTD's specificity: 1 a town with coordinates, 2 a town the gazetteer does not
    place, 4 only a region, 5 only a country (or nothing)."""
    if place.city is not None:
        return 1 if place.lat is not None else 2
    return 4 if place.admin1 is not None else 5


def _with_precision(place: Place) -> Place:
    return replace(place, precision=_precision(place))


def _group_place(group: list[_Atom], g: Gazetteer, votes: _Votes) -> Place:
    local = next((a.country for a in group if a.role == "country"), None)
    local = local or next((a.country for a in group if a.role == "venue" and a.country), None)
    if local is not None:
        for atom in group:
            _reread_in_country(atom, g, votes, local)
    regions = [a for a in group if a.role == "admin1"]
    if regions and regions[0].admin1 is None and local is not None:
        regions[0].admin1 = _best_admin1(g, regions[0].text, votes, local)
    if local is None and regions and regions[0].admin1 is not None:
        local = regions[0].admin1.country
    cities = [a for a in group if a.role == "city"]
    for atom in cities:
        found = _best_city(g, atom.text, votes, local)
        # A town the gazetteer only knows abroad is an unknown town here: no coordinates.
        atom.city = found if found is None or local is None or found.country == local else None
    cities = _without_doubtful_venue_towns(cities)
    city_atom = _main_city(cities)
    districts = [a.text for a in group if a.role == "district"]
    districts += [a.text for a in cities if a is not city_atom]
    venue = _venue_text(group, districts)
    city = city_atom.city if city_atom is not None else None
    admin1 = regions[0].admin1.name if regions and regions[0].admin1 else None
    admin1 = admin1 or (regions[0].text if regions else None)
    country = local or (city.country if city else None)
    if country is None and regions and regions[0].admin1 is not None:
        country = regions[0].admin1.country
    if admin1 is None and city is not None and city.admin1 is not None and regions:
        admin1 = city.admin1
    place = Place(
        venue=venue,
        city=_city_name(city_atom.text, city) if city_atom is not None else None,
        admin1=admin1,
        country=country,
        lat=city.lat if city else None,
        lon=city.lon if city else None,
    )
    if city is None and regions and regions[0].admin1 is not None and place.city is None:
        place = replace(place, lat=regions[0].admin1.lat, lon=regions[0].admin1.lon)
    return _with_precision(place)


def _reread_in_country(atom: _Atom, g: Gazetteer, votes: _Votes, local: str) -> None:
    """Read again, within the country its phrase names, a name read alone as a region
    abroad: "Beni, Democratic Republic of the Congo" is the Congolese town, not the Bolivian
    department."""
    if atom.role != "admin1" or atom.admin1 is None or atom.admin1.country == local:
        return
    city = _best_city(g, atom.text, votes, local)
    if city is not None and city.country == local:
        atom.role, atom.city, atom.admin1, atom.country = "city", city, None, local
        atom.rule = "places.gazetteer_city"
        return
    region = _best_admin1(g, atom.text, votes, local)
    atom.admin1 = region if region is not None and region.country == local else None


def _city_name(written: str, city: City | None) -> str:
    """Return the city's name as the article writes it ("Hillah", not GeoNames' "Al Hillah"),
    or the gazetteer's (accents stripped) when the text is in capitals, as wire copy is."""
    if city is None or not written.isupper():
        return " ".join(written.split())
    return normalize_name(city.name).title() if not city.name.isascii() else city.name


def _without_doubtful_venue_towns(cities: list[_Atom]) -> list[_Atom]:
    """Return the city atoms without towns read from a venue's own name ("the Golden
    Mosque") when the text names the venue's town itself or the town lies abroad: "Golden"
    is then part of a name, not a place."""
    named = [a for a in cities if a.rule != "places.venue_town"]
    return [a for a in cities if a.rule != "places.venue_town" or (not named and a.city)]


def _main_city(cities: list[_Atom]) -> _Atom | None:
    """Return the group's city: the most populous one ("Baghdad" over "Sadr City"); a named
    town the gazetteer does not know comes after those it knows."""
    if not cities:
        return None
    return max(cities, key=lambda a: a.city.population if a.city else -1)


def _venue_text(group: list[_Atom], districts: list[str]) -> str | None:
    venues = [a for a in group if a.role == "venue"]
    venues.sort(key=lambda a: (not a.named, a.start))
    parts = [venues[0].text] if venues else []
    parts += districts[:1]
    return ", ".join(" ".join(p.split()) for p in parts) if parts else None


def _group_rule(group: list[_Atom]) -> str:
    order = ("venue", "district", "city", "admin1", "country")
    best = min(group, key=lambda a: order.index(a.role))
    if any(a.role == "venue" for a in group) and any(a.role == "city" for a in group):
        return "places.venue_in_city"
    return best.rule


def _group_evidence(ctx: Context, group: list[_Atom]) -> Evidence:
    doc = ctx.doc
    start = min(doc[a.start].idx for a in group)
    last = doc[max(a.end for a in group) - 1]
    return ctx.evidence(start, last.idx + len(last.text))


# ---------------------------------------------------------------------------------------------
# Datelines


def _dateline_mentions(ctx: Context, g: Gazetteer, votes: _Votes) -> list[PlaceMention]:
    lex = _lexicon()
    text = ctx.article.text
    found: list[PlaceMention] = []
    for match in lex.dateline.finditer(text[: lex.dateline_max_offset]):
        name = match.group("place").strip()
        start = match.start("place") + match.group("place").index(name)
        place = _dateline_place(name, match.group("region"), g, votes)
        if place is None:
            continue
        fact = Fact(place, (ctx.evidence(start, start + len(name)),), "places.dateline")
        found.append(PlaceMention(fact, ctx.sentence_index(start)))
        break
    return found


def _dateline_place(name: str, region: str | None, g: Gazetteer, votes: _Votes) -> Place | None:
    iso = g.country_of_name(name)
    if iso is not None:
        return _with_precision(Place(country=iso))
    local = g.country_of_name(region) if region else None
    city = _best_city(g, name, votes, local)
    if city is None or city.population < _lexicon().min_bare_city_population:
        return None
    return _with_precision(
        Place(city=_city_name(name, city), country=city.country, lat=city.lat, lon=city.lon)
    )


# ---------------------------------------------------------------------------------------------
# Public API


def find_places(ctx: Context) -> list[PlaceMention]:
    """Return one PlaceMention per place expression of the article, in text order (a dateline
    first), each resolved as far as the text and the gazetteer allow."""
    g = gazetteer()
    lex = _lexicon()
    votes = _article_votes(ctx, g)
    mentions = _dateline_mentions(ctx, g, votes)
    for dateline in mentions:
        # Where the report was filed counts as the country named once more.
        country = dateline.fact.value.country
        if country is not None:
            votes.counts[country] += 1.0  # type: ignore[assignment]
    dateline_spans = {(m.fact.evidence[0].start, m.fact.evidence[0].end) for m in mentions}
    for index, sent in enumerate(ctx.sents):
        atoms = _sentence_atoms(sent, lex, g, votes)
        for group in _groups(atoms, ctx.doc, lex):
            place = _group_place(group, g, votes)
            if _is_empty(place):
                continue
            evidence = _group_evidence(ctx, group)
            if (evidence.start, evidence.end) in dateline_spans:
                continue
            mentions.append(PlaceMention(Fact(place, (evidence,), _group_rule(group)), index))
    return sorted(mentions, key=lambda m: m.fact.evidence[0].start)


def _is_empty(place: Place) -> bool:
    return not any((place.venue, place.city, place.admin1, place.country))


def _specificity(place: Place) -> tuple[int, int, int]:
    """Return a sort key: more specific places sort first."""
    return (place.precision, 0 if place.venue else 1, 0 if place.country else 1)


def consistent(a: Place, b: Place) -> bool:
    """Return True when the two places can be one: no field set in both with different values,
    and no city of one lying (by the gazetteer) outside the admin1 region of the other."""
    for x, y in ((a.country, b.country), (a.city, b.city), (a.admin1, b.admin1)):
        if x is not None and y is not None and normalize_name(x) != normalize_name(y):
            return False
    return _city_in_region(a.city, b.admin1, b.country) and _city_in_region(
        b.city, a.admin1, a.country
    )


def _city_in_region(city: str | None, region: str | None, country: str | None) -> bool:
    if city is None or region is None:
        return True
    found = [c for c in gazetteer().cities(city) if country is None or c.country == country]
    known = [c.admin1 for c in found if c.admin1 is not None]
    return not known or any(normalize_name(k) == normalize_name(region) for k in known)


def _merge(base: Place, other: Place) -> Place:
    """Return ``base`` with its missing city/admin1/country (and coordinates) from ``other``."""
    merged = replace(
        base,
        city=base.city or other.city,
        admin1=base.admin1 or other.admin1,
        country=base.country or other.country,
    )
    if merged.lat is None and other.lat is not None and other.city == merged.city:
        merged = replace(merged, lat=other.lat, lon=other.lon)
    return _with_precision(merged)


def _distance(mention: PlaceMention, sent_indices: Sequence[int]) -> int:
    return min(abs(mention.sent_index - s) for s in sent_indices)


def _nearby(
    mentions: Sequence[PlaceMention], sent_indices: Sequence[int], limit: int
) -> list[PlaceMention]:
    near = [m for m in mentions if _distance(m, sent_indices) <= limit]
    # Earlier sentences usually set the scene for later ones, so ties go to the earlier one.
    return sorted(near, key=lambda m: (_distance(m, sent_indices), m.sent_index))


def incident_place(
    ctx: Context, mentions: Sequence[PlaceMention], sent_indices: Sequence[int]
) -> Fact[Place] | None:
    """Return the place of the incident reported by sentences ``sent_indices``: the most
    specific place of those sentences, completed by consistent places of nearby sentences,
    the dateline and the article's most-named country; None when nothing places it."""
    if not sent_indices:
        return None
    own = [m for m in mentions if m.sent_index in sent_indices and m.fact.rule != "places.dateline"]
    nearby = _nearby(mentions, sent_indices, _NEIGHBOUR_SENTENCES)
    datelines = [m for m in mentions if m.fact.rule == "places.dateline"]
    placed = own or [m for m in nearby if m.fact.value.city or m.fact.value.admin1]
    wire = is_mostly_upper(ctx.article.text)
    if not placed and datelines and wire:
        # A wire report's dateline names where the agency filed it from, most often the
        # capital: it places the lead's news (among the nearby places), while an attack
        # told further on, placed by nothing else, gets only its country.
        return _dateline_country(datelines[0])
    pool = placed or datelines
    if not pool:
        return _country_from_votes(ctx)
    base = min(pool, key=lambda m: (_specificity(m.fact.value), _distance(m, sent_indices)))
    place, used = base.fact.value, [base]
    # Nor does a wire dateline complete another place but for its country.
    filed = [_as_country(d) for d in datelines] if wire else datelines
    for other in [*own, *nearby, *filed]:
        if other is base or not consistent(place, other.fact.value):
            continue
        merged = _merge(place, other.fact.value)
        same_sentence = other in own and other.sent_index == base.sent_index
        if merged.venue is None and same_sentence and other.fact.value.venue is not None:
            merged = replace(merged, venue=other.fact.value.venue)
        if merged != place:
            place, used = merged, [*used, other]
    if place.country is None:
        fallback = _country_from_votes(ctx)
        if fallback is not None:
            place = _with_precision(replace(place, country=fallback.value.country))
            return Fact(place, _evidence_of(used) + fallback.evidence, "places.incident_votes")
    rule = base.fact.rule if len(used) == 1 else "places.incident_merge"
    return Fact(place, _evidence_of(used), rule)


def _as_country(mention: PlaceMention) -> PlaceMention:
    """Return the mention of a place's country alone."""
    place = _with_precision(Place(country=mention.fact.value.country))
    return replace(mention, fact=replace(mention.fact, value=place))


def _dateline_country(dateline: PlaceMention) -> Fact[Place] | None:
    """Return the country of a dateline's place, with the dateline as evidence."""
    if dateline.fact.value.country is None:
        return None
    return replace(_as_country(dateline).fact, rule="places.dateline_country")


def _evidence_of(used: Iterable[PlaceMention]) -> tuple[Evidence, ...]:
    seen: list[Evidence] = []
    for mention in used:
        for ev in mention.fact.evidence:
            if ev not in seen:
                seen.append(ev)
    return tuple(seen)


def _country_from_votes(ctx: Context) -> Fact[Place] | None:
    votes = _article_votes(ctx, gazetteer())
    top = votes.top()
    if top is None:
        return None
    start, end = votes.evidence[top]
    return Fact(
        Place(country=top, precision=5), (ctx.evidence(start, end),), "places.country_votes"
    )
