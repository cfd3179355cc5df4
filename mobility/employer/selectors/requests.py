"""Requests to the centre, for employers and staff."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mobility.accounts.access import is_admin, region_ids_of
from mobility.employer.models import CentreRequest

from .organisations import employer_organisations


def employer_requests(user: Any) -> QuerySet[CentreRequest]:
    return (
        CentreRequest.objects.filter(organisation__in=employer_organisations(user).values("id"))
        .select_related("organisation", "vacancy", "centre", "region", "handled_by")
        .order_by("-created_at", "-id")
    )


def staff_regions(user: Any) -> set[int] | None:
    """Regions whose employers a member of staff serves; None means every region (admin)."""
    if is_admin(user):
        return None
    return region_ids_of(user)


def staff_requests(user: Any) -> QuerySet[CentreRequest]:
    qs = CentreRequest.objects.select_related(
        "organisation", "vacancy", "centre", "region", "handled_by", "created_by"
    )
    regions = staff_regions(user)
    if regions is not None:
        qs = qs.filter(region_id__in=regions)
    return qs.order_by("deadline", "id")
