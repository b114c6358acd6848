"""copies computes MinHash signatures itself; they must stay exactly datasketch's, or the
signatures stored by earlier versions would no longer be comparable."""

from __future__ import annotations

import zlib

import numpy as np
from datasketch import MinHash

from incidex import copies


def _datasketch(shingles: list[bytes]) -> np.ndarray:
    m = MinHash(num_perm=copies.NUM_PERM, scheme=copies.SCHEME, hashfunc=zlib.crc32)
    if shingles:
        m.update_batch(shingles)
    return np.asarray(m.hashvalues, dtype=np.uint64)


def test_signature_is_datasketchs() -> None:
    words = ["a", "bus", "bomb", "in", "the", "town", "killed", "nine", "people", "on", "tuesday"]
    for n in (1, 2, 5, len(words)):
        shingles = copies._shingles(words[:n])
        assert np.array_equal(copies._signatures(shingles)[0], _datasketch(shingles))


def test_signature_of_nothing_is_datasketchs_empty_signature() -> None:
    assert np.array_equal(copies._signatures([])[0], _datasketch([]))


def test_fingerprint_signatures_are_datasketchs() -> None:
    text = "Police in the port city said a grenade was thrown at a bar late on Friday. " * 3
    fp = copies.fingerprint("x", text)
    words = [w.casefold() for w in copies._WORD.findall(text)]
    assert np.array_equal(fp.text_hashes, _datasketch(copies._shingles(words)))
