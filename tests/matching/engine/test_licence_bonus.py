"""A stated licence category chooses among the road drivers a title names, and no further."""

from __future__ import annotations

import pytest

from matching.engine import EngineConfig, RecordEncoder, Taxonomy, TaxonomyIndex

from .conftest import OCC, SK


@pytest.fixture(scope="module")
def tindex() -> TaxonomyIndex:
    tax = Taxonomy(sources=["fixture"])
    for letter in "bcd":
        tax.add_skill(SK + f"licence-{letter}", "ru", [f"категория {letter.upper()}"])
        tax.add_skill(SK + f"licence-{letter}", "en", [f"driving licence category {letter.upper()}"])
    everyday = ["road traffic laws", "passenger service", "vehicle maintenance", "navigation", "first aid"]
    for name in everyday:
        tax.add_skill(SK + name.replace(" ", "-"), "en", [name])
    tax.add_skill(SK + "hazmat", "ru", ["ДОПОГ"])
    tax.add_skill(SK + "pallets", "ru", ["штабелирование"])
    tax.add_skill(SK + "sales", "ru", ["приём заказов"])
    occupations = [
        # key, ISCO, Russian labels, essential skills
        ("chauffeur", "8322", ["Водитель", "шофёр", "личный шофёр легкового автомобиля"], everyday),
        ("taxi", "8322", ["Водитель такси"], ["licence-b", "passenger-service"]),
        (
            "bus",
            "8331",
            ["Водитель автобуса", "водитель маршрутного автобуса"],
            ["licence-d", "passenger-service"],
        ),
        ("lorry", "8332", ["Водитель грузовика"], ["licence-c", "road-traffic-laws"]),
        ("tanker", "8332", ["Водитель бензовоза"], ["hazmat", "road-traffic-laws"]),
        ("forklift", "8344", ["Водитель погрузчика"], ["pallets"]),
        ("sales", "3322", ["Торговый представитель"], ["sales"]),
    ]
    for key, isco, ru, essential in occupations:
        occ = tax.add_occupation(OCC + key, isco, "ru", ru)
        tax.add_occupation(OCC + key, isco, "en", [f"{key} worker"])
        occ.essential.extend(SK + s.replace(" ", "-") for s in essential)
    return TaxonomyIndex.build(tax, fingerprint="licence-bonus")


def top(
    tindex: TaxonomyIndex, title: str, skills: tuple[str, ...], config: EngineConfig | None = None
) -> str:
    enc = RecordEncoder(tindex, config or EngineConfig())
    (rec,) = enc.encode_batch([(title, "", skills, (), (), ())])
    return tindex.occ_ids[rec.occ[0][0]].removeprefix(OCC)


def test_a_category_turns_a_bare_driver_title_into_the_driver_it_names(tindex: TaxonomyIndex) -> None:
    """«Водитель» is the chauffeur's own label; with a D licence listed the person drives a bus.
    The category's cosine alone is diluted by the other skills and scaled as off the title."""
    skills = ("категория D", "road traffic laws")
    assert top(tindex, "Водитель", ()) == "chauffeur"
    assert top(tindex, "Водитель", skills) == "bus"
    assert top(tindex, "Водитель", skills, EngineConfig(licence_bonus=0.0)) == "chauffeur"


@pytest.mark.parametrize(
    ("title", "skills", "occupation"),
    [
        # the whole unit group of the category's drivers takes it: a tanker driver holds a C
        ("Водитель бензовоза", ("категория C", "ДОПОГ"), "tanker"),
        # a category does not make a road driver of a plant operator or a sales agent
        ("Водитель погрузчика", ("категория B", "штабелирование"), "forklift"),
        ("Торговый представитель", ("категория B", "приём заказов"), "sales"),
        ("Водитель автобуса", ("категория B", "категория D"), "bus"),
    ],
)
def test_a_category_does_not_overrule_the_title(
    tindex: TaxonomyIndex, title: str, skills: tuple[str, ...], occupation: str
) -> None:
    assert top(tindex, title, skills) == occupation


def test_without_a_title_the_category_names_the_driver(tindex: TaxonomyIndex) -> None:
    assert top(tindex, "", ("категория C", "road traffic laws")) in {"lorry", "tanker"}


def test_a_category_in_the_prose_counts_as_one_listed(tindex: TaxonomyIndex) -> None:
    enc = RecordEncoder(tindex, EngineConfig())
    text = "Категория D, работал на маршруте"
    (rec,) = enc.encode_batch([("Водитель", text, ("road traffic laws",), (), (), ())])
    assert tindex.occ_ids[rec.occ[0][0]].removeprefix(OCC) == "bus"


@pytest.mark.parametrize(
    ("text", "letters"),
    [
        ("Есть права категории B, C. Опыт на КамАЗе", "bc"),
        ("Voditel kat B C, opyt 7 let", "bc"),  # Russian typed in Latin letters
        ("кат. В и С", "bc"),  # Cyrillic letters
        ("В, С санаттары бар", "bc"),  # Kazakh puts the letters first
        ("права кат. С, D (CD)", "cd"),
        ("Работал в кафе. Права есть", ""),
        ("Есть права. В Алматы работал таксистом", ""),  # «В» after a full stop is a preposition
        ("category C licence", ""),  # English prose is read by its skill labels alone
    ],
)
def test_a_text_lists_its_categories(tindex: TaxonomyIndex, text: str, letters: str) -> None:
    enc = RecordEncoder(tindex, EngineConfig())
    got = {tindex.skill_ids[s].removeprefix(SK) for s in enc._text_licences(text)}
    assert got == {f"licence-{c}" for c in letters}


def test_a_lorry_category_beside_the_car_one_names_the_lorry_driver(tindex: TaxonomyIndex) -> None:
    """The prose skills found «права категории B» and lost the C after it; and with both read,
    the car category's bonus tied the chauffeur with the lorry driver."""
    enc = RecordEncoder(tindex, EngineConfig())
    (rec,) = enc.encode_batch([("Водитель", "Есть права категории B, C, опыт 5 лет", (), (), (), ())])
    assert tindex.occ_ids[rec.occ[0][0]].removeprefix(OCC) in {"lorry", "tanker"}
    assert top(tindex, "Водитель", ("категория B",)) in {"chauffeur", "taxi"}  # a car category alone
