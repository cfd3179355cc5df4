"""The arithmetic of the foreign-specialist schemes, pure: no ORM, no Django.

The self-assessment, the application and the officers' what-if all score through `score()`;
rounds select through `select_invitations()`; card validity is `card_valid_until()`. Callers
build the plain records (`migration.rules.scoring_table`) and save the results.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class CriterionRow:
    code: str
    options: Mapping[str, int]  # option code → points


@dataclass(frozen=True, slots=True)
class Table:
    """One questionnaire version: its label, pass mark and criteria (each answered once)."""

    version: str
    pass_mark: int
    criteria: tuple[CriterionRow, ...]


@dataclass(frozen=True, slots=True)
class Score:
    version: str
    points: dict[str, int]  # criterion code → points, in the table's order
    total: int
    pass_mark: int
    passed: bool


class AnswerError(ValueError):
    """An answer is missing, or names an option the criterion does not have."""

    def __init__(self, criterion: str, problem: str) -> None:
        super().__init__(f"{criterion}: {problem}")
        self.criterion = criterion
        self.problem = problem  # "missing" | "invalid" | "unknown_criterion"


def passes(total: int, pass_mark: int) -> bool:
    """The pass mark is reached exactly: 399 fails a 400 mark, 400 passes."""
    return total >= pass_mark


def score(table: Table, answers: Mapping[str, str]) -> Score:
    """Points per criterion, the total and pass or not. Every criterion must be answered with one
    of its options; an answer to a criterion the table lacks is refused too (first problem wins,
    in the table's order, then unknown criteria sorted)."""
    points: dict[str, int] = {}
    for criterion in table.criteria:
        if criterion.code not in answers or answers[criterion.code] in (None, ""):
            raise AnswerError(criterion.code, "missing")
        option = answers[criterion.code]
        if not isinstance(option, str) or option not in criterion.options:
            raise AnswerError(criterion.code, "invalid")
        points[criterion.code] = criterion.options[option]
    known = {c.code for c in table.criteria}
    unknown = sorted(str(code) for code in answers if code not in known)
    if unknown:
        raise AnswerError(unknown[0], "unknown_criterion")
    total = sum(points.values())
    return Score(table.version, points, total, table.pass_mark, passes(total, table.pass_mark))


def language_test_passed(listening: int, reading: int, *, minimum: int) -> bool:
    """The remote Kazakh A1 test: every block at least `minimum` per cent."""
    return listening >= minimum and reading >= minimum


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 February → 28 February in a common year)."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def card_valid_until(
    *,
    issued_on: dt.date,
    max_years: int | None,
    passport_expires_on: dt.date | None,
    cap_at_passport_expiry: bool = True,
) -> dt.date:
    """The last day a card is valid: its scheme's maximum (the day before the anniversary), cut to
    the passport's expiry when that comes sooner and the scheme caps at it."""
    candidates = []
    if max_years:
        candidates.append(add_years(issued_on, max_years) - dt.timedelta(days=1))
    if cap_at_passport_expiry and passport_expires_on is not None:
        candidates.append(passport_expires_on)
    if not candidates:
        raise ValueError("a card needs a maximum validity or a passport expiry")
    return max(min(candidates), issued_on)


# --- Invitation rounds -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int
    score: int
    submitted_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Selection:
    invited: tuple[Candidate, ...]
    pool_size: int
    cut_off: int | None  # the lowest invited score (None when nobody is invited)


def round_order(candidate: Candidate) -> tuple[int, dt.datetime, int]:
    """The published rule: higher score first; a tie goes to the earlier submission, then to the
    earlier application (lower id), so the order is total and a run is repeatable."""
    return (-candidate.score, candidate.submitted_at, candidate.id)


def select_invitations(candidates: Sequence[Candidate], places: int) -> Selection:
    """The `places` first candidates in the published order; the same pool gives the same result
    whatever order it arrives in."""
    if places < 0:
        raise ValueError("places must not be negative")
    ordered = sorted(candidates, key=round_order)
    invited = tuple(ordered[:places])
    return Selection(invited, len(candidates), invited[-1].score if invited else None)


# --- What-if ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PoolEntry:
    id: int
    answers: Mapping[str, str]
    score: int  # as scored under the rules in force


@dataclass
class WhatIf:
    version: str
    pass_mark: int
    scored: int = 0
    passing_now: int = 0
    passing_then: int = 0
    crossing_up: list[tuple[int, int, int]] = field(default_factory=list)  # (id, now, then)
    crossing_down: list[tuple[int, int, int]] = field(default_factory=list)
    unscorable: list[tuple[int, str]] = field(default_factory=list)  # (id, criterion without an answer)


def rescore(table: Table, pool: Iterable[PoolEntry], *, current_pass_mark: int) -> WhatIf:
    """Score every entry under `table` and list who crosses the pass mark, up or down, compared
    with their score under the rules in force. An entry the draft cannot score (a new criterion
    nobody answered) is listed, not guessed; answers to criteria the draft drops are ignored."""
    result = WhatIf(table.version, table.pass_mark)
    options = [(c.code, c.options) for c in table.criteria]
    for entry in pool:
        total = 0
        answers = entry.answers
        missing = ""
        for code, choices in options:
            points = choices.get(answers.get(code, ""))
            if points is None:
                missing = code
                break
            total += points
        if missing:
            result.unscorable.append((entry.id, missing))
            continue
        result.scored += 1
        was = entry.score >= current_pass_mark
        now = total >= table.pass_mark
        result.passing_now += was
        result.passing_then += now
        if now and not was:
            result.crossing_up.append((entry.id, entry.score, total))
        elif was and not now:
            result.crossing_down.append((entry.id, entry.score, total))
    return result
