"""Accounts: the one way to create one, and the ways in (activation, claim, reset, signing out everywhere)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from mobility.accounts.models import (
    ActivationCode,
    User,
)
from mobility.accounts.tokens import (
    ACTIVATION_DAYS,
    CODE_MAX_ATTEMPTS,
    activation_token_generator,
    code_digest,
    new_activation_code,
)
from mobility.core.audit import audit_log
from mobility.core.outbox import outbox_add

# --- Accounts: the one way to create one, and the ways in (activation, claim, reset) ----------
#
# Whoever creates an account (the person signing up, an employer, an invitation, the desk, a
# mobile group, the foreign-applicant form, an administrator) calls `account_create`. What the
# outside sees never depends on whether the account existed: sign-up and reset answer the same
# page, and anything about an existing account goes only to the contact recorded on it.


class Channel(models.TextChoices):
    SELF_SIGN_UP = "self_sign_up", _("Signed up on the portal")
    EMPLOYER_SIGN_UP = "employer_sign_up", _("Registered an employer")
    INVITATION = "invitation", _("Accepted an invitation")
    DESK = "desk", _("Registered at the centre desk")
    MOBILE_GROUP = "mobile_group", _("Registered by a mobile group")
    FOREIGN_APPLICANT = "foreign_applicant", _("Applied as a foreign specialist")
    ADMINISTRATION = "administration", _("Created by an administrator")


# Messages about an account asked for again within this window are written once.
MESSAGE_BUCKET_SECONDS = 15 * 60


@dataclass(frozen=True)
class AccountResult:
    user: User
    created: bool


@dataclass(frozen=True)
class Activation:
    """How a person created by staff gets in: a code to hand over, or a link mailed to them."""

    code: str = ""
    emailed_to: str = ""
    expires_on: dt.date | None = None


def message_bucket() -> int:
    """The current window of MESSAGE_BUCKET_SECONDS: a message asked for again within it has the
    same outbox key, so it is written once."""
    return int(timezone.now().timestamp()) // MESSAGE_BUCKET_SECONDS


def _clean_password(password: str, user: User, field: str) -> None:
    from django.contrib.auth.password_validation import validate_password

    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


@transaction.atomic
def account_create(
    *,
    channel: str,
    by: User | None = None,
    email: str | None = None,
    iin: str | None = None,
    phone: str = "",
    last_name: str = "",
    first_name: str = "",
    middle_name: str = "",
    language: str = "kk",
    password: str | None = None,
    email_confirmed: bool = False,
) -> AccountResult:
    """Create a person's account, or return the one their IIN (else email) already names.

    Never raises "already exists": the caller decides what an existing account means (the desk
    reuses it, sign-up sends a claim message to its recorded contact). Without a password the
    account has an unusable one until the person activates it.
    """
    email = (email or "").strip().lower() or None
    iin = "".join((iin or "").split()) or None
    phone = normalise_phone(phone)
    if channel not in Channel.values:
        raise ValueError(f"unknown account channel {channel!r}")
    existing = None
    if iin:
        existing = User.objects.filter(iin=iin).first()
    if existing is None and email:
        existing = User.objects.filter(email__iexact=email).first()
    user = User(
        email=email,
        iin=iin,
        phone=phone,
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        middle_name=middle_name.strip(),
        language=language,
        email_confirmed_at=timezone.now() if email and email_confirmed else None,
    )
    if password is not None:
        _clean_password(password, user, "password1")
    user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    if existing is not None:
        return AccountResult(user=existing, created=False)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_log(actor=by, action="account.created", obj=user, data={"channel": channel})
    return AccountResult(user=user, created=True)


def normalise_phone(value: str) -> str:
    """Digits and a leading plus; a number too short to dial is refused."""
    phone = "".join(ch for ch in (value or "") if ch.isdigit() or ch == "+")
    if phone and (len(phone.lstrip("+")) < 10 or "+" in phone[1:]):
        raise ValidationError({"phone": _("Enter the full phone number, e.g. +7 700 000 00 00.")})
    return phone


def _link_context(user: User, base_url: str) -> dict[str, Any]:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    activation = not user.has_usable_password()
    generator = activation_token_generator if activation else default_token_generator
    return {
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": generator.make_token(user),
        "activation": activation,
        # As Django's reset mail has them: the templates build the link in the reader's language.
        "protocol": urlsplit(base_url).scheme,
        "domain": urlsplit(base_url).netloc,
        "days": ACTIVATION_DAYS,
    }


def _send_activation_link(user: User, base_url: str) -> None:
    outbox_add(
        person=user,
        topic="account",
        template="account_activation",
        context=_link_context(user, base_url),
        key=f"account.activation:{user.pk}:{message_bucket()}",
    )


@transaction.atomic
def activation_code_issue(*, user: User, by: User | None) -> str:
    """A new code for a person without email (the older ones stop working); shown once."""
    if user.has_usable_password():
        raise ValidationError(_("This person has already set a password; they can sign in."))
    now = timezone.now()
    ActivationCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    code = new_activation_code()
    ActivationCode.objects.create(
        user=user,
        digest=code_digest(code),
        expires_at=now + dt.timedelta(days=ACTIVATION_DAYS),
        issued_by=by if by is not None and by.pk else None,
    )
    audit_log(actor=by, action="account.activation_code_issued", obj=user)
    return code


@transaction.atomic
def account_activation_start(
    *, user: User, by: User | None, base_url: str, issue_code: bool = True
) -> Activation:
    """Give a person created by staff a way in: the link by email when one is recorded, else a
    code to hand over (when the person is there to receive it). Nothing for an active account."""
    if user.has_usable_password() or not user.is_active:
        return Activation()
    expires_on = (timezone.localtime() + dt.timedelta(days=ACTIVATION_DAYS)).date()
    if user.email:
        _send_activation_link(user, base_url)
        audit_log(actor=by, action="account.activation_sent", obj=user)
        return Activation(emailed_to=user.email, expires_on=expires_on)
    if issue_code:
        return Activation(code=activation_code_issue(user=user, by=by), expires_on=expires_on)
    return Activation()


@transaction.atomic
def account_activate(*, user: User, password: str, email_confirmed: bool) -> User:
    """The person sets their first password (from a link or a code): the link or code is used up."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _clean_password(password, user, "new_password1")
    first = not user.has_usable_password()
    user.set_password(password)
    if email_confirmed and user.email and user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
    user.save(update_fields=["password", "email_confirmed_at"])
    ActivationCode.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
    audit_log(actor=user, action="account.activated" if first else "account.password_set", obj=user)
    return user


def account_activate_with_code(*, iin: str, code: str, password: str) -> User:
    """Activate with the IIN and the code from the desk's letter. A wrong code counts against the
    live code (five tries); every failure answers the same, whatever was wrong."""
    refused = ValidationError(
        {
            "code": _(
                "This IIN and code do not match a valid activation code. "
                "Check both, or ask the centre for a new code."
            )
        }
    )
    iin = "".join((iin or "").split())
    digest = code_digest(code)
    with transaction.atomic():
        live = (
            ActivationCode.objects.select_for_update()
            .select_related("user")
            .filter(
                user__iin=iin,
                user__is_active=True,
                used_at__isnull=True,
                expires_at__gt=timezone.now(),
                attempts__lt=CODE_MAX_ATTEMPTS,
            )
            .order_by("-created_at")
            .first()
        )
        if live is not None and constant_time_compare(live.digest, digest):
            user = account_activate(user=live.user, password=password, email_confirmed=False)
            audit_log(actor=user, action="account.activation_code_used", obj=user)
            return user
    if live is not None:
        ActivationCode.objects.filter(pk=live.pk).update(attempts=models.F("attempts") + 1)
    raise refused


def account_claim_send(*, user: User, base_url: str, channel: str, organisation_name: str = "") -> None:
    """Someone tried to sign up with this person's IIN or email: tell them at the recorded
    address, with the way in (activation when they never set a password, reset otherwise)."""
    if not user.email or not user.is_active:
        return
    outbox_add(
        person=user,
        topic="account",
        template="account_claim",
        context={**_link_context(user, base_url), "channel": channel, "organisation_name": organisation_name},
        key=f"account.claim:{user.pk}:{message_bucket()}",
    )


@transaction.atomic
def password_reset_request(*, login: str, base_url: str) -> None:
    """Send a way in to the contact on record: a reset link, or the activation link to a person who
    never set a password. Says nothing about whether the email or IIN is known."""
    from mobility.accounts.backends import find_user_by_login

    user = find_user_by_login(login)
    if user is None or not user.is_active or not user.email:
        return
    if not user.has_usable_password():
        _send_activation_link(user, base_url)
        return
    outbox_add(
        person=user,
        topic="account",
        template="password_reset",
        context=_link_context(user, base_url),
        key=f"password_reset:{user.pk}:{message_bucket()}",
    )


@transaction.atomic
def user_sign_out_everywhere(*, user: User) -> User:
    """End every session of this person (other devices included)."""
    User.objects.filter(pk=user.pk).update(session_epoch=models.F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    audit_log(actor=user, action="user.signed_out_everywhere", obj=user)
    return user
