"""Similarity of a text to each category's description, in navec word embeddings.

The vectors are natasha's bundled navec (news, 250k words × 300, quantised, ~26 MB): installed with the
package, read from its folder, never downloaded. A text's vector is the mean of its known words' vectors;
a category's is the mean over its description and its lexicon's whole words.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

from sources.classify.text import Token

NAVEC_FILE = "data/emb/navec_news_v1_1B_250K_300d_100q.tar"
CACHE_WORDS = 30_000  # decoded vectors kept (1.2 KB each)


@lru_cache(maxsize=1)
def _navec():
    from navec import Navec

    return Navec.load(str(resources.files("natasha") / NAVEC_FILE))


class Embeddings:
    """Word vectors with a per-word cache; a missing word (a typo, a rare name) simply does not count."""

    def __init__(self):
        self._nv = _navec()
        self.dim = 300
        self._cache: dict[str, np.ndarray | None] = {}

    def word(self, word: str) -> np.ndarray | None:
        found = self._cache.get(word, False)
        if found is False:
            if len(self._cache) >= CACHE_WORDS:  # a bounded memory at any volume: start the cache afresh
                self._cache.clear()
            found = self._cache[word] = np.asarray(self._nv[word], dtype=np.float32) if word in self._nv else None
        return found

    def text_vector(self, toks: list[Token]) -> np.ndarray | None:
        """Unit mean vector of the tokens (form first, then lemma); None when no word is known."""
        found = []
        for t in toks:
            if t.name:
                continue
            v = self.word(t.form)
            v = v if v is not None else self.word(t.lemma)
            if v is not None:
                found.append(v)
        if not found:
            return None
        mean = np.mean(found, axis=0)
        norm = float(np.linalg.norm(mean))
        return mean / norm if norm > 0 else None

    def matrix(self, token_lists: list[list[Token]]) -> tuple[np.ndarray, np.ndarray]:
        """(n × 300 unit vectors, n booleans: has a vector)."""
        out = np.zeros((len(token_lists), self.dim), dtype=np.float32)
        known = np.zeros(len(token_lists), dtype=bool)
        for i, toks in enumerate(token_lists):
            v = self.text_vector(toks)
            if v is not None:
                out[i], known[i] = v, True
        return out, known
