"""Candidates: the matcher's ranking, hydrated in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from matching import services as matching
from matching.engine import Match
from mobility.accounts.models import Organisation
from mobility.exchange.models import (
    Application,
    SeekerProfile,
    Vacancy,
)
from mobility.exchange.scores import MatchScore, match_score

from ._shared import _lang
from .vacancies import vacancy_with_skills


@dataclass
class Candidate:
    profile: SeekerProfile
    percent: int
    score: float
    relation: str
    matched: list[str]
    missing: list[str]
    reveal: bool  # name and contacts may be shown
    application: Application | None = None
    same_region: bool = False
    factors: list[Any] = field(default_factory=list)
    match: MatchScore | None = None
    foreign_specialist: bool = False  # holds a card or visa in force (a foreign specialist)

    @property
    def display_name(self) -> str:
        return self.profile.user.get_full_name() if self.reveal else ""


@dataclass
class CandidateFilters:
    region: str = ""  # "", "same" (the vacancy's region), "relocate" (elsewhere and willing), or a code
    max_salary: int | None = None
    min_percent: int = 0
    hide_in_pipeline: bool = False
    sort: str = "score"  # score | salary | recent


def visible_profiles() -> QuerySet[SeekerProfile]:
    """Profiles their owners made visible to employers (public or anonymous), active accounts."""
    return SeekerProfile.objects.exclude(visibility=SeekerProfile.Visibility.HIDDEN).filter(
        user__is_active=True
    )


def contacts_shared_with(organisation: Organisation, profile_ids: list[int]) -> set[int]:
    """Profiles that shared their contacts with this organisation (accepted an invitation or applied)."""
    return set(
        Application.objects.filter(
            vacancy__organisation=organisation, seeker_id__in=profile_ids, contacts_shared=True
        ).values_list("seeker_id", flat=True)
    )


def may_reveal(profile: SeekerProfile, shared: set[int]) -> bool:
    return profile.visibility == SeekerProfile.Visibility.PUBLIC or profile.pk in shared


@dataclass
class _Pooled:
    """A pooled candidate before its explanation: what the filters and sorts read."""

    match: Match
    profile: SeekerProfile
    application: Application | None
    same_region: bool


@dataclass
class CandidatePage:
    """One page of ranked candidates (only these are explained) and where it sits in the list."""

    candidates: list[Candidate]
    page: Page[Any]  # numbers and links; its object_list holds the candidates


def _pooled(vacancy: Vacancy, filters: CandidateFilters, pool: int) -> tuple[list[_Pooled], set[int]]:
    """The matcher's pool, unexplained, filtered and sorted (the order the pages show), and the
    profiles that shared their contacts with the organisation."""
    matches = matching.rank_seekers_for(vacancy, limit=pool, explain=False)
    ids = [int(m.id) for m in matches]
    from migration.selectors import candidate_profiles_for

    # People tied to vacancies open to foreign specialists are candidates for those only.
    profiles = candidate_profiles_for(vacancy, visible_profiles().select_related("user", "region"), ids)
    applications = {
        a.seeker_id: a
        for a in Application.objects.filter(vacancy=vacancy, seeker_id__in=ids).order_by("created_at", "id")
    }
    shared = contacts_shared_with(vacancy.organisation, ids)
    pooled = [
        _Pooled(m, p, applications.get(p.pk), p.region_id == vacancy.region_id)
        for m in matches
        if (p := profiles.get(int(m.id))) is not None
    ]
    pooled = [c for c in pooled if _passes(c, filters)]
    if filters.sort == "salary":
        pooled.sort(key=lambda c: (c.profile.expected_salary is None, c.profile.expected_salary or 0))
    elif filters.sort == "recent":
        pooled.sort(key=lambda c: c.profile.updated_at, reverse=True)
    return pooled, shared


def _explained(vacancy: Vacancy, pooled: list[_Pooled], shared: set[int]) -> list[Candidate]:
    """Candidates with their explanations, in the order given: the matcher explains only these
    (the same pairs score the same, so the ranking of the pool is unchanged)."""
    if not pooled:
        return []
    explained = {int(m.id): m for m in matching.explain_seekers_for(vacancy, [c.match.id for c in pooled])}
    ordered = [explained[int(c.match.id)] for c in pooled if int(c.match.id) in explained]
    shown = {s.id: s for s in matching.present_matches(ordered, lang=_lang())}
    results: list[Candidate] = []
    for c in pooled:
        if (match := shown.get(c.profile.pk)) is None:
            continue
        results.append(
            Candidate(
                profile=c.profile,
                score=match.score,
                percent=(score := match_score(match)).points,
                relation=match.relation,
                matched=match.matched,
                missing=match.missing,
                match=score,
                reveal=may_reveal(c.profile, shared),
                application=c.application,
                same_region=c.same_region,
                factors=match.factors,
                foreign_specialist=bool(getattr(c.profile, "foreign_holder", False)),
            )
        )
    return results


def _listed(
    vacancy: Vacancy, filters: CandidateFilters, pool: int
) -> tuple[list[_Pooled], set[int], dict[int, Candidate]]:
    """The pool as the list shows it, and the candidates already explained. A minimum score is
    the one filter that reads the explanation (the calibrated score): with it, the pool is
    explained to be filtered, and those explanations are kept for the page."""
    pooled, shared = _pooled(vacancy, filters, pool)
    known: dict[int, Candidate] = {}
    if filters.min_percent:
        known = {
            c.profile.pk: c for c in _explained(vacancy, pooled, shared) if c.percent >= filters.min_percent
        }
        pooled = [c for c in pooled if c.profile.pk in known]
    return pooled, shared, known


def _shown(
    vacancy: Vacancy, pooled: list[_Pooled], shared: set[int], known: dict[int, Candidate]
) -> list[Candidate]:
    if known:
        return [known[c.profile.pk] for c in pooled]
    return _explained(vacancy, pooled, shared)


def ranked_candidates(
    vacancy: Vacancy, filters: CandidateFilters | None = None, *, limit: int = 50, pool: int = 200
) -> list[Candidate]:
    """The matcher's candidates for a vacancy, filtered and sorted, the first `limit` explained;
    hidden profiles never."""
    vacancy = vacancy_with_skills(vacancy)
    pooled, shared, known = _listed(vacancy, filters or CandidateFilters(), pool)
    return _shown(vacancy, pooled[:limit], shared, known)


def candidates_page(
    vacancy: Vacancy,
    filters: CandidateFilters | None = None,
    *,
    page: Any = 1,
    per_page: int = 20,
    pool: int = 200,
) -> CandidatePage:
    """One page of the ranked candidates: the pool is ranked, filtered and sorted unexplained, and
    only the page's candidates are explained (the explanations are most of a candidate's cost)."""
    vacancy = vacancy_with_skills(vacancy)
    pooled, shared, known = _listed(vacancy, filters or CandidateFilters(), pool)
    shown: Page[Any] = Paginator(pooled, per_page).get_page(page)
    candidates = _shown(vacancy, list(shown.object_list), shared, known)
    shown.object_list = candidates
    return CandidatePage(candidates=candidates, page=shown)


def candidate_match(vacancy: Vacancy, profile_id: int, *, pool: int = 500) -> Candidate | None:
    """One candidate's explained match, if the matcher ranks them within `pool` for the vacancy
    (the candidate's page: the pool is ranked, only this one is explained)."""
    vacancy = vacancy_with_skills(vacancy)
    pooled, shared = _pooled(vacancy, CandidateFilters(), pool)
    return next(iter(_explained(vacancy, [c for c in pooled if c.profile.pk == profile_id], shared)), None)


def _passes(candidate: _Pooled, filters: CandidateFilters) -> bool:
    """The filters that need no explanation (the minimum score is applied by `_listed`)."""
    profile = candidate.profile
    if filters.region == "same" and not candidate.same_region:
        return False
    if filters.region == "relocate" and (candidate.same_region or not profile.will_relocate):
        return False
    if filters.region.startswith("KZ-") and profile.region.code != filters.region:
        return False
    if filters.max_salary and profile.expected_salary and profile.expected_salary > filters.max_salary:
        return False
    return not (filters.hide_in_pipeline and candidate.application is not None)


def candidate_profile(profile_id: int) -> QuerySet[SeekerProfile]:
    return visible_profiles().filter(pk=profile_id).select_related("user", "region")
