"""Writes for accounts and organisations: transactional, validated, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.accounts.models import CentreMembership, Organisation, OrganisationMembership, User
from mobility.accounts.workflows import ORGANISATION_WORKFLOW
from mobility.core.audit import audit_log
from mobility.core.calendar import add_working_days
from mobility.core.identifiers import parse_bin
from mobility.core.outbox import outbox_add
from mobility.core.workflow import STAFF, Sides, transition
from mobility.reference.models import Centre, Region


@transaction.atomic
def user_create(
    *,
    email: str | None,
    password: str | None,
    iin: str | None = None,
    last_name: str = "",
    first_name: str = "",
    middle_name: str = "",
    phone: str = "",
    language: str = "kk",
) -> User:
    """Create a person; email or IIN is required (the model's constraint says so too)."""
    return User.objects.create_user(
        email=email or None,
        password=password,
        iin=iin or None,
        last_name=last_name,
        first_name=first_name,
        middle_name=middle_name,
        phone=phone,
        language=language,
    )


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


# --- Job-seeker sign-up, email confirmation, signing out everywhere ---------------------------

EMAIL_CONFIRM_SALT = "mobility.accounts.confirm-email"
EMAIL_CONFIRM_MAX_AGE = 3 * 24 * 3600


def email_confirmation_token(user: User) -> str:
    from django.core import signing

    return signing.dumps({"u": user.pk, "e": user.email}, salt=EMAIL_CONFIRM_SALT)


def send_email_confirmation(*, user: User, confirm_url: str) -> None:
    """Mail the confirmation link in the person's own language (through the outbox).

    Each link is one message: the same link asked for twice is written once.
    """
    if not user.email:
        return
    digest = hashlib.sha256(confirm_url.encode()).hexdigest()[:24]
    outbox_add(
        person=user,
        topic="account",
        template="confirm_email",
        context={"confirm_url": confirm_url},
        key=f"user.email_confirmation:{user.pk}:{digest}",
    )


@transaction.atomic
def user_confirm_email(*, token: str) -> User:
    """Mark the email confirmed if the token is genuine, fresh and still names that address."""
    from django.core import signing

    try:
        data = signing.loads(token, salt=EMAIL_CONFIRM_SALT, max_age=EMAIL_CONFIRM_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("This confirmation link has expired. Ask for a new one.")) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("This confirmation link is not valid.")) from exc
    user = User.objects.select_for_update().filter(pk=data.get("u")).first()
    if user is None or (user.email or "").lower() != (data.get("e") or "").lower():
        raise ValidationError(_("This confirmation link is not valid."))
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
        audit_log(actor=user, action="user.email_confirmed", obj=user)
    return user


@transaction.atomic
def user_sign_out_everywhere(*, user: User) -> User:
    """End every session of this person (other devices included)."""
    User.objects.filter(pk=user.pk).update(session_epoch=models.F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    audit_log(actor=user, action="user.signed_out_everywhere", obj=user)
    return user
