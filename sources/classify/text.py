"""Russian appeal text as the classifier reads it: cleaned, tokenised, lemmatised, with a typo-tolerant key.

Real messages carry HTML remnants, links, emoji, Latin letters inside Cyrillic words, stretched letters
(«ну сколько можноооо»), no punctuation and misspellings of unstressed vowels («атапление»). Everything here
is deterministic and offline: lemmas come from pymorphy3's bundled dictionary.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from functools import lru_cache

_TAG = re.compile(r"<[^<>]{0,300}>")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:ru|рф|com|org|net)(?:/\S*)?", re.IGNORECASE)
_EMAIL = re.compile(r"\S+@\S+")
_PHONE = re.compile(r"(?:\+7|\b8)[\s(.-]*\d{3}[\s).-]*\d{3}[\s.-]*\d{2}[\s.-]*\d{2}\b")
_TOKEN = re.compile(r"[0-9a-zа-я]+(?:-[a-zа-я]+)*")
_STRETCH = re.compile(r"([а-яa-z])\1{2,}")
_CYRILLIC = re.compile(r"[а-я]")
_LATIN = re.compile(r"[a-z]")
# Latin letters that look Cyrillic, in words that mix both («пoдъезд» with a Latin o, «ЖKX»).
_LOOKALIKE = str.maketrans("aceopxkmtbhyu", "асеорхкмтвнуи")
# A spelling key: unstressed vowels and hushing consonants are what people misspell most. Applied to both
# sides of a comparison, «атапление» and «отопление» meet at «атаплини».
_KEY = str.maketrans(
    {"о": "а", "е": "и", "э": "и", "ы": "и", "й": "и", "ю": "у", "я": "а", "щ": "ш", "ь": None, "ъ": None}
)
_DOUBLE = re.compile(r"(.)\1+")
# Parts of speech that carry no topic: prepositions, conjunctions, particles, interjections, pronouns.
_SKIP_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO", "NUMR"})
# Prepositions after which people name a place («яма у детского сада», «свалка возле кладбища»).
PLACE_PREPOSITIONS = frozenset({"у", "возле", "около", "рядом", "напротив", "вдоль", "мимо"})
# Words of the appeal genre itself: every message has them, whatever it is about.
GENRE_WORDS = frozenset(
    """
здравствуйте здравствовать добрый день утро вечер уважаемый уважаемая прошу просить просьба помочь помогать
разобраться принять мера меры решить решать вопрос ответ ответить обращение обращаться обратиться
жалоба пожаловаться житель жительница гражданин гражданка заявитель заявительница сообщать сообщить спасибо
пожалуйста адрес
который этот тот весь свой наш ваш мой очень уже еще ещё когда где почему сколько можно нужно надо нельзя
сделать делать быть есть мочь хотеть год месяц неделя день раз время сегодня вчера нет звать
""".split()
)


@dataclass(frozen=True)
class Token:
    """A word of the text: its form, lemma and spelling key; `name` when the dictionary calls it a person's name."""

    form: str
    lemma: str
    key: str
    name: bool
    place: bool = False  # a geographical name (Geox): says where, never what
    pos: str = ""  # the dictionary's part of speech (NOUN, ADJF, VERB, …)
    locative: bool = False  # right after «у», «возле», «около»…: the word names a place, not the topic


def clean(text: str | None) -> str:
    """Lower-case text without markup, links, e-mails and phone numbers; ё read as е."""
    if not text:
        return ""
    text = html.unescape(html.unescape(text))
    text = _TAG.sub(" ", text)
    text = _URL.sub(" ", _EMAIL.sub(" ", text))
    text = _PHONE.sub(" ", text)
    return text.lower().replace("ё", "е")


def words(text: str | None) -> list[str]:
    """Word forms of a cleaned text: stretched letters squeezed, mixed-script words read as Cyrillic."""
    out = []
    for word in _TOKEN.findall(clean(text)):
        if _LATIN.search(word) and _CYRILLIC.search(word):
            word = word.translate(_LOOKALIKE)
        out.append(_STRETCH.sub(r"\1", word))
    return out


def spelling_key(word: str) -> str:
    """What is left of a word when the letters people confuse are made equal (and doubled letters single)."""
    return _DOUBLE.sub(r"\1", word.translate(_KEY))


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=200_000)
def token(form: str) -> Token | None:
    """The dictionary's reading of a word form; None for words that carry no topic."""
    if form.isdigit() or len(form) < 2:
        return None
    if not _CYRILLIC.search(form):
        return Token(form, form, form, False, pos="LATN") if len(form) > 2 else None
    parse = _morph().parse(form)[0]
    if parse.tag.POS in _SKIP_POS or "Apro" in parse.tag or "Anum" in parse.tag:
        return None
    lemma = parse.normal_form.replace("ё", "е")
    if lemma in GENRE_WORDS or form in GENRE_WORDS:
        return None
    # Only a confident dictionary reading makes a name: «Мороз» the surname must not hide «мороз» the frost.
    is_name = parse.score >= 0.5 and bool({"Name", "Surn", "Patr"} & parse.tag.grammemes)
    return Token(form, lemma, spelling_key(lemma), is_name, "Geox" in parse.tag, str(parse.tag.POS or ""))


def tokens(text: str | None) -> list[Token]:
    """The topic-bearing words of a text, in order; the two words after a place preposition are marked."""
    out, place_until = [], -1
    for i, form in enumerate(words(text)):
        if form in PLACE_PREPOSITIONS:
            place_until = i + 2
            continue
        t = token(form)
        if t is not None:
            out.append(replace(t, locative=True) if i <= place_until else t)
    return out
