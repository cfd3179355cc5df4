"""Colleagues: invitations, accepting them, removing members."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.accounts.models import Organisation, OrganisationMembership, User
from mobility.accounts.services import Channel, account_create
from mobility.core.audit import audit_log
from mobility.core.outbox import outbox_add
from mobility.employer.models import OrganisationInvitation

INVITATION_SALT = "mobility.employer.invitation"


INVITATION_DAYS = 7


def invitation_token(invitation: OrganisationInvitation) -> str:
    return signing.dumps({"i": invitation.pk, "e": invitation.email.lower()}, salt=INVITATION_SALT)


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, by: User, accept_url: Any = None
) -> tuple[OrganisationInvitation, str]:
    """An owner invites a colleague; returns the invitation and its link token.

    `accept_url(token)` builds the absolute link mailed to the colleague.
    """
    email = email.strip().lower()
    if role not in OrganisationMembership.Role.values:
        raise ValidationError({"role": _("Choose owner or recruiter.")})
    if OrganisationMembership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person already represents the organisation.")})
    # A fresh invitation replaces any still pending for the same address.
    OrganisationInvitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    invitation = OrganisationInvitation(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=by,
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit_log(
        actor=by, action="organisation.invitation_sent", obj=organisation, data={"email": email, "role": role}
    )
    token = invitation_token(invitation)
    if accept_url is not None:
        link = accept_url(token)
        outbox_add(
            email=email,
            language=by.language,
            topic="organisation",
            template="organisation_invitation",
            context={"organisation": organisation, "invitation": invitation, "link": link, "by": by},
            key=f"organisation.invitation:{invitation.pk}",
        )
    return invitation, token


def invitation_from_token(token: str) -> OrganisationInvitation:
    """The invitation a link names, if the link is genuine, fresh, and still pending."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_DAYS * 24 * 3600)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("This invitation has expired. Ask for a new one.")) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("This invitation link is not valid.")) from exc
    invitation = (
        OrganisationInvitation.objects.select_related("organisation").filter(pk=data.get("i")).first()
    )
    if invitation is None or invitation.email.lower() != str(data.get("e", "")).lower():
        raise ValidationError(_("This invitation link is not valid."))
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation was withdrawn."))
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(_("This invitation has expired. Ask for a new one."))
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: OrganisationInvitation, user: User) -> OrganisationMembership:
    """The invited person (signed in with the invited address) joins the organisation."""
    invitation = OrganisationInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError(_("This invitation is no longer valid."))
    if (user.email or "").lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    membership, _created = OrganisationMembership.objects.get_or_create(
        user=user, organisation_id=invitation.organisation_id, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_log(
        actor=user,
        action="organisation.member_added",
        obj=invitation.organisation,
        data={"user": user.pk, "role": membership.role, "invitation": invitation.pk},
    )
    return membership


@transaction.atomic
def invitation_join(
    *, invitation: OrganisationInvitation, first_name: str, last_name: str, password: str, language: str
) -> User:
    """A colleague without an account creates one from the invitation link (which proves the
    address is theirs) and joins the organisation."""
    result = account_create(
        channel=Channel.INVITATION,
        email=invitation.email,
        first_name=first_name,
        last_name=last_name,
        password=password,
        language=language,
        email_confirmed=True,
    )
    if not result.created:
        raise ValidationError(_("An account uses this address already. Sign in to accept the invitation."))
    invitation_accept(invitation=invitation, user=result.user)
    return result.user


@transaction.atomic
def invitation_revoke(*, invitation: OrganisationInvitation, by: User) -> OrganisationInvitation:
    invitation = OrganisationInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_log(
            actor=by,
            action="organisation.invitation_revoked",
            obj=invitation.organisation,
            data={"email": invitation.email},
        )
    return invitation


@transaction.atomic
def member_remove(*, membership: OrganisationMembership, by: User) -> None:
    """An owner removes a representative; the last owner stays."""
    owners = list(
        OrganisationMembership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=OrganisationMembership.Role.OWNER)
        .values_list("id", flat=True)
    )
    if membership.role == OrganisationMembership.Role.OWNER and len(owners) <= 1:
        raise ValidationError(_("An organisation keeps at least one owner."))
    audit_log(
        actor=by,
        action="organisation.member_removed",
        obj=membership.organisation,
        data={"user": membership.user_id, "role": membership.role},
    )
    membership.delete()
