"""Stems for Russian, Kazakh (own suffix rules) and English, in Cyrillic or Latin letters."""

from __future__ import annotations

import pytest

from matching.engine import RecordEncoder
from matching.engine.morphology import kazakh_stem, latin_to_cyrillic, looks_kazakh, stem_tokens

from .conftest import SK


@pytest.mark.parametrize(
    ("inflected", "base"),
    [
        ("құбырларды", "құбыр"),  # plural + accusative
        ("мұғалімдерге", "мұғалім"),  # plural + dative
        ("дәрігеріміз", "дәрігер"),  # possessive 1st plural
        ("есепшінің", "есепші"),  # genitive after the agent suffix
        ("дәнекерлеушімін", "дәнекерлеуші"),  # predicate "I am a welder"
        ("жөндеуден", "жөндеу"),  # ablative of a verbal noun
        ("кеңседе", "кеңсе"),  # locative
        ("көлікпен", "көлік"),  # instrumental
    ],
)
def test_kazakh_suffixes_are_stripped(inflected: str, base: str) -> None:
    assert kazakh_stem(inflected) == kazakh_stem(base)


@pytest.mark.parametrize(
    ("forms", "note"),
    [
        (
            ("жөндеу", "жөндеймін", "жөндедім", "жөндеп", "жөндейтін"),
            "repair: present, past, converb, participle",
        ),
        (("тазалау", "тазалаймын", "тазаладым"), "clean"),
        (("тігу", "тігемін", "тіктім", "тігіп"), "sew: к voiced to г before a vowel"),
        (("басқару", "басқардым"), "manage"),
        (("сату", "сатамын", "сатушы"), "sell, seller"),
        (("жүргізу", "жүргіземін"), "drive"),
        (("қызметкер", "қызметкері"), "possessive after a consonant"),
        (("жолсерік", "жолсерігі"), "possessive voicing the final к"),
        (("жалақы", "жалақысы"), "salary"),
    ],
)
def test_kazakh_verbs_as_people_describe_their_work_share_a_stem(forms: tuple[str, ...], note: str) -> None:
    """Profiles say what a person does in the first person («тазалаймын», «басқардым»); labels
    name it by a verbal noun («тазалау», «басқару»)."""
    assert len({kazakh_stem(f) for f in forms}) == 1, (note, [kazakh_stem(f) for f in forms])


def test_a_verb_ending_is_the_last_one_stripped() -> None:
    # «жөнде-дім» must not lose a further «-де» as if it were a locative
    assert kazakh_stem("жөндедім") == kazakh_stem("жөндеу") != kazakh_stem("жөн")
    # «машини-сі» (its operator) keeps a stem long enough to mean something
    assert len(kazakh_stem("машинисі")) >= 4


def test_kazakh_stem_keeps_three_letters() -> None:
    # "ана" (mother) must not lose its "-на" as if it were a dative ending
    assert kazakh_stem("ана") == "ана"
    assert len(kazakh_stem("ауа")) == 3


def test_kazakh_without_special_letters_gives_the_same_stem() -> None:
    assert kazakh_stem("мұғалімдер") == kazakh_stem("мугалимдер")
    assert stem_tokens("құбырларды жөндеу") == stem_tokens("кубырларды жондеу", kazakh=True)


def test_kazakh_is_recognised_with_or_without_its_letters() -> None:
    assert looks_kazakh("Тамақ дайындау")
    assert looks_kazakh("жумыс тажирибеси бар, кажет")  # no special letters, Kazakh words
    assert not looks_kazakh("Опыт работы 5 лет, сварка полуавтоматом")


def test_russian_inflections_and_word_order_share_stems() -> None:
    assert set(stem_tokens("ведение первичной документации")) >= set(stem_tokens("первичная документация"))
    assert stem_tokens("сваркой полуавтоматом") == stem_tokens("сварка полуавтомат")


def test_latin_typed_russian_meets_cyrillic() -> None:
    assert latin_to_cyrillic("svarka") == "сварка"
    assert latin_to_cyrillic("buhgalteriya") == "бухгалтерия"
    english = {"welding", "accounting"}
    assert stem_tokens("svarka poluavtomatom", english) == stem_tokens("сварка полуавтоматом", english)
    # a word of the taxonomy's English stays English
    assert stem_tokens("welding", english) == ["weld"]


def test_latin_y_is_a_vowel_after_a_consonant_and_short_i_after_a_vowel() -> None:
    assert latin_to_cyrillic("stroykah") == "стройках"
    assert latin_to_cyrillic("vezhlivyy") == "вежливый"
    assert latin_to_cyrillic("dayyndau") == "дайындау"  # «й» then «ы»: not two «й»
    assert latin_to_cyrillic("operatsionnyi") == "операционный"


def test_a_final_short_i_after_a_vowel_is_short_i() -> None:
    """Every Cyrillic title and text is stemmed from its Latin form, where «й» is "i": the
    instrumental «медсестрой», «уборщицей» and the adjective «первичной» must come back whole
    to meet their labels' stems."""
    assert latin_to_cyrillic("medsestroi") == "медсестрой"
    assert latin_to_cyrillic("rabochii") == "рабочий"
    assert stem_tokens("медсестрой") == stem_tokens("медсестра")
    assert stem_tokens("ведение первичной документации") == stem_tokens("первичная документация")


def test_kazakh_typed_in_latin_letters_is_kazakh() -> None:
    assert looks_kazakh("Qoy bagamyn, mal kutemin, zhumys istedim")
    assert looks_kazakh("Kiim dukeninde 2 jyl jumys istedim")  # «ж» typed as "j"
    assert looks_kazakh("Nysandy kuzetu, beynebaqylau")  # "q" for «қ»
    # Kazakh endings: a verb in the first person, a plural with its case
    assert looks_kazakh("Kolikterdi jondeimin, motor, hodovoi, diagnostika")
    assert looks_kazakh("Balalarga sabak beremin")
    assert not looks_kazakh("Vitamin, termin, admin, jasmin, Vadim")
    assert not looks_kazakh("Remont dvigatelya, hodovoi, diagnostika")
    assert not looks_kazakh("Men in the bar, Qatar Airways, equipment acquisition")
    assert not looks_kazakh("Rabotayu v Yandeks Taksi, znayu gorod")


def test_a_fleeting_e_does_not_split_a_word() -> None:
    assert len({stem_tokens(w)[0] for w in ("продавец", "продавцом", "продавца")}) == 1
    assert len({stem_tokens(w)[0] for w in ("кузнец", "кузнецом")}) == 1


def test_stop_words_carry_no_stems() -> None:
    assert stem_tokens("опыт работы и знание") == []
    assert stem_tokens("жұмыс тәжірибесі бар және") == []


def test_inflected_prose_finds_skills_by_stems(encoder: RecordEncoder) -> None:
    found = {
        encoder.t.skill_ids[i] for i in encoder.extract_skills("Занимался сваркой, вёл бухгалтерский учёт")
    }
    assert {SK + "welding", SK + "accounting"} <= found


def test_kazakh_prose_finds_skills_by_stems(encoder: RecordEncoder) -> None:
    found = {encoder.t.skill_ids[i] for i in encoder.extract_skills("Науқастарды күтумен айналыстым")}
    assert SK + "care" in found


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("Жүк көлігін жүргіземін, 10 жыл", "truck"),  # I drive a lorry
        ("Металл кестім, дәнекерлеп жүрмін", "metal"),  # I cut metal
        ("Науқастарды күттім", "care"),  # I cared for patients
    ],
)
def test_kazakh_prose_in_the_first_person_finds_the_skill(
    encoder: RecordEncoder, text: str, skill: str
) -> None:
    found = {encoder.t.skill_ids[i] for i in encoder.extract_skills(text)}
    assert SK + skill in found


def test_typed_skill_in_other_word_order_and_case(encoder: RecordEncoder) -> None:
    (sid,) = encoder.lookup_skills(["учёт бухгалтерский"])
    assert encoder.t.skill_ids[sid] == SK + "accounting"
    (sid,) = encoder.lookup_skills(["резкой металла"])
    assert encoder.t.skill_ids[sid] == SK + "metal"


def test_unrelated_words_sharing_ngrams_do_not_make_a_skill(encoder: RecordEncoder) -> None:
    # "уход" alone is not "уход за пациентами"; far-apart words do not make up a skill
    assert encoder.extract_skills("Уход с прежней работы был по собственному желанию") == []


def test_stemming_from_several_threads_at_once_gives_each_its_own_stems() -> None:
    """A threaded web server encodes queries in parallel: a stemmer shared between threads
    mixed their words up (an IndexError, or another word's stem)."""
    import sys
    import threading

    from matching.engine.morphology import en_stem, ru_stem

    words = [
        f"{root}{ending}"
        for root in ("сварщ", "бухгалтер", "водител", "электромонтаж", "преподавател")
        for ending in ("ик", "ика", "ами", "ского", "ному", "ическими", "ов", "")
    ]
    expected = [(ru_stem(w), en_stem(w + "ings")) for w in words]
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    errors: list[BaseException] = []
    wrong: list[str] = []

    def work() -> None:
        try:
            for _ in range(40):
                got = [(ru_stem(w), en_stem(w + "ings")) for w in words]
                if got != expected:
                    wrong.append("stems differ")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    try:
        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert not errors and not wrong, (errors[:1], wrong[:1])
