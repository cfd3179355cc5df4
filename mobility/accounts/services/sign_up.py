"""Sign-up on the portal (job seekers, foreign specialists) and email confirmation."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.accounts.models import User
from mobility.core.audit import audit_log
from mobility.core.outbox import outbox_add
from mobility.reference.models import Region

from .accounts import (
    Channel,
    _send_activation_link,
    account_claim_send,
    account_create,
)


@transaction.atomic
def seeker_sign_up(
    *,
    iin: str,
    email: str,
    region: Region,
    base_url: str,
    phone: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "kk",
) -> None:
    """A citizen signs up on the portal. A new person gets an account, a hidden profile to fill in
    and an activation link; a person who already has an account gets, at the address on record, a
    message leading them to it. The caller shows the same answer either way."""
    from mobility.exchange.models import SeekerProfile
    from mobility.exchange.services import profile_create

    result = account_create(
        channel=Channel.SELF_SIGN_UP,
        email=email,
        iin=iin,
        phone=phone,
        first_name=first_name,
        last_name=last_name,
        language=language,
    )
    if not result.created:
        account_claim_send(user=result.user, base_url=base_url, channel=Channel.SELF_SIGN_UP)
        return
    profile_create(user=result.user, region=region, visibility=SeekerProfile.Visibility.HIDDEN)
    _send_activation_link(result.user, base_url)


@transaction.atomic
def foreign_sign_up(
    *,
    email: str,
    last_name: str,
    first_name: str,
    citizenship: str,
    passport_country: str,
    passport_number: str,
    passport_expires_on: dt.date,
    base_url: str,
    birth_date: dt.date | None = None,
    ethnic_kazakh: bool = False,
    phone: str = "",
    language: str = "en",
) -> None:
    """A foreign specialist signs up: an account without an IIN (channel `foreign_applicant`),
    the passport on its applicant profile, and an activation link. An email or a passport that
    already has an account gets, at the address on record, a message leading to it; the caller
    shows the same answer either way (as for `seeker_sign_up`)."""
    from migration.models import ForeignApplicant
    from migration.services.applications import foreign_applicant_create

    number = "".join((passport_number or "").split()).upper()
    holder = (
        ForeignApplicant.objects.select_related("user")
        .filter(passport_country=passport_country.upper(), passport_number=number)
        .first()
    )
    if holder is not None:
        account_claim_send(user=holder.user, base_url=base_url, channel=Channel.FOREIGN_APPLICANT)
        return
    result = account_create(
        channel=Channel.FOREIGN_APPLICANT,
        email=email,
        phone=phone,
        first_name=first_name,
        last_name=last_name,
        language=language,
    )
    if not result.created:
        account_claim_send(user=result.user, base_url=base_url, channel=Channel.FOREIGN_APPLICANT)
        return
    foreign_applicant_create(
        user=result.user,
        citizenship=citizenship,
        passport_country=passport_country,
        passport_number=number,
        passport_expires_on=passport_expires_on,
        birth_date=birth_date,
        ethnic_kazakh=ethnic_kazakh,
        by=result.user,
    )
    _send_activation_link(result.user, base_url)


# --- Email confirmation --------------------------------------------------------------------------

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
