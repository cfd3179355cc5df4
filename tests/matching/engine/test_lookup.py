"""Occupation and skill lookup across kk/ru/en, scripts, decorations and typos."""

from __future__ import annotations

import pytest

from matching.engine import RecordEncoder
from matching.engine.normalize import fold_kazakh, normalize_title, transliterate

from .conftest import OCC, SK


def top_occupation(encoder: RecordEncoder, title: str, **kw: object) -> str:
    enc = encoder.encode(title, **kw)  # type: ignore[arg-type]
    assert enc.occ, f"nothing inferred for {title!r}"
    return encoder.t.occ_ids[enc.occ[0][0]]


@pytest.mark.parametrize(
    "title",
    [
        "Бухгалтер",
        "Есепші",
        "accountant",
        "бухгалтера",
        "Senior Accountant (m/f/d) – Almaty",
        "Требуется бухгалтер",
        "ACOUNTANT",
    ],
)
def test_accountant_found_in_every_language(encoder: RecordEncoder, title: str) -> None:
    occ = top_occupation(encoder, title)
    assert occ == OCC + "accountant"
    assert encoder.t.occ_isco[encoder.t.occ_index[occ]] == "2411"


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("Дәнекерлеуші", "welder"),
        ("Дэнекерлеуши", "welder"),
        ("электросварщик 5 разряда", "welder"),
        ("Медбике", "nurse"),
        ("мейирбике", "nurse"),
        ("водитель кат. C", "driver"),
        ("Бағдарламашы", "developer"),
    ],
)
def test_kazakh_and_russian_variants(encoder: RecordEncoder, title: str, key: str) -> None:
    assert top_occupation(encoder, title) == OCC + key


def test_skills_decide_between_siblings(encoder: RecordEncoder) -> None:
    # an ambiguous title is resolved by what the person can do
    occ = top_occupation(encoder, "specialist", skills=("audit techniques", "financial reporting"))
    assert occ == OCC + "auditor"


def test_skill_lookup_exact_synonym_fuzzy_and_other_script(encoder: RecordEncoder) -> None:
    ids = encoder.lookup_skills(["bookkeeping", "бухучет", "acounting", "бухгалтерлік есеп", "knitting"])
    names = [encoder.t.skill_ids[i] if i >= 0 else None for i in ids]
    assert names[:4] == [SK + "accounting"] * 4
    assert names[4] is None


def test_skills_found_in_free_text(encoder: RecordEncoder) -> None:
    found = {
        encoder.t.skill_ids[i]
        for i in encoder.extract_skills("Опыт: сварка, резка металла и техника безопасности.")
    }
    assert found == {SK + "welding", SK + "metal", SK + "safety"}


def test_normalisation() -> None:
    assert fold_kazakh("қғүұәөңһі") == "кгууаонхи"
    assert transliterate("Бухгалтер") == "buhgalter"
    assert normalize_title("Senior Accountant (m/f/d) – Almaty") == "accountant"
    assert normalize_title("Требуется бухгалтер, г. Астана") == "buhgalter"
    assert normalize_title("Senior") == "senior"  # never strip a title to nothing
    # a bracket with a number holds a model, a size or a grade, no occupation
    assert normalize_title("Автокран жүргізушісі керек (XCMG 50т)") == "avtokran zhurgizushisi"
    # «болып» («as»), «ретінде», «істедім»: the Kazakh words around the occupation a writer
    # asks for or did, not part of it («Кассир болып» read as the bank teller's «кассир БК»)
    assert normalize_title("Кассир болып жұмыс іздеймін") == normalize_title("Кассир") == "kassir"
    assert normalize_title("Курьер болып жумыс издеймин") == "kurer"
    assert normalize_title("Аспаз ретінде істедім") == "aspaz"
    assert normalize_title("Экскаватор жүргізуші (JCB 3CX)") == "ekskavator zhurgizushi"
    assert normalize_title("Оператор (НПЗ)") == "operator npz"  # words alone stay
    # «алма» is the Kazakh apple, not a city: «Алматы» is the city's name
    assert normalize_title("Алма теруші, Алматы") == "alma terushi"


@pytest.mark.parametrize(
    ("title", "normalised"),
    [
        ("Фармацевт, з/п от 250 000 тг", "farmatsevt"),
        ("Бухгалтер з.п. 300 тыс.", "buhgalter"),
        ("Voditel z/p ot 300000 tg", "voditel"),
        ("Жүргізуші, жалақы 200 000 тг", "zhurgizushi"),
        ("Продавец, зарплата от 150 000", "prodavets"),
        ("Оператор до 200 000 ₸", "operator"),
        ("СТО ИЩЕТ автослесаря", "sto avtoslesarya"),
        # the same words without an amount are words of labels: payroll clerk, stoker
        ("Жалақы есептеуші", "zhalaky esepteushi"),
        ("От жағушы", "ot zhagushy"),
    ],
)
def test_wages_are_decorations_of_a_title(title: str, normalised: str) -> None:
    """Job boards put the pay in the title; its words and digits named no occupation."""
    assert normalize_title(title) == normalised
