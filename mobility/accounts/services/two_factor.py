"""Two-factor: enrolment, verification, recovery codes, removal."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.accounts.models import User
from mobility.core.audit import audit_log

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
