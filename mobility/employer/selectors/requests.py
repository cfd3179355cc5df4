"""Requests to the centre, for employers and staff."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mobility.core.actors import EXCHANGE_STAFF_ROLES, actor_of
from mobility.employer.models import CentreRequest

from .organisations import employer_organisations


def employer_requests(user: Any) -> QuerySet[CentreRequest]:
    return (
        CentreRequest.objects.filter(organisation__in=employer_organisations(user).values("id"))
        .select_related("organisation", "vacancy", "centre", "region", "handled_by")
        .order_by("-created_at", "-id")
    )


def staff_regions(user: Any) -> set[int] | None:
    """Regions whose employers (verification, requests) a counsellor or regional manager serves;
    None means every region (administrators). Migration officers serve none."""
    return actor_of(user).region_ids(*EXCHANGE_STAFF_ROLES)


def staff_requests(user: Any) -> QuerySet[CentreRequest]:
    qs = CentreRequest.objects.select_related(
        "organisation", "vacancy", "centre", "region", "handled_by", "created_by"
    )
    regions = staff_regions(user)
    if regions is not None:
        qs = qs.filter(region_id__in=regions)
    return qs.order_by("deadline", "id")
