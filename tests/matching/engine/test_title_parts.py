"""A Russian or Kazakh title that names two occupations at a slash is read as both."""

from __future__ import annotations

import pytest

from matching.engine import EngineConfig, RecordEncoder, Taxonomy, TaxonomyIndex
from matching.engine.encoder import _title_parts

from .conftest import OCC


@pytest.mark.parametrize(
    ("title", "parts"),
    [
        ("Главбух / бухгалтер на первичку", ["glavbuh", "buhgalter pervichku"]),
        # each part as a head: decorations and what follows the occupation are cut
        (
            "Сборщик заказов / комплектовщик на склад маркетплейса, без опыта",
            ["sborshik zakazov", "komplektovshik sklad marketpleisa"],
        ),
        ("Продавец/кассир", ["prodavets", "kassir"]),
        # no alternatives: abbreviations, shifts, gender marks, a wish for work
        ("Кондитер в цех, з/п от 200 000", []),
        ("Слесарь-ремонтник с/х техники", []),
        ("Сварщик, вахта 15/15", []),
        ("Водитель (m/f/d)", []),
        ("Ищу работу / курьер", []),
    ],
)
def test_title_parts(title: str, parts: list[str]) -> None:
    assert _title_parts(title, kazakh=False) == parts


@pytest.fixture(scope="module")
def tindex() -> TaxonomyIndex:
    tax = Taxonomy(sources=["fixture"])
    occupations = [
        ("courier", "9621", ["Курьер", "курьер по доставке"], "courier"),
        ("bike", "9621", ["Велокурьер"], "bicycle courier"),
        ("seller", "5223", ["Продавец"], "shop assistant"),
        ("cashier", "5230", ["Кассир"], "cashier"),
        ("seller-cashier", "5230", ["Продавец-кассир", "продавец кассир"], "sales cashier"),
        ("waiter", "5131", ["Официант"], "waiter/waitress"),
    ]
    for key, isco, ru, en in occupations:
        tax.add_occupation(OCC + key, isco, "ru", ru)
        tax.add_occupation(OCC + key, isco, "en", [en])
    return TaxonomyIndex.build(tax, fingerprint="title-parts")


def _occ(tindex: TaxonomyIndex, title: str, text: str = "", **config: float) -> dict[str, float]:
    enc = RecordEncoder(tindex, EngineConfig(**config))  # type: ignore[arg-type]
    return {tindex.occ_ids[o].removeprefix(OCC): p for o, p in enc.encode(title, text).occ}


def test_each_part_counts_as_the_title_s_first_choice(tindex: TaxonomyIndex) -> None:
    """«Велокурьер» is a label as it stands, «пеший курьер» only nearly one: read whole, or part by
    part at their raw scores, the bicycle courier takes nearly all of the title."""
    both = _occ(tindex, "Пеший курьер / велокурьер")
    assert both["courier"] == pytest.approx(both["bike"], abs=0.05)
    whole = _occ(tindex, "Пеший курьер / велокурьер", title_parts_factor=0.0)
    assert whole["bike"] > whole.get("courier", 0.0) + 0.2


def test_a_title_that_is_a_label_keeps_its_whole(tindex: TaxonomyIndex) -> None:
    assert max(_occ(tindex, "Продавец/кассир").items(), key=lambda kv: kv[1])[0] == "seller-cashier"
    # an English title over English text is never split: ESCO writes "waiter/waitress" as one
    assert max(_occ(tindex, "waiter/waitress", "serving tables").items(), key=lambda kv: kv[1])[0] == "waiter"
