"""Helpers the employer services share: an organisation's owners."""

from __future__ import annotations

from mobility.accounts.models import Organisation, OrganisationMembership, User


def _owners(organisation: Organisation) -> list[User]:
    return [
        m.user
        for m in OrganisationMembership.objects.filter(
            organisation=organisation, role=OrganisationMembership.Role.OWNER
        ).select_related("user")
    ]
