"""A title's word that is an occupation's label names the work; its other words say where.

«Бухгалтер в строительную компанию» is an accountant, though a construction company's labels
share more of its n-grams; «Кассир в аптеку» a cashier, though a pharmacy technician's label
reads «продавец в аптеку». English compounds put the work anywhere ("resource administrator"
is no administrator) and a Cyrillic title over English text may be Bulgarian, so only Russian
and Kazakh records are read this way."""

from __future__ import annotations

import pytest

from matching.engine import EngineConfig, RecordEncoder, Taxonomy, TaxonomyIndex
from tests.matching.engine.fixtures import OCC, OccupationRow, occupation_taxonomy


def _taxonomy() -> Taxonomy:
    occs: list[OccupationRow] = [
        ("cashier", "5230", ["cashier"], ["Кассир"], ["Кассир"]),
        (
            "pharmacy_technician",
            "3213",
            ["pharmacy technician"],
            ["Фармацевт", "продавец в аптеку", "помощник в аптеку", "работник аптеки"],
            ["Фармацевт", "дәріханаға сатушы"],
        ),
        ("accountant", "2411", ["accountant"], ["Бухгалтер"], ["Бухгалтер"]),
        (
            "contractor",
            "1323",
            ["construction general contractor"],
            ["Директор строительной компании", "руководитель строительной компании"],
            ["Құрылыс компаниясының басшысы"],
        ),
    ]
    return occupation_taxonomy(occs, "head-word fixture")


@pytest.fixture(scope="module")
def tindex() -> TaxonomyIndex:
    return TaxonomyIndex.build(_taxonomy(), fingerprint="head-word")


def _top(encoder: RecordEncoder, title: str, text: str) -> str:
    enc = encoder.encode_batch([(title, text, (), (), (), ())])[0]
    return encoder.t.occ_ids[enc.occ[0][0]].removeprefix(OCC)


@pytest.mark.parametrize(
    ("title", "text", "occupation"),
    [
        ("Кассир в аптеку", "Работа с кассовым аппаратом, график 2/2", "cashier"),
        ("Бухгалтер в строительную компанию", "Ведение учёта, сдача отчётности", "accountant"),
        ("Дәріханаға кассир керек", "Кассалық аппаратпен жұмыс", "cashier"),
        # a label that holds the title's word keeps its place
        ("Продавец в аптеку", "Консультирование покупателей", "pharmacy_technician"),
        ("Дәріханаға сатушы керек", "Сатып алушыларға кеңес беру", "pharmacy_technician"),
    ],
)
def test_the_word_that_names_the_work_decides(
    tindex: TaxonomyIndex, title: str, text: str, occupation: str
) -> None:
    assert _top(RecordEncoder(tindex, EngineConfig()), title, text) == occupation


def _occ(encoder: RecordEncoder, title: str, text: str) -> list[tuple[int, float]]:
    return list(encoder.encode_batch([(title, text, (), (), (), ())])[0].occ)


def test_off_the_place_words_decide(tindex: TaxonomyIndex) -> None:
    off = RecordEncoder(tindex, EngineConfig(title_head_word_factor=1.0))
    assert _top(off, "Бухгалтер в строительную компанию", "Ведение учёта, сдача отчётности") == "contractor"


def test_only_russian_and_kazakh_records_are_read_for_their_head_word(tindex: TaxonomyIndex) -> None:
    on = RecordEncoder(tindex, EngineConfig())
    off = RecordEncoder(tindex, EngineConfig(title_head_word_factor=1.0))
    title = "Бухгалтер в строительную компанию"
    # (the fixture's English vocabulary is its labels' words)
    russian, english = "Ведение учёта, сдача отчётности", "Accountant in construction"
    assert _occ(on, title, russian) != _occ(off, title, russian)
    # a Cyrillic title over English text may be Bulgarian, whose labels put the work anywhere
    assert _occ(on, title, english) == _occ(off, title, english)
    assert _occ(on, "construction accountant", english) == _occ(off, "construction accountant", english)
