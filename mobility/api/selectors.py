"""Reads of the API, each scoped to the caller (docs/style.md §3–4).

- vacancy: published ones, everybody; any status, members of its organisation, that
  organisation's keys with `vacancies:read`, administrators;
- organisation: its members, its own keys, administrators;
- seeker profile: the person; staff of a centre where the person is or was registered or has
  their case (counsellors their centre, regional managers their region; not migration
  officers); centre keys with `registrations:read`; administrators;
- registration: the person; the same staff and centre keys; administrators;
- application: the applicant; members of the vacancy's organisation, once it is verified, and
  its keys with `applications:read`; administrators.

Anything else answers 404, so "missing" and "not yours" look the same.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from mobility.accounts.models import Organisation
from mobility.api.models import Scope
from mobility.api.principal import Caller
from mobility.exchange.models import (
    Application,
    ApplicationEvent,
    Interview,
    Registration,
    SeekerProfile,
    Vacancy,
    VacancySkill,
)
from mobility.exchange.selectors import (
    published_vacancies,
    registrations_in_scope,
    seekers_in_scope,
    vacancies_open_to_candidates,
)


def _vacancy_base() -> QuerySet[Vacancy]:
    return Vacancy.objects.select_related(
        "organisation", "region", "occupation__isco_group"
    ).prefetch_related(Prefetch("skills", queryset=VacancySkill.objects.order_by("-required", "name")))


def vacancies_visible(caller: Caller) -> QuerySet[Vacancy]:
    qs = _vacancy_base()
    if caller.is_admin:
        return qs
    published = published_vacancies().values("id")
    own = caller.organisation_ids(Scope.VACANCIES_READ)
    if own:
        return qs.filter(Q(id__in=published) | Q(organisation_id__in=own))
    return qs.filter(id__in=published)


def vacancies_writable(caller: Caller) -> QuerySet[Vacancy]:
    qs = _vacancy_base()
    if caller.is_admin:
        return qs
    return qs.filter(organisation_id__in=caller.organisation_ids(Scope.VACANCIES_WRITE))


def get_vacancy(caller: Caller, vacancy_id: int) -> Vacancy:
    return get_object_or_404(vacancies_visible(caller), id=vacancy_id)


def get_vacancy_for_write(caller: Caller, vacancy_id: int) -> Vacancy:
    """404 for a vacancy the caller may not see; the same 404 for one it sees but may not change
    (a published vacancy of another organisation), so nothing is learnt from trying."""
    return get_object_or_404(vacancies_writable(caller), id=vacancy_id)


def organisations_visible(caller: Caller) -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("region", "head_office")
    if caller.is_admin:
        return qs
    return qs.filter(id__in=caller.organisation_ids())


def organisations_writable(caller: Caller) -> QuerySet[Organisation]:
    """Organisations the caller may create vacancies for."""
    qs = Organisation.objects.select_related("region")
    if caller.is_admin:
        return qs
    return qs.filter(id__in=caller.organisation_ids(Scope.VACANCIES_WRITE))


def registrations_visible(caller: Caller) -> QuerySet[Registration]:
    """The person's own registrations, and those of the centres the caller serves."""
    qs = Registration.objects.select_related("centre__region", "profile__user")
    served = registrations_in_scope(caller.who, scope=Scope.REGISTRATIONS_READ).values("id")
    own = Q(profile__user=caller.user) if caller.is_person else Q(pk__in=[])
    return qs.filter(own | Q(id__in=served))


def seekers_visible(caller: Caller) -> QuerySet[SeekerProfile]:
    """The person's own profile, and the people of the centres the caller serves."""
    qs = SeekerProfile.objects.select_related("user", "region").prefetch_related("skills")
    served = seekers_in_scope(caller.who, scope=Scope.REGISTRATIONS_READ).values("id")
    own = Q(user=caller.user) if caller.is_person else Q(pk__in=[])
    return qs.filter(own | Q(id__in=served))


def get_seeker(caller: Caller, seeker_id: int) -> SeekerProfile:
    return get_object_or_404(seekers_visible(caller), id=seeker_id)


def applications_visible(caller: Caller, *, scope: str = Scope.APPLICATIONS_READ) -> QuerySet[Application]:
    qs = Application.objects.select_related(
        "vacancy__organisation", "vacancy__region", "seeker__user", "seeker__region"
    ).prefetch_related(
        Prefetch("events", queryset=ApplicationEvent.objects.order_by("created_at", "id")),
        Prefetch(
            "interviews",
            queryset=Interview.objects.filter(status=Interview.Status.SCHEDULED),
            to_attr="scheduled_interviews",
        ),
    )
    if caller.is_admin:
        return qs
    # The organisation's side sees its pipeline only once the centre has verified it.
    condition = Q(vacancy__in=vacancies_open_to_candidates(caller.who, scope=scope).values("id"))
    if caller.is_person:
        condition |= Q(seeker__user=caller.user)
    return qs.filter(condition)


def get_application(
    caller: Caller, application_id: int, *, scope: str = Scope.APPLICATIONS_READ
) -> Application:
    return get_object_or_404(applications_visible(caller, scope=scope), id=application_id)


def candidates_visible_for(caller: Caller, vacancy_id: int) -> Vacancy:
    """The vacancy whose ranked candidates the caller may read (its verified organisation's side);
    the same rule as the employer pages."""
    open_to = vacancies_open_to_candidates(caller.who, scope=Scope.MATCHES_READ).values("id")
    return get_object_or_404(_vacancy_base().filter(id__in=open_to), id=vacancy_id)


def seeker_for_matches(caller: Caller, seeker_id: int) -> SeekerProfile:
    """A seeker whose ranked vacancies the caller may read: the person, or staff/centre keys
    that see the person's registrations (keys need `matches:read` too)."""
    if caller.key is not None and Scope.MATCHES_READ not in caller.key.scopes:
        raise_404()
    return get_seeker(caller, seeker_id)


def raise_404() -> None:
    from django.http import Http404

    raise Http404
