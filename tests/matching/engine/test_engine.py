"""Ranking, explanations, fairness properties, incremental updates and persistence."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from matching.engine import MatchEngine, RecordEncoder, SeekerRecord, VacancyRecord

from .conftest import SEEKERS, VACANCIES

PROTECTED = (
    "iin",
    "sex",
    "gender",
    "age",
    "birth_date",
    "date_of_birth",
    "ethnicity",
    "nationality",
    "kandas",
    "is_kandas",
)


def test_vacancies_for_seeker_ranked_by_occupation(engine: MatchEngine) -> None:
    res = engine.vacancies_for(SEEKERS[0], k=3)
    assert [m.id for m in res[:2]] == ["v-acc-1", "v-acc-2"]
    assert res[2].id == "v-aud-1"  # same unit group 2411 comes next
    assert res[2].explanation is not None
    assert res[2].explanation.occupation_relation == "same unit group 2411"


def test_seekers_for_vacancy(engine: MatchEngine) -> None:
    assert engine.seekers_for(VACANCIES[3], k=1)[0].id == "s-wel"
    assert engine.seekers_for(VACANCIES[4], k=1)[0].id == "s-drv"
    assert engine.seekers_for(VACANCIES[6], k=1)[0].id == "s-dev"


def test_every_match_is_explained(engine: MatchEngine) -> None:
    for seeker in SEEKERS:
        for m in engine.vacancies_for(seeker, k=10):
            e = m.explanation
            assert e is not None
            assert isinstance(e.matched_skills, tuple) and isinstance(e.missing_skills, tuple)
            assert e.components["total"] == pytest.approx(m.score, abs=1e-5)
            assert e.as_dict()["occupation_relation"] == e.occupation_relation
    for vacancy in VACANCIES:
        for m in engine.seekers_for(vacancy, k=10):
            assert m.explanation is not None


def test_explanation_lists_matched_and_missing_skills(engine: MatchEngine) -> None:
    top = engine.vacancies_for(SEEKERS[0], k=1)[0]
    e = top.explanation
    assert e is not None and top.id == "v-acc-1"
    assert e.occupation_relation == "same occupation"
    assert "accounting" in e.matched_skills
    assert "tax legislation" in e.missing_skills  # required by the vacancy, essential for accountants
    assert "use spreadsheets software" not in e.missing_skills  # optional for the vacancy
    assert e.missing_skill_ids[0] == "http://example.org/skill/tax"
    assert "http://example.org/skill/accounting" in e.matched_skill_ids
    # the reverse direction explains from the vacancy's point of view too
    back = [m for m in engine.seekers_for(VACANCIES[0], k=5) if m.id == "s-acc"][0]
    assert back.explanation is not None
    assert back.explanation.missing_skills == e.missing_skills


def test_records_have_no_protected_attributes() -> None:
    for cls in (SeekerRecord, VacancyRecord):
        names = {f.name for f in dataclasses.fields(cls)}
        assert not names & set(PROTECTED)
        with pytest.raises(TypeError):
            cls(id="x", sex="f")  # type: ignore[call-arg]
        rec = cls(id="x")
        with pytest.raises((AttributeError, dataclasses.FrozenInstanceError, TypeError)):
            object.__setattr__(rec, "age", 30)  # slots: nowhere to put it


def test_ranking_depends_only_on_record_content(encoder: RecordEncoder) -> None:
    twins = [
        SeekerRecord(id=f"twin-{i}", title="Сварщик", skills=("сварка",), region="KZ-55") for i in range(3)
    ]
    eng = MatchEngine(encoder)
    eng.build(vacancies=VACANCIES, seekers=[*SEEKERS, *twins])
    res = eng.seekers_for(VACANCIES[3], k=10)
    scores = {m.id: m.score for m in res}
    assert len({scores[t.id] for t in twins}) == 1
    # same input in another order -> same scores
    eng2 = MatchEngine(encoder)
    eng2.build(vacancies=list(reversed(VACANCIES)), seekers=list(reversed([*SEEKERS, *twins])))
    assert {m.id: m.score for m in eng2.seekers_for(VACANCIES[3], k=10)} == scores
    assert [m.id for m in eng.seekers_for(VACANCIES[3], k=10)] == [m.id for m in res]  # deterministic


def test_save_load_round_trip(engine: MatchEngine, encoder: RecordEncoder, tmp_path: Path) -> None:
    engine.upsert(VacancyRecord(id="v-new", title="газосварщик", skills=("сварка",)))
    before_v = [[(m.id, m.score, m.explanation) for m in engine.vacancies_for(s, k=10)] for s in SEEKERS]
    before_s = [[(m.id, m.score) for m in engine.seekers_for(v, k=10)] for v in VACANCIES]
    engine.save(tmp_path)
    # plain .npy arrays (memory-mappable) and JSON: no pickle anywhere
    assert {p.suffix for p in tmp_path.rglob("*") if p.is_file()} == {".npy", ".json"}
    loaded = MatchEngine.load(tmp_path, encoder)
    after_v = [[(m.id, m.score, m.explanation) for m in loaded.vacancies_for(s, k=10)] for s in SEEKERS]
    after_s = [[(m.id, m.score) for m in loaded.seekers_for(v, k=10)] for v in VACANCIES]
    assert after_v == before_v
    assert after_s == before_s


def test_a_loaded_index_keeps_each_records_extras_and_shares_equal_ones(
    encoder: RecordEncoder, tmp_path: Path
) -> None:
    """Structured values are stored once and shared after loading (a worker's memory at national
    scale); free skills are stored for the rows that have them. Nothing is lost either way."""
    seekers = [
        SeekerRecord(
            id=f"s{i}", title="Сварщик", region="KZ-55" if i % 2 else "KZ-75", languages=("kk", "ru")
        )
        for i in range(6)
    ]
    seekers.append(SeekerRecord(id="plain", title="Сварщик"))
    seekers.append(SeekerRecord(id="own-words", title="Сварщик", skills=("работа с 1с:склад",)))
    eng = MatchEngine(encoder)
    eng.build(vacancies=[], seekers=seekers)
    eng.save(tmp_path)
    loaded = MatchEngine.load(tmp_path, encoder).seekers
    saved = eng.seekers
    assert loaded.ids == saved.ids
    assert loaded.free_skills == saved.free_skills
    assert loaded.free_skills[loaded.row_of["own-words"]] == ("работа с 1с:склад",)
    assert loaded.structured == saved.structured
    assert loaded.structured[loaded.row_of["plain"]] is None
    rows = [loaded.structured[loaded.row_of[f"s{i}"]] for i in range(6)]
    assert len({id(st) for st in rows}) == 2  # two distinct values, two instances


def test_incremental_update_is_visible(engine: MatchEngine) -> None:
    seeker = SEEKERS[1]  # welder
    assert "v-wel-2" not in [m.id for m in engine.vacancies_for(seeker, k=10)]
    engine.upsert(
        VacancyRecord(id="v-wel-2", title="Сварщик", skills=("сварка", "резка металла"), region="KZ-55")
    )
    assert engine.vacancies_for(seeker, k=2)[0].id in {"v-wel-1", "v-wel-2"}
    assert "v-wel-2" in [m.id for m in engine.vacancies_for(seeker, k=2)]
    # replace an indexed vacancy: it becomes a nurse job and leaves the welder's top
    engine.upsert(VacancyRecord(id="v-wel-1", title="Медсестра", skills=("уход за пациентами",)))
    top = engine.vacancies_for(seeker, k=1)[0]
    assert top.id == "v-wel-2"
    assert engine.vacancies_for(SEEKERS[2], k=2)[0].id in {"v-wel-1", "v-nur-1"}
    assert engine.remove("vacancy", "v-wel-2")
    assert "v-wel-2" not in [m.id for m in engine.vacancies_for(seeker, k=10)]
    assert not engine.remove("vacancy", "v-wel-2")
    # compaction keeps the same answers
    before = [(m.id, m.score) for m in engine.vacancies_for(seeker, k=10)]
    engine.vacancies.compact()
    assert [(m.id, m.score) for m in engine.vacancies_for(seeker, k=10)] == before


def test_structured_fit_reorders_within_occupation(engine: MatchEngine) -> None:
    stay = SeekerRecord(
        id="q", title="accountant", skills=("accounting",), region="KZ-75", will_relocate=False
    )
    res = engine.vacancies_for(stay, k=2)
    assert res[0].id == "v-acc-2"  # same region beats the other-region accountant job
    assert res[0].explanation is not None
    assert {f.name for f in res[0].explanation.structured} == {"region"}
    other = [m for m in res if m.id == "v-acc-1"][0]
    assert other.explanation is not None and other.explanation.structured[0].contribution < 0
    greedy = SeekerRecord(id="q2", title="accountant", skills=("accounting",), salary_expected=900_000)
    e = [m for m in engine.vacancies_for(greedy, k=3) if m.id == "v-acc-1"][0].explanation
    assert e is not None and any(f.name == "salary" and f.contribution < 0 for f in e.structured)


def test_engine_imports_no_django() -> None:
    code = "import sys, matching.engine, matching.benchmark; sys.exit('django' in sys.modules)"
    root = Path(__file__).resolve().parents[3]
    assert subprocess.run([sys.executable, "-c", code], cwd=root, check=False).returncode == 0  # noqa: S603 - fixed code


def test_empty_engine_and_integer_ids(encoder: RecordEncoder, tmp_path: Path) -> None:
    eng = MatchEngine(encoder)
    eng.build(vacancies=[], seekers=[])
    assert eng.vacancies_for(SeekerRecord(id=1, title="сварщик"), k=5) == []
    eng.upsert(VacancyRecord(id=7, title="Сварщик"))
    assert [m.id for m in eng.vacancies_for(SeekerRecord(id=1, title="сварщик"), k=5)] == [7]
    eng.save(tmp_path)
    loaded = MatchEngine.load(tmp_path, encoder)
    assert [m.id for m in loaded.vacancies_for(SeekerRecord(id=1, title="сварщик"), k=5)] == [7]
    assert loaded.vacancies_for(SeekerRecord(id=2), k=5) == []  # nothing to match on


def test_unknown_skills_are_explained_in_the_persons_words(encoder: RecordEncoder) -> None:
    eng = MatchEngine(encoder)
    eng.build(
        vacancies=[VacancyRecord(id="v", title="Сварщик", required_skills=("сварка", "Работа с 1С:Склад"))]
    )
    m = eng.vacancies_for(SeekerRecord(id="s", title="сварщик", skills=("работа  с 1с:склад",)), k=1)[0]
    assert m.explanation is not None
    assert "Работа с 1С:Склад" in m.explanation.matched_skills
    m2 = eng.vacancies_for(SeekerRecord(id="s2", title="сварщик"), k=1)[0]
    assert m2.explanation is not None and "Работа с 1С:Склад" in m2.explanation.missing_skills


def test_among_keeps_the_ranking_to_the_given_ids(engine: MatchEngine) -> None:
    """A sponsored foreign specialist is ranked only over the vacancies open to them: the same
    order as the full ranking, restricted to those ids, on the main segment and the delta."""
    full = [m.id for m in engine.vacancies_for(SEEKERS[0], k=len(VACANCIES))]
    allowed = {"v-aud-1", VACANCIES[3].id}
    kept = [m.id for m in engine.vacancies_for(SEEKERS[0], k=10, among=allowed)]
    assert kept == [i for i in full if i in allowed]
    assert "v-acc-1" not in kept
    moved = dataclasses.replace(VACANCIES[0], id="v-delta")
    engine.upsert(moved)
    assert [m.id for m in engine.vacancies_for(SEEKERS[0], k=3, among={"v-delta"})] == ["v-delta"]
    assert engine.vacancies_for(SEEKERS[0], k=3, among=set()) == []
