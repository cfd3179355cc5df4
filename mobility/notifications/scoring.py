"""The match score alerts use: the one the pages show (0–100), read through the pages' own
selectors, in one place.

That is the matcher's calibrated 0–100 score as `mobility.exchange.scores.match_score` shapes it
for every match list ("Vacancies for me", the employer's candidates).
"""

from __future__ import annotations

from typing import Any


def vacancy_scores(profile: Any, *, limit: int = 50) -> dict[int, int]:
    """Vacancy id → the score the seeker's "Vacancies for me" page shows, for the best `limit`."""
    from mobility.exchange.selectors import vacancies_for_me

    return {r.vacancy.id: _points(r) for r in vacancies_for_me(profile, limit=limit)}


def candidate_scores(vacancy: Any, *, limit: int = 20) -> dict[int, int]:
    """Seeker profile id → the score the employer's candidate list shows for a vacancy (hidden
    profiles never appear)."""
    from mobility.employer.selectors.candidates import ranked_candidates

    return {c.profile.pk: _points(c) for c in ranked_candidates(vacancy, limit=limit)}


def _points(row: Any) -> int:
    """The figure the score include shows for a row of a match list."""
    return int(row.match.points) if getattr(row, "match", None) is not None else int(row.percent)
