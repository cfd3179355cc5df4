"""Writes for accounts and organisations: transactional, validated, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from mobility.accounts.models import (
    ActivationCode,
    CentreMembership,
    Organisation,
    OrganisationMembership,
    User,
)
from mobility.accounts.tokens import (
    ACTIVATION_DAYS,
    CODE_MAX_ATTEMPTS,
    activation_token_generator,
    code_digest,
    new_activation_code,
)
from mobility.accounts.workflows import ORGANISATION_WORKFLOW
from mobility.core.audit import audit_changes, audit_log, audit_snapshot
from mobility.core.calendar import add_working_days
from mobility.core.identifiers import parse_bin
from mobility.core.outbox import outbox_add
from mobility.core.workflow import STAFF, Sides, transition
from mobility.reference.models import Centre, Region

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


# --- Edits in the administration site -------------------------------------------------------------

ACCOUNT_AUDITED = (
    "email",
    "iin",
    "phone",
    "last_name",
    "first_name",
    "middle_name",
    "language",
    "is_active",
    "is_staff",
    "is_superuser",
    "groups",
    "user_permissions",
)


def _roles(user: User) -> list[str]:
    return sorted(
        f"{centre}:{role}" for centre, role in user.centre_memberships.values_list("centre__code", "role")
    )


@transaction.atomic
def account_admin_save(*, user: User, by: User, save: Any) -> User:
    """An administrator's (or regional manager's) edit of an account in the admin, recorded with
    old and new values: the fields, administrator rights and the centre roles.

    `save` is the admin's own save (the form's fields, many-to-many fields and the memberships
    inline); it runs here between the snapshot and the comparison.
    """
    stored = User.objects.select_for_update().get(pk=user.pk)
    before = audit_snapshot(stored, ACCOUNT_AUDITED)
    roles_before = _roles(stored)
    save()
    user.refresh_from_db()
    changes = audit_changes(before, user, ACCOUNT_AUDITED)
    roles_after = _roles(user)
    if changes:
        audit_log(actor=by, action="account.updated", obj=user, changes=changes)
    if roles_after != roles_before:
        audit_log(
            actor=by,
            action="account.roles_changed",
            obj=user,
            changes={"centre_roles": [roles_before, roles_after]},
        )
    return user


# --- Two-factor: enrolment, verification, recovery codes, removal ------------------------------
#
# Who needs a second factor and whether a request has one: `accounts.twofactor`. The devices are
# django-otp's (a TOTP authenticator; a static device of single-use recovery codes).


def _normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _totp_step(key_hex: str, code: str) -> int | None:
    """The time step whose code `code` is, within one step either side of now; None if wrong."""
    import time
    from binascii import unhexlify

    from django_otp.oath import TOTP

    if not code.isdigit() or len(code) != 6:
        return None
    totp = TOTP(unhexlify(key_hex.encode()), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    if not totp.verify(int(code), tolerance=1):
        return None
    return int(totp.t())


def _recovery_codes_replace(*, user: User) -> list[str]:
    """A new device of fresh codes in place of the person's old one; returns the codes in plain
    text, to be shown once: only their salted digests are stored."""
    from mobility.accounts import twofactor
    from mobility.accounts.models import RecoveryCode, RecoveryCodeDevice
    from mobility.accounts.tokens import new_recovery_code, new_recovery_salt, recovery_code_digest

    RecoveryCodeDevice.objects.filter(user_id=user.pk).delete()
    device = RecoveryCodeDevice(user=user, name=twofactor.RECOVERY_NAME, confirmed=True)
    device.full_clean()
    device.save()
    codes: set[str] = set()
    while len(codes) < twofactor.recovery_code_count():
        codes.add(new_recovery_code())
    rows = []
    for code in sorted(codes):
        salt = new_recovery_salt()
        rows.append(RecoveryCode(device=device, salt=salt, digest=recovery_code_digest(code, salt)))
    RecoveryCode.objects.bulk_create(rows)
    return sorted(codes)


@transaction.atomic
def two_factor_enrol(*, user: User, key_hex: str, code: str) -> tuple[Any, list[str]]:
    """Confirm the authenticator whose secret the person was shown with a code it shows now, and
    hand out a fresh set of recovery codes (shown once). Returns the device and the codes."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from mobility.accounts import twofactor

    if twofactor.has_second_factor(user):
        raise ValidationError(
            _("You already have an authenticator. Remove it before adding another."), code="enrolled"
        )
    step = _totp_step(key_hex, _normalise_code(code))
    if step is None:
        raise ValidationError(
            {"code": _("This code is not the one your app shows now. Check the time on your phone.")},
            code="wrong_code",
        )
    device = TOTPDevice(user=user, name=twofactor.TOTP_NAME, key=key_hex, confirmed=True, last_t=step)
    device.full_clean()
    device.save()
    codes = _recovery_codes_replace(user=user)
    audit_log(actor=user, action="two_factor.enrolled", obj=user, data={"recovery_codes": len(codes)})
    return device, codes


def two_factor_verify(*, user: User, code: str) -> Any:
    """Check a code from the authenticator (6 digits) or a recovery code (spent on use).

    Returns the device that accepted it, or None for a wrong code; a device that refused a wrong
    code refuses every code for a while (django-otp's throttling, doubling each time), and then
    this raises a ValidationError saying until when. Not one transaction: a wrong code's count
    must be kept (the device saves it itself) while the answer is "no".
    """
    from mobility.accounts import twofactor

    code = _normalise_code(code)
    is_totp = code.isdigit() and len(code) == 6
    device = twofactor.totp_device(user) if is_totp else twofactor.recovery_device(user)
    if device is None:
        return None
    until = twofactor.locked_until(device)
    if until is not None:
        raise ValidationError(
            _("Too many wrong codes. Try again after %(time)s."),
            code="locked",
            params={"time": timezone.localtime(until).strftime("%H:%M:%S")},
        )
    with transaction.atomic():
        if not device.verify_token(code):
            return None
        if not is_totp:
            left = device.codes.count()
            audit_log(actor=user, action="two_factor.recovery_code_used", obj=user, data={"codes_left": left})
    return device


@transaction.atomic
def two_factor_recovery_codes_regenerate(*, user: User) -> list[str]:
    """A new set of recovery codes; the old ones stop working."""
    from mobility.accounts import twofactor

    if not twofactor.has_second_factor(user):
        raise ValidationError(_("Add an authenticator first."), code="not_enrolled")
    codes = _recovery_codes_replace(user=user)
    audit_log(
        actor=user,
        action="two_factor.recovery_codes_regenerated",
        obj=user,
        data={"recovery_codes": len(codes)},
    )
    return codes


@transaction.atomic
def two_factor_remove(*, user: User, by: User, reason: str = "") -> None:
    """Remove the person's authenticator and recovery codes.

    People who need a second factor by role cannot remove their own (they would be asked to
    enrol again at once, with no proof in between): an administrator resets a lost device from
    the admin, and the person enrols a new one at their next sign-in.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from mobility.accounts.models import RecoveryCodeDevice
    from mobility.core.actors import actor_of

    if by.pk == user.pk and actor_of(user).needs_second_factor:
        raise ValidationError(
            _("Staff keep their second factor. If you lost your phone, ask an administrator to reset it."),
            code="staff",
        )
    if by.pk != user.pk and not actor_of(by).is_admin:
        raise ValidationError(_("Only an administrator resets another person's second factor."), code="admin")
    removed = TOTPDevice.objects.filter(user_id=user.pk).delete()[0]
    RecoveryCodeDevice.objects.filter(user_id=user.pk).delete()
    if removed:
        audit_log(
            actor=by,
            action="two_factor.reset" if by.pk != user.pk else "two_factor.removed",
            obj=user,
            reason=reason,
        )
