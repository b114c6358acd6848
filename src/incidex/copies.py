"""Copy groups: which articles are copies of one story, syndicated or reworded.

Two fingerprints per article (datasketch MinHash signatures) feed two LSH indexes:

- the *text* fingerprint, word 5-grams of the clean text, finds verbatim and near-verbatim
  copies (syndication under other page junk, truncated re-posts);
- the *skeleton* fingerprint finds reworded ("spun") copies. A spinner swaps content words
  for synonyms but keeps function words, names and numbers where they were, so the text with
  every run of other words collapsed to ``_`` survives the spinning while two independent
  reports of the same attack, sharing names and numbers, still word their sentences apart.

A candidate pair from either index is confirmed by estimated overlap, and a reworded pair
must also share most of its names and numbers. Copy groups are the connected components of
confirmed pairs; the earliest article (publication date, then id) is the group's original.
Every decision depends on the two articles alone, so groups do not depend on arrival order.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, compress, repeat
from operator import is_not
from sys import intern
from typing import Any, Literal, cast

import numpy as np
from datasketch import MinHash, MinHashLSH

from .data import load_data

__all__ = [
    "CopyIndex",
    "CopyKind",
    "CopyLink",
    "Fingerprint",
    "band_keys",
    "copy_groups",
    "fingerprint",
    "link_between",
    "make_fingerprint",
    "original_of",
]

CopyKind = Literal["near_duplicate", "reworded"]

NUM_PERM = 128
# datasketch's permutation scheme; stored signatures are only comparable within one scheme.
SCHEME: Literal["affine32"] = "affine32"
SHINGLE = 5
# LSH finds pairs whose estimated Jaccard is about this or more; confirmation is stricter.
# Truncated copies need a low text threshold; a spun copy keeps nearly all its skeleton,
# and a higher skeleton threshold keeps stories written on one template out.
CANDIDATE_THRESHOLD = 0.3
SKELETON_CANDIDATE_THRESHOLD = 0.5
# A near duplicate shares this much of its word 5-grams (Jaccard), or the shorter text is
# this much contained in the longer (a truncated copy).
NEAR_JACCARD = 0.5
NEAR_CONTAINMENT = 0.8
# A copy keeps this much of the shorter text's names and numbers; a reworded copy this much
# of its skeleton.
REWORD_SKELETON = 0.55
REWORD_ANCHORS = 0.6
# Texts with fewer distinct word 5-grams than this (about 25 words) are too short to call
# near copies or rewordings of anything: a one-line teaser shares most of its words with
# many stories. Only a word-for-word identical short text is a copy.
MIN_SHINGLES = 21

# Possessive: a word never gives back a letter to let a match succeed (what follows each
# run is no word character), and the engine keeps no backtracking points for it (the 10k
# bench texts: 0.156 -> 0.137 s CPU for finding their words).
_WORD = re.compile(r"\w++(?:['’-]\w+)*+")


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    return frozenset(load_data("copies.json")["function_words"])


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """Return value of ``fingerprint``: the two MinHash signatures of an article, their set
    sizes, and its names and numbers (``anchors``). Stores written before short texts were
    compared hold a size of 0 for them, which reads as empty."""

    article_id: str
    published: dt.date | None
    text_hashes: np.ndarray
    text_size: int
    skeleton_hashes: np.ndarray
    skeleton_size: int
    anchors: frozenset[str]
    # The keys of the two signatures' LSH bands (empty for a short text, which is looked
    # up by its whole signature). A pure function of the signatures, worked out with them
    # (``make_fingerprint``), where the text is fingerprinted: an extraction worker, when
    # the pipeline fingerprints there, leaving the process that saves only the lookups.
    text_keys: tuple[bytes, ...]
    skeleton_keys: tuple[bytes, ...]

    @property
    def is_short(self) -> bool:
        """Return whether the text is too short to compare but for identity."""
        return self.text_size < MIN_SHINGLES

    def order_key(self) -> tuple[dt.date, str]:
        """Return the key that puts the earliest article first (unknown dates last)."""
        return (self.published or dt.date.max, self.article_id)

    def __reduce__(self) -> tuple[type[Fingerprint], tuple[Any, ...]]:
        # Pickled (from an extraction worker) as the call that makes it again: a compiled
        # frozen class cannot have its fields set one by one.
        return (
            Fingerprint,
            (
                self.article_id,
                self.published,
                self.text_hashes,
                self.text_size,
                self.skeleton_hashes,
                self.skeleton_size,
                self.anchors,
                self.text_keys,
                self.skeleton_keys,
            ),
        )


@dataclass(frozen=True, slots=True)
class CopyLink:
    """A confirmed copy pair (``a`` < ``b``) with its kind and the overlap that confirmed it."""

    a: str
    b: str
    kind: CopyKind
    score: float


def _words_and_skeleton(text: str) -> tuple[list[str], list[str], set[str]]:
    """Return the case-folded words of a text, its skeleton words (function words, names,
    numbers, ``_`` for other runs) and the set of its names and numbers. A capitalised
    word is a name unless it starts a sentence (or follows an opening quote or bracket
    there); only capitalised words are checked, which costs less than finding every
    sentence start."""
    function_words = _function_words()
    words: list[str] = []
    out: list[str] = []
    anchors: set[str] = set()
    # Bound once: the loop runs for every word of every article.
    add_word, add_out, add_anchor = words.append, out.append, anchors.add
    # Kept words are never "_" (function words, and words starting with a capital or a
    # digit), so a flag tells whether the skeleton ends in a run of other words.
    in_run = False
    for m in _WORD.finditer(text):
        word = m[0]
        low = word.casefold()
        add_word(low)
        if low in function_words:
            add_out(low)
            in_run = False
            continue
        first = word[0]
        if first.isdigit() or (first.isupper() and not _at_sentence_start(text, m.start())):
            add_out(low)
            add_anchor(low)
            in_run = False
        elif not in_run:
            add_out("_")
            in_run = True
    return words, out, anchors


def _at_sentence_start(text: str, at: int) -> bool:
    """Return whether a word at ``at`` starts a sentence, or is one character after a
    sentence start (after an opening quote or bracket). A sentence starts at the start of
    the text, after a line break, or after a full stop, question or exclamation mark and a
    space."""
    if at < 2:
        return True
    before, last = text[at - 2], text[at - 1]
    if last == "\n" or before == "\n" or (before in ".!?" and last.isspace()):
        return True
    return at >= 3 and text[at - 3] in ".!?" and before.isspace()


def _shingles(words: Sequence[str]) -> set[bytes]:
    """Return the distinct word 5-grams (a MinHash does not depend on their order)."""
    if len(words) < SHINGLE:
        return {" ".join(words).encode("utf-8")} if words else set()
    # Words hold no space: the words encoded in one call, each 5-gram joined as bytes
    # (encoding every 5-gram cost as much as joining them), by one C-level map over five
    # shifted lists (the 10k bench texts: 0.49 -> 0.40 s CPU against a comprehension over
    # ``zip(*generator)``). The shifted lists end together at the last full 5-gram: strict
    # would refuse that.
    e = " ".join(words).encode("utf-8").split(b" ")
    return set(map(b" ".join, zip(e, e[1:], e[2:], e[3:], e[4:], strict=False)))


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    # Drawing the permutations costs more than hashing a short article; draw them once.
    a, b = MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashfunc=zlib.crc32).permutations
    return np.asarray(a, dtype=np.uint32), np.asarray(b, dtype=np.uint32)


# MurmurHash3's 32-bit finalizer, which datasketch's affine32 scheme applies to every hash
# before permuting it.
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))
_EMPTY = np.uint32(0xFFFFFFFF)


def _signatures(*shingle_sets: Collection[bytes]) -> list[np.ndarray]:
    """Return the MinHash signature of each set of shingles exactly as datasketch's
    ``MinHash`` (scheme affine32, CRC-32 hashes) computes it, as uint32 (datasketch's
    values, which fit; the store keeps them as uint64). Computed here: setting up and
    clearing a MinHash cost as much as hashing a short article. CRC-32 is stable across
    processes (stored signatures stay comparable) and costs next to nothing per shingle.
    The sets are hashed and permuted as one array, each signature the minimum over its
    own rows: numpy's fixed cost per call is a good part of a short article's (the text
    and skeleton signatures of the 10k bench texts: 0.63 -> 0.57 s CPU against one call
    per set)."""
    counts = [len(shingles) for shingles in shingle_sets]
    hashes = chain.from_iterable(shingle_sets)
    hv = np.fromiter(map(zlib.crc32, hashes), dtype=np.uint32, count=sum(counts))
    s1, m1, s2, m2 = _FMIX32
    hv ^= hv >> s1
    hv *= m1
    hv ^= hv >> s2
    hv *= m2
    hv ^= hv >> s1
    a, b = _permutations()
    # uint32 arithmetic wraps around: the permutations are affine maps modulo 2^32.
    permuted: np.ndarray = np.multiply.outer(hv, a)
    permuted += b
    signatures = []
    start = 0
    for count in counts:
        if count:
            signatures.append(permuted[start : start + count].min(axis=0))
        else:
            signatures.append(np.full(NUM_PERM, _EMPTY, dtype=np.uint32))
        start += count
    return signatures


def fingerprint(article_id: str, text: str, published: dt.date | None = None) -> Fingerprint:
    """Return the fingerprint of an article's clean text."""
    words, skeleton, anchors = _words_and_skeleton(text)
    text_shingles = _shingles(words)
    skeleton_shingles = _shingles(skeleton)
    text_hashes, skeleton_hashes = _signatures(text_shingles, skeleton_shingles)
    return make_fingerprint(
        article_id,
        published,
        text_hashes,
        len(text_shingles),
        skeleton_hashes,
        len(skeleton_shingles),
        frozenset(anchors),
    )


def make_fingerprint(
    article_id: str,
    published: dt.date | None,
    text_hashes: np.ndarray,
    text_size: int,
    skeleton_hashes: np.ndarray,
    skeleton_size: int,
    anchors: frozenset[str],
) -> Fingerprint:
    """Return the Fingerprint of these signatures (computed, as uint32, or read back from
    the store, as uint64), with the keys of their LSH bands; it holds them as uint64."""
    compared = text_size >= MIN_SHINGLES
    return Fingerprint(
        article_id=article_id,
        published=published,
        text_hashes=text_hashes.astype(np.uint64, copy=False),
        text_size=text_size,
        skeleton_hashes=skeleton_hashes.astype(np.uint64, copy=False),
        skeleton_size=skeleton_size,
        anchors=anchors,
        text_keys=band_keys(text_hashes, CANDIDATE_THRESHOLD) if compared else (),
        skeleton_keys=band_keys(skeleton_hashes, SKELETON_CANDIDATE_THRESHOLD) if compared else (),
    )


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / float(len(a))


def _containment(jaccard: float, size_a: int, size_b: int) -> float:
    """Return how much of the smaller set lies in the larger, from their Jaccard estimate."""
    smaller = min(size_a, size_b)
    if smaller == 0:
        return 0.0
    shared = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return min(1.0, shared / smaller)


def _anchor_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


def _sharing_anchors(
    anchors: frozenset[str], candidates: Iterable[str], anchors_of: Mapping[str, tuple[str, ...]]
) -> list[str]:
    """Return the candidates (long texts, with their anchors in ``anchors_of``) that
    ``link_between`` does not turn away, for a long text with these anchors, by its first
    test (anchor overlap): most candidates share only a template's wording and few of its
    names and numbers. Every anchor is one interned string and each candidate's anchors a
    tuple, so a test reads the tuple and strings every article shares, not a fingerprint,
    a set table and strings of the candidate's own: the index outgrows the processor's
    caches (confirming the candidates of the 10k bench articles, caches flushed between
    articles: 0.61 -> 0.52 s CPU)."""
    n = len(anchors)
    return [
        other
        for other in candidates
        if (shared := len(anchors.intersection(theirs := anchors_of[other])))
        and shared / min(n, len(theirs)) >= REWORD_ANCHORS
    ]


def link_between(x: Fingerprint, y: Fingerprint) -> CopyLink | None:
    """Return the copy link between two articles, or None when neither copies the other.
    Symmetric: the answer does not depend on which article comes first."""
    if x.article_id == y.article_id or not x.text_size or not y.text_size:
        return None
    if x.is_short or y.is_short:
        return _identical_short(x, y)
    # Stories built on one template (a wire service's boilerplate paragraphs) share much
    # of their wording but not their names and numbers; copies share both. Checked first:
    # it is the cheaper test and turns most candidates away.
    if _anchor_overlap(x.anchors, y.anchors) < REWORD_ANCHORS:
        return None
    a, b = sorted((x.article_id, y.article_id))
    text_j = _jaccard(x.text_hashes, y.text_hashes)
    text_c = _containment(text_j, x.text_size, y.text_size)
    if text_j >= NEAR_JACCARD or text_c >= NEAR_CONTAINMENT:
        return CopyLink(a, b, "near_duplicate", round(max(text_j, text_c), 3))
    skel_j = _jaccard(x.skeleton_hashes, y.skeleton_hashes)
    skel_c = _containment(skel_j, x.skeleton_size, y.skeleton_size)
    if skel_c >= REWORD_SKELETON:
        return CopyLink(a, b, "reworded", round(skel_c, 3))
    return None


def _identical_short(x: Fingerprint, y: Fingerprint) -> CopyLink | None:
    """Return the link between two short texts with the same words, else None (equal
    signatures of equal-sized 5-gram sets: the same words in the same order)."""
    if x.text_size != y.text_size or not np.array_equal(x.text_hashes, y.text_hashes):
        return None
    a, b = sorted((x.article_id, y.article_id))
    return CopyLink(a, b, "near_duplicate", 1.0)


@lru_cache(maxsize=4)
def _band_shape(threshold: float) -> tuple[int, int]:
    """Return the (bands, rows per band) datasketch's LSH chooses for ``threshold``."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return int(lsh.b), int(lsh.r)


@lru_cache(maxsize=4)
def _band_template(threshold: float) -> tuple[np.ndarray, np.dtype[np.void]]:
    """Return the key words of the bands for ``threshold`` with each band's number filled
    in and its rows left to fill, and the type that reads one band's words as one key."""
    bands, rows = _band_shape(threshold)
    words = np.zeros((bands, rows + 1), dtype="<u4")
    words[:, 0] = np.arange(bands)
    return words, np.dtype((np.void, (rows + 1) * 4))


def band_keys(hashes: np.ndarray, threshold: float) -> tuple[bytes, ...]:
    """Return the keys of a signature's bands in the LSH index for ``threshold``: each
    band's number, then its rows, as little-endian 32-bit words. With its number in it, a
    key names its band, so one dictionary holds every band of both indexes (their keys
    differ in length: ``_Bands``). Each band's words read as one raw value make the keys
    in one call (the 10k bench signatures: 0.24 -> 0.09 s CPU against slicing them)."""
    template, key = _band_template(threshold)
    bands, width = template.shape
    words = template.copy()
    words[:, 1:] = hashes[: bands * (width - 1)].reshape(bands, width - 1)
    # A raw value with no fields reads back as bytes.
    return tuple(cast("list[bytes]", words.view(key).ravel().tolist()))


class _Bands:
    """The MinHash LSH indexes, banded as datasketch's ``MinHashLSH`` bands them, kept as
    one dictionary from a band's key to the article holding it alone, or the tuple of the
    articles holding it: datasketch's own index spent more per article on byte-swapping
    bands and its storage layer than all the rest of copy grouping. The index outgrows the
    processor's caches, and an article's 62 lookups cost their memory reads more than their
    instructions: one dictionary, and no tuple for the many keys one article holds alone
    (bands of the 10k bench articles, caches flushed between articles: 0.85 s CPU with a
    dictionary per band and tuples, 0.68 with bare ids, 0.62 in one dictionary). A tuple
    is no object the garbage collector goes over once it holds only strings."""

    def __init__(self) -> None:
        self._table: dict[bytes, str | tuple[str, ...]] = {}

    def query(self, keys: tuple[bytes, ...]) -> set[str]:
        """Return the articles sharing at least one band with these keys."""
        found: set[str] = set()
        for hit in map(self._table.get, keys):
            if isinstance(hit, str):
                found.add(hit)
            elif hit:
                found.update(hit)
        return found

    def query_and_add(self, article_id: str, keys: tuple[bytes, ...]) -> set[str]:
        """Return what ``query(keys)`` returns, then add the article. Every key is looked up
        and, when new, added in one call; only the keys other articles hold take a step
        here (about a third)."""
        table = self._table
        held = list(map(table.setdefault, keys, repeat(article_id)))
        found: set[str] = set()
        shared = map(is_not, held, repeat(article_id))
        for key, hit in compress(zip(keys, held, strict=True), shared):
            if isinstance(hit, str):
                found.add(hit)
                table[key] = (hit, article_id)
            else:
                found.update(hit)
                table[key] = (*hit, article_id)
        return found


class CopyIndex:
    """The LSH indexes over every fingerprint added so far, for finding copy candidates."""

    def __init__(self) -> None:
        self._bands = _Bands()
        # Short texts by their whole signature: they only ever match an identical text.
        self._short: dict[bytes, list[str]] = {}
        self._prints: dict[str, Fingerprint] = {}
        # The anchors of every text in the bands, interned (see ``_sharing_anchors``).
        self._anchors: dict[str, tuple[str, ...]] = {}

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._prints

    def __len__(self) -> int:
        return len(self._prints)

    def fingerprint(self, article_id: str) -> Fingerprint | None:
        """Return the indexed fingerprint of an article, None when not indexed."""
        return self._prints.get(article_id)

    def add(self, fp: Fingerprint) -> None:
        """Index ``fp`` (a no-op when its article is already indexed or too short)."""
        if fp.article_id in self._prints:
            return
        self._prints[fp.article_id] = fp
        if not fp.text_size:
            return
        if fp.is_short:
            self._short.setdefault(fp.text_hashes.tobytes(), []).append(fp.article_id)
            return
        self._bands.query_and_add(fp.article_id, fp.text_keys + fp.skeleton_keys)
        self._anchors[fp.article_id] = tuple(map(intern, fp.anchors))

    def links(self, fp: Fingerprint) -> list[CopyLink]:
        """Return the confirmed copy links between ``fp`` and the indexed articles."""
        if not fp.text_size:
            return []
        if fp.is_short:
            found = set(self._short.get(fp.text_hashes.tobytes(), ()))
        else:
            found = self._bands.query(fp.text_keys + fp.skeleton_keys)
        return self._confirmed(fp, found)

    def add_linked(self, fp: Fingerprint) -> list[CopyLink]:
        """Return ``links(fp)``, then ``add(fp)``: for a new article, the bands are looked
        up once for both."""
        if fp.article_id in self._prints or not fp.text_size or fp.is_short:
            found = self.links(fp)
            self.add(fp)
            return found
        candidates = self._bands.query_and_add(fp.article_id, fp.text_keys + fp.skeleton_keys)
        self._prints[fp.article_id] = fp
        self._anchors[fp.article_id] = anchors = tuple(map(intern, fp.anchors))
        return self._confirmed(fp, candidates, frozenset(anchors))

    def _confirmed(
        self, fp: Fingerprint, candidates: set[str], anchors: frozenset[str] | None = None
    ) -> list[CopyLink]:
        """Return the copy links of ``fp`` with those candidates that are copies, by id
        (``anchors``: its anchors interned, when the caller has them)."""
        candidates.discard(fp.article_id)
        kept: Iterable[str] = candidates
        if not fp.is_short:
            if anchors is None:
                anchors = frozenset(map(intern, fp.anchors))
            kept = _sharing_anchors(anchors, candidates, self._anchors)
        prints = self._prints
        out = []
        for other in sorted(kept):
            link = link_between(fp, prints[other])
            if link is not None:
                out.append(link)
        return out


def original_of(members: Iterable[str], published: Mapping[str, dt.date | None]) -> str:
    """Return the earliest member (publication date, then id; undated ones last)."""
    return min(members, key=lambda a: (published.get(a) or dt.date.max, a))


def copy_groups(
    article_ids: Iterable[str],
    links: Iterable[CopyLink],
    published: Mapping[str, dt.date | None],
) -> list[tuple[str, ...]]:
    """Return the copy groups of ``article_ids``: connected components of ``links``, each
    with its original first and the rest by id; groups ordered by original."""
    parent: dict[str, str] = {a: a for a in article_ids}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        parent.setdefault(link.a, link.a)
        parent.setdefault(link.b, link.b)
        ra, rb = root(link.a), root(link.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for a in parent:
        members.setdefault(root(a), []).append(a)
    groups = []
    for group in members.values():
        first = original_of(group, published)
        groups.append((first, *sorted(a for a in group if a != first)))
    return sorted(groups, key=lambda g: (published.get(g[0]) or dt.date.max, g[0]))
