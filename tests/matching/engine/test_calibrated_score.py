"""The absolute 0-100 score: a property of the pair, not of the pool it was ranked in."""

from __future__ import annotations

from matching.engine import MatchEngine, RecordEncoder, SeekerRecord, VacancyRecord
from matching.engine.index import SCORE_THRESHOLD, calibrated_score

from .conftest import SEEKERS, VACANCIES

ACCOUNTANT = SeekerRecord(id="me", title="Бухгалтер", skills=("бухгалтерский учёт",), region="KZ-55")
# Six required skills; the seeker above has one of them, the one below two.
SIX = VacancyRecord(
    id="six",
    title="Бухгалтер",
    required_skills=(
        "бухгалтерский учёт",
        "налоговое законодательство",
        "финансовая отчётность",
        "excel",
        "методы аудита",
        "SQL",
    ),
    region="KZ-55",
)

UNRELATED_VACANCIES = [
    VacancyRecord(id=f"noise-v{i}", title=title, skills=skills, region="KZ-71")
    for i, (title, skills) in enumerate(
        [
            ("Сварщик", ("сварка",)),
            ("Водитель грузовика", ("вождение грузовика", "крепление груза")),
            ("Медсестра", ("уход за пациентами",)),
            ("Python developer", ("python",)),
            ("Бухгалтер бухгалтер учёт учёт", ("бухгалтерский учёт",)),  # shifts the text IDF
        ]
        * 6
    )
]
UNRELATED_SEEKERS = [
    SeekerRecord(id=f"noise-s{i}", title=title, region="KZ-71")
    for i, title in enumerate(["сварщик", "водитель", "программист", "бухгалтер учёт"] * 6)
]


def _pair_score(engine: MatchEngine, seeker: SeekerRecord, vacancy_id: str) -> int:
    for m in engine.vacancies_for(seeker, k=100):
        if m.id == vacancy_id:
            assert m.explanation is not None
            return m.explanation.score
    raise AssertionError(f"{vacancy_id} not ranked")


def test_pair_score_does_not_change_when_unrelated_records_are_added(encoder: RecordEncoder) -> None:
    small = MatchEngine(encoder)
    small.build(vacancies=[*VACANCIES, SIX], seekers=SEEKERS)
    big = MatchEngine(encoder)
    big.build(vacancies=[*VACANCIES, SIX, *UNRELATED_VACANCIES], seekers=[*SEEKERS, *UNRELATED_SEEKERS])
    assert _pair_score(small, ACCOUNTANT, "six") == _pair_score(big, ACCOUNTANT, "six")
    # the same from the other direction, and after records arrive incrementally
    before = {m.id: m.explanation.score for m in small.seekers_for(SIX, k=50) if m.explanation}
    for record in UNRELATED_SEEKERS:
        small.upsert(record)
    after = {m.id: m.explanation.score for m in small.seekers_for(SIX, k=50) if m.explanation}
    assert {k: after[k] for k in before} == before


def test_top_result_missing_four_of_six_required_skills_is_not_near_perfect(encoder: RecordEncoder) -> None:
    seeker = SeekerRecord(id="two", title="Бухгалтер", skills=("бухгалтерский учёт", "excel"), region="KZ-55")
    engine = MatchEngine(encoder)
    engine.build(vacancies=[SIX, *VACANCIES[3:]], seekers=SEEKERS)
    top = engine.vacancies_for(seeker, k=5)[0]
    assert top.id == "six"
    assert top.explanation is not None
    reason = top.explanation.reason
    assert reason is not None
    assert (reason.relation, reason.skills_matched, reason.skills_required) == ("same_occupation", 2, 6)
    assert 50 <= top.explanation.score <= 70  # a match, but plainly not a near-perfect one
    # the unrelated vacancies that follow are not presented as matches at all
    for other in engine.vacancies_for(seeker, k=5)[1:]:
        assert other.explanation is not None and other.explanation.score < SCORE_THRESHOLD


def test_full_match_reads_as_full_and_penalties_cost_points(encoder: RecordEncoder) -> None:
    vacancy = VacancyRecord(
        id="acc", title="Бухгалтер", required_skills=("бухгалтерский учёт",), region="KZ-55"
    )
    engine = MatchEngine(encoder)
    engine.build(vacancies=[vacancy])
    here = engine.vacancies_for(ACCOUNTANT, k=1)[0].explanation
    assert here is not None and here.score == 100
    far = SeekerRecord(id="far", title="Бухгалтер", skills=("бухгалтерский учёт",), region="KZ-71")
    there = engine.vacancies_for(far, k=1)[0].explanation
    assert there is not None and there.reason is not None
    assert there.score == 85 and there.reason.location == "region"


def test_calibrated_score_formula() -> None:
    assert calibrated_score(1.0, 6, 6, 0.0) == 100
    assert calibrated_score(1.0, 2, 6, 0.0) == 67
    assert calibrated_score(0.0, 0, 6, 0.0) == 0
    assert calibrated_score(1.0, 0, 0, 0.0) == 100  # no skills listed: the occupation decides
    assert calibrated_score(0.2, 1, 6, -0.5) == 0  # clipped
