"""Candidates are the articles sharing a whole LSH band with a text, band for band: equal
rows in two different bands are no shared band, whichever dictionary holds the bands."""

from __future__ import annotations

import numpy as np

from incidex import copies
from incidex.copies import CopyIndex, Fingerprint, make_fingerprint

ANCHORS = frozenset({"dorvani", "17", "tuesday"})


def _fingerprint(article_id: str, text: np.ndarray, skeleton: np.ndarray) -> Fingerprint:
    return make_fingerprint(article_id, None, text, 60, skeleton, 50, ANCHORS)


def _signatures(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    text = rng.integers(0, 2**32, copies.NUM_PERM, dtype=np.uint64).astype(np.uint32)
    skeleton = rng.integers(0, 2**32, copies.NUM_PERM, dtype=np.uint64).astype(np.uint32)
    return text, skeleton


def _near_copy_sharing_no_band(text: np.ndarray) -> np.ndarray:
    """Return a text signature equal to ``text`` in two of the three rows of every band
    (an estimated Jaccard near 0.7, a near duplicate) but in no band as a whole."""
    bands, rows = copies._band_shape(copies.CANDIDATE_THRESHOLD)
    other = text.copy()
    other[rows - 1 : bands * rows : rows] ^= 1
    return other


def test_band_keys_name_their_band() -> None:
    same_rows = np.full(copies.NUM_PERM, 7, dtype=np.uint32)
    text = copies.band_keys(same_rows, copies.CANDIDATE_THRESHOLD)
    skeleton = copies.band_keys(same_rows, copies.SKELETON_CANDIDATE_THRESHOLD)
    assert len(set(text)) == len(text)
    assert len(set(skeleton)) == len(skeleton)
    assert not set(text) & set(skeleton)


def test_a_band_held_in_another_band_is_no_candidate() -> None:
    text, skeleton = _signatures(1)
    _, other_skeleton = _signatures(2)
    _, rows = copies._band_shape(copies.CANDIDATE_THRESHOLD)
    moved = _near_copy_sharing_no_band(text)
    # Its second band holds the first band's rows: a key without the band would match.
    moved[rows : 2 * rows] = text[:rows]
    kept = _near_copy_sharing_no_band(text)
    kept[rows : 2 * rows] = text[rows : 2 * rows]
    index = CopyIndex()
    assert index.add_linked(_fingerprint("a", text, skeleton)) == []
    # Both would be near duplicates of "a" if compared: only the one sharing a band is.
    assert copies.link_between(
        _fingerprint("a", text, skeleton), _fingerprint("b", moved, other_skeleton)
    )
    assert index.links(_fingerprint("b", moved, other_skeleton)) == []
    (link,) = index.add_linked(_fingerprint("c", kept, other_skeleton))
    assert (link.a, link.b, link.kind) == ("a", "c", "near_duplicate")
