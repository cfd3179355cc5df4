"""Reads for the employer pages and the centre's employer queues, always scoped to the person.

An employer representative sees the organisations they belong to and the branches of those
organisations; everything else (vacancies and their drafts, pipelines, notes, requests) is
reached through them, so "not yours" is a 404 exactly like "missing"."""

from ._shared import PIPELINE_COLUMNS
from .candidates import (
    Candidate,
    CandidateFilters,
    candidate_match,
    candidate_profile,
    candidates_page,
    contacts_shared_with,
    may_reveal,
    ranked_candidates,
    visible_profiles,
)
from .market import (
    SALARY_BUCKETS,
    MarketInfo,
    employer_home_data,
    employer_occupations,
    market_info,
)
from .organisations import (
    employer_organisations,
    is_owner_of,
    organisation_members,
    pending_invitations,
)
from .pipeline import (
    PipelineCard,
    application_history,
    application_notes,
    employer_applications,
    pipeline_board,
    vacancy_applications,
)
from .requests import (
    employer_requests,
    staff_regions,
    staff_requests,
)
from .vacancies import (
    employer_vacancies,
    occupation_by_label,
    occupation_label,
    occupation_skill_suggestions,
    vacancy_with_skills,
)
from .verification import organisations_for_verification

__all__ = [
    "Candidate",
    "CandidateFilters",
    "MarketInfo",
    "PIPELINE_COLUMNS",
    "PipelineCard",
    "SALARY_BUCKETS",
    "application_history",
    "application_notes",
    "candidate_match",
    "candidate_profile",
    "candidates_page",
    "contacts_shared_with",
    "employer_applications",
    "employer_home_data",
    "employer_occupations",
    "employer_organisations",
    "employer_requests",
    "employer_vacancies",
    "is_owner_of",
    "market_info",
    "may_reveal",
    "occupation_by_label",
    "occupation_label",
    "occupation_skill_suggestions",
    "organisation_members",
    "organisations_for_verification",
    "pending_invitations",
    "pipeline_board",
    "ranked_candidates",
    "staff_regions",
    "staff_requests",
    "vacancy_applications",
    "vacancy_with_skills",
    "visible_profiles",
]
