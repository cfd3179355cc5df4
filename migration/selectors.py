"""Reads of the foreign-specialist domain, always scoped to the person asking: applicants see
their own applications, migration officers their centre's (a regional manager the region's),
administrators all; anyone else nothing."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
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
