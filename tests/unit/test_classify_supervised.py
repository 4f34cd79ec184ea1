"""The supervised model: learns, keeps its figures through the bytes it is stored as, same data same bytes."""

import numpy as np

from sources.classify.supervised import SupervisedModel, fit, trainable

TEXTS = {
    "heat": [
        "батарея холодный",
        "отопление нет",
        "батарея еле теплый",
        "в квартира холодно отопление",
        "радиатор холодный",
    ],
    "bin": [
        "мусор не вывозить",
        "контейнер переполнить мусор",
        "мусоровоз не приезжать",
        "вывоз мусор",
        "бак мусор полный",
    ],
}


def data():
    lemmas = [t for texts in TEXTS.values() for t in texts] * 2
    labels = [c for c, texts in TEXTS.items() for _ in texts] * 2
    return lemmas, lemmas, labels


def test_learns_and_round_trips():
    lemmas, keys, labels = data()
    model = fit(lemmas, keys, labels)
    p = model.predict_proba(["холодный батарея"], ["холодный батарея"])
    assert model.classes[int(np.argmax(p[0]))] == "heat"
    again = SupervisedModel.from_bytes(model.to_bytes())
    assert np.allclose(
        again.predict_proba(["мусор бак"], ["мусор бак"]), model.predict_proba(["мусор бак"], ["мусор бак"])
    )


def test_same_data_same_bytes():
    assert fit(*data()).to_bytes() == fit(*data()).to_bytes()


def test_rare_classes_are_not_trained():
    assert trainable(["a"] * 5 + ["b"] * 4) == {"a"}
