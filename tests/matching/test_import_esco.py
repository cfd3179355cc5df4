"""The `import_esco` and `load_taxonomy` management commands.

The main tests import a tiny release written in the ESCO v1.1.1 CSV layout (same zip names,
member names and columns as the real download); one slow test imports the real release
when `../shared/matching-eval-data/esco-v1.1.1` is present next to the repository.
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from matching import services
from matching.models import (
    IscoGroup,
    IscoGroupLabel,
    Occupation,
    OccupationLabel,
    OccupationSkill,
    Skill,
    SkillLabel,
    Source,
)

pytestmark = pytest.mark.django_db

REAL_RELEASE = Path(settings.BASE_DIR).parent / "shared" / "matching-eval-data" / "esco-v1.1.1"
CLASSIFICATION_ZIP = "esco_v1.1.1_classification_en_csv.zip"
RELATIONS_ZIP = "esco_v1.1.1_relations_csv.zip"
TABLES = (IscoGroup, IscoGroupLabel, Occupation, OccupationLabel, Skill, SkillLabel, OccupationSkill)

# Column lists exactly as in the v1.1.1 CSV files.
OCCUPATION_COLUMNS = [
    "conceptType",
    "conceptUri",
    "iscoGroup",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "status",
    "modifiedDate",
    "regulatedProfessionNote",
    "scopeNote",
    "definition",
    "inScheme",
    "description",
    "code",
]
SKILL_COLUMNS = [
    "conceptType",
    "conceptUri",
    "skillType",
    "reuseLevel",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "status",
    "modifiedDate",
    "scopeNote",
    "definition",
    "inScheme",
    "description",
]
ISCO_COLUMNS = [
    "conceptType",
    "conceptUri",
    "code",
    "preferredLabel",
    "status",
    "altLabels",
    "inScheme",
    "description",
]
RELATION_COLUMNS = ["occupationUri", "relationType", "skillType", "skillUri"]
BROADER_COLUMNS = ["conceptType", "conceptUri", "broaderType", "broaderUri"]

ESCO = "http://data.europa.eu/esco"
# The accountant keeps its real ESCO URI so the project's kk/ru labels attach to it.
ACCOUNTANT = f"{ESCO}/occupation/eda0d957-3c3c-4139-b89a-a18bc9e18897"
WELDER = f"{ESCO}/occupation/test-welder"
NO_CODE = f"{ESCO}/occupation/test-without-isco"
RECORDS = f"{ESCO}/skill/test-financial-records"
ACCOUNTING = f"{ESCO}/skill/test-accounting"
TAX_LAW = f"{ESCO}/skill/test-tax-legislation"
ARC_WELDING = f"{ESCO}/skill/test-arc-welding"
UNKNOWN_SKILL = f"{ESCO}/skill/test-not-in-skills-csv"

OCCUPATIONS = [
    {
        "uri": ACCOUNTANT,
        "isco": "2411",
        "preferred": "accountant",
        "alt": "bookkeeper\nchartered accountant",
        "code": "2411.1",
    },
    {"uri": WELDER, "isco": "7212", "preferred": "welder", "alt": "arc welder", "code": "7212.3"},
    {"uri": NO_CODE, "isco": "", "preferred": "occupation without a code", "alt": "", "code": ""},
]
SKILLS = [
    {
        "uri": RECORDS,
        "type": "skill/competence",
        "preferred": "maintain financial records",
        "alt": "keep financial records",
    },
    {
        "uri": ACCOUNTING,
        "type": "knowledge",
        "preferred": "accounting",
        "alt": "accountancy\naccounting principles",
    },
    {"uri": TAX_LAW, "type": "knowledge", "preferred": "tax legislation", "alt": ""},
    {"uri": ARC_WELDING, "type": "skill/competence", "preferred": "use arc welding techniques", "alt": ""},
]
# C721 is deliberately missing: the import must still create the group between 72 and 7212.
ISCO_GROUPS = [
    ("2", "Professionals"),
    ("24", "Business and administration professionals"),
    ("241", "Finance professionals"),
    ("2411", "Accountants"),
    ("7", "Craft and related trades workers"),
    ("72", "Metal, machinery and related trades workers"),
    ("7212", "Welders and flame cutters"),
]
RELATIONS = [
    (ACCOUNTANT, "essential", "skill/competence", RECORDS),
    (ACCOUNTANT, "essential", "knowledge", ACCOUNTING),
    (ACCOUNTANT, "optional", "knowledge", TAX_LAW),
    (ACCOUNTANT, "essential", "skill/competence", UNKNOWN_SKILL),  # dangling: ignored
    (WELDER, "essential", "skill/competence", ARC_WELDING),
    (WELDER, "optional", "skill/competence", RECORDS),
    (NO_CODE, "essential", "skill/competence", RECORDS),  # occupation not imported: ignored
]
EXPECTED_LINKS = {
    (ACCOUNTANT, RECORDS, "essential"),
    (ACCOUNTANT, ACCOUNTING, "essential"),
    (ACCOUNTANT, TAX_LAW, "optional"),
    (WELDER, ARC_WELDING, "essential"),
    (WELDER, RECORDS, "optional"),
}


def _csv(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in columns})
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the real files start with a BOM


def write_release(folder: Path) -> Path:
    """A tiny ESCO v1.1.1 release in `folder` (created); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    occupations = [
        {
            "conceptType": "Occupation",
            "conceptUri": o["uri"],
            "iscoGroup": o["isco"],
            "preferredLabel": o["preferred"],
            "altLabels": o["alt"],
            "hiddenLabels": "",
            "status": "released",
            "inScheme": f"{ESCO}/concept-scheme/occupations",
            "description": f"{o['preferred']} does the work of a {o['preferred']}.",
            "code": o["code"],
        }
        for o in OCCUPATIONS
    ]
    skills = [
        {
            "conceptType": "KnowledgeSkillCompetence",
            "conceptUri": s["uri"],
            "skillType": s["type"],
            "reuseLevel": "sector-specific",
            "preferredLabel": s["preferred"],
            "altLabels": s["alt"],
            "status": "released",
            "description": f"About {s['preferred']}.",
        }
        for s in SKILLS
    ]
    groups = [
        {
            "conceptType": "ISCOGroup",
            "conceptUri": f"{ESCO}/isco/C{code}",
            "code": code,
            "preferredLabel": label,
            "status": "released",
            "description": label,
        }
        for code, label in ISCO_GROUPS
    ]
    with zipfile.ZipFile(folder / CLASSIFICATION_ZIP, "w") as zf:
        zf.writestr("occupations_en.csv", _csv(OCCUPATION_COLUMNS, occupations))
        zf.writestr("skills_en.csv", _csv(SKILL_COLUMNS, skills))
        zf.writestr("ISCOGroups_en.csv", _csv(ISCO_COLUMNS, groups))
    relations = [dict(zip(RELATION_COLUMNS, row, strict=True)) for row in RELATIONS]
    broader = [
        {
            "conceptType": "Occupation",
            "conceptUri": WELDER,
            "broaderType": "ISCOGroup",
            "broaderUri": f"{ESCO}/isco/C7212",
        },
        {
            "conceptType": "Occupation",
            "conceptUri": ACCOUNTANT,
            "broaderType": "ISCOGroup",
            "broaderUri": f"{ESCO}/isco/C2411",
        },
    ]
    with zipfile.ZipFile(folder / RELATIONS_ZIP, "w") as zf:
        zf.writestr("occupationSkillRelations.csv", _csv(RELATION_COLUMNS, relations))
        zf.writestr("broaderRelationsOccPillar.csv", _csv(BROADER_COLUMNS, broader))
    return folder


def write_melo(folder: Path) -> Path:
    """Two MELO-layout datasets: Bulgarian labels (imported) and English ones (skipped)."""
    rows = {
        "bgr_q_bg_c_bg": [
            ("C1_bg", ACCOUNTANT, "счетоводител"),
            ("C2_bg", f"{ESCO}/isco/C2411", "Счетоводители"),
        ],
        "usa_q_en_c_en": [("C1_en", ACCOUNTANT, "accounting clerk from melo")],
    }
    for name, elements in rows.items():
        dataset = folder / name
        dataset.mkdir(parents=True)
        with gzip.open(dataset / "concept_mapping.tsv.gz", "wt", encoding="utf-8") as fh:
            fh.writelines(f"{eid}\t{uri}\n" for eid, uri, _ in elements)
        with gzip.open(dataset / "corpus_elements.tsv.gz", "wt", encoding="utf-8") as fh:
            fh.writelines(f"{eid}\t{label}\n" for eid, _, label in elements)
        # Evaluation files sit next to them and must never be read by the import.
        (dataset / "queries.tsv.gz").write_bytes(b"not gzip")
    return folder


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def labels(model, **filters) -> dict[str, list[tuple[str, bool]]]:
    out: dict[str, list[tuple[str, bool]]] = {}
    for lang, text, preferred in model.objects.filter(**filters).values_list("lang", "text", "preferred"):
        out.setdefault(lang, []).append((text, preferred))
    return {lang: sorted(values) for lang, values in out.items()}


@pytest.fixture
def release(tmp_path):
    return write_release(tmp_path / "esco-v1.1.1")


# --- import_esco ---------------------------------------------------------------------------------


def test_tables_start_empty():
    # The module-scoped project taxonomy of other test modules must not leak into this one.
    assert set(counts().values()) == {0}


def test_import_esco_reads_occupations_skills_groups_and_links(release):
    output = run("import_esco", str(release))

    assert "ESCO: occupations: +2, skills: +4" in output
    occupations = {o.uri: o for o in Occupation.objects.select_related("isco_group")}
    assert set(occupations) == {ACCOUNTANT, WELDER}  # no ISCO code, no place in the hierarchy
    assert {o.source for o in occupations.values()} == {Source.ESCO}
    assert occupations[ACCOUNTANT].isco_group.code == "2411"
    assert labels(OccupationLabel, concept=occupations[ACCOUNTANT]) == {
        "en": [("accountant", True), ("bookkeeper", False), ("chartered accountant", False)]
    }
    assert labels(OccupationLabel, concept=occupations[WELDER]) == {
        "en": [("arc welder", False), ("welder", True)]
    }

    skills = {s.uri: s for s in Skill.objects.all()}
    assert set(skills) == {RECORDS, ACCOUNTING, TAX_LAW, ARC_WELDING}
    assert {uri: s.skill_type for uri, s in skills.items()} == {
        RECORDS: Skill.Type.SKILL,
        ACCOUNTING: Skill.Type.KNOWLEDGE,
        TAX_LAW: Skill.Type.KNOWLEDGE,
        ARC_WELDING: Skill.Type.SKILL,
    }
    assert labels(SkillLabel, concept=skills[ACCOUNTING]) == {
        "en": [("accountancy", False), ("accounting", True), ("accounting principles", False)]
    }

    links = set(OccupationSkill.objects.values_list("occupation__uri", "skill__uri", "relation"))
    assert links == EXPECTED_LINKS


def test_import_esco_builds_the_isco_hierarchy(release):
    run("import_esco", str(release))

    groups = {g.code: g for g in IscoGroup.objects.select_related("parent")}
    assert set(groups) == {"2", "24", "241", "2411", "7", "72", "721", "7212"}
    for code, group in groups.items():
        assert group.level == len(code)
        assert (group.parent.code if group.parent else None) == (code[:-1] or None)
    assert labels(IscoGroupLabel, concept=groups["2411"]) == {"en": [("Accountants", True)]}
    assert not IscoGroupLabel.objects.filter(concept=groups["721"]).exists()  # not in the CSV


def test_imported_labels_are_searchable(release):
    run("import_esco", str(release))

    assert services.skill_resolve("Keep  Financial Records").uri == RECORDS
    assert services.skill_resolve("accountancy").uri == ACCOUNTING
    assert set(SkillLabel.objects.values_list("source", flat=True)) == {Source.ESCO}


def test_import_esco_twice_adds_nothing(release):
    run("import_esco", str(release))
    before = counts()
    preferred = set(OccupationLabel.objects.filter(preferred=True).values_list("id", flat=True))

    output = run("import_esco", str(release))

    assert (
        "ESCO: occupations: +0, skills: +0, group labels: +0, "
        "occupation labels: +0, skill labels: +0, links: +0"
    ) in output
    assert counts() == before
    assert set(OccupationLabel.objects.filter(preferred=True).values_list("id", flat=True)) == preferred


def test_import_esco_finds_the_release_below_the_given_folder(release):
    run("import_esco", str(release.parent))

    assert Occupation.objects.count() == 2


def test_import_esco_without_a_release_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="ESCO zips not found"):
        run("import_esco", str(tmp_path / "nowhere"))

    assert Occupation.objects.count() == 0


def test_import_esco_with_melo_adds_labels_in_more_languages(release, tmp_path):
    melo = write_melo(tmp_path / "melo")

    output = run("import_esco", str(release), "--melo", str(melo))

    assert "MELO: 2 labels read" in output
    accountant = Occupation.objects.get(uri=ACCOUNTANT)
    assert labels(OccupationLabel, concept=accountant, lang="bg") == {"bg": [("счетоводител", True)]}
    assert OccupationLabel.objects.get(text="счетоводител").source == Source.MELO
    assert not OccupationLabel.objects.filter(text="accounting clerk from melo").exists()  # English skipped
    assert labels(IscoGroupLabel, concept__code="2411", lang="bg") == {"bg": [("Счетоводители", True)]}
    # MELO adds labels only: the English preferred label stays.
    assert labels(OccupationLabel, concept=accountant, lang="en")["en"][0] == ("accountant", True)

    again = run("import_esco", str(release), "--melo", str(melo))
    assert "MELO: 2 labels read, occupations: +0" in again
    assert OccupationLabel.objects.filter(text="счетоводител").count() == 1


def test_import_esco_with_a_missing_melo_folder_is_a_command_error(release, tmp_path):
    with pytest.raises(CommandError, match="not a folder"):
        run("import_esco", str(release), "--melo", str(tmp_path / "no-melo"))


# --- load_taxonomy -------------------------------------------------------------------------------


def test_load_taxonomy_loads_the_project_data_once():
    first = run("load_taxonomy")
    loaded = counts()

    second = run("load_taxonomy")

    assert first.startswith("Project taxonomy: occupations: +")
    assert "+0" not in first
    assert all(loaded[model.__name__] > 0 for model in TABLES)
    assert second.strip() == (
        "Project taxonomy: occupations: +0, skills: +0, group labels: +0, "
        "occupation labels: +0, skill labels: +0, links: +0"
    )
    assert counts() == loaded


def test_project_labels_attach_to_the_imported_esco_occupation(release):
    run("import_esco", str(release))

    run("load_taxonomy")

    accountant = Occupation.objects.get(uri=ACCOUNTANT)
    assert accountant.source == Source.ESCO  # the ESCO record is kept, not duplicated
    assert Occupation.objects.filter(uri=ACCOUNTANT).count() == 1
    texts = labels(OccupationLabel, concept=accountant)
    assert ("есепші", False) in texts["kk"]
    assert [text for text, preferred in texts["ru"] if preferred] == ["Бухгалтер"]
    assert ("bookkeeper", False) in texts["en"]  # ESCO's labels stay
    for lang, values in texts.items():
        assert sum(preferred for _, preferred in values) == 1, lang


# --- The real release -----------------------------------------------------------------------------


def _real_rows(zip_name: str, member: str):
    with zipfile.ZipFile(REAL_RELEASE / zip_name) as zf, zf.open(member) as raw:
        yield from csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))


@pytest.mark.slow
def test_import_the_real_esco_release():
    if not (REAL_RELEASE / CLASSIFICATION_ZIP).exists() or not (REAL_RELEASE / RELATIONS_ZIP).exists():
        pytest.skip(f"the ESCO v1.1.1 release is not at {REAL_RELEASE}")
    # Expected counts straight from the CSV files, independently of the importer's readers.
    placeable = {
        row["conceptUri"]
        for row in _real_rows(CLASSIFICATION_ZIP, "occupations_en.csv")
        if row["iscoGroup"].strip().isdigit() and len(row["iscoGroup"].strip()) <= 4
    }
    skill_types = {
        row["conceptUri"]: row["skillType"] for row in _real_rows(CLASSIFICATION_ZIP, "skills_en.csv")
    }
    links = {
        (row["occupationUri"], row["skillUri"])
        for row in _real_rows(RELATIONS_ZIP, "occupationSkillRelations.csv")
        if row["occupationUri"] in placeable and row["skillUri"] in skill_types
    }

    output = run("import_esco", str(REAL_RELEASE))

    assert "ESCO: occupations: +" in output
    assert 2900 <= len(placeable) <= 3007
    assert Occupation.objects.filter(source=Source.ESCO).count() == len(placeable)
    assert Skill.objects.count() == len(skill_types) > 13_000
    assert Skill.objects.filter(skill_type=Skill.Type.KNOWLEDGE).count() == sum(
        1 for t in skill_types.values() if t == "knowledge"
    )
    assert OccupationSkill.objects.count() == len(links) > 100_000
    assert IscoGroup.objects.filter(level=4, occupations__isnull=False).distinct().count() == 426
    accountant = Occupation.objects.get(uri=ACCOUNTANT)
    assert accountant.isco_group.code == "2411"
    assert accountant.labels.get(lang="en", preferred=True).text == "accountant"
    assert services.skill_resolve("accounting").skill_type == Skill.Type.KNOWLEDGE
