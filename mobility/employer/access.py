"""Object access for the employer pages and the centre's employer queues.

Everything is fetched through a scoped selector, so another organisation's vacancy, draft,
pipeline, note or request, a hidden profile and a missing id all answer 404. Candidates and the
pipeline are for verified organisations only: their pages answer 403 before verification, and
the applications they hold 404. Actions a
person's role does not allow on an object they can see (a recruiter inviting colleagues)
answer 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from mobility.accounts.models import Organisation
from mobility.employer import selectors
from mobility.employer.models import CentreRequest, OrganisationInvitation
from mobility.exchange.models import Application, SeekerProfile, Vacancy
from mobility.exchange.selectors import vacancies_open_to_candidates


def get_organisation_for_employer(user: Any, organisation_id: int) -> Organisation:
    return get_object_or_404(selectors.employer_organisations(user), id=organisation_id)


def get_owned_organisation(user: Any, organisation_id: int) -> Organisation:
    """An organisation the person owns (404 when not theirs, 403 when they are a recruiter)."""
    organisation = get_organisation_for_employer(user, organisation_id)
    if not selectors.is_owner_of(user, organisation):
        raise PermissionDenied
    return organisation


def get_vacancy_for_employer(user: Any, vacancy_id: int) -> Vacancy:
    return get_object_or_404(selectors.employer_vacancies(user), id=vacancy_id)


def may_read_candidates(user: Any, vacancy: Vacancy) -> bool:
    """Whether the person reads this vacancy's candidates (its organisation is verified)."""
    return vacancies_open_to_candidates(user).filter(pk=vacancy.pk).exists()


def get_vacancy_for_candidates(user: Any, vacancy_id: int) -> Vacancy:
    """A vacancy of the person's organisations whose candidates and pipeline they may use:
    404 when it is not theirs, 403 while their organisation is not verified."""
    vacancy = get_vacancy_for_employer(user, vacancy_id)
    if not may_read_candidates(user, vacancy):
        raise PermissionDenied
    return vacancy


def get_application_for_employer(user: Any, application_id: int) -> Application:
    return get_object_or_404(selectors.employer_applications(user), id=application_id)


def get_candidate_for_vacancy(user: Any, vacancy_id: int, profile_id: int) -> tuple[Vacancy, SeekerProfile]:
    """A vacancy of the person's verified organisation and a profile its owner made visible."""
    vacancy = get_vacancy_for_candidates(user, vacancy_id)
    profile = get_object_or_404(selectors.candidate_profile(profile_id))
    return vacancy, profile


def get_invitation_for_owner(user: Any, invitation_id: int) -> OrganisationInvitation:
    invitation = get_object_or_404(
        OrganisationInvitation.objects.filter(
            organisation__in=selectors.employer_organisations(user).values("id")
        ).select_related("organisation"),
        id=invitation_id,
    )
    if not selectors.is_owner_of(user, invitation.organisation):
        raise PermissionDenied
    return invitation


def get_request_for_employer(user: Any, request_id: int) -> CentreRequest:
    return get_object_or_404(selectors.employer_requests(user), id=request_id)


def get_request_for_staff(user: Any, request_id: int) -> CentreRequest:
    return get_object_or_404(selectors.staff_requests(user), id=request_id)


def get_organisation_for_verifier(user: Any, organisation_id: int) -> Organisation:
    return get_object_or_404(selectors.organisations_for_verification(user), id=organisation_id)
