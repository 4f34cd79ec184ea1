"""Texts of sample appeals as people write them: a problem statement from `phrases.csv` in a channel's voice,
with the noise of real messages — typos, no punctuation, capitals, emoji, HTML remnants, Latin letters in
Cyrillic words, a second problem in the same message, a signature with a name and a phone.

Deterministic: everything is drawn from the generator's own `random.Random`.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

PHRASES = Path(__file__).with_name("phrases.csv")
OPENERS = {
    "letter": (
        "Уважаемый Юрий Васильевич! ",
        "Уважаемые специалисты! ",
        "Обращаюсь к вам по вопросу: ",
        "Прошу рассмотреть моё обращение. ",
        "Добрый день. ",
        "",
    ),
    "hotline": (
        "Заявитель сообщает, что ",
        "Гр. жалуется: ",
        "Позвонил житель, ",
        "Со слов заявителя, ",
        "Обратилась жительница: ",
        "",
    ),
    "incident": ("", "", "", "Админ, ", "Подскажите, ", "Люди добрые, ", "Опять двадцать пять. "),
    "pos": ("", "", "Здравствуйте! ", "Добрый день. ", "Прошу помочь. "),
    "portal": ("", "", "Здравствуйте. ", "Прошу принять меры: "),
}
CLOSERS = {
    "letter": (
        " Прошу принять меры и дать ответ в установленный срок.",
        " Прошу разобраться.",
        " Ответ прошу направить почтой.",
        "",
    ),
    "hotline": (" Просит принять меры.", " Просит перезвонить.", ""),
    "incident": (
        "",
        "",
        " Сколько можно?",
        " Когда это закончится?",
        " Куда смотрит администрация?",
        " Помогите!",
        " Спасибо за ответ.",
    ),
    "pos": ("", " Прошу разобраться.", " Когда это решат?", " Жду ответа.", " Обращаюсь не первый раз."),
    "portal": ("", " Прошу принять меры.", " Жду ответа."),
}
EMOJI = ("😡", "🤬", "😢", "🙏", "👎", "😒", "🙄", "‼️", "😤")
# Letters people swap most: unstressed vowels, voiced/voiceless pairs, soft and hard signs.
SWAPS = {"о": "а", "а": "о", "е": "и", "и": "е", "ь": "", "ъ": "ь", "щ": "ш", "ы": "и", "д": "т", "з": "с"}
LATIN = str.maketrans({"а": "a", "о": "o", "е": "e", "р": "p", "с": "c", "х": "x"})


@dataclass
class Phrases:
    problems: dict[str, list[str]] = field(default_factory=dict)
    details: dict[str, list[str]] = field(default_factory=dict)
    topics: dict[str, dict[str, list[str]]] = field(default_factory=dict)


@cache
def phrases() -> Phrases:
    out = Phrases()
    with open(PHRASES, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["kind"] == "problem":
                out.problems.setdefault(row["key"], []).append(row["text"])
            elif row["kind"] == "detail":
                out.details.setdefault(row["key"], []).append(row["text"])
            else:
                out.topics.setdefault(row["key"], {}).setdefault(row["topic"], []).append(row["text"])
    return out


def topics_of(sector: str) -> list[str]:
    """The concrete problems behind a sector's «прочие по направлению» bucket."""
    return list(phrases().topics.get(sector, {}))


def problem(rng: random.Random, category_code: str, sector: str, topic: str | None) -> str:
    """One statement of the problem: a bucket's topic, the category's own, or — for a category nobody wrote
    phrases for — a sentence from its sector's topics."""
    p = phrases()
    if topic and topic in p.topics.get(sector, {}):
        return rng.choice(p.topics[sector][topic])
    if category_code in p.problems:
        return rng.choice(p.problems[category_code])
    pool = [s for items in p.topics.get(sector, {}).values() for s in items]
    return rng.choice(pool) if pool else "Прошу решить вопрос"


def typo(rng: random.Random, word: str) -> str:
    """One slip of the finger or of spelling in a word."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.5 and word[i] in SWAPS:
        return word[:i] + SWAPS[word[i]] + word[i + 1 :]
    if kind < 0.7:
        return word[:i] + word[i + 1 :]
    if kind < 0.85:
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :] if i + 2 <= len(word) else word


def noisy(rng: random.Random, text: str, channel: str) -> str:
    """The text as typed in a hurry: social networks most, letters least."""
    level = {"incident": 1.0, "portal": 0.6, "pos": 0.5, "hotline": 0.2, "letter": 0.1}[channel]
    words = text.split(" ")
    if rng.random() < 0.35 * level:
        for _ in range(rng.randint(1, 3)):
            k = rng.randrange(len(words))
            words[k] = typo(rng, words[k])
    if rng.random() < 0.04 * level:
        k = rng.randrange(len(words))
        words[k] = words[k].translate(LATIN)
    text = " ".join(words)
    if rng.random() < 0.4 * level:
        text = "".join(ch for ch in text if ch not in ".,:;!—") + ("" if rng.random() < 0.5 else "!!")
    if rng.random() < 0.5 * level:
        text = text.lower()
    elif rng.random() < 0.05 * level:
        text = text.upper()
    if rng.random() < 0.25 * level and channel != "letter":  # СЭД exports are Windows-1251: no emoji
        text += " " + rng.choice(EMOJI) * rng.randint(1, 3)
    if rng.random() < 0.04 * level:
        text = text.replace(" ", "&nbsp;", 1) if rng.random() < 0.5 else text.replace(". ", ".<br>", 1)
    return text


def sentence(statement: str) -> str:
    return statement if statement[-1:] in ".!?" else statement + "."


def compose(
    rng: random.Random,
    channel: str,
    category_code: str,
    sector: str,
    topic: str | None,
    place: str | None,
    repeated: bool,
    signature: str | None,
    second: tuple[str, str] | None,
) -> str:
    """A whole message: opener, the problem, maybe a detail, a place, a second problem, a closer."""
    p = phrases()
    opener = rng.choice(OPENERS[channel])
    core = problem(rng, category_code, sector, topic)
    if core.startswith(("Заявител", "Со слов", "Гр. ")):  # an operator's note already frames itself
        opener = ""
    if opener.endswith((", ", ": ", "что ")):
        core = core[0].lower() + core[1:]
    text = opener + ("Повторно обращаюсь. " if repeated else "") + sentence(core)
    if rng.random() < 0.45 and p.details.get(sector):
        text += " " + sentence(rng.choice(p.details[sector]))
    if place and rng.random() < 0.4:
        text += f" Адрес: {place}."
    if second is not None:
        other = problem(rng, second[0], second[1], None)
        text += " И ещё: " + sentence(other[0].lower() + other[1:])
    text += rng.choice(CLOSERS[channel])
    text = noisy(rng, text, channel)
    return text + (f" {signature}" if signature else "")
