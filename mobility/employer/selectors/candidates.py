"""Candidates: the matcher's ranking, hydrated in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from matching import services as matching
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


def ranked_candidates(
    vacancy: Vacancy, filters: CandidateFilters | None = None, *, limit: int = 50, pool: int = 200
) -> list[Candidate]:
    """The matcher's candidates for a vacancy, explained, filtered and sorted; hidden profiles never."""
    filters = filters or CandidateFilters()
    vacancy = vacancy_with_skills(vacancy)
    matches = matching.rank_seekers_for(vacancy, limit=pool)
    ids = [int(m.id) for m in matches]
    from migration.selectors import candidate_profiles_for

    # People tied to vacancies open to foreign specialists are candidates for those only.
    profiles = candidate_profiles_for(vacancy, visible_profiles().select_related("user", "region"), ids)
    applications = {
        a.seeker_id: a
        for a in Application.objects.filter(vacancy=vacancy, seeker_id__in=ids).order_by("created_at", "id")
    }
    shared = contacts_shared_with(vacancy.organisation, ids)
    results: list[Candidate] = []
    for shown in matching.present_matches(matches, lang=_lang()):
        profile = profiles.get(shown.id)
        if profile is None:
            continue
        results.append(
            Candidate(
                profile=profile,
                score=shown.score,
                percent=(score := match_score(shown)).points,
                relation=shown.relation,
                matched=shown.matched,
                missing=shown.missing,
                match=score,
                reveal=may_reveal(profile, shared),
                application=applications.get(profile.pk),
                same_region=profile.region_id == vacancy.region_id,
                factors=shown.factors,
                foreign_specialist=bool(getattr(profile, "foreign_holder", False)),
            )
        )
    results = [c for c in results if _passes(c, filters, vacancy)]
    if filters.sort == "salary":
        results.sort(key=lambda c: (c.profile.expected_salary is None, c.profile.expected_salary or 0))
    elif filters.sort == "recent":
        results.sort(key=lambda c: c.profile.updated_at, reverse=True)
    return results[:limit]


def _passes(candidate: Candidate, filters: CandidateFilters, vacancy: Vacancy) -> bool:
    profile = candidate.profile
    if filters.region == "same" and not candidate.same_region:
        return False
    if filters.region == "relocate" and (candidate.same_region or not profile.will_relocate):
        return False
    if filters.region.startswith("KZ-") and profile.region.code != filters.region:
        return False
    if filters.max_salary and profile.expected_salary and profile.expected_salary > filters.max_salary:
        return False
    if candidate.percent < filters.min_percent:
        return False
    return not (filters.hide_in_pipeline and candidate.application is not None)


def candidate_profile(profile_id: int) -> QuerySet[SeekerProfile]:
    return visible_profiles().filter(pk=profile_id).select_related("user", "region")
