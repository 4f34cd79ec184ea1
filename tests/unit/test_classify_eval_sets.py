"""The classifier against the two labelled sets of realistic messages (tests/fixtures/classification): the
development set the lexicon and thresholds were tuned on, and the held-out set nobody tuned on. The held-out
figures are the issue's targets; docs/classification.md reports both with the method."""

import json
from pathlib import Path

import pytest

from sources.classify import reference
from sources.classify.decide import classify
from sources.classify.engine import Engine
from sources.classify.evaluate import evaluate, read_events

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "classification"


@pytest.fixture(scope="module")
def engine():
    ref = reference.load()
    return ref, Engine(ref.codes, ref.descriptions, ref.lexicon, ref.params)


def report(name: str, engine):
    ref, eng = engine
    truth = json.loads((FIXTURES / f"{name}_labels.json").read_text(encoding="utf-8"))
    return evaluate(classify(read_events(FIXTURES / f"{name}_events.jsonl"), eng, ref), truth, ref.sector_of)


@pytest.mark.parametrize("name", ["dev", "holdout"])
def test_targets_on_realistic_messages(name, engine):
    r = report(name, engine)
    assert r.items >= 480 and r.placeable >= 420
    assert r.sector_accuracy >= 0.85, r.sector_accuracy
    assert r.macro_f1 >= 0.75, r.macro_f1
    assert r.misc_share <= 0.15, r.misc_share
    assert all(m["recall"] >= 0.6 for m in r.per_sector.values()), r.per_sector
