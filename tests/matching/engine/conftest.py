"""A small hand-written taxonomy (no ESCO needed) and an engine built over it."""

from __future__ import annotations

import pytest

from matching.engine import (
    EngineConfig,
    MatchEngine,
    RecordEncoder,
    SeekerRecord,
    Taxonomy,
    TaxonomyIndex,
    VacancyRecord,
)

OCC = "http://example.org/occupation/"
SK = "http://example.org/skill/"


def fixture_taxonomy() -> Taxonomy:
    """Occupations in three ISCO groups with en/ru/kk labels and skill links."""
    tax = Taxonomy(sources=["fixture"])
    skills = {
        "accounting": (
            ["accounting", "bookkeeping"],
            ["бухгалтерский учёт", "бухучет"],
            ["бухгалтерлік есеп"],
        ),
        "tax": (["tax legislation"], ["налоговое законодательство"], ["салық заңнамасы"]),
        "reporting": (["financial reporting"], ["финансовая отчётность"], ["қаржылық есептілік"]),
        "excel": (["use spreadsheets software", "excel"], ["excel"], ["excel"]),
        "audit": (["audit techniques"], ["методы аудита"], ["аудит әдістері"]),
        "welding": (["use welding equipment", "welding"], ["сварочные работы", "сварка"], ["дәнекерлеу"]),
        "metal": (["metal cutting"], ["резка металла"], ["металл кесу"]),
        "safety": (["follow safety procedures"], ["техника безопасности"], ["қауіпсіздік техникасы"]),
        "truck": (["drive heavy trucks"], ["вождение грузовика"], ["жүк көлігін жүргізу"]),
        "cargo": (["secure cargo"], ["крепление груза"], ["жүкті бекіту"]),
        "care": (["patient care"], ["уход за пациентами"], ["науқастарды күту"]),
        "injection": (["administer injections"], ["выполнение инъекций"], ["инъекция жасау"]),
        "python": (["python"], ["python"], ["python"]),
        "sql": (["SQL"], ["SQL"], ["SQL"]),
    }
    for key, (en, ru, kk) in skills.items():
        tax.add_skill(SK + key, "en", en)
        tax.add_skill(SK + key, "ru", ru)
        tax.add_skill(SK + key, "kk", kk)
    occs = [
        (
            "accountant",
            "2411",
            ["accountant", "chartered accountant"],
            ["Бухгалтер", "главный бухгалтер", "бухгалтер-кассир"],
            ["Есепші", "бас есепші"],
            ["accounting", "tax", "reporting"],
            ["excel"],
        ),
        (
            "auditor",
            "2411",
            ["auditor", "financial auditor"],
            ["Аудитор"],
            ["Аудитор"],
            ["audit", "accounting", "reporting"],
            ["excel"],
        ),
        (
            "analyst",
            "2413",
            ["financial analyst"],
            ["Финансовый аналитик"],
            ["Қаржы талдаушысы"],
            ["reporting", "excel"],
            ["sql"],
        ),
        (
            "welder",
            "7212",
            ["welder", "welding technician"],
            ["Сварщик", "электросварщик", "газосварщик"],
            ["Дәнекерлеуші"],
            ["welding", "metal", "safety"],
            [],
        ),
        (
            "driver",
            "8332",
            ["heavy truck driver", "lorry driver"],
            ["Водитель грузовика", "водитель категории C"],
            ["Жүк көлігінің жүргізушісі"],
            ["truck", "cargo", "safety"],
            [],
        ),
        (
            "nurse",
            "2221",
            ["nurse", "general nurse"],
            ["Медсестра", "медицинская сестра", "медбрат"],
            ["Мейірбике"],
            ["care", "injection"],
            ["safety"],
        ),
        (
            "developer",
            "2512",
            ["software developer", "programmer"],
            ["Программист", "разработчик ПО"],
            ["Бағдарламашы"],
            ["python", "sql"],
            ["excel"],
        ),
    ]
    for key, isco, en, ru, kk, ess, opt in occs:
        occ = tax.add_occupation(OCC + key, isco, "en", en)
        tax.add_occupation(OCC + key, isco, "ru", ru)
        tax.add_occupation(OCC + key, isco, "kk", kk)
        occ.essential.extend(SK + s for s in ess)
        occ.optional.extend(SK + s for s in opt)
    tax.add_group_labels("2411", "en", ["Accountants"])
    tax.add_group_labels("2411", "ru", ["Бухгалтеры"])
    return tax


@pytest.fixture(scope="session")
def tindex() -> TaxonomyIndex:
    return TaxonomyIndex.build(fixture_taxonomy(), fingerprint="fixture")


@pytest.fixture
def encoder(tindex: TaxonomyIndex) -> RecordEncoder:
    return RecordEncoder(tindex, EngineConfig())


VACANCIES = [
    VacancyRecord(
        id="v-acc-1",
        title="Бухгалтер",
        text="Ведение бухгалтерского учёта",
        required_skills=("бухгалтерский учёт", "налоговое законодательство"),
        optional_skills=("excel",),
        region="KZ-55",
        salary_min=250_000,
        salary_max=350_000,
    ),
    VacancyRecord(
        id="v-acc-2",
        title="Senior Accountant (m/f/d) – Almaty",
        skills=("accounting", "financial reporting", "tax legislation"),
        region="KZ-75",
    ),
    VacancyRecord(id="v-aud-1", title="Auditor", skills=("audit techniques", "accounting"), region="KZ-75"),
    VacancyRecord(
        id="v-wel-1", title="Требуется электросварщик", skills=("сварка", "резка металла"), region="KZ-55"
    ),
    VacancyRecord(id="v-drv-1", title="Водитель категории C", skills=("вождение грузовика",), region="KZ-71"),
    VacancyRecord(
        id="v-nur-1", title="Мейірбике", skills=("науқастарды күту", "инъекция жасау"), region="KZ-55"
    ),
    VacancyRecord(id="v-dev-1", title="Python developer", skills=("python", "SQL"), region="KZ-75"),
]

SEEKERS = [
    SeekerRecord(id="s-acc", title="Есепші", skills=("бухгалтерлік есеп", "excel"), region="KZ-55"),
    SeekerRecord(
        id="s-wel", title="сварщик", text="Опыт: сварка, резка металла", region="KZ-55", will_relocate=True
    ),
    SeekerRecord(id="s-nur", title="медсестра", skills=("уход за пациентами",), region="KZ-75"),
    SeekerRecord(id="s-dev", title="programmer", skills=("python",), region="KZ-75"),
    SeekerRecord(id="s-drv", title="lorry driver", region="KZ-71"),
]


@pytest.fixture
def engine(encoder: RecordEncoder) -> MatchEngine:
    eng = MatchEngine(encoder)
    eng.build(vacancies=VACANCIES, seekers=SEEKERS)
    return eng
