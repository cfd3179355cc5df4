"""The centre's organisation verification queue."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mobility.accounts.models import Organisation

from .requests import staff_regions


def organisations_for_verification(user: Any) -> QuerySet[Organisation]:
    """Organisations of the regions the person verifies for (every region for an administrator;
    none for anyone who is not exchange staff)."""
    qs = Organisation.objects.select_related("region", "head_office")
    regions = staff_regions(user)
    return qs if regions is None else qs.filter(region_id__in=regions)
