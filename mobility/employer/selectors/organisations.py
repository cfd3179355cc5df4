"""Organisations a person acts for, their members and invitations."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from mobility.accounts.models import Organisation, OrganisationMembership
from mobility.employer.models import OrganisationInvitation


def employer_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations the person represents, and the branches of those organisations."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    own = OrganisationMembership.objects.filter(user=user).values("organisation_id")
    return (
        Organisation.objects.filter(Q(id__in=own) | Q(head_office_id__in=own))
        .select_related("region", "head_office")
        .order_by("name", "id")
    )


def membership_roles(user: Any) -> dict[int, str]:
    """organisation id → the person's role there; a head office's role reaches its branches."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_employer_roles", None)
    if cached is not None:
        return cached
    roles: dict[int, str] = {}
    rows = list(OrganisationMembership.objects.filter(user=user).values_list("organisation_id", "role"))
    for organisation_id, role in rows:
        roles[organisation_id] = role
    direct = dict(roles)
    for branch_id, head_id in Organisation.objects.filter(head_office_id__in=list(direct)).values_list(
        "id", "head_office_id"
    ):
        roles.setdefault(branch_id, direct[head_id])
    user._employer_roles = roles
    return roles


def is_owner_of(user: Any, organisation: Organisation) -> bool:
    return membership_roles(user).get(organisation.pk) == OrganisationMembership.Role.OWNER


def organisation_members(organisation: Organisation) -> QuerySet[OrganisationMembership]:
    return (
        OrganisationMembership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__last_name", "user__id")
    )


def pending_invitations(organisation: Organisation) -> QuerySet[OrganisationInvitation]:
    return organisation.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")
