"""The centre's organisation verification queue."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mobility.accounts.access import centre_memberships, is_admin
from mobility.accounts.models import CentreMembership, Organisation

VERIFYING_ROLES = (CentreMembership.Role.COUNSELLOR, CentreMembership.Role.REGIONAL_MANAGER)


def may_verify(user: Any) -> bool:
    return is_admin(user) or any(m.role in VERIFYING_ROLES for m in centre_memberships(user))


def organisations_for_verification(user: Any) -> QuerySet[Organisation]:
    """Organisations of the regions the person verifies for (every region for an administrator)."""
    if not may_verify(user):
        return Organisation.objects.none()
    qs = Organisation.objects.select_related("region", "head_office")
    if not is_admin(user):
        regions = {m.centre.region_id for m in centre_memberships(user) if m.role in VERIFYING_ROLES}
        qs = qs.filter(region_id__in=regions)
    return qs
