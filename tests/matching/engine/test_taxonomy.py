"""Taxonomy readers: project files, ESCO zips (skipped without data), plain-dict round trip."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from matching.engine import RecordEncoder, Taxonomy, TaxonomyIndex
from matching.engine.loading import PROJECT_DATA_DIR, load_encoder
from matching.engine.taxonomy import (
    esco_paths,
    isco_levels,
    load_project_taxonomy,
    read_esco_isco_groups,
    read_esco_occupation_skill_relations,
    read_esco_occupations,
    read_esco_skills,
)

from .conftest import fixture_taxonomy

ESCO_DIR = os.environ.get("ESCO_DIR") or "/work/shared/matching-eval-data"


def _esco_zips() -> tuple[Path, Path]:
    try:
        return esco_paths(ESCO_DIR)
    except FileNotFoundError:
        pytest.skip("ESCO data not available ($ESCO_DIR)")


def test_isco_levels() -> None:
    assert isco_levels("2411") == ("2411", "241", "24", "2")


def test_plain_dict_round_trip(tmp_path: Path) -> None:
    tax = fixture_taxonomy()
    data = json.loads(json.dumps(tax.to_dict(), ensure_ascii=False))
    again = Taxonomy.from_dict(data)
    assert again.to_dict() == tax.to_dict()
    tax.save_json(tmp_path / "t.json.gz")
    assert Taxonomy.load_json(tmp_path / "t.json.gz").to_dict() == tax.to_dict()


def test_taxonomy_index_save_load(tmp_path: Path) -> None:
    t = TaxonomyIndex.build(fixture_taxonomy(), fingerprint="fx")
    t.save(tmp_path)
    t2 = TaxonomyIndex.load(tmp_path)
    a, b = RecordEncoder(t), RecordEncoder(t2)
    for title in ("Есепші", "сварщик", "lorry driver"):
        assert a.encode(title).occ == b.encode(title).occ


def test_project_file_formats(tmp_path: Path) -> None:
    (tmp_path / "isco_groups.tsv").write_text(
        "code\tlang\tpreferred\talt\n"
        "2411\tru\tБухгалтеры\tбухгалтер | счетовод\n"
        "2411\tkk\tЕсепшілер\tесепші\n",
        encoding="utf-8",
    )
    (tmp_path / "occupations.tsv").write_text(
        "esco_uri\tisco\tlang\tpreferred\talt\n"
        "http://data.europa.eu/esco/occupation/acc\t2411\tru\tБухгалтер\tглавный бухгалтер | бухгалтерша\n"
        "http://data.europa.eu/esco/occupation/acc\t2411\tkk\tЕсепші\tбас есепші\n"
        "\t8332\tru\tВодитель категории C\tводитель грузовика\n",
        encoding="utf-8",
    )
    (tmp_path / "starter_taxonomy.json").write_text(
        json.dumps(
            {
                "occupations": [
                    {
                        "key": "acc",
                        "isco": "2411",
                        "esco_uri": "http://data.europa.eu/esco/occupation/acc",
                        "labels": {"en": ["accountant"], "ru": ["Бухгалтер"], "kk": ["Есепші"]},
                        "essential": ["bookkeeping"],
                        "optional": [],
                    },
                    {
                        # the demo's broad label: the label file gives «главный бухгалтер» to the
                        # accountant, and the demo's chief does not tie with it
                        "key": "chief",
                        "isco": "1211",
                        "esco_uri": "http://data.europa.eu/esco/occupation/chief",
                        "labels": {
                            "en": ["finance director"],
                            "ru": ["Финансовый директор", "главный бухгалтер"],
                        },
                        "essential": [],
                        "optional": [],
                    },
                ],
                "skills": [
                    {
                        "key": "bookkeeping",
                        "esco_uri": "",
                        "labels": {"en": ["bookkeeping"], "ru": ["бухучёт"], "kk": ["бухгалтерлік есеп"]},
                    }
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    tax = load_project_taxonomy(tmp_path)
    acc = tax.occupations["http://data.europa.eu/esco/occupation/acc"]
    assert acc.isco == "2411" and acc.labels["ru"][0] == "Бухгалтер" and "бас есепші" in acc.labels["kk"]
    assert acc.essential == ["project:skill:bookkeeping"]
    assert "водитель грузовика" in tax.groups["8332"].labels["ru"]
    assert tax.occupations["http://data.europa.eu/esco/occupation/chief"].labels["ru"] == [
        "Финансовый директор"
    ]
    enc = RecordEncoder(TaxonomyIndex.build(tax))
    for title in ("Бухгалтер", "Есепші", "accountant"):
        assert enc.t.occ_ids[enc.encode(title).occ[0][0]] == "http://data.europa.eu/esco/occupation/acc"
    # a unit group without occupations still gets a matchable node
    driver = enc.encode("водитель грузовика").occ[0][0]
    assert enc.t.occ_isco[driver] == "8332"


def test_real_project_files(tmp_path: Path) -> None:
    if not (PROJECT_DATA_DIR / "occupations.tsv").exists():
        pytest.skip("matching/data/occupations.tsv not written yet")
    enc = load_encoder(None, PROJECT_DATA_DIR, cache_dir=tmp_path)
    tops = set()
    for title in ("Бухгалтер", "Есепші", "accountant", "Бухгалтер (м/ж) – Алматы"):
        occ = enc.encode(title).occ
        assert occ and enc.t.occ_isco[occ[0][0]] == "2411", title
        tops.add(occ[0][0])
    assert len(tops) == 1  # one and the same occupation, whatever the language
    # the chief accountant runs the accounting department: ESCO's accounting manager (1211)
    for title in ("Главный бухгалтер", "Бас бухгалтер", "главбух"):
        occ = enc.encode(title).occ
        assert occ and enc.t.occ_isco[occ[0][0]] == "1211", title


def test_esco_readers() -> None:
    classification, relations = _esco_zips()
    occ = next(iter(read_esco_occupations(classification)))
    assert (
        occ["uri"].startswith("http://data.europa.eu/esco/occupation/")
        and len(occ["isco"]) == 4
        and occ["alt"]
    )
    skill = next(iter(read_esco_skills(classification)))
    assert skill["uri"].startswith("http://data.europa.eu/esco/skill/") and skill["preferred"]
    groups = {g["code"] for g in read_esco_isco_groups(classification)}
    assert {"2", "24", "241", "2411"} <= groups
    rel = next(iter(read_esco_occupation_skill_relations(relations)))
    assert rel["relation"] in {"essential", "optional"}


def test_processes_building_the_same_cache_at_once_do_not_collide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers starting together all find the cache empty: each build must publish or step aside."""
    if not (PROJECT_DATA_DIR / "occupations.tsv").exists():
        pytest.skip("matching/data/occupations.tsv not written yet")
    real_save = TaxonomyIndex.save
    both_saving = threading.Barrier(2, timeout=120)

    def save(self: TaxonomyIndex, directory: str | Path) -> None:
        both_saving.wait()  # the two builders write their files at the same moment
        real_save(self, directory)

    monkeypatch.setattr(TaxonomyIndex, "save", save)
    cache = tmp_path / "cache"
    encoders: list[RecordEncoder] = []
    errors: list[BaseException] = []

    def build() -> None:
        try:
            encoders.append(load_encoder(None, PROJECT_DATA_DIR, cache_dir=cache))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(encoders) == 2
    published = [p for p in cache.iterdir() if p.is_dir()]
    assert [p.name.endswith(".tmp") for p in published] == [False]  # one entry, no leftovers
    monkeypatch.setattr(TaxonomyIndex, "save", real_save)
    again = load_encoder(None, PROJECT_DATA_DIR, cache_dir=cache)  # read from the cache
    assert again.t.occ_ids == encoders[0].t.occ_ids


ESCO = "http://data.europa.eu/esco/occupation/"


@pytest.fixture(scope="module")
def project_encoder(tmp_path_factory: pytest.TempPathFactory) -> RecordEncoder:
    """The project's own label files without ESCO, built once for the module's title checks."""
    if not (PROJECT_DATA_DIR / "occupations.tsv").exists():
        pytest.skip("matching/data/occupations.tsv not written yet")
    return load_encoder(None, PROJECT_DATA_DIR, cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.mark.parametrize(
    ("title", "uri"),
    [
        # occupations that had no Russian or Kazakh title before 2026-12-05
        ("Пентестер", ESCO + "76ef0a87-6afe-4560-b5d0-9a086abe45c5"),  # ethical hacker
        ("Художник-реставратор", ESCO + "09a40a9a-2b60-422c-abe4-96d829bc27df"),  # art restorer
        ("Сомелье", ESCO + "499f80e3-860c-48ef-8286-be929a93e254"),
        ("Жануарларды үйретуші", ESCO + "fc1da244-880f-407d-bfa7-789a2f468ea0"),  # animal trainer
        # a title once parked on the nearest labelled neighbour (file clerk) now names its own
        ("ведущий архивист", ESCO + "e3b08984-19fe-4d51-a1b0-990676fc7234"),  # archivist
        # «Старший кассир» (checkout supervisor) reads «кассир» once its rank is stripped: the
        # plain title stays the cashier's, the Kazakh rank word («аға») the supervisor's
        ("Кассир", ESCO + "2b871272-bd61-4206-bd1a-0b96d7023098"),
        ("Аға кассир", ESCO + "c76dda38-938c-404e-8a6d-78c8705eebc0"),
        # ... and the cashier's when the writer asks for work as one, in Kazakh plain or typed
        # without its letters
        ("Кассир болып жұмыс іздеймін", ESCO + "2b871272-bd61-4206-bd1a-0b96d7023098"),
        ("Кассир болып жумыс издеймин", ESCO + "2b871272-bd61-4206-bd1a-0b96d7023098"),
        # everyday Kazakh words that read as a neighbour's before 2026-12-06: «Тазалықшы» as
        # a fisher («балықшы»), «Үй жинаушы» as a fruit picker («жеміс жинаушы»)
        ("Тазалықшы", ESCO + "303a1e34-cb16-4054-b323-81e5eec17397"),  # building cleaner
        ("Үй жинаушы", ESCO + "cbad55a4-c7cf-4ab6-9540-eac72b26729b"),  # domestic cleaner
        ("Үй қызметшісі", ESCO + "6d50f735-dca9-4a02-96dc-e4310ed98ae2"),  # domestic housekeeper
        ("Доярка", ESCO + "65bd2342-f7de-4932-9164-eb480e35a791"),  # livestock worker (ISCO 9212)
        # a programming language names software work, and English "developer" alone the
        # property developer's ("C++ developer" was one)
        ("Senior Python Developer", ESCO + "f2b15a0e-e65a-438a-affb-29b9d50b77d1"),
        ("C++ developer", ESCO + "f2b15a0e-e65a-438a-affb-29b9d50b77d1"),
        ("C# программист", ESCO + "f2b15a0e-e65a-438a-affb-29b9d50b77d1"),
        (".NET developer", ESCO + "f2b15a0e-e65a-438a-affb-29b9d50b77d1"),
        ("React developer", ESCO + "c40a2919-48a9-40ea-b506-1f34f693496d"),  # web developer
        ("iOS developer", ESCO + "2ed56c3f-61d6-4f7e-9ef8-8849eb102e4c"),  # mobile developer
        # titles the 2026-12-07 writers added, and what the writers of the test sets agree on
        ("Мейіргер", ESCO + "8d3e8aaa-791b-4c75-a465-f3f827028f50"),  # nurse, not its lecturer
        ("Астық кептіргіш операторы", ESCO + "804f1ae2-429c-48a9-9858-d5d42df144eb"),  # dryer attendant
        ("Оператор зерносушилки", ESCO + "804f1ae2-429c-48a9-9858-d5d42df144eb"),
        ("Мейрамхана даяшысы", ESCO + "d5db9d5c-2ebf-4a54-a79a-1b7e7ff70471"),  # waiter
        ("Кладовщик ТМЦ", ESCO + "bea705fe-06ac-4147-b8e0-6e8ac1208d8f"),  # warehouse worker
        ("Специалист по кадрам", ESCO + "d3e32e5e-7f24-48e3-b939-e4f800eb62fb"),  # HR officer
    ],
)
def test_project_titles_reach_the_occupation_they_name(
    title: str, uri: str, project_encoder: RecordEncoder
) -> None:
    """Every ESCO occupation with a title of its own in Kazakhstan has ru/kk labels (data/README)."""
    enc = project_encoder
    occ = enc.encode(title).occ
    assert occ and enc.t.occ_ids[occ[0][0]] == uri, [(enc.t.occ_names[o], p) for o, p in occ[:3]]


def test_a_label_is_not_read_as_the_shorter_one_normalising_makes_of_it(
    project_encoder: RecordEncoder,
) -> None:
    """Titles lose «жұмыс» («Жұмыс керек: жүргізуші»), so the site foreman's «жұмыс жүргізуші»
    normalises to «жүргізуші», the driver's label: such a label is not indexed."""
    from matching.engine.normalize import stripped_content_words

    assert stripped_content_words("жұмыс жүргізуші") == {"zhumys"}
    assert stripped_content_words("Старший кассир") == frozenset()  # a rank: weighed, not dropped
    assert stripped_content_words("Водитель на Газель") == frozenset()
    enc = project_encoder
    foreman = ESCO + "0dd7e6cd-2e5a-4fae-9ce0-6a3622d4019f"  # «Прораб»
    assert foreman not in {enc.t.occ_ids[o] for o, _ in enc.encode("Жүргізуші").occ}
    assert enc.t.occ_ids[enc.encode("Прораб").occ[0][0]] == foreman


# shop assistant (the project's «Продавец») or sales assistant (the starter's «продавец»)
SELLER = (ESCO + "0b15375e-dfdd-4047-9efb-096e0aaee7d2", ESCO + "9ba74e8a-c40c-4228-9998-eb3c7a5c11df")
# the lorry drivers (ISCO 8332): the cargo vehicle driver and the moving truck driver
LORRY = (ESCO + "45037d43-a8f5-4f46-b332-b2935bc305f4", ESCO + "a504e79e-f146-4773-a1cf-2b15b9d614db")
# the cook, or the institutional cook whose label «Асхана аспазы» (a canteen's cook) the cook has too
COOK = (ESCO + "90f75f67-495d-49fa-ab57-2f320e251d7e", ESCO + "11e6d39e-1295-40e7-8eea-3eb042bc7e34")


@pytest.mark.parametrize(
    ("title", "text", "uris"),
    [
        # Russian names it after the verb, in the instrumental, its fleeting «е» gone
        ("Ищу работу", "Опыт работы продавцом 3 года", SELLER),
        ("продавцом", "", SELLER),
        # Kazakh names it before «болып», «болдым», «ретінде»
        ("Жұмыс іздеймін", "Дүкенде сатушы болып істедім, тауар қабылдау", SELLER),
        ("Жұмыс іздеймін", "Асханада аспаз болдым", COOK),
        ("Жұмыс іздеймін", "Мейрамханада аспаз ретінде жұмыс істедім", COOK),
        # the car category beside the lorry one weighs nothing, in the prose's skills as in the
        # licence bonus («кат B C» made a van driver of a KamAZ driver), typed in either alphabet
        ("Ищу работу водителем", "Водитель кат B C, опыт 7 лет на газели и камазе", LORRY),
        ("Ishu rabotu voditelem (kat. B, C)", "Voditel gazeli, kamaza, opyt 5 let", LORRY),
    ],
)
def test_the_occupation_a_writer_names_in_any_form(
    title: str, text: str, uris: tuple[str, ...], project_encoder: RecordEncoder
) -> None:
    """A title that only asks for work reads the occupation from the text, in any form of the word."""
    enc = project_encoder
    occ = enc.encode(title, text).occ
    assert occ and enc.t.occ_ids[occ[0][0]] in uris, [(enc.t.occ_names[o], p) for o, p in occ[:3]]


def test_the_code_hash_ignores_comments_and_docstrings() -> None:
    """The taxonomy cache and the served index are keyed by the engine code: a reworded comment
    or docstring (or code moved down a line) must not rebuild a national index; a changed
    statement must."""
    from matching.engine.loading import code_digest

    base = 'def f(x):\n    """Why."""\n    return x + 1  # add one\n'
    same = [
        'def f(x):\n    """Why, said better."""\n    return x + 1  # one more\n',
        "\n\ndef f(x):\n    return x + 1\n",
        '"""A module docstring."""\ndef f(x):\n    # a comment\n    return x + 1\n',
    ]
    for text in same:
        assert code_digest([("m.py", text)]) == code_digest([("m.py", base)]), text
    assert code_digest([("m.py", base.replace("x + 1", "x + 2"))]) != code_digest([("m.py", base)])
    assert code_digest([("n.py", base)]) != code_digest([("m.py", base)])
    # a string that is a statement's value is code, not a docstring
    assert code_digest([("m.py", 'X = "a"\n')]) != code_digest([("m.py", 'X = "b"\n')])
