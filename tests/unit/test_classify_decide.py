"""The decision rules: thresholds per sector, buckets, «Прочие вопросы», and the whole classifier on the seeds."""

import numpy as np
import pytest

from sources.classify import reference
from sources.classify.decide import AppealInput, classify, resolve
from sources.classify.engine import Engine
from sources.classify.reference import Reference, Thresholds

CODES = ["a.x", "a.other", "b.y", "other.misc"]


def tiny(**thresholds) -> Reference:
    ref = reference.load()  # only its lexicon and params are borrowed; the category set is this test's own
    return Reference(
        CODES,
        {"a.x": "a", "a.other": "a", "b.y": "b", "other.misc": "other"},
        {"a": "a.other", "other": "other.misc"},
        {},
        {},
        ref.lexicon,
        {},
        {"*": Thresholds(0.45, 0.5), **thresholds},
        ref.params,
        "test",
    )


def test_a_confident_category_is_taken():
    assert resolve(np.array([0.6, 0.1, 0.2, 0.1]), tiny(), CODES) == ("a.x", 0.6, False)


def test_an_uncertain_category_of_a_certain_sector_goes_to_its_bucket_for_review():
    code, confidence, review = resolve(np.array([0.3, 0.3, 0.2, 0.2]), tiny(), CODES)
    assert (code, round(confidence, 6), review) == ("a.other", 0.6, True)


def test_an_uncertain_sector_goes_to_misc_for_review():
    # Best category b.y 0.35 < 0.45; sector masses a 0.4, b 0.35, other 0.25: none reaches 0.5.
    code, confidence, review = resolve(np.array([0.3, 0.1, 0.35, 0.25]), tiny(), CODES)
    assert (code, round(confidence, 6), review) == ("other.misc", 0.4, True)


def test_thresholds_are_per_sector():
    probs = np.array([0.2, 0.1, 0.35, 0.35])
    assert resolve(probs, tiny(), CODES)[0] == "other.misc"
    assert resolve(probs, tiny(b=Thresholds(0.3, 0.3)), CODES)[:2] == ("b.y", 0.35)


@pytest.fixture(scope="module")
def seeds():
    ref = reference.load()
    return ref, Engine(ref.codes, ref.descriptions, ref.lexicon, ref.params)


def test_the_seed_classifier_on_plain_cases(seeds):
    ref, engine = seeds
    labels = classify(
        [
            AppealInput("s", "1", text="В квартире холодно, батареи ледяные, дети болеют"),
            AppealInput("s", "2", text="мусор не вывозят неделю, контейнеры переполнены"),
            AppealInput("s", "3", rubric="ЯМЫ ВО ДВОРАХ", parent="БЛАГОУСТРОЙСТВО", text="у нас во дворе яма"),
            AppealInput("s", "4", text="   "),
            AppealInput("s", "5", rubric="Прочее"),
        ],
        engine,
        ref,
    )
    got = [(lab.category_code, lab.method) for lab in labels]
    assert got[0] == ("housing.heating", "text_model")
    assert got[1] == ("waste.removal", "text_model")
    # The public ЦУР classifier's «ЯМЫ ВО ДВОРАХ» is mapped by seed rubric_map: no guessing.
    assert got[2] == ("other.landscaping", "category_map") and labels[2].confidence == 1.0
    assert got[3] == ("other.misc", "fallback") and labels[3].needs_review
    assert got[4] == ("other.misc", "fallback")


def test_the_same_input_gives_the_same_label(seeds):
    ref, engine = seeds
    batch = [AppealInput("s", str(i), text=t) for i, t in enumerate(["нет света третий день", "скорая не едет"])]
    assert classify(batch, engine, ref) == classify(batch, engine, ref)
