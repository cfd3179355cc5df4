"""A job-bank title that names the employment programme it is placed through.

«Общественные работы: рабочий по благоустройству», «Швея (социальное рабочее место)»: the
programme names no occupation, and its words match some («общественные», the public relations
officer's «связи с общественностью»). Read with a Russian text, such a title's first phrase, the
programme, was its head and the street cleaner's vacancy read as a public relations officer."""

from __future__ import annotations

import pytest

from matching.engine import EngineConfig, RecordEncoder, Taxonomy, TaxonomyIndex
from matching.engine.normalize import is_job_search, normalize_title
from tests.matching.engine.fixtures import OCC, OccupationRow, occupation_taxonomy


def _taxonomy() -> Taxonomy:
    occs: list[OccupationRow] = [
        (
            "public_relations",
            "2432",
            ["public relations officer"],
            [
                "Специалист по связям с общественностью",
                "PR-менеджер",
                "общественный деятель",
                "общественные работы с населением",
            ],
            ["Қоғаммен байланыс жөніндегі маман", "қоғамдық жұмыстар жөніндегі маман"],
        ),
        (
            "street_sweeper",
            "9613",
            ["street sweeper"],
            ["Дворник", "Рабочий по благоустройству"],
            ["Аула сыпырушы"],
        ),
        ("sewing_machinist", "7533", ["sewing machinist"], ["Швея"], ["Тігінші"]),
        ("data_entry_clerk", "4132", ["data entry clerk"], ["Оператор ПК", "Оператор ввода данных"], []),
    ]
    return occupation_taxonomy(occs, "programme fixture")


@pytest.fixture(scope="module")
def encoder() -> RecordEncoder:
    return RecordEncoder(TaxonomyIndex.build(_taxonomy(), fingerprint="programmes"), EngineConfig())


def _top(encoder: RecordEncoder, title: str, text: str) -> str:
    enc = encoder.encode_batch([(title, text, (), (), (), ())])[0]
    return encoder.t.occ_ids[enc.occ[0][0]].removeprefix(OCC)


@pytest.mark.parametrize(
    ("title", "normalised"),
    [
        ("Общественные работы: рабочий по благоустройству", "rabochii po blagoustroistvu"),
        ("Швея (социальное рабочее место), швейный цех", "shveya shveinyi tseh"),
        ("Молодёжная практика — оператор ПК", "operator pk"),
        ("Qogamdyq jumystar: aula sypyrushy", "aula sypyrushy"),
        ("Қоғамдық жұмыстар: аула сыпырушы", "aula sypyrushy"),
        ("Серебряный возраст: сторож", "storozh"),
        # words that only begin like a programme's stay: a health worker, a Kazakh worker
        ("Общественный работник здравоохранения", "obshestvennyi rabotnik zdravoohraneniya"),
        ("Қоғамдық жұмысшы", "kogamdyk zhumysshy"),
    ],
)
def test_programme_names_are_taken_off_titles(title: str, normalised: str) -> None:
    assert normalize_title(title) == normalised


def test_a_title_that_is_only_a_programme_names_no_occupation() -> None:
    assert is_job_search(normalize_title("Молодежная практика"))
    assert is_job_search(normalize_title("Общественная работа"))
    assert not is_job_search(normalize_title("Дворник"))


@pytest.mark.parametrize(
    ("title", "text", "occupation"),
    [
        (
            "Общественные работы: рабочий по благоустройству (уборка улиц)",
            "Обязанности: уборка улиц и тротуаров от мусора, покос травы. "
            "Требования: зарегистрированный безработный.",
            "street_sweeper",
        ),
        (
            "Общественные работы: оператор ПК (ввод данных), акимат сельского округа",
            "Обязанности: внесение данных в информационные системы, сканирование документов.",
            "data_entry_clerk",
        ),
        ("Швея (социальное рабочее место), швейный цех", "Пошив спецодежды, график 5/2.", "sewing_machinist"),
        (
            "Қоғамдық жұмыстар: аула сыпырушы",
            "Міндеттері: көшелерді қоқыстан тазалау, қыста қар күреу.",
            "street_sweeper",
        ),
    ],
)
def test_the_position_after_a_programme_is_the_occupation(
    encoder: RecordEncoder, title: str, text: str, occupation: str
) -> None:
    assert _top(encoder, title, text) == occupation


def test_a_programme_only_title_leaves_the_occupation_to_the_text(encoder: RecordEncoder) -> None:
    assert (
        _top(encoder, "Молодежная практика", "Работа оператором ПК, ввод данных в базу") == "data_entry_clerk"
    )
