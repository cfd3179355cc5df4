"""Reads of resettlement, scoped to the caller through `mobility.core.actors`.

The applicant sees their own applications; a counsellor those of the centres they serve (the
origin); a regional manager those going to or leaving their region; a programme finance officer
those going to their region; an administrator all. Certificates, schedules and payments follow
their application; budgets are their region's."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from mobility.cases.models import Referral
from mobility.core.actors import Role, actor_of
from mobility.resettlement.models import (
    Budget,
    Certificate,
    Payment,
    ResettlementApplication,
)


def _application_q(who: Any, prefix: str = "") -> Q | None:
    """The applications the caller sees, as a filter (None: all)."""
    actor = actor_of(who)
    if actor.is_admin:
        return None
    q = Q(pk__in=[])
    if actor.user is not None:
        q |= Q(**{f"{prefix}person": actor.user})
    counsellor = actor.centre_ids(Role.COUNSELLOR) or set()
    if counsellor:
        q |= Q(**{f"{prefix}centre_id__in": counsellor})
    managed = actor.region_ids(Role.REGIONAL_MANAGER) or set()
    if managed:
        q |= Q(**{f"{prefix}destination_region_id__in": managed}) | Q(
            **{f"{prefix}centre__region_id__in": managed}
        )
    finance = actor.region_ids(Role.PROGRAMME_FINANCE) or set()
    if finance:
        q |= Q(**{f"{prefix}destination_region_id__in": finance})
    return q


def applications_visible_to(who: Any) -> QuerySet[ResettlementApplication]:
    qs = ResettlementApplication.objects.select_related(
        "person", "centre", "destination_region", "origin_region"
    )
    q = _application_q(who)
    return qs if q is None else qs.filter(q)


def get_application_for_user(who: Any, application_id: int) -> ResettlementApplication:
    return get_object_or_404(applications_visible_to(who), pk=application_id)


def certificates_visible_to(who: Any) -> QuerySet[Certificate]:
    qs = Certificate.objects.select_related("application__person", "application__destination_region")
    q = _application_q(who, prefix="application__")
    return qs if q is None else qs.filter(q)


def get_certificate_for_user(who: Any, certificate_id: int) -> Certificate:
    return get_object_or_404(certificates_visible_to(who), pk=certificate_id)


def payments_visible_to(who: Any) -> QuerySet[Payment]:
    qs = Payment.objects.select_related("schedule__application__person", "schedule__budget__region")
    q = _application_q(who, prefix="schedule__application__")
    return qs if q is None else qs.filter(q)


def budgets_visible_to(who: Any) -> QuerySet[Budget]:
    """A region's budgets: its regional managers and finance officers; administrators all."""
    actor = actor_of(who)
    qs = Budget.objects.select_related("region")
    if actor.is_admin:
        return qs
    regions = (actor.region_ids(Role.REGIONAL_MANAGER) or set()) | (
        actor.region_ids(Role.PROGRAMME_FINANCE) or set()
    )
    return qs.filter(region_id__in=regions)


def resettlement_referral_for(person: Any) -> Referral | None:
    """The newest resettlement referral a counsellor sent the person (`cases.Referral`, sent or
    accepted) that no application used yet, with its receiving centre and vacancy: what the
    application form starts from, and what the application then records."""
    used = ResettlementApplication.objects.filter(referral__isnull=False).values("referral_id")
    return (
        Referral.objects.filter(
            case__person=person,
            kind=Referral.Kind.RESETTLEMENT,
            status__in=[Referral.Status.SENT, Referral.Status.ACCEPTED],
        )
        .exclude(id__in=used)
        .select_related("target_centre__region", "vacancy")
        .order_by("-created_at", "-id")
        .first()
    )


def centre_follows_application(centre: Any, application: ResettlementApplication) -> bool:
    """Whether a centre's own systems (its webhook endpoints) hear of the decisions on an
    application: the career centre of origin, which forwards it, and every centre of the
    receiving region, whose regional centre decides and whose akimat pays."""
    return centre.pk == application.centre_id or centre.region_id == application.destination_region_id
