"""Reading appeal texts: cleaning, tokens, lemmas, the spelling key, place names."""

from sources.classify.text import clean, spelling_key, tokens, words


def test_markup_links_contacts_go():
    text = "&lt;b&gt;Нет&nbsp;воды<br>https://vk.com/wall-1_2 пишите ivan@mail.ru или +7 (900) 000-00-00"
    assert words(text) == ["нет", "воды", "пишите", "или"]
    assert "@" not in clean(text) and "900" not in clean(text)


def test_latin_lookalikes_and_stretched_letters():
    # A Latin "o" in «пoдъезд», Latin K in «ЖKX», «можноооо» typed in anger.
    assert words("пoдъезд ЖKX можноооо") == ["подъезд", "жкх", "можно"]
    assert words("ЁЛКА") == ["елка"]


def test_spelling_key_meets_common_misspellings():
    assert spelling_key("атапление") == spelling_key("отопление")
    assert spelling_key("подьезд") == spelling_key("подъезд")
    assert spelling_key("поликлинника") == spelling_key("поликлиника")
    assert spelling_key("помош") == spelling_key("помощ")
    assert spelling_key("дорога") != spelling_key("дрова")


def test_tokens_keep_topic_words_as_lemmas():
    lemmas = [t.lemma for t in tokens("Здравствуйте! У нас в подъездах не горит свет, прошу принять меры")]
    assert lemmas == ["подъезд", "гореть", "свет"]


def test_words_after_a_place_preposition_name_a_place():
    found = {t.lemma: t.locative for t in tokens("яма на дороге у детского сада")}
    assert found == {"яма": False, "дорога": False, "детский": True, "сад": True}
    # «у нас нет отопления»: the pronoun takes the place, the topic word stays a topic word.
    assert [t.locative for t in tokens("у нас нет отопления")] == [False]


def test_confident_person_names_are_marked():
    marked = {t.lemma: t.name for t in tokens("Петров Иван жалуется на мороз")}
    assert marked["петров"] and marked["иван"]
    assert not marked["мороз"]
