"""The lemma lexicon: words, stems, phrases, typos, places."""

import pytest

from sources.classify.lexicon import LOCATIVE_WEIGHT, Lexicon
from sources.classify.text import tokens

ROWS = [
    ("heat", "отопление", 3.0),
    ("heat", "батар*", 2.0),
    ("amb", "скорый помощь", 3.0),
    ("waste", "мусорка", 3.0),
    ("kids", "детский сад", 3.0),
    ("roads", "яма", 2.5),
]


def evidence(text: str) -> dict[str, float]:
    return Lexicon(ROWS).evidence(tokens(text))


def test_misspelt_words_and_stems_match():
    # «атапления» misspells отопление; «батареи» and «батарея» share the stem батар*.
    assert evidence("атапления нет батареи холодные") == {"heat": 5.0}


def test_each_term_counts_once():
    assert evidence("батарея батарея батарея") == {"heat": 2.0}


def test_phrase_allows_one_word_between():
    assert evidence("скорая медицинская помощь не приехала") == {"amb": 3.0}
    assert evidence("скорая машина на ремонте, нужна помощь соседей") == {}


def test_a_dictionary_lemma_and_the_written_word_both_count():
    # pymorphy3 reads «мусорка» as a form of «мусорок»; the term still meets «мусарка», a common misspelling.
    assert evidence("мусарка переполнена") == {"waste": 3.0}


def test_a_place_name_counts_less_than_the_topic():
    assert evidence("яма у детского сада") == {"roads": 2.5, "kids": 3.0 * LOCATIVE_WEIGHT}


def test_too_short_a_stem_is_refused():
    with pytest.raises(ValueError, match="shorter"):
        Lexicon([("x", "газ*", 1.0)])
