"""Kazakh in Latin letters meets the Kazakh labels written in Cyrillic.

The 2018 and 2021 alphabets and phone typing write «ж» "j" («jumys», «júrgizýshi»), the 2018
alphabet writes «у» "ý" and «и» "ı", the 2021 one «і» "ı". The engine's Latin form had «ж» as
"zh", read "ý" as "y" and "ı" as the Turkish «ы»: «Jinaýshy», a cleaner, read as a horse breeder,
«Saýynshy», a milker, as a critic, and «Provızor» found the pharmacist at a fifth of its score.
Kandases from Uzbekistan and China write this way."""

from __future__ import annotations

import pytest

from matching.engine import EngineConfig, RecordEncoder, Taxonomy, TaxonomyIndex
from matching.engine.morphology import stem_tokens
from matching.engine.normalize import RANK_WORDS, normalize_text, normalize_title
from tests.matching.engine.fixtures import OCC, OccupationRow, occupation_taxonomy


def _taxonomy() -> Taxonomy:
    occs: list[OccupationRow] = [
        ("cleaner", "9112", ["building cleaner"], ["Уборщица"], ["Жинаушы", "Тазалаушы"]),
        ("chauffeur", "8322", ["private chauffeur"], ["Водитель"], ["Жүргізуші"]),
        ("pharmacist", "2262", ["pharmacist"], ["Провизор"], ["Провизор"]),
        ("milker", "9212", ["livestock worker"], ["Доярка", "Скотник"], ["Сауыншы", "Малшы"]),
        ("critic", "2642", ["critic"], ["Критик", "Обозреватель"], ["Сыншы"]),
        ("horse_breeder", "6121", ["horse breeder"], ["Коневод"], ["Жылқышы"]),
        ("engineer", "2142", ["civil engineer"], ["Инженер-строитель", "Инженер"], ["Инженер"]),
        ("technical_director", "1321", ["technical director"], ["Технический директор"], []),
    ]
    return occupation_taxonomy(occs, "kazakh latin fixture")


@pytest.fixture(scope="module")
def encoder() -> RecordEncoder:
    return RecordEncoder(TaxonomyIndex.build(_taxonomy(), fingerprint="kazakh-latin"), EngineConfig())


def _top(encoder: RecordEncoder, title: str) -> str:
    enc = encoder.encode_batch([(title, "", (), (), (), ())])[0]
    return encoder.t.occ_ids[enc.occ[0][0]].removeprefix(OCC)


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Júrgizýshi", "Жүргізуші"),  # 2018: «ж» j, «у» ý
        ("Jurgizushi", "Жүргізуші"),  # phone typing
        ("Jinaýshy", "Жинаушы"),
        ("Saýynshy", "Сауыншы"),
        ("Provızor", "Провизор"),  # 2018: «и» ı
        ("Tıgınshı", "Тігінші"),  # 2021: «і» ı
    ],
)
def test_kazakh_latin_letters_read_as_the_cyrillic_ones(latin: str, cyrillic: str) -> None:
    assert normalize_text(latin) == normalize_text(cyrillic)


def test_english_and_typed_russian_keep_meeting_themselves() -> None:
    # "j" and "zh" are one letter on both sides: English "junior" still meets "junior"
    assert normalize_text("Junior") == normalize_text("junior") == "zhunior"
    assert normalize_text("Vozhdenie") == normalize_text("Вождение")
    # the word lists are compared in the same Latin form
    assert normalize_title("Junior accountant") == "accountant"
    assert normalize_title("Accountant, Kazakhstan") == "accountant"


def test_kazakh_latin_stems_as_the_cyrillic_ones() -> None:
    vocab = {"driver"}
    assert stem_tokens("Jinaýshy", vocab, kazakh=True) == stem_tokens("Жинаушы", vocab, kazakh=True)
    assert stem_tokens("Júrgizýshi", vocab, kazakh=True) == stem_tokens("Жүргізуші", vocab, kazakh=True)
    assert stem_tokens("Dánekerleýshi", vocab, kazakh=True) == stem_tokens("Дәнекерлеуші", vocab, kazakh=True)


@pytest.mark.parametrize(
    ("title", "occupation"),
    [
        ("Jinaýshy", "cleaner"),
        ("Saýynshy kerek", "milker"),
        ("Júrgizýshi kerek", "chauffeur"),
        ("Provızor", "pharmacist"),
        ("Jinaushy", "cleaner"),
    ],
)
def test_kazakh_latin_titles_find_their_occupation(
    encoder: RecordEncoder, title: str, occupation: str
) -> None:
    assert _top(encoder, title) == occupation


def test_the_kazakh_rank_word_is_a_rank() -> None:
    """«Жетекші инженер» is a leading engineer (the Russian «ведущий»); «жетекшісі» is a head."""
    assert normalize_title("Жетекші инженер") == "inzhener"
    assert normalize_title("Jetekshi injener") == "inzhener"
    assert normalize_text("жетекші") in RANK_WORDS
    assert normalize_title("Музыка жетекшісі") == "muzyka zhetekshisi"
