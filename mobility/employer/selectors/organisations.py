"""Organisations a person acts for, their members and invitations."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from mobility.accounts.models import Organisation, OrganisationMembership
from mobility.core.actors import actor_of
from mobility.employer.models import OrganisationInvitation


def employer_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations the person represents, and the branches of those organisations."""
    return (
        Organisation.objects.filter(id__in=actor_of(user).organisation_ids())
        .select_related("region", "head_office")
        .order_by("name", "id")
    )


def is_owner_of(user: Any, organisation: Organisation) -> bool:
    return actor_of(user).is_owner_of(organisation.pk)


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
