"""The second factor: who needs one, and whether this request has it (reads only).

Written once, asked by the one middleware that guards every page and the API's session access
(`accounts.middleware.SecondFactorMiddleware`) and by personal-token creation:

- a person *needs* a second factor when `Actor.needs_second_factor` says so (centre staff of
  every role, administrators, the admin site's `is_staff`), or when they enrolled one of their own
  free will (seekers, employers and foreign applicants may);
- the request has it when this session proved a code of one of the person's confirmed devices
  (django-otp's `OTPMiddleware` sets `request.user.is_verified()`).

Devices are django-otp's: one TOTP device (an authenticator app), and our own
`accounts.models.RecoveryCodeDevice` holding the single-use recovery codes as salted keyed digests
(django-otp's static device would keep them in plain text). The writes (enrol, verify,
regenerate, remove) are services in `accounts.services`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_otp.models import MAX_THROTTLE_DELAY_SECONDS
from django_otp.plugins.otp_totp.models import TOTPDevice

from mobility.accounts.models import RecoveryCodeDevice
from mobility.core.actors import actor_of

# Session keys: whether the person has a device (asked once per session for people who do not
# need one by role), the secret shown on the enrolment page until it is confirmed, and the
# recovery codes shown once after enrolment or regeneration.
ENROLLED_KEY = "_two_factor_enrolled"
PENDING_SECRET_KEY = "_two_factor_pending_secret"  # noqa: S105 - a session key name
NEW_CODES_KEY = "_two_factor_new_codes"

TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"


def totp_device(user: Any) -> TOTPDevice | None:
    """The person's confirmed authenticator, if any."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("id").first()


def recovery_device(user: Any) -> RecoveryCodeDevice | None:
    """The device holding the person's unused recovery codes, if any."""
    return RecoveryCodeDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("id").first()


def has_second_factor(user: Any) -> bool:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def recovery_codes_left(user: Any) -> int:
    device = recovery_device(user)
    return device.codes.count() if device is not None else 0


def second_factor_required(request: HttpRequest) -> bool:
    """Whether the signed-in person must prove a second factor in this session."""
    user: Any = request.user
    if not user.is_authenticated:
        return False
    if actor_of(request).needs_second_factor:
        return True
    enrolled = request.session.get(ENROLLED_KEY)
    if enrolled is None:
        enrolled = has_second_factor(user)
        request.session[ENROLLED_KEY] = enrolled
    return bool(enrolled)


def second_factor_verified(request: HttpRequest) -> bool:
    """Whether this session proved a code of one of the person's confirmed devices."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified is not None and is_verified())


def second_factor_satisfied(request: HttpRequest) -> bool:
    """THE rule: the request may go on as its signed-in person. Anonymous requests and people
    who need no second factor pass; everyone else only once this session proved one.

    Tests of pages reach staff pages with `force_login`: `tests/conftest.py` wraps this function
    (and nothing else) so those sessions count as verified, except under `two_factor` marks and
    in browser journeys."""
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return True
    return second_factor_verified(request) or not second_factor_required(request)


def locked_until(device: Any) -> dt.datetime | None:
    """When a device that refused codes after wrong ones accepts a code again (None: now)."""
    allowed, _info = device.verify_is_allowed()
    if allowed or device.throttling_failure_timestamp is None:
        return None
    delay = min(
        device.get_throttle_factor() * (2 ** (device.throttling_failure_count - 1)),
        MAX_THROTTLE_DELAY_SECONDS,
    )
    return device.throttling_failure_timestamp + dt.timedelta(seconds=delay)


def recovery_code_count() -> int:
    return int(settings.TWO_FACTOR_RECOVERY_CODES)
