"""Reads of the foreign-specialist domain, always scoped to the person asking: applicants see
their own applications, migration officers their centre's (a regional manager the region's),
administrators all; anyone else nothing."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from migration.models import (
    Appeal,
    Application,
    ApplicationStep,
    ForeignApplicant,
    InvitationRound,
    ReportingDuty,
)
from migration.sides import migration_centre_ids
from migration.states import OPEN_APPLICATION_STATUSES, AppealStatus, StepStatus
from mobility.core.actors import actor_of


def applicant_of(user: Any) -> ForeignApplicant | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return ForeignApplicant.objects.filter(user=user).first()


def applications_visible_to(user: Any) -> QuerySet[Application]:
    actor = actor_of(user)
    qs = Application.objects.select_related(
        "applicant__user", "scheme_version__scheme", "centre__region", "occupation__isco_group", "category"
    )
    if actor.is_admin:
        return qs
    if not actor.is_person:
        return qs.none()
    visible = Q(applicant__user=actor.user)
    centres = migration_centre_ids(actor)
    if centres:
        visible |= Q(centre_id__in=centres)
    return qs.filter(visible)


def foreign_applicant_users_in_scope(user: Any) -> QuerySet[Any]:
    """Accounts of the applicants whose applications sit at the centres the caller serves as a
    migration officer or regional manager (all for an administrator): the staff side of who may
    read an applicant's documents."""
    centres = migration_centre_ids(user)
    qs = Application.objects.all()
    if centres is not None:
        qs = qs.filter(centre_id__in=centres)
    return qs.values("applicant__user_id")


def officer_queue(
    user: Any, *, overdue: bool = False, scheme: str = "", field: str = ""
) -> QuerySet[Application]:
    """Open applications of the centres the caller serves, the earliest deadline first (overdue
    ones lead: their deadline is in the past). Applicants' own applications are not a queue."""
    centres = migration_centre_ids(user)
    qs = applications_visible_to(user).filter(status__in=OPEN_APPLICATION_STATUSES)
    if centres is not None:
        qs = qs.filter(centre_id__in=centres)
    if overdue:
        qs = qs.filter(due_on__lt=timezone.localdate())
    if scheme:
        qs = qs.filter(scheme_version__scheme__code=scheme)
    if field:
        qs = qs.filter(field=field)
    return qs.order_by("due_on", "submitted_at", "id")


def application_steps(application: Application) -> list[ApplicationStep]:
    return list(application.steps.select_related("scheme_step", "completed_by").order_by("order", "id"))


def overdue_steps(user: Any) -> QuerySet[ApplicationStep]:
    """Pending steps past their deadline in the caller's centres."""
    return (
        ApplicationStep.objects.filter(
            application__in=officer_queue(user).values("id"),
            status=StepStatus.PENDING,
            due_on__lt=timezone.localdate(),
        )
        .select_related("scheme_step", "application")
        .order_by("due_on", "id")
    )


def appeals_visible_to(user: Any) -> QuerySet[Appeal]:
    return Appeal.objects.filter(application__in=applications_visible_to(user).values("id")).select_related(
        "application__applicant__user", "application__scheme_version__scheme", "refusal__decided_by"
    )


def open_appeals(user: Any) -> QuerySet[Appeal]:
    return appeals_visible_to(user).filter(status=AppealStatus.LODGED).order_by("due_on", "id")


def published_rounds() -> QuerySet[InvitationRound]:
    return (
        InvitationRound.objects.filter(status=InvitationRound.Status.PUBLISHED)
        .select_related("scheme")
        .order_by("-published_at", "-id")
    )


def reporting_duties_of(user: Any) -> QuerySet[ReportingDuty]:
    """The reporting duties of the organisations the caller acts for (an administrator: all)."""
    actor = actor_of(user)
    qs = ReportingDuty.objects.select_related("application__applicant__user", "organisation")
    if actor.is_admin:
        return qs
    return qs.filter(organisation_id__in=actor.organisation_ids())


@dataclass(frozen=True)
class ShortageEvidence:
    open_vacancies: int
    median_days_open: int | None
    registered_seekers: int


def shortage_evidence(occupation_ids: list[int]) -> dict[int, ShortageEvidence]:
    """The exchange's evidence beside each occupation of a shortage list, for staff updating it:
    published vacancies, the median days they have been open, and registered (active) job seekers
    wanting that occupation. Three queries whatever the list's length."""
    from mobility.exchange.models import Registration, SeekerProfile, Vacancy

    now = timezone.now()
    days: dict[int, list[int]] = {i: [] for i in occupation_ids}
    for occupation_id, published_at in Vacancy.objects.filter(
        status=Vacancy.Status.PUBLISHED, occupation_id__in=occupation_ids
    ).values_list("occupation_id", "published_at"):
        days[occupation_id].append((now - published_at).days if published_at else 0)
    active = Registration.objects.filter(status=Registration.Status.ACTIVE).values("profile_id")
    seekers = dict(
        SeekerProfile.objects.filter(id__in=active, desired_occupations__in=occupation_ids)
        .values("desired_occupations")
        .annotate(n=Count("id", distinct=True))
        .values_list("desired_occupations", "n")
    )
    return {
        i: ShortageEvidence(
            open_vacancies=len(days[i]),
            median_days_open=int(median(days[i])) if days[i] else None,
            registered_seekers=seekers.get(i, 0),
        )
        for i in occupation_ids
    }
