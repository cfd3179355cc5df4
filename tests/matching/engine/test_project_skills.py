"""The project's own ru/kk skill labels and local skills load into the taxonomy and are found in prose."""

from __future__ import annotations

from pathlib import Path

from matching.engine import EngineConfig, RecordEncoder, Taxonomy, TaxonomyIndex
from matching.engine.loading import PROJECT_DATA_DIR, load_taxonomy
from matching.engine.taxonomy import load_project_taxonomy

ACCOUNTANT = "http://data.europa.eu/esco/occupation/eda0d957-3c3c-4139-b89a-a18bc9e18897"
MANAGE_STAFF = "http://data.europa.eu/esco/skill/339ac029-066a-4985-9f9d-b3d7c8fea0bb"


def test_two_thousand_esco_skills_have_ru_and_kk_labels() -> None:
    tax = load_project_taxonomy(PROJECT_DATA_DIR)
    esco = [s for s in tax.skills.values() if s.id.startswith("http://data.europa.eu/esco/skill/")]
    with_both = [s for s in esco if s.labels.get("ru") and s.labels.get("kk")]
    assert len(with_both) >= 2000
    assert tax.skills[MANAGE_STAFF].labels["ru"][0] == "управление персоналом"


def test_local_skills_link_to_their_occupations() -> None:
    tax = load_project_taxonomy(PROJECT_DATA_DIR)
    one_c = tax.skills["project:skill:esf"]
    assert "ЭСФ" in one_c.labels["ru"]
    assert set(one_c.labels) == {"en", "ru", "kk"}
    assert "project:skill:esf" in tax.occupations[ACCOUNTANT].essential
    # "вахта" says how one works, not what: it is a skill linked to no occupation
    assert not any("project:skill:rotation" in o.essential for o in tax.occupations.values())


def test_links_to_occupations_that_are_not_loaded_leave_no_stub(tmp_path: Path) -> None:
    (tmp_path / "local_skills.tsv").write_text(
        "key\tessential_for\tlang\tpreferred\talt\n"
        "x-ray\thttp://data.europa.eu/esco/occupation/unknown\tru\tрентген\t\n",
        encoding="utf-8",
    )
    tax = load_taxonomy(esco_dir=None, project_dir=tmp_path)
    assert "project:skill:x-ray" in tax.skills
    assert tax.occupations == {}


def test_local_skill_in_prose_points_to_its_occupation(tmp_path: Path) -> None:
    # the accountant occupation from the project's own files, plus its local skills only
    tax = load_taxonomy(esco_dir=None, project_dir=PROJECT_DATA_DIR)
    small = Taxonomy()
    small.occupations = {ACCOUNTANT: tax.occupations[ACCOUNTANT]}
    small.skills = {k: v for k, v in tax.skills.items() if k.startswith("project:skill:")}
    enc = RecordEncoder(TaxonomyIndex.build(small), EngineConfig())
    found = {
        enc.t.skill_ids[i] for i in enc.extract_skills("Работала в 1С 8.3, выписывала ЭСФ, вела первичку")
    }
    assert {"project:skill:esf", "project:skill:primary-docs"} <= found


def test_a_label_row_may_name_an_occupation_of_the_starter_file() -> None:
    """The courier is no ESCO occupation, and ESCO's unit group 9621 also holds the hotel porter
    and the doorman: the courier's labels on the group read «Пеший курьер» a quarter porter."""
    tax = load_project_taxonomy(PROJECT_DATA_DIR)
    courier = tax.occupations["project:occupation:courier"]
    assert courier.isco == "9621"
    assert "курьер по городу" in courier.labels["ru"] and "жаяу курьер" in courier.labels["kk"]
    # the group keeps only its own names (``isco_groups.tsv``)
    assert "курьер по городу" not in tax.groups["9621"].labels["ru"]
