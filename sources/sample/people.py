"""Synthetic residents of НАО and what they write: names, phones, e-mails, signatures, answers, channel fields.

Everything here is invented; it only has to look like real personal data so that the restricted layer,
pseudonymisation and free-text handling downstream meet realistic input. Addresses are drawn in places.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sources.sample.places import near, street_address
from sources.sample.reference import Category, Municipality

MALE_NAMES = (
    "Александр Алексей Андрей Артём Владимир Дмитрий Евгений Иван Игорь Илья Кирилл Максим "
    "Михаил Николай Павел Роман Сергей Юрий Василий Виктор Олег Денис Никита Константин Пётр "
    "Антон Григорий Степан Фёдор Лев Анатолий Геннадий"
).split()
FEMALE_NAMES = (
    "Анна Елена Ольга Наталья Татьяна Ирина Светлана Мария Екатерина Юлия Людмила Галина "
    "Надежда Валентина Ксения Дарья Анастасия Марина Любовь Вера Алёна Полина Софья Нина "
    "Тамара Зоя Евгения Оксана Варвара Лидия"
).split()
# Male forms; the feminine form is derived. Nenets surnames (Вылка, Пырерка, Сядей …) do not change by gender.
SURNAMES = (
    "Ледков Канев Хатанзейский Выучейский Тайбарей Вылка Пырерка Валей Апицын Талеев Безумов "
    "Чупров Попов Носов Коткин Хабаров Дитятев Ардеев Филиппов Соловьёв Иванов Смирнов Кузнецов "
    "Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков Алексеев Лебедев Семёнов "
    "Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин Захаров Зайцев Борисов "
    "Яковлев Григорьев Романов Сергеев Кузьмин Фролов Дмитриев Королёв Гусев Ильин Максимов "
    "Поляков Сорокин Виноградов Белов Медведев Антонов Тарасов Жуков Комаров Давыдов Беляев Осипов "
    "Сидоров Матвеев Титов Марков Крылов Карпов Власов Мельников Денисов Тихонов Казаков Данилов "
    "Фомин Чернов Ефимов Назаров Калинин Исаев Быков Маслов Лазарев Воронин Климов Голубев "
    "Прохоров Потапов Трофимов Леонов Ермаков Гончаров Котов Громов Малышев Панов Моисеев Акимов "
    "Галкин Юдин Нестеров Князев Цветков Савин Рочев Артеев Терентьев Шевченко Бондаренко Черных "
    "Седых Сядей Лаптандер Окотэтто Вокуев Ханзеров Сумароков Истомин Посадский Логинов"
).split()
PATRONYMIC_EXCEPTIONS = {
    "Илья": ("Ильич", "Ильинична"),
    "Никита": ("Никитич", "Никитична"),
    "Лев": ("Львович", "Львовна"),
    "Павел": ("Павлович", "Павловна"),
    "Пётр": ("Петрович", "Петровна"),
    "Дмитрий": ("Дмитриевич", "Дмитриевна"),
    "Михаил": ("Михайлович", "Михайловна"),
}
MOBILE_CODES = tuple("911 921 931 951 952 981 900 902 904 908 912 953 960 964".split())
MAIL_DOMAINS = ("mail.ru", "yandex.ru", "gmail.com", "bk.ru", "list.ru", "rambler.ru", "inbox.ru")
_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split(),
    )
)


def female_surname(surname: str) -> str:
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if surname.endswith(("ский", "цкий", "ской")):
        return surname[:-2] + "ая"
    return surname  # Вылка, Сядей, Черных, Шевченко: the same for women


def patronymic(father: str, female: bool) -> str:
    if father in PATRONYMIC_EXCEPTIONS:
        return PATRONYMIC_EXCEPTIONS[father][female]
    if father.endswith("ий"):
        stem, male, fem = father[:-2], "ьевич", "ьевна"
    elif father.endswith(("й", "ь")):  # Сергей → Сергеевич, Игорь → Игоревич
        stem, male, fem = father[:-1], "евич", "евна"
    else:
        stem, male, fem = father, "ович", "овна"
    return stem + (fem if female else male)


@dataclass(frozen=True)
class Person:
    person_id: int
    surname: str
    first_name: str
    patronymic: str
    female: bool
    phone_digits: str | None  # ten digits after +7; None: the person never gives a phone
    email: str | None
    esia_digits: str
    network: str  # the social network the person posts in: VK, OK or Telegram
    network_digits: str
    oktmo: str
    address: str
    location: tuple[float, float] | None

    @property
    def full_name(self) -> str:
        return f"{self.surname} {self.first_name} {self.patronymic}"

    @property
    def short_name(self) -> str:
        return f"{self.surname} {self.first_name[0]}.{self.patronymic[0]}."

    @property
    def profile_name(self) -> str:
        return f"{self.first_name} {self.surname}"


def translit(text: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower()).replace("_", "")


def format_phone(rng: random.Random, digits: str) -> str:
    """The same number written the ways people write it, so that normalisation downstream has work to do."""
    c, a, b, d = digits[:3], digits[3:6], digits[6:8], digits[8:]
    # The ЕПГУ form "+7 9XX XXX-XX-XX" appears twice: it is the most frequent.
    return rng.choice(
        (
            f"+7 {c} {a}-{b}-{d}",
            f"+7 ({c}) {a}-{b}-{d}",
            f"8{digits}",
            f"8-{c}-{a}-{b}-{d}",
            f"+7{digits}",
            f"8 ({c}) {a} {b} {d}",
            f"+7 {c} {a}-{b}-{d}",
        )
    )


def make_person(rng: random.Random, person_id: int, municipality: Municipality) -> Person:
    female = rng.random() < 0.56  # women write to authorities more often than men
    first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
    surname = rng.choice(SURNAMES)
    surname = female_surname(surname) if female else surname
    digits = rng.choice(MOBILE_CODES) + f"{rng.randrange(10_000_000):07d}"
    email = None
    if rng.random() < 0.7:
        login = rng.choice(
            (
                f"{translit(first)}.{translit(surname)}",
                f"{translit(surname)}{rng.randint(1, 99)}",
                f"{translit(first)[0]}{translit(surname)}{rng.randint(1950, 2007)}",
            )
        )
        email = f"{login}@{rng.choice(MAIL_DOMAINS)}"
    network = rng.choices(("VK", "OK", "Telegram"), (60, 15, 25))[0]
    return Person(
        person_id,
        surname,
        first,
        patronymic(rng.choice(MALE_NAMES), female),
        female,
        digits if rng.random() < 0.95 else None,
        email,
        f"{rng.randrange(10**9, 10**10)}",
        network,
        f"{rng.randrange(10**6, 10**9)}",
        municipality.oktmo,
        street_address(rng, municipality),
        near(rng, municipality),
    )


ANSWERS = {
    "supported": "Доводы обращения признаны обоснованными, вопрос решён положительно.",
    "measures_taken": "По вашему обращению приняты меры: работы выполнены, ситуация на контроле.",
    "explained": "Даны разъяснения по существу вопроса и порядку его решения.",
    "not_supported": "Доводы обращения не нашли подтверждения, оснований для принятия мер нет.",
    "answered": "Ответ направлен автору.",
}


def signature(rng: random.Random, person: Person, phone: str | None) -> str | None:
    """Some people sign with their name and phone: personal data inside free text, as in real appeals."""
    roll = rng.random()
    if roll < 0.08 and phone:
        return f"{person.short_name}, тел. {phone}"
    if roll < 0.13:
        return f"Меня зовут {person.first_name} {person.patronymic}."
    return None


def answer_text(rng: random.Random, result: str, category: Category) -> str:
    return (
        f"{rng.choice(('Уважаемый заявитель!', 'Здравствуйте.', ''))} {ANSWERS[result]} "
        f"Тема: {category.name.lower()}.".strip()
    )


VK_GROUPS, OK_GROUPS, TG_CHANNELS = ("48213377", "170022451"), ("53911857",), ("nmar_live", "nao24_chat")


def channel_attrs(rng: random.Random, channel: str, category: Category, person: Person, repeated: bool) -> dict:
    """What each source adds about an appeal beyond the contract: its own fields, kept in attrs."""
    if channel == "pos":
        return {"fast_track": rng.random() < 0.35}
    if channel == "incident":
        post = rng.randrange(1000, 999_999)
        url = {
            "VK": f"https://vk.com/wall-{rng.choice(VK_GROUPS)}_{post}",
            "OK": f"https://ok.ru/group/{rng.choice(OK_GROUPS)}/topic/{post}",
            "Telegram": f"https://t.me/{rng.choice(TG_CHANNELS)}/{post}",
        }[person.network]
        kind = "Решаемый" if rng.random() < 0.85 else "Информационный"
        return {"social_network": person.network, "url": url, "incident_type": kind}
    if channel == "letter":
        return {
            "kind": rng.choices(("Заявление", "Жалоба", "Предложение"), (60, 30, 10))[0],
            "form": rng.choices(("Почта", "Электронная почта", "Личный прием"), (30, 55, 15))[0],
            "collective": rng.random() < 0.04,
            "repeated": repeated,
        }
    if channel == "portal":
        return {"service_code": "nm-" + category.code.replace(".", "-").replace("_", "-")}
    return {"form": "Телефон" if rng.random() < 0.85 else "Личный прием"}


def author_object(rng: random.Random, person: Person, channel: str) -> dict:
    """How one person shows up in each channel: ЕСИА id on ПОС, a profile in social networks, a caller."""
    phone = format_phone(rng, person.phone_digits) if person.phone_digits else None
    author: dict = {}
    if channel == "pos":
        author = {"id": f"esia-{person.esia_digits}", "name": person.full_name}
        phone = phone if rng.random() < 0.9 else None
    elif channel == "incident":
        prefix = {"VK": "vk", "OK": "ok", "Telegram": "tg"}[person.network]
        return {"id": f"{prefix}:{person.network_digits}", "name": person.profile_name}
    elif channel == "portal":
        author = {"name": person.full_name if rng.random() < 0.6 else person.profile_name}
        phone = phone if rng.random() < 0.7 else None
    elif channel == "letter":
        author = {"name": person.full_name}
        phone = phone if rng.random() < 0.5 else None
    else:  # hotline: the operator writes down the caller, the number comes from caller id
        name = person.full_name if rng.random() < 0.85 else f"{person.first_name} {person.patronymic}"
        author = {"name": name}
    if phone:
        author["phone"] = phone
    if person.email and (channel != "hotline" or rng.random() < 0.2):
        author["email"] = person.email
    return author
