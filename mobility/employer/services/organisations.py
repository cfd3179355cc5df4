"""Employer sign-up, organisation details and verification."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mobility.accounts.models import Organisation, User
from mobility.accounts.services import (
    Channel,
    account_activation_start,
    account_claim_send,
    account_create,
    message_bucket,
    organisation_create,
    organisation_set_status,
)
from mobility.core.audit import audit_log, audit_trail
from mobility.core.identifiers import parse_bin
from mobility.core.outbox import outbox_add
from mobility.core.workflow import EMPLOYER, STAFF
from mobility.reference.models import Region

from ._shared import _owners


def _head_office_for(bin: str, head_office_bin: str) -> Organisation | None:
    """Where the organisation stands among those registered: its BIN free, and a branch's head
    office registered and not itself a branch. Raises the message for the person."""
    if Organisation.objects.filter(bin=bin).exists():
        raise ValidationError(
            {"bin": _("An organisation with this BIN is already registered. Ask its owner to invite you.")}
        )
    if not head_office_bin:
        return None
    head_office = Organisation.objects.filter(bin=head_office_bin).first()
    if head_office is None:
        raise ValidationError(
            {"head_office_bin": _("The head office must register first; no organisation has this BIN.")}
        )
    if head_office.head_office_id is not None:
        raise ValidationError({"head_office_bin": _("This BIN belongs to a branch, not a head office.")})
    return head_office


def _sign_up_refused(*, account: dict[str, Any], name: str, bin: str, error: ValidationError) -> None:
    """Tell a visitor at the address they gave why their organisation was not registered: said on
    the page, it would tell anyone which BINs and accounts exist."""
    outbox_add(
        email=account["email"],
        language=account.get("language", "kk"),
        topic="account",
        template="employer_sign_up_refused",
        context={"organisation_name": name, "bin": bin, "reasons": [str(m) for m in error.messages]},
        key=f"employer.sign_up_refused:{account['email'].lower()}:{bin}:{message_bucket()}",
    )


@transaction.atomic
def employer_sign_up(
    *,
    user: User | None,
    bin: str,
    name: str,
    region: Region,
    head_office_bin: str = "",
    account: dict[str, Any] | None = None,
    base_url: str = "",
    **details: Any,
) -> Organisation | None:
    """Register an organisation with the person as its owner; a new person gets an account first.

    A signed-in person sees every refusal beside its field. A visitor (no `user`) gives their name
    and email and always gets the same page: what depends on the register (a BIN taken, a head
    office missing, an email that already has an account) is said only at that address, so the
    page tells a stranger nothing about who or what is registered. A new email gets an account,
    the organisation and a link to set the password; an email that already has an account gets a
    message to sign in and register from there, and nothing is created (None).

    A branch (6th BIN digit 1) names the BIN of its head office, which must already be registered.
    The organisation waits for verification by the centre before its vacancies are published.
    """
    # What the BIN itself says is shown on the page to anyone: it tells nothing about the register.
    if parse_bin(bin).is_branch and not head_office_bin:  # parse_bin raises each digit's own message
        raise ValidationError({"head_office_bin": _("A branch must give the BIN of its head office.")})
    if not parse_bin(bin).is_branch and head_office_bin:
        raise ValidationError(
            {"head_office_bin": _("Only a branch (6th BIN digit 1) has a head office; leave this empty.")}
        )
    if user is not None:
        head_office = _head_office_for(bin, head_office_bin)
        return organisation_create(
            bin=bin, name=name, region=region, owner=user, head_office=head_office, **details
        )
    if not account:
        raise ValidationError(_("Give your name and email to create your account."))
    try:
        head_office = _head_office_for(bin, head_office_bin)
    except ValidationError as exc:
        _sign_up_refused(account=account, name=name, bin=bin, error=exc)
        return None
    result = account_create(
        channel=Channel.EMPLOYER_SIGN_UP,
        email=account["email"],
        first_name=account.get("first_name", ""),
        last_name=account.get("last_name", ""),
        phone=account.get("phone", ""),
        language=account.get("language", "kk"),
    )
    if not result.created:
        # Said only to the address on record: sign in (or set a password), then register.
        account_claim_send(
            user=result.user, base_url=base_url, channel=Channel.EMPLOYER_SIGN_UP, organisation_name=name
        )
        return None
    organisation = organisation_create(
        bin=bin, name=name, region=region, owner=result.user, head_office=head_office, **details
    )
    account_activation_start(user=result.user, by=None, base_url=base_url, issue_code=False)
    return organisation


ORGANISATION_DETAILS = ("sector", "address", "phone", "email", "website")


@transaction.atomic
def organisation_update(*, organisation: Organisation, by: User, **data: Any) -> Organisation:
    """Change contacts and details; the legal name and region change only before verification."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    allowed = set(ORGANISATION_DETAILS)
    if organisation.status != Organisation.Status.VERIFIED:
        allowed |= {"name", "region"}
    changed = []
    for key, value in data.items():
        if key not in allowed:
            raise ValidationError(
                {key: _("A verified organisation changes this through the centre.")}
                if key in ("name", "region")
                else _("Unknown field.")
            )
        if getattr(organisation, key) != value:
            setattr(organisation, key, value)
            changed.append(key)
    organisation.full_clean()
    organisation.save()
    if changed:
        audit_log(actor=by, action="organisation.updated", obj=organisation, data={"fields": sorted(changed)})
    return organisation


@transaction.atomic
def organisation_request_verification(*, organisation: Organisation, by: User) -> Organisation:
    """After a refusal, the owner corrects the details and asks again."""
    return organisation_set_status(
        organisation=organisation, status=Organisation.Status.PENDING, by=by, side=EMPLOYER
    )


@transaction.atomic
def organisation_decide(
    *, organisation: Organisation, verify: bool, by: User, reason: str = ""
) -> Organisation:
    """The centre verifies or refuses an organisation waiting in its queue; owners are told."""
    status = Organisation.Status.VERIFIED if verify else Organisation.Status.REFUSED
    result = organisation_set_status(
        organisation=organisation, status=status, by=by, side=STAFF, reason=reason
    )
    # The decision's audit entry (the latest) names the event: one message per owner per decision.
    decision = audit_trail(result).values_list("pk", flat=True)[0]
    for owner in _owners(result):
        outbox_add(
            person=owner,
            topic="organisation",
            template="organisation_verification",
            context={"organisation": result, "verified": verify},
            key=f"organisation.decided:{decision}:{owner.pk}",
        )
    return result
