"""The decision for each appeal: a known rubric first, then the classifier on the rubric and the text, then the
per-sector thresholds that send uncertain appeals to their sector's «прочие по направлению» (or to «Прочие
вопросы» when even the sector is uncertain) and into the review queue.

Codes the source states and operators' decisions win over all of this in dbt (int_appeal_categories); this
module decides what is left. Deterministic: the same inputs and model give the same label.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sources.classify.engine import Engine
from sources.classify.reference import MISC, Reference
from sources.classify.text import tokens

GUESSES = 3


@dataclass(frozen=True)
class AppealInput:
    source: str
    appeal_id: str
    rubric: str | None = None
    parent: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class Label:
    source: str
    appeal_id: str
    category_code: str
    sector_code: str
    confidence: float
    method: str  # category_map | rubric_name | text_model | fallback
    needs_review: bool
    guesses: tuple[tuple[str, float], ...]


def resolve(probs: np.ndarray, ref: Reference, codes: list[str]) -> tuple[str, float, bool]:
    """(category, confidence, needs_review) from one probability row and the sector thresholds."""
    best = int(np.argmax(probs))
    code = codes[best]
    sector = ref.sector_of[code]
    if probs[best] >= ref.threshold(sector).category:
        return code, float(probs[best]), False
    mass: dict[str, float] = {}
    for i, c in enumerate(codes):
        mass[ref.sector_of[c]] = mass.get(ref.sector_of[c], 0.0) + float(probs[i])
    top_sector = max(mass, key=lambda s: (mass[s], s == sector))
    if top_sector in ref.bucket_of and mass[top_sector] >= ref.threshold(top_sector).sector:
        return ref.bucket_of[top_sector], mass[top_sector], True
    return MISC, max(mass.values()), True


def _guesses(row: np.ndarray, codes: list[str]) -> tuple[tuple[str, float], ...]:
    order = np.argsort(-row, kind="stable")[:GUESSES]
    return tuple((codes[i], round(float(row[i]), 4)) for i in order)


def classify(appeals: list[AppealInput], engine: Engine, ref: Reference) -> list[Label]:
    """Labels for a batch of appeals; only what no known rubric maps is scored."""
    mapped = [ref.mapped(a.rubric, a.parent) for a in appeals]
    rest = [a for a, m in zip(appeals, mapped) if not m]
    scored = iter(_scored(rest, engine, ref))
    return [
        Label(a.source, a.appeal_id, m, ref.sector_of[m], 1.0, "category_map", False, ((m, 1.0),))
        if m
        else next(scored)
        for a, m in zip(appeals, mapped)
    ]


def _rubric_tokens(rubric: str | None, parent: str | None, cache: dict) -> list:
    key = (rubric, parent)
    if key not in cache:  # a source's rubrics repeat thousands of times
        cache[key] = tokens(" ".join(x for x in key if x))
    return cache[key]


def _scored(appeals: list[AppealInput], engine: Engine, ref: Reference) -> list[Label]:
    codes = engine.codes
    if not appeals:
        return []
    cache: dict = {}
    rubric = engine.score_tokens([_rubric_tokens(a.rubric, a.parent, cache) for a in appeals])
    text = engine.score_tokens([tokens(a.text) for a in appeals])
    w = ref.params.rubric_weight
    out = []
    for i, a in enumerate(appeals):
        has_rubric = rubric.evidence[i] > 0
        has_text = bool(text.has_words[i])
        if not has_rubric and not has_text:
            out.append(Label(a.source, a.appeal_id, MISC, ref.sector_of[MISC], 0.0, "fallback", True, ()))
            continue
        if has_rubric and has_text:
            row = w * rubric.probs[i] + (1 - w) * text.probs[i]
        else:
            row = rubric.probs[i] if has_rubric else text.probs[i]
        code, confidence, review = resolve(row, ref, codes)
        rubric_says = codes[int(np.argmax(rubric.probs[i]))] if has_rubric else None
        agrees = rubric_says is not None and (
            rubric_says == code or (review and ref.sector_of[rubric_says] == ref.sector_of[code])
        )
        method = "rubric_name" if agrees else "text_model"
        out.append(
            Label(
                a.source,
                a.appeal_id,
                code,
                ref.sector_of[code],
                round(confidence, 4),
                method,
                review,
                _guesses(row, codes),
            )
        )
    return out
