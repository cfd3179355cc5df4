"""A clear title is not pulled to a neighbouring occupation by prose skills, and prose words that
only share one stem with a longer skill label do not name that skill."""

from __future__ import annotations

import pytest

from matching.engine import EngineConfig, RecordEncoder, Taxonomy, TaxonomyIndex
from matching.engine.morphology import stem_tokens

OCC = "http://example.org/occupation/"
SK = "http://example.org/skill/"


@pytest.fixture(scope="module")
def tindex() -> TaxonomyIndex:
    tax = Taxonomy(sources=["fixture"])
    for key, ru in {
        "stock": "учёт товара",
        "load": "погрузка грузов",
        "forklift": "управление погрузчиком",
        "docs": "работа с документами",
        "docflow": "документооборот",
    }.items():
        tax.add_skill(SK + key, "ru", [ru])
    # the worker and the specialist share "оператор склада" in their titles and one skill
    worker = tax.add_occupation(OCC + "worker", "9333", "ru", ["оператор склада"])
    worker.essential.extend([SK + "stock", SK + "forklift"])
    specialist = tax.add_occupation(OCC + "specialist", "4321", "ru", ["оператор склада готовой продукции"])
    specialist.essential.extend([SK + "stock", SK + "load"])
    clerk = tax.add_occupation(OCC + "clerk", "4110", "ru", ["делопроизводитель"])
    clerk.essential.extend([SK + "docs", SK + "docflow"])
    return TaxonomyIndex.build(tax)


def _top(encoder: RecordEncoder, title: str, text: str) -> str:
    rec = encoder.encode(title, text)
    return encoder.t.occ_ids[rec.occ[0][0]].removeprefix(OCC)


def test_prose_skills_choose_within_a_clear_title_not_beyond_it(tindex: TaxonomyIndex) -> None:
    text = "Учёт товара, погрузка грузов"  # both skills of the specialist, one of the worker
    assert _top(RecordEncoder(tindex), "Оператор склада", text) == "worker"
    # the older rule counted every occupation from half the best title score as supported (and
    # weighed Russian prose skills fully)
    old = RecordEncoder(tindex, EngineConfig(title_support_gap=0.0, local_prose_skill_factor=1.0))
    assert _top(old, "Оператор склада", text) == "specialist"
    # without a title the skills decide
    assert _top(RecordEncoder(tindex), "", text) == "specialist"


def test_one_stem_of_a_longer_label_does_not_name_the_skill(tindex: TaxonomyIndex) -> None:
    encoder = RecordEncoder(tindex)
    assert len(stem_tokens("работа с документами")) == 1  # "работа" and "с" carry no stem
    found = {tindex.skill_ids[s].removeprefix(SK) for s in encoder.extract_skills("Оформляю документы")}
    assert "docs" not in found
    found = {tindex.skill_ids[s].removeprefix(SK) for s in encoder.extract_skills("Работа с документами")}
    assert "docs" in found  # the label itself still counts
    found = {tindex.skill_ids[s].removeprefix(SK) for s in encoder.extract_skills("Вела документооборот")}
    assert "docflow" in found  # a one-word label matches by its stem


def test_listed_russian_skills_choose_within_a_clear_title_not_beyond_it(tindex: TaxonomyIndex) -> None:
    """Skills listed in Russian came through the project's labels, as prose ones do: the same rule."""
    skills = ["Учёт товара", "погрузка грузов"]
    rec = RecordEncoder(tindex).encode("Оператор склада", "", skills=skills)
    assert tindex.occ_ids[rec.occ[0][0]].removeprefix(OCC) == "worker"
    old = RecordEncoder(tindex, EngineConfig(local_listed_near_title=False))
    rec = old.encode("Оператор склада", "", skills=skills)
    assert tindex.occ_ids[rec.occ[0][0]].removeprefix(OCC) == "specialist"
    # without a title the skills decide
    rec = RecordEncoder(tindex).encode("", "", skills=skills)
    assert tindex.occ_ids[rec.occ[0][0]].removeprefix(OCC) == "specialist"
