"""The supervised text model: TF-IDF of lemmas and of spelling-key character n-grams, multinomial logistic
regression, trained on the warehouse's own appeals whose category is known.

The trained model is kept as plain arrays (vocabularies, idf, coefficients) in one compressed npz blob, so
loading it runs no pickled code, and the same training data always gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

WORD_FEATURES = 30_000
CHAR_FEATURES = 30_000
MIN_PER_CLASS = 5  # fewer examples than this teach nothing a lexicon does not already know


def _word_vectorizer(vocabulary=None):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer="word",
        ngram_range=(1, 2),
        min_df=2,
        max_features=WORD_FEATURES,
        sublinear_tf=True,
        token_pattern=r"\S+",
        lowercase=False,
        vocabulary=vocabulary,
        dtype=np.float32,
    )


def _char_vectorizer(vocabulary=None):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        min_df=2,
        max_features=CHAR_FEATURES,
        sublinear_tf=True,
        lowercase=False,
        vocabulary=vocabulary,
        dtype=np.float32,
    )


@dataclass
class SupervisedModel:
    classes: list[str]
    word_vocab: list[str]
    word_idf: np.ndarray
    char_vocab: list[str]
    char_idf: np.ndarray
    coef: np.ndarray  # classes × features
    intercept: np.ndarray

    def __post_init__(self):
        self._word_ids = {t: i for i, t in enumerate(self.word_vocab)}
        self._char_ids = {t: i for i, t in enumerate(self.char_vocab)}
        self._grams: dict[str, list[int]] = {}

    def features(self, lemma_texts: list[str], key_texts: list[str]):
        """The TF-IDF rows sklearn's vectorizers would give (sublinear tf, idf, each part L2-normalised),
        computed from a per-word cache of character n-grams: they never cross a word's edges."""
        from scipy.sparse import hstack

        words = [self._word_counts(t) for t in lemma_texts]
        chars = [self._char_counts(t) for t in key_texts]
        return hstack([_tfidf(words, self.word_idf), _tfidf(chars, self.char_idf)]).tocsr()

    def _word_counts(self, text: str) -> dict[int, int]:
        tokens = text.split()
        counts: dict[int, int] = {}
        for gram in (*tokens, *(f"{a} {b}" for a, b in zip(tokens, tokens[1:]))):
            i = self._word_ids.get(gram)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        return counts

    def _char_counts(self, text: str) -> dict[int, int]:
        counts: dict[int, int] = {}
        for word in text.split():
            grams = self._grams.get(word)
            if grams is None:
                if len(self._grams) >= 200_000:
                    self._grams.clear()
                grams = self._grams[word] = [self._char_ids[g] for g in char_wb_grams(word) if g in self._char_ids]
            for i in grams:
                counts[i] = counts.get(i, 0) + 1
        return counts

    def predict_proba(self, lemma_texts: list[str], key_texts: list[str]) -> np.ndarray:
        logits = self.features(lemma_texts, key_texts) @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            classes=np.array(self.classes),
            word_vocab=np.array(self.word_vocab),
            word_idf=self.word_idf,
            char_vocab=np.array(self.char_vocab),
            char_idf=self.char_idf,
            coef=self.coef,
            intercept=self.intercept,
        )
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> SupervisedModel:
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            return cls(
                list(z["classes"]),
                list(z["word_vocab"]),
                z["word_idf"],
                list(z["char_vocab"]),
                z["char_idf"],
                z["coef"],
                z["intercept"],
            )


def char_wb_grams(word: str, low: int = 3, high: int = 5) -> list[str]:
    """sklearn's `char_wb` n-grams of one word: padded with a space each side; a word shorter than n gives
    itself once."""
    w = f" {word} "
    grams = []
    for n in range(low, high + 1):
        grams.extend(w[i : i + n] for i in range(max(1, len(w) - n + 1)))
        if len(w) <= n:
            break
    return grams


def _tfidf(rows: list[dict[int, int]], idf: np.ndarray):
    """Sparse rows of (1 + ln tf) · idf, each scaled to unit length."""
    from scipy.sparse import csr_matrix

    lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    indices = np.fromiter((i for r in rows for i in r), dtype=np.int64, count=int(indptr[-1]))
    tf = np.fromiter((c for r in rows for c in r.values()), dtype=np.float64, count=int(indptr[-1]))
    data = (1.0 + np.log(tf)) * idf[indices] if len(indices) else tf
    squares = np.bincount(np.repeat(np.arange(len(rows)), lengths), weights=data * data, minlength=len(rows))
    norms = np.sqrt(np.where(lengths > 0, squares, 1.0))
    data = data / np.repeat(norms, lengths)
    return csr_matrix((data.astype(np.float32), indices, indptr), shape=(len(rows), len(idf)))


def trainable(labels: list[str]) -> set[str]:
    """Classes with enough examples to learn from."""
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    return {c for c, n in counts.items() if n >= MIN_PER_CLASS}


def fit(lemma_texts: list[str], key_texts: list[str], labels: list[str], c: float = 4.0) -> SupervisedModel:
    """Train on the given texts (already restricted to trainable classes)."""
    from scipy.sparse import hstack
    from sklearn.linear_model import LogisticRegression

    word, char = _word_vectorizer(), _char_vectorizer()
    x = hstack([word.fit_transform(lemma_texts), char.fit_transform(key_texts)]).tocsr()
    clf = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    clf.fit(x, labels)
    coef, intercept = clf.coef_, clf.intercept_
    if coef.shape[0] == 1:  # two classes: one logit z for the second; softmax over (−z/2, z/2) is sigmoid(z)
        coef, intercept = np.vstack([-coef / 2, coef / 2]), np.concatenate([-intercept / 2, intercept / 2])
    word_vocab = sorted(word.vocabulary_, key=word.vocabulary_.get)
    char_vocab = sorted(char.vocabulary_, key=char.vocabulary_.get)
    return SupervisedModel(
        [str(k) for k in clf.classes_],
        word_vocab,
        word.idf_.astype(np.float32),
        char_vocab,
        char.idf_.astype(np.float32),
        coef.astype(np.float32),
        intercept.astype(np.float32),
    )
