"""The match score alerts use: the one the pages show (0–100), read through the pages' own
selectors, in one place.

Today that is the percentage on "Vacancies for me" and on the employer's candidate list; when
the matcher's calibrated 0–100 score lands there, alerts follow without a change here.
"""

from __future__ import annotations

from typing import Any


def vacancy_scores(profile: Any, *, limit: int = 50) -> dict[int, int]:
    """Vacancy id → the score the seeker's "Vacancies for me" page shows, for the best `limit`."""
    from mobility.exchange.selectors import vacancies_for_me

    return {r.vacancy.id: r.percent for r in vacancies_for_me(profile, limit=limit)}


def candidate_scores(vacancy: Any, *, limit: int = 20) -> dict[int, int]:
    """Seeker profile id → the score the employer's candidate list shows for a vacancy (hidden
    profiles never appear)."""
    from mobility.employer.selectors.candidates import ranked_candidates

    return {c.profile.pk: c.percent for c in ranked_candidates(vacancy, limit=limit)}
