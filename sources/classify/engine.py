"""Category probabilities for texts: every reader of the text adds evidence, in units of a lexicon weight,
and the evidence is smoothed into probabilities (weights from seed `classifier_params.csv`):

    evidence_c = Σ lexicon weights of c found in the text
               + embedding_evidence  · softmax(embedding_temperature · cos(text, category c))
               + supervised_evidence · p_model(c)                      (once a model is trained)
    p_c        = (evidence_c + smoothing / C) / (Σ evidence + smoothing)        C: number of categories

The embeddings and the model can move at most their own units, so a text the lexicon finds nothing in stays
uncertain (and goes to review) unless the trained model is sure of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sources.classify.lexicon import Lexicon
from sources.classify.supervised import SupervisedModel
from sources.classify.text import Token, tokens
from sources.classify.vectors import Embeddings


@dataclass(frozen=True)
class Params:
    smoothing: float = 1.0
    embedding_evidence: float = 1.0
    embedding_temperature: float = 12.0
    supervised_evidence: float = 3.0
    rubric_weight: float = 0.5


@dataclass(frozen=True)
class TextScores:
    probs: np.ndarray  # n × C
    evidence: np.ndarray  # n: summed lexicon weight
    has_words: np.ndarray  # n: any topic-bearing word at all


class Engine:
    """Scores texts against the category set; stateless between calls but for its caches."""

    def __init__(
        self,
        codes: list[str],
        descriptions: dict[str, str],
        lexicon: Lexicon,
        params: Params = Params(),
        supervised: SupervisedModel | None = None,
        embeddings: Embeddings | None = None,
    ):
        self.codes = list(codes)
        self.index = {c: i for i, c in enumerate(self.codes)}
        self.lexicon, self.params, self.supervised = lexicon, params, supervised
        self.embeddings = embeddings or Embeddings()
        self.centroids = self._centroids(descriptions)
        self._sup_columns = None
        if supervised is not None:
            self._sup_columns = np.array([self.index.get(c, -1) for c in supervised.classes])

    def _centroids(self, descriptions: dict[str, str]) -> np.ndarray:
        out = np.zeros((len(self.codes), self.embeddings.dim), dtype=np.float32)
        for code in self.codes:
            words = " ".join(
                [descriptions.get(code, "")]
                + [t.text for t in self.lexicon.terms if t.category_code == code and "*" not in t.text]
            )
            v = self.embeddings.text_vector(tokens(words))
            if v is not None:
                out[self.index[code]] = v
        return out

    def score_tokens(self, toks: list[list[Token]]) -> TextScores:
        n, c, p = len(toks), len(self.codes), self.params
        evidence = np.zeros((n, c), dtype=np.float64)
        for i, tk in enumerate(toks):
            for code, weight in self.lexicon.evidence(tk).items():
                evidence[i, self.index[code]] += weight
        lexicon_total = evidence.sum(axis=1)
        vectors, known = self.embeddings.matrix(toks)
        logits = p.embedding_temperature * (vectors @ self.centroids.T)
        logits -= logits.max(axis=1, keepdims=True)
        p_emb = np.exp(logits)
        p_emb /= p_emb.sum(axis=1, keepdims=True)
        evidence[known] += p.embedding_evidence * p_emb[known]
        if self.supervised is not None:
            evidence += p.supervised_evidence * self._supervised(toks)
        has_words = np.array([bool(tk) for tk in toks])
        evidence[~has_words] = 0.0
        probs = (evidence + p.smoothing / c) / (evidence.sum(axis=1, keepdims=True) + p.smoothing)
        return TextScores(probs, lexicon_total, has_words)

    def _supervised(self, toks: list[list[Token]]) -> np.ndarray:
        lemmas, keys = zip(*map(model_inputs, toks)) if toks else ((), ())
        sup = self.supervised.predict_proba(list(lemmas), list(keys))
        out = np.zeros((len(toks), len(self.codes)))
        cols = self._sup_columns
        out[:, cols[cols >= 0]] = sup[:, cols >= 0]
        return out


def model_inputs(toks: list[Token]) -> tuple[str, str]:
    """What the supervised model reads of a text: its lemmas, and their spelling keys for the character
    n-grams. Words the dictionary reads as people's names are left out: a model must not learn a person."""
    kept = [t for t in toks if not t.name]
    return " ".join(t.lemma for t in kept), " ".join(t.key for t in kept)
