"""The pure arithmetic of the schemes: no database."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from migration import scoring

TABLE = scoring.Table(
    version="t-1",
    pass_mark=400,
    criteria=(
        scoring.CriterionRow("age", {"young": 100, "old": 10}),
        scoring.CriterionRow("education", {"phd": 299, "master": 300, "none": 0}),
    ),
)


def test_399_fails_and_400_passes():
    below = scoring.score(TABLE, {"age": "young", "education": "phd"})
    exact = scoring.score(TABLE, {"age": "young", "education": "master"})
    assert (below.total, below.passed) == (399, False)
    assert (exact.total, exact.passed) == (400, True)
    assert exact.points == {"age": 100, "education": 300}
    assert exact.version == "t-1"
    assert scoring.passes(400, 400) and not scoring.passes(399, 400)


@pytest.mark.parametrize(
    ("answers", "criterion", "problem"),
    [
        ({"age": "young"}, "education", "missing"),
        ({"age": "", "education": "phd"}, "age", "missing"),
        ({"age": "middle", "education": "phd"}, "age", "invalid"),
        ({"age": "young", "education": "phd", "shoe-size": "42"}, "shoe-size", "unknown_criterion"),
    ],
)
def test_a_missing_or_invalid_answer_is_named(answers, criterion, problem):
    with pytest.raises(scoring.AnswerError) as caught:
        scoring.score(TABLE, answers)
    assert (caught.value.criterion, caught.value.problem) == (criterion, problem)


def test_language_test_needs_every_block():
    assert scoring.language_test_passed(30, 30, minimum=30)
    assert not scoring.language_test_passed(29, 100, minimum=30)
    assert not scoring.language_test_passed(100, 29, minimum=30)


def test_card_is_valid_ten_years_or_until_the_passport_expires():
    issued = dt.date(2026, 12, 3)
    ten_years = scoring.card_valid_until(
        issued_on=issued, max_years=10, passport_expires_on=dt.date(2040, 1, 1), cap_at_passport_expiry=True
    )
    assert ten_years == dt.date(2036, 12, 2)
    cut = scoring.card_valid_until(
        issued_on=issued, max_years=10, passport_expires_on=dt.date(2030, 5, 31), cap_at_passport_expiry=True
    )
    assert cut == dt.date(2030, 5, 31)
    uncapped = scoring.card_valid_until(
        issued_on=issued, max_years=10, passport_expires_on=dt.date(2030, 5, 31), cap_at_passport_expiry=False
    )
    assert uncapped == dt.date(2036, 12, 2)
    assert scoring.add_years(dt.date(2028, 2, 29), 10) == dt.date(2038, 2, 28)


def _at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, tzinfo=dt.UTC)


def test_ties_go_to_the_earlier_submission_and_a_round_is_repeatable():
    pool = [
        scoring.Candidate(1, 450, _at(5)),
        scoring.Candidate(2, 500, _at(9)),
        scoring.Candidate(3, 450, _at(2)),  # same score as 1, submitted earlier
        scoring.Candidate(4, 450, _at(2)),  # same score and time as 3: the lower id first
        scoring.Candidate(5, 420, _at(1)),
    ]
    selection = scoring.select_invitations(pool, 3)
    assert [c.id for c in selection.invited] == [2, 3, 4]
    assert selection.cut_off == 450
    assert selection.pool_size == 5
    shuffled = pool[:]
    for seed in range(5):
        random.Random(seed).shuffle(shuffled)
        assert scoring.select_invitations(shuffled, 3) == selection
    assert scoring.select_invitations([], 3).cut_off is None


def test_rescore_lists_who_crosses_the_pass_mark():
    draft = scoring.Table(
        version="t-2",
        pass_mark=400,
        criteria=(
            scoring.CriterionRow("age", {"young": 120, "old": 10}),
            scoring.CriterionRow("education", {"phd": 299, "master": 260, "none": 0}),
        ),
    )
    pool = [
        scoring.PoolEntry(1, {"age": "young", "education": "phd"}, 399),  # 419 then: up
        scoring.PoolEntry(2, {"age": "young", "education": "master"}, 400),  # 380 then: down
        scoring.PoolEntry(3, {"age": "old", "education": "none"}, 10),  # stays out
        scoring.PoolEntry(4, {"age": "old"}, 10),  # cannot be scored
    ]
    result = scoring.rescore(draft, pool, current_pass_mark=400)
    assert result.crossing_up == [(1, 399, 419)]
    assert result.crossing_down == [(2, 400, 380)]
    assert result.unscorable == [(4, "education")]
    assert (result.scored, result.passing_now, result.passing_then) == (3, 1, 1)
