"""Employer organisations (creation, verification, members) and centre memberships."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.accounts.models import (
    CentreMembership,
    Organisation,
    OrganisationMembership,
    User,
)
from mobility.accounts.workflows import ORGANISATION_WORKFLOW
from mobility.core.audit import audit_log
from mobility.core.calendar import add_working_days
from mobility.core.identifiers import parse_bin
from mobility.core.workflow import STAFF, Sides, transition
from mobility.reference.models import Centre, Region


def verification_due() -> dt.date:
    """The centre verifies an organisation within ORGANISATION_VERIFICATION_DAYS working days
    of its request (sign-up, or asking again after a refusal)."""
    return add_working_days(timezone.localdate(), settings.ORGANISATION_VERIFICATION_DAYS)


@transaction.atomic
def organisation_create(
    *,
    bin: str,
    name: str,
    region: Region,
    owner: User,
    head_office: Organisation | None = None,
    **details: Any,
) -> Organisation:
    """Register an employer with its first representative as owner.

    A branch (BIN attribute digit 1) must name its head office; a head office must not.
    """
    info = parse_bin(bin)
    if info.is_branch and head_office is None:
        raise ValidationError({"head_office": _("A branch must name its head office.")})
    if not info.is_branch and head_office is not None:
        raise ValidationError({"head_office": _("Only a branch (6th BIN digit 1) has a head office.")})
    organisation = Organisation(
        bin=bin,
        name=name,
        region=region,
        head_office=head_office,
        verification_due=verification_due(),
        **details,
    )
    organisation.full_clean()
    organisation.save()
    OrganisationMembership.objects.create(
        user=owner, organisation=organisation, role=OrganisationMembership.Role.OWNER
    )
    audit_log(actor=owner, action="organisation.created", obj=organisation, to_state=organisation.status)
    return organisation


@transaction.atomic
def organisation_set_status(
    *, organisation: Organisation, status: str, by: User, side: Sides = STAFF, reason: str = ""
) -> Organisation:
    """Verify or refuse an organisation (the centre), or ask again after a refusal (its owner),
    as `ORGANISATION_WORKFLOW` allows; a refusal needs a reason the employer will read. Asking
    again restarts the verification deadline."""
    changes: dict[str, object] = {
        "status_reason": reason.strip(),
        "verified_at": timezone.now() if status == Organisation.Status.VERIFIED else None,
    }
    if status == Organisation.Status.PENDING:
        changes["verification_due"] = verification_due()
    return transition(
        organisation,
        workflow=ORGANISATION_WORKFLOW,
        to=status,
        side=side,
        by=by,
        reason=reason.strip(),
        changes=changes,
    )


@transaction.atomic
def organisation_member_add(
    *, organisation: Organisation, user: User, role: str, by: User
) -> OrganisationMembership:
    membership, _created = OrganisationMembership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    audit_log(
        actor=by, action="organisation.member_added", obj=organisation, data={"user": user.pk, "role": role}
    )
    return membership


@transaction.atomic
def centre_membership_grant(*, user: User, centre: Centre, role: str, by: User | None) -> CentreMembership:
    """Make someone a member of a centre's staff in a role."""
    membership = CentreMembership(user=user, centre=centre, role=role)
    membership.full_clean()
    membership.save()
    audit_log(actor=by, action="centre.member_added", obj=centre, data={"user": user.pk, "role": role})
    return membership
