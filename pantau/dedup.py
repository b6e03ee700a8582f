"""Exact and near-duplicate articles: a content hash and MinHash signatures.

- :func:`content_hash`: sha256 of the text with whitespace collapsed, so the same
  article re-read from another file, or with other line breaks, is recognised and
  not stored (or counted) twice.
- :class:`NearDuplicates`: syndicated copies with small edits (another headline,
  a changed dateline, a paragraph added) share most word 3-grams. Each article
  gets a MinHash signature (datasketch, 128 permutations, the 32-bit affine
  scheme so signatures are stable across runs and fit 512 bytes in the store);
  an LSH index finds candidates and the estimated Jaccard similarity of their
  shingle sets decides (>= ``THRESHOLD``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
THRESHOLD = 0.8  # estimated Jaccard of word 3-gram sets; copies with small edits score ~0.85-1
SHINGLE = 3
MIN_WORDS = 20  # shorter texts give too few shingles for a meaningful estimate
_SEED = 1
_SCHEME = "affine32"
_WORD = re.compile(r"\w+")

_template = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)  # permutations, built once


def content_hash(text: str) -> str:
    """Hex sha256 of ``text`` with runs of whitespace collapsed and the ends trimmed."""
    norm = " ".join(text.split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def signature(text: str) -> MinHash | None:
    """MinHash of the casefolded word 3-grams of ``text``; None for very short texts."""
    words = _WORD.findall(text.casefold())
    if len(words) < MIN_WORDS:
        return None
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    sig = _new()
    sig.update_batch([s.encode("utf-8") for s in sorted(shingles)])
    return sig


def to_bytes(sig: MinHash) -> bytes:
    """The signature as 512 bytes (uint32 little-endian) for the store."""
    return np.asarray(sig.hashvalues, dtype="<u4").tobytes()


def from_bytes(data: bytes) -> MinHash:
    """A signature stored by :func:`to_bytes`."""
    return _new(np.frombuffer(data, dtype="<u4").astype(_template.hashvalues.dtype))


class NearDuplicates:
    """An in-memory LSH index of article signatures, keyed by article id.

    ``match`` returns the most similar indexed article at or above the threshold
    (ties: the lowest key, so the answer does not depend on insertion order).
    """

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._sigs: dict[int, MinHash] = {}

    def add(self, key: int, sig: MinHash) -> None:
        if key in self._sigs:
            return
        self._lsh.insert(key, sig)
        self._sigs[key] = sig

    def load(self, rows: Iterable[tuple[int, bytes]]) -> None:
        """Index stored signatures (``(article id, bytes)`` rows)."""
        for key, data in rows:
            if data:
                self.add(key, from_bytes(data))

    def match(self, sig: MinHash) -> tuple[int, float] | None:
        """``(key, estimated Jaccard)`` of the closest indexed article, or None."""
        best: tuple[float, int] | None = None
        for key in self._lsh.query(sig):
            score = sig.jaccard(self._sigs[key])
            if score >= self.threshold and (best is None or (-score, key) < (-best[0], best[1])):
                best = (score, key)
        return (best[1], best[0]) if best else None


def _new(hashvalues: np.ndarray | None = None) -> MinHash:
    return MinHash(
        num_perm=NUM_PERM,
        seed=_SEED,
        scheme=_SCHEME,
        permutations=_template.permutations,
        hashvalues=hashvalues,
    )
