"""Category evidence from the lemma lexicon ЦУР staff edit (seed `category_lexicon.csv`).

A term is a lemma («батарея»), a stem with a star («отопл*», any word whose lemma or form starts with it) or a
phrase of such words («скорый помощь»: consecutive words, one other word allowed between them). Terms are
compared through the spelling key (`text.spelling_key`), so «атапление» meets «отопление». Each term counts
once per text with its weight; a category's evidence is the sum of its terms' weights.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sources.classify.text import Token, spelling_key, token

MIN_STEM = 4  # a shorter stem would match half the language
LOCATIVE_WEIGHT = 0.3  # «у школы» says where, not what
CACHE_FORMS = 200_000


@dataclass(frozen=True)
class Term:
    category_code: str
    text: str
    weight: float
    patterns: tuple[int, ...]  # one per word


class Lexicon:
    """Compiled terms: which words satisfy which word patterns, and which terms those patterns make."""

    def __init__(self, rows: list[tuple[str, str, float]]):
        self.terms: list[Term] = []
        self._ids: dict[str, int] = {}  # a term word as written → pattern id
        self._exact: dict[str, set[int]] = defaultdict(set)  # spelling key of a word or its lemma → patterns
        self._stems: dict[str, set[int]] = defaultdict(set)  # spelling key of a stem → patterns
        self._single: dict[int, list[int]] = defaultdict(list)  # pattern → one-word terms
        self._phrases: dict[int, list[int]] = defaultdict(list)  # first word's pattern → phrase terms
        self._cache: dict[str, frozenset[int]] = {}
        for category, text, weight in rows:
            patterns = tuple(self._pattern(word) for word in text.lower().replace("ё", "е").split())
            if not patterns:
                continue
            term_id = len(self.terms)
            self.terms.append(Term(category, text, weight, patterns))
            (self._single if len(patterns) == 1 else self._phrases)[patterns[0]].append(term_id)
        self.categories = sorted({t.category_code for t in self.terms})

    @classmethod
    def from_csv(cls, path: Path) -> Lexicon:
        with open(path, encoding="utf-8", newline="") as fh:
            rows = [
                (r["category_code"].strip(), r["term"].strip(), float(r["weight"]))
                for r in csv.DictReader(fh)
                if r["term"].strip()
            ]
        return cls(rows)

    def _pattern(self, word: str) -> int:
        if word in self._ids:
            return self._ids[word]
        pid = self._ids[word] = len(self._ids)
        if word.endswith("*"):
            key = spelling_key(word[:-1])
            if len(key) < MIN_STEM:
                raise ValueError(f"lexicon stem {word!r} is shorter than {MIN_STEM} letters: it would match too much")
            self._stems[key].add(pid)
        else:
            # A term is written as a lemma, but the dictionary may read the word otherwise («мусорка» as a form
            # of «мусорок»): the word as written and the dictionary's lemma both count.
            parsed = token(word)
            for key in {spelling_key(word), parsed.key if parsed else spelling_key(word)}:
                self._exact[key].add(pid)
        return pid

    def patterns_of(self, tok: Token) -> frozenset[int]:
        """The word patterns a token satisfies (cached by form)."""
        found = self._cache.get(tok.form)
        if found is None:
            keys = {tok.key, spelling_key(tok.form)}
            hits: set[int] = set()
            for k in keys:
                hits.update(self._exact.get(k, ()))
                for n in range(MIN_STEM, len(k) + 1):
                    hits.update(self._stems.get(k[:n], ()))
            if len(self._cache) >= CACHE_FORMS:
                self._cache.clear()
            found = self._cache[tok.form] = frozenset(hits)
        return found

    def matches(self, toks: list[Token]) -> list[tuple[Term, bool]]:
        """The terms found in a token sequence, each once, with whether every finding was in a place name."""
        found: dict[int, bool] = {}
        per_token = [self.patterns_of(t) for t in toks]
        for i, pats in enumerate(per_token):
            for pid in pats:
                for term_id in self._single.get(pid, ()):
                    found[term_id] = found.get(term_id, True) and toks[i].locative
                for term_id in self._phrases.get(pid, ()):
                    if self._phrase_at(self.terms[term_id].patterns, per_token, i):
                        found[term_id] = found.get(term_id, True) and toks[i].locative
        return [(self.terms[i], found[i]) for i in sorted(found)]

    @staticmethod
    def _phrase_at(patterns: tuple[int, ...], per_token: list[frozenset[int]], start: int) -> bool:
        pos = start
        for pid in patterns[1:]:
            for step in (1, 2):  # one other word may stand between («скорой медицинской помощи»)
                if pos + step < len(per_token) and pid in per_token[pos + step]:
                    pos += step
                    break
            else:
                return False
        return True

    def evidence(self, toks: list[Token]) -> dict[str, float]:
        """Category → summed weight of its terms found in the tokens; a term found only where the text names
        a place («у детского сада», «возле школы») counts at LOCATIVE_WEIGHT."""
        scores: dict[str, float] = defaultdict(float)
        for term, locative in self.matches(toks):
            scores[term.category_code] += term.weight * (LOCATIVE_WEIGHT if locative else 1.0)
        return dict(scores)
