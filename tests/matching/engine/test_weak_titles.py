"""Titles that find nothing good: a typo in a short word, a title that only asks for work.

Job boards are full of both («Пеарь», «ПСХИОЛОГ», «Ищу работу» above «Я сварщик, …»); the
encoder corrects the first against the labels' words and reads the second's occupation from
the text, and neither may move a title that already names its occupation."""

from __future__ import annotations

from collections import Counter

import pytest

from matching.engine import EngineConfig, RecordEncoder, Taxonomy, TaxonomyIndex
from matching.engine.encoder import _title_phrases, asks_for_work_at_a_place
from matching.engine.spelling import WordSpeller

from .conftest import OCC, fixture_taxonomy


def _top(encoder: RecordEncoder, title: str, text: str = "") -> str | None:
    enc = encoder.encode_batch([(title, text, (), (), (), ())])[0]
    return encoder.t.occ_ids[enc.occ[0][0]].removeprefix(OCC) if enc.occ else None


def test_a_word_one_edit_away_is_corrected_to_the_most_frequent_label_word() -> None:
    speller = WordSpeller(Counter({"svarshik": 3, "psiholog": 2, "barmen": 1, "kurer": 1, "parmen": 5}))
    assert speller.correct_word("psholog") == "psiholog"  # a letter dropped
    assert speller.correct_word("svarshhik") == "svarshik"  # a letter added
    assert speller.correct_word("ukrer") == "kurer"  # two neighbours swapped
    assert speller.correct_word("xarmen") == "parmen"  # two neighbours one edit away: the frequent one
    assert speller.correct_word("svarshik") is None  # known
    assert speller.correct_word("kurr") is None  # too short to tell
    assert speller.correct_word("svrashchik") is None  # two edits
    assert speller.correct("ukrer psholog") == "kurer psiholog"
    assert speller.correct("svarshik") is None
    # a known word with an ending is a form of it, not a typo of a neighbour
    speller = WordSpeller(Counter({"aspaz": 4, "aspapshy": 9}))
    assert speller.correct_word("aspazshy") is None


def test_the_taxonomy_speller_knows_the_ru_kk_label_words(encoder: RecordEncoder) -> None:
    speller = encoder.t.title_speller
    assert speller is not None
    assert speller.correct_word("svarhik") == "svarshik"
    assert speller.correct_word("rbotu") == "rabotu"  # decoration words count too


@pytest.mark.parametrize(
    ("title", "occupation"),
    [
        ("Сврщик", "welder"),  # «Сварщик» with a letter dropped
        ("Бухгалтре", "accountant"),
        ("Прогармист", "developer"),
        ("Медсестар", "nurse"),
    ],
)
def test_a_misspelt_title_finds_its_occupation(encoder: RecordEncoder, title: str, occupation: str) -> None:
    assert _top(encoder, title) == occupation


def test_a_corrected_title_is_as_sure_as_the_right_spelling(tindex: TaxonomyIndex) -> None:
    """Uncorrected, «Свращик» (two letters swapped in a short word) is a weak title that listed
    skills of another trade outvote; corrected, it is as sure as «Сварщик» (switched off, the
    old reading is back)."""
    on = RecordEncoder(tindex, EngineConfig())
    off = RecordEncoder(tindex, EngineConfig(title_spelling=False))
    record = ("Свращик", "", ("бухгалтерский учёт", "excel"), (), (), ())
    right = on.encode_batch([("Сварщик", *record[1:])])[0].occ
    assert on.encode_batch([record])[0].occ == right
    assert off.encode_batch([record])[0].occ != right


def test_a_title_that_asks_for_work_takes_the_occupation_the_text_names(encoder: RecordEncoder) -> None:
    text = "Я сварщик, работал на стройке, есть своя маска"
    assert _top(encoder, "Ищу работу", text) == "welder"
    assert _top(encoder, "СРОЧНО! ищу рботу", text) == "welder"
    assert _top(encoder, "Жұмыс іздеймін", "Мен мейірбикемін, ауруханада істедім") == "nurse"
    # the occupation right after the words that say it, the rest of the phrase aside
    assert _top(encoder, "Ищу работу", "Работал сварщиком 5 лет на стройке") == "welder"
    assert _top(encoder, "Looking for a job", "I am a welder with 5 years of experience") == "welder"
    # the work the writer asks for names it, whatever the words around it
    assert _top(encoder, "Любая работа", "Ищу работу сварщиком на производстве или в цеху") == "welder"
    assert _top(encoder, "Ищу работу", "Опыт 3 года, могу водителем грузовика: права кат. C") == "driver"
    assert _top(encoder, "Любая работа", "Окончила колледж, хочу работать медсестрой") == "nurse"
    assert _top(encoder, "Ищу работу", "Рассмотрю вакансию программиста, знаю Python") == "developer"
    # where the writer worked comes between: «на заводе», "na AMT v Temirtau" (Latin-typed)
    assert _top(encoder, "Ищу работу", "Работал на заводе сварщиком 5 лет") == "welder"
    assert _top(encoder, "ishu rabotu Temirtau", "Rabotal na AMT v Temirtau svarshikom 4 goda") == "welder"
    # nothing named: no occupation from the title's words
    assert _top(encoder, "Ищу работу") is None


def test_under_a_title_that_asks_for_work_the_text_opens_with_the_occupation(encoder: RecordEncoder) -> None:
    """A profile under «Ищу работу» opens with what its writer is, in more words than a title
    phrase may have; a later short phrase that is another occupation's label («газосварщик», or
    «пневматика» beside a mechanic) does not outvote it."""
    text = "Водитель грузовика категории C, опыт 5 лет, газосварщик"
    assert _top(encoder, "Ищу работу", text) == "driver"
    assert _top(encoder, "Ishu rabotu", "Voditel gruzovika kategorii C, opyt 5 let, gazosvarshik") == "driver"
    # a phrase the writer says of themselves still comes first
    assert _top(encoder, "Ищу работу", "Водитель грузовика категории C. Я газосварщик") == "welder"


def test_what_a_writer_says_they_are_may_run_longer_than_a_title() -> None:
    said = [p for p, _, own in _title_phrases("Работал слесарем по обслуживанию тепловых сетей") if own]
    assert said[-1] == "slesarem po obsluzhivaniyu teplovyh setei"
    assert [p for p, _, own in _title_phrases("Работала в магазине продавцом") if own] == ["prodavtsom"]
    # where is all a text names: it is kept («Ищу работу на стройку»)
    assert [p for p, _, own in _title_phrases("Ищу работу на стройку") if own] == ["stroiku"]


def test_a_title_that_names_an_occupation_keeps_it(encoder: RecordEncoder) -> None:
    """Only a weak title looks in the text, and only at what the writer says they are."""
    assert _top(encoder, "Бухгалтер", "Я сварщик по образованию") == "accountant"
    # a weak title does not take an activity of the text for an occupation
    enc = encoder.encode_batch([("Ассистент", "сварщик, программист", (), (), (), ())])[0]
    plain = encoder.encode_batch([("Ассистент", "", (), (), (), ())])[0]
    assert [o for o, _ in enc.occ][:1] == [o for o, _ in plain.occ][:1] or not plain.occ


def test_a_title_in_latin_letters_is_left_as_typed(tindex: TaxonomyIndex) -> None:
    """A Latin word the labels lack is as often a real word of a language they hold few words of
    ("stalker", "sexer") as a typo, so a Latin title is corrected only over Russian or Kazakh
    text: Russian typed in Latin letters."""
    on = RecordEncoder(tindex, EngineConfig())
    off = RecordEncoder(tindex, EngineConfig(title_spelling=False))
    for title in ("Svrashik", "Wedler"):
        for text in ("", "welding, metal cutting"):
            record = (title, text, ("бухгалтерский учёт", "excel"), (), (), ())
            assert on.encode_batch([record])[0].occ == off.encode_batch([record])[0].occ
    record = ("Svrashik", "Opyt raboty 5 let na stroike", ("бухгалтерский учёт", "excel"), (), (), ())
    assert off.encode_batch([record])[0].occ[0][0] != on.encode_batch([record])[0].occ[0][0]
    assert _top(on, "Svrashik", "Opyt raboty 5 let na stroike") == "welder"


@pytest.mark.parametrize(
    ("title", "place"),
    [
        ("Ищу работу на производство", True),
        ("Ищу работу в магазин", True),
        ("Ishu rabotu na stroiku", True),
        ("Мұнай кен орнына жұмыс іздеймін", True),
        ("Цехқа жұмыс іздеймін", True),
        ("Ищу работу", False),  # only asks: the rule for that holds
        ("Ищу работу водителем", False),  # names the work (instrumental)
        ("Ищу работу продавцом в магазин", False),
        ("Ищу работу в офис администратором", False),
        ("Курьер болып жұмыс іздеймін", False),
        ("Работа на производстве", False),  # no one asks: a vacancy's title
    ],
)
def test_a_title_that_asks_for_work_at_a_place_is_told_apart(title: str, place: bool) -> None:
    assert asks_for_work_at_a_place(title) is place


def test_a_title_that_asks_for_work_at_a_place_reads_the_work_in_the_text() -> None:
    """Normalised, «Ищу работу на производство» is «производство», a label of the production
    engineer; the welder is in the text."""
    tax: Taxonomy = fixture_taxonomy()
    tax.add_occupation(OCC + "engineer", "2141", "en", ["production engineer"])
    tax.add_occupation(OCC + "engineer", "2141", "ru", ["Инженер производства", "производство"])
    tindex = TaxonomyIndex.build(tax, fingerprint="place")
    encoder = RecordEncoder(tindex, EngineConfig())
    text = "Работал сварщиком 5 лет в цеху"
    assert _top(encoder, "Ищу работу на производство", text) == "welder"
    assert _top(encoder, "Ищу работу на производство") == "engineer"  # no text: the place is all
    off = RecordEncoder(tindex, EngineConfig(place_title_factor=1.0))
    assert _top(off, "Ищу работу на производство", text) == "engineer"


def test_the_longest_phrase_a_writer_says_of_themselves_wins() -> None:
    """«Колл-орталықта оператор болып істедім»: the last word alone is the Czech and Bulgarian
    label of a camera operator, spelt exactly; the phrase names the call centre's operator."""
    tax = Taxonomy(sources=["fixture"])
    tax.add_occupation(OCC + "camera", "3521", "en", ["camera operator"])
    tax.add_occupation(OCC + "camera", "3521", "cs", ["operátor"])
    tax.add_occupation(OCC + "camera", "3521", "bg", ["оператор"])
    tax.add_occupation(OCC + "agent", "5244", "en", ["call centre agent"])
    tax.add_occupation(OCC + "agent", "5244", "kk", ["Колл-орталық операторы", "колл-орталықтың операторы"])
    encoder = RecordEncoder(TaxonomyIndex.build(tax, fingerprint="said-phrases"), EngineConfig())
    text = "Студентпін, колл-орталықта оператор болып істедім, кешкі ауысым керек"
    assert _top(encoder, "Жұмыс іздеймін", text) == "agent"
