"""A driving-licence category in a title tells one driver from another."""

from __future__ import annotations

import pytest

from matching.engine import EngineConfig, RecordEncoder, Taxonomy, TaxonomyIndex

from .conftest import OCC, SK


@pytest.fixture(scope="module")
def enc() -> RecordEncoder:
    tax = Taxonomy(sources=["fixture"])
    tax.add_skill(SK + "licence-b", "ru", ["права категории B", "категория B"])
    tax.add_skill(SK + "licence-b", "kk", ["В санаты"])
    tax.add_skill(SK + "licence-c", "ru", ["права категории C", "категория C"])
    tax.add_skill(SK + "licence-c", "kk", ["С санаты"])
    tax.add_skill(SK + "licence-d", "ru", ["права категории D", "категория D", "кат D"])
    for letter in "bcd":
        tax.add_skill(SK + f"licence-{letter}", "en", [f"driving licence category {letter.upper()}"])
    tax.add_skill(SK + "accounting", "ru", ["бухгалтерский учёт"])
    drivers = [
        ("chauffeur", "8322", ["Водитель", "личный водитель"], ["Жүргізуші"], "licence-b"),
        (
            "lorry",
            "8332",
            ["Водитель грузовика", "водитель грузового автомобиля"],
            ["Жүк көлігі жүргізушісі"],
            "licence-c",
        ),
        ("bus", "8331", ["Водитель автобуса"], ["Автобус жүргізушісі"], "licence-d"),
    ]
    for key, isco, ru, kk, licence in drivers:
        occ = tax.add_occupation(OCC + key, isco, "ru", ru)
        tax.add_occupation(OCC + key, isco, "en", [f"{key} driver"])
        tax.add_occupation(OCC + key, isco, "kk", kk)
        occ.essential.append(SK + licence)
    accountant = tax.add_occupation(OCC + "accountant", "2411", "ru", ["Бухгалтер"])
    accountant.essential.append(SK + "accounting")
    return RecordEncoder(TaxonomyIndex.build(tax, fingerprint="licences"), EngineConfig())


def top(enc: RecordEncoder, title: str, text: str = "") -> tuple[str, set[str]]:
    (rec,) = enc.encode_batch([(title, text, (), (), (), ())])
    occ = enc.t.occ_ids[rec.occ[0][0]].removeprefix(OCC)
    return occ, {enc.t.skill_ids[s].removeprefix(SK) for s, _ in rec.skills}


@pytest.mark.parametrize(
    ("title", "occupation", "licence"),
    [
        ("Водитель категории C", "lorry", "licence-c"),
        ("Водитель (кат. D)", "bus", "licence-d"),
        ("Жүргізуші (С санаты)", "lorry", "licence-c"),  # Cyrillic С typed on a Kazakh keyboard
        ("voditel kategorii C", "lorry", "licence-c"),
        # the letter names the category, whatever the word around it
        ("Водитель катерогии С срочно", "lorry", "licence-c"),
        ("Водитель C, E вахта 30/30", "lorry", "licence-c"),
    ],
)
def test_the_category_in_a_title_names_the_driver(
    enc: RecordEncoder, title: str, occupation: str, licence: str
) -> None:
    got, skills = top(enc, title)
    assert got == occupation
    assert licence in skills


def test_a_title_without_a_category_is_not_read_as_prose(enc: RecordEncoder) -> None:
    assert top(enc, "Водитель в такси")[1] == set()  # lower-case «в» is a preposition
    assert top(enc, "Бухгалтер по учёту")[1] == set()  # the title names an occupation, not skills
    # a letter without a word for category, licence or driver
    assert enc._title_licences("Бухгалтер 1С") == ()
    assert enc._title_licences("Разработчик C++") == ()
    assert enc._title_licences("Linux driver developer (C)") == ()


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Водитель категории C", "Опыт работы 5 лет, без вредных привычек, ответственный"),
        ("Жүргізуші (С санаты)", "Тәжірибем 5 жыл, жауапкершілігім бар"),
    ],
)
def test_a_title_category_keeps_its_weight_beside_prose(enc: RecordEncoder, title: str, text: str) -> None:
    """Russian or Kazakh prose weighs its skills at ``local_prose_skill_factor`` under a confident
    title; the category is the title's own word, and a line of prose must not take it away."""
    assert top(enc, title, text)[0] == "lorry"
    weak = EngineConfig(local_prose_skill_factor=0.0)  # prose skills count for nothing
    (rec,) = RecordEncoder(enc.t, weak).encode_batch([(title, text, (), (), (), ())])
    assert enc.t.occ_ids[rec.occ[0][0]].removeprefix(OCC) == "lorry"


@pytest.mark.parametrize(
    ("title", "text", "occupation"),
    [
        ("Жүргізуші", "С санаты бар, жүк тасымалында 5 жыл жұмыс істедім", "lorry"),
        ("Водитель", "Права категории D, работал на городском маршруте", "bus"),
    ],
)
def test_a_category_in_the_prose_keeps_its_weight(
    enc: RecordEncoder, title: str, text: str, occupation: str
) -> None:
    """A category is no everyday skill: in Russian or Kazakh prose it is not scaled down by
    ``local_prose_skill_factor`` as «опыт работы» or «ответственный» would be."""
    assert top(enc, title)[0] == "chauffeur"  # the title alone
    assert top(enc, title, text)[0] == occupation
    weak = EngineConfig(local_prose_skill_factor=0.0)  # other prose skills count for nothing
    (rec,) = RecordEncoder(enc.t, weak).encode_batch([(title, text, (), (), (), ())])
    assert enc.t.occ_ids[rec.occ[0][0]].removeprefix(OCC) == occupation
