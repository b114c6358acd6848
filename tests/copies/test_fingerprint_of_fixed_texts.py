"""The fingerprint of fixed texts, every field worked out here without copies' helpers:
signatures by datasketch's own ``MinHash`` over 5-grams joined here, band keys packed here
from datasketch's band shape. Stored fingerprints are compared with new ones, so any change
to how a text is fingerprinted must fail here."""

from __future__ import annotations

import re
import struct
import zlib

import numpy as np
from datasketch import MinHash, MinHashLSH

from incidex import copies

TEXT = (
    "Gunmen attacked a police post in Dorvani on Tuesday, killing 17 officers. "
    "The governor said the attackers fled north.\n"
    '"Witnesses saw three trucks," Mayor Ilse Brandt told reporters after the attack. '
    "She said 2 of them were burned! (Police) were not there."
)
# Capitalised words starting a sentence (the first word, after a line break and an opening
# quote, after "! (") are no names; other capitalised words and numbers are kept.
# fmt: off
SKELETON = [
    "_", "a", "_", "in", "dorvani", "on", "tuesday", "_", "17", "_", "the", "_", "said",
    "the", "_", "three", "_", "mayor", "ilse", "brandt", "told", "_", "after", "the", "_",
    "she", "said", "2", "of", "them", "were", "_", "were", "not", "there",
]
# fmt: on
ANCHORS = {"17", "2", "brandt", "dorvani", "ilse", "mayor", "tuesday"}


def _words(text: str) -> list[str]:
    return [w.casefold() for w in re.findall(r"\w+(?:['’-]\w+)*", text)]


def _grams(words: list[str]) -> set[bytes]:
    if len(words) < 5:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + 5]).encode() for i in range(len(words) - 4)}


def _minhash(grams: set[bytes]) -> np.ndarray:
    m = MinHash(num_perm=128, scheme="affine32", hashfunc=zlib.crc32)
    for gram in sorted(grams):
        m.update(gram)
    return np.asarray(m.hashvalues, dtype=np.uint64)


def _keys(hashes: np.ndarray, threshold: float) -> tuple[bytes, ...]:
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    rows = [int(h) for h in hashes]
    return tuple(
        struct.pack(f"<{lsh.r + 1}I", band, *rows[band * lsh.r : (band + 1) * lsh.r])
        for band in range(lsh.b)
    )


def test_fingerprint_of_a_text_is_datasketchs_minhash_of_its_5_grams() -> None:
    fp = copies.fingerprint("a", TEXT)
    text_grams = _grams(_words(TEXT))
    skeleton_grams = _grams(SKELETON)
    assert fp.text_hashes.dtype == np.uint64
    assert np.array_equal(fp.text_hashes, _minhash(text_grams))
    assert fp.text_size == len(text_grams) == 38
    assert np.array_equal(fp.skeleton_hashes, _minhash(skeleton_grams))
    assert fp.skeleton_size == len(skeleton_grams) == 31
    assert fp.anchors == ANCHORS
    assert not fp.is_short
    assert fp.text_keys == _keys(fp.text_hashes, 0.3)
    assert fp.skeleton_keys == _keys(fp.skeleton_hashes, 0.5)


def test_sizes_count_distinct_5_grams_of_a_repeated_text() -> None:
    text = "A bomb went off near the market of Sarvel at noon. " * 3
    fp = copies.fingerprint("a", text)
    # 33 words, a cycle of 11: 29 5-grams, 11 of them distinct.
    assert fp.text_size == len(_grams(_words(text))) == 11
    assert np.array_equal(fp.text_hashes, _minhash(_grams(_words(text))))
    assert fp.is_short
    assert fp.text_keys == fp.skeleton_keys == ()


def test_texts_of_fewer_than_five_words_are_one_shingle() -> None:
    for text, shingle in (("Bomb", b"bomb"), ("Two bombs in Sarvel.", b"two bombs in sarvel")):
        fp = copies.fingerprint("a", text)
        assert fp.text_size == 1
        assert np.array_equal(fp.text_hashes, _minhash({shingle}))


def test_a_text_without_words_has_datasketchs_empty_signatures() -> None:
    fp = copies.fingerprint("a", " -- ... \n")
    empty = _minhash(set())
    assert fp.text_size == fp.skeleton_size == 0
    assert np.array_equal(fp.text_hashes, empty)
    assert np.array_equal(fp.skeleton_hashes, empty)
    assert fp.anchors == frozenset()
