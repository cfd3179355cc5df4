"""A job-board title names the occupation first and then where, for whom and on what terms; the
head of the title is scored too and counts when a label states it better than the whole."""

from __future__ import annotations

import pytest

from matching.engine import EngineConfig, RecordEncoder, Taxonomy, TaxonomyIndex
from matching.engine.encoder import _title_head
from matching.engine.morphology import is_kazakh_dative
from matching.engine.normalize import normalize_text

from .conftest import OCC


def _occ(encoder: RecordEncoder, title: str, text: str) -> list[tuple[str, float]]:
    return [(encoder.t.occ_ids[o].removeprefix(OCC), p) for o, p in encoder.encode(title, text).occ]


@pytest.mark.parametrize(
    ("title", "kazakh", "head"),
    [
        # the first phrase, before a comma, a colon or a spaced dash, without decorations
        ("Требуется парикмахер в салон красоты, аренда кресла или %", False, "parikmaher salon krasoty"),
        ("Тракторист керек, шаруа кожалыгына", True, "traktorist"),
        ("Сварщик – монтаж металлоконструкций, Атырау", False, "svarshik"),
        ("Ищу работу: сварщик, стаж 5 лет", False, "svarshik"),  # a wish for work is no head
        # a Kazakh title without its datives, which say where the worker is wanted; the last
        # word, where Kazakh puts the occupation, stays
        ("Жиһаз цехына столяр керек", True, "zhihaz stolyar"),
        ("Дүкенге сатушы", True, "satushy"),
        # nothing to cut: the whole title is its head
        ("Продавец-кассир", False, ""),
        ("Менеджер по продажам / Сату менеджері", False, ""),  # "/" names both
        ("Гл. бухгалтер", False, ""),
        ("(СРОЧНО) Продавец, Алматы", False, ""),  # decorations only after the head
        ("Электромонтер (ЭБЖ)", False, ""),  # a bracket stays, unless asked (below)
        ("Дүкенге", True, ""),  # a lone word stays, whatever its case
    ],
)
def test_title_head(title: str, kazakh: bool, head: str) -> None:
    assert _title_head(title, kazakh) == head


@pytest.mark.parametrize(
    ("word", "dative"),
    [
        ("цехына", True),
        ("фермасына", True),
        ("мекемесіне", True),
        ("мектепке", True),  # «-ке» after a voiceless consonant
        ("таксопаркке", True),
        ("барахолкаға", True),  # «-ға» after a vowel
        ("дүкенге", True),  # «-ге» after a voiced one
        ("техника", False),  # «-ка» after a vowel is not a Kazakh dative
        ("нянька", False),
        ("кассирка", False),  # nor after a voiced consonant
        ("сауда", False),
        ("аспазшы", False),
        ("мекеме", False),
    ],
)
def test_kazakh_dative(word: str, dative: bool) -> None:
    assert is_kazakh_dative(normalize_text(word)) is dative


def test_the_head_names_the_occupation(tindex: TaxonomyIndex) -> None:
    # (the head word, ``test_head_word``, would read these titles by itself: off in both)
    enc = RecordEncoder(tindex, EngineConfig(title_head_word_factor=1.0))
    off = RecordEncoder(tindex, EngineConfig(title_head_factor=0.0, title_head_word_factor=1.0))
    # the whole title holds a driver's label; its head is a welder's
    assert _occ(off, "Сварщик, водитель грузовика", "Работа на вахте")[0][0] == "driver"
    assert _occ(enc, "Сварщик, водитель грузовика", "Работа на вахте")[0][0] == "welder"
    # «Бухгалтерияға» says where the programmer is wanted, not what they are
    top, p = _occ(enc, "Бухгалтерияға бағдарламашы керек", "Конфигурацияларды әзірлеу")[0]
    assert top == "developer" and p > 0.9
    assert _occ(off, "Бухгалтерияға бағдарламашы керек", "Конфигурацияларды әзірлеу")[0][1] < 0.6


@pytest.mark.parametrize(
    ("title", "kazakh", "head"),
    [
        ("Электромонтер (ЭБЖ)", False, "elektromonter"),
        ("Бұрғылаушы керек (геологиялық барлау)", True, "burgylaushy"),
        ("Сүт фермасына жұмысшылар (скотник, сауыншы) қажет", True, "sut zhumysshylar"),
        ("Повар (горячий цех", False, "povar"),  # a bracket left open runs to the end
    ],
)
def test_title_head_without_brackets(title: str, kazakh: bool, head: str) -> None:
    assert _title_head(title, kazakh, brackets=False) == head


def _mini(*occupations: tuple[str, str, str]) -> TaxonomyIndex:
    tax = Taxonomy(sources=["fixture"])
    for key, isco, label in occupations:
        tax.add_occupation(OCC + key, isco, "kk", [label])
    return TaxonomyIndex.build(tax)


def test_a_bracket_that_states_no_label_is_left_out() -> None:
    """A bracket that says in what field does not choose the occupation."""
    tindex = _mini(
        ("driller", "8113", "Бұрғылаушы"),
        ("geologist", "2114", "Геологиялық барлау маманы"),
    )
    title, text = "Бұрғылаушы керек (геологиялық барлау)", "Колонкалық бұрғылау, вахта 30/30"
    assert _occ(RecordEncoder(tindex), title, text)[0][0] == "driller"
    off = RecordEncoder(tindex, EngineConfig(title_head_unbracketed_below=0.0, title_head_word_factor=1.0))
    assert _occ(off, title, text)[0][0] == "geologist"


def test_a_title_that_states_a_label_keeps_its_bracket(tindex: TaxonomyIndex) -> None:
    """«Администратор ресепшн» is a receptionist's label: «администратор» alone is not read."""
    mini = _mini(("receptionist", "4226", "Администратор ресепшн"), ("admin", "3343", "Администратор"))
    title, text = "Қонақүйге администратор (ресепшн) керек", "Қонақтарды қарсы алу, брондау"
    assert _occ(RecordEncoder(mini), title, text)[0][0] == "receptionist"
    # the bracket here names another occupation's label, which the whole title states (the
    # fixture has no label «водитель»: the head word «сварщик» alone would read a welder)
    enc = RecordEncoder(tindex, EngineConfig(title_head_word_factor=1.0))
    assert _occ(enc, "Сварщик (водитель грузовика)", "Работа на вахте")[0][0] == "driver"


def test_titles_with_english_text_keep_their_whole(tindex: TaxonomyIndex) -> None:
    """ESCO's Bulgarian labels put the kind of an occupation after a comma («оператор, преси за
    глина»): a title whose record's text is not Russian or Kazakh is read whole."""
    enc = RecordEncoder(tindex, EngineConfig())
    assert _occ(enc, "Сварщик, водитель грузовика", "drive heavy trucks, secure cargo")[0][0] == "driver"
    assert _occ(enc, "Сварщик, водитель грузовика", "")[0][0] == "driver"
