"""Training data and cross-validation of the supervised model.

What the model learns from: the warehouse's own appeals whose category is known — stated by the source's code
or ТОТК, mapped by configuration, or decided by an operator — with their texts from the restricted layer.
Appeals whose category the classifier itself chose are never training data (it would learn its own errors).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import psycopg

from sources.classify import reference, store
from sources.classify.engine import model_inputs
from sources.classify.supervised import SupervisedModel, fit, trainable
from sources.classify.text import tokens

MIN_APPEALS = 500
RETRAIN_GROWTH = 0.1  # a new model once the known appeals grew by this share
MAX_APPEALS = 40_000  # a fixed pseudo-random sample beyond this (by appeal key): training time stays bounded
FOLDS = 5
KNOWN_METHODS = ("source_code", "operator", "category_map")

_EXAMPLES = """
with known as (
    select source, appeal_id, category_code from {facts}
    where category_method = any(%(methods)s)
),
inputs as ({inputs})
select k.source, k.appeal_id, k.category_code, i.text
from known as k join inputs as i using (source, appeal_id)
where i.text is not null
order by md5(k.source || '/' || k.appeal_id), 1, 2
limit %(limit)s
"""
_INPUTS = store.inputs_sql("array(select source || '/' || appeal_id from known)")


@dataclass
class Fitted:
    model: SupervisedModel
    class_counts: dict[str, int]
    cv: dict
    params: dict


def examples(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """(text, category_code) of every appeal whose category is known, in a fixed order."""
    facts = store.facts_relation(conn)
    if facts is None:
        return []
    rows = conn.execute(
        _EXAMPLES.format(facts=facts, inputs=_INPUTS), {"methods": list(KNOWN_METHODS), "limit": MAX_APPEALS}
    ).fetchall()
    return [(text, code) for _, _, code, text in rows]


def fit_with_cv(data: list[tuple[str, str]], ref: reference.Reference) -> Fitted:
    """Cross-validated figures (categories and sectors), then the model fitted on everything."""
    from sklearn.model_selection import StratifiedKFold

    keep = trainable([code for _, code in data])
    data = [(t, c) for t, c in data if c in keep]
    inputs = [model_inputs(tokens(text)) for text, _ in data]
    lemmas = [x[0] for x in inputs]
    keys = [x[1] for x in inputs]
    labels = np.array([c for _, c in data])
    folds = min(FOLDS, min(Counter(labels).values()))
    predicted = np.empty(len(labels), dtype=object)
    for train_idx, test_idx in StratifiedKFold(folds, shuffle=True, random_state=0).split(lemmas, labels):
        model = fit([lemmas[i] for i in train_idx], [keys[i] for i in train_idx], list(labels[train_idx]))
        p = model.predict_proba([lemmas[i] for i in test_idx], [keys[i] for i in test_idx])
        predicted[test_idx] = [model.classes[j] for j in p.argmax(axis=1)]
    sector = np.vectorize(ref.sector_of.get)
    cv = {
        "folds": folds,
        "appeals": len(labels),
        "category_accuracy": round(float(np.mean(predicted == labels)), 4),
        "category_macro_f1": round(_macro_f1(labels, predicted), 4),
        "sector_accuracy": round(float(np.mean(sector(predicted) == sector(labels))), 4),
        "sector_macro_f1": round(_macro_f1(sector(labels), sector(predicted)), 4),
    }
    model = fit(lemmas, keys, list(labels))
    return Fitted(
        model,
        dict(sorted(Counter(labels.tolist()).items())),
        cv,
        {
            "word_features": len(model.word_vocab),
            "char_features": len(model.char_vocab),
            "classes": len(model.classes),
            "min_per_class": min(Counter(labels.tolist()).values()),
        },
    )


def _macro_f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    scores = []
    for c in sorted(set(truth.tolist())):
        tp = float(np.sum((predicted == c) & (truth == c)))
        p, r = np.sum(predicted == c), np.sum(truth == c)
        scores.append(2 * tp / (p + r) if p + r else 0.0)
    return float(np.mean(scores)) if scores else 0.0
