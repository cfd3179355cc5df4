"""Helpers for tests of the real second-factor rule (tests marked `two_factor`): an
authenticator app's codes, and an enrolled person."""

from __future__ import annotations

import time
from binascii import unhexlify

from django_otp.oath import TOTP
from django_otp.util import random_hex

from mobility.accounts import services


def code_for(key_hex: str, *, steps_ahead: int = 0) -> str:
    """The 6-digit code an authenticator app with this secret shows now (or `steps_ahead` time
    steps later: a device accepts one step either side of now, but never a step twice)."""
    totp = TOTP(unhexlify(key_hex), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def enrol(user) -> tuple[str, list[str]]:
    """Give the person an authenticator (as the enrolment page would): its secret and the
    recovery codes."""
    key_hex = random_hex(20)
    _device, codes = services.two_factor_enrol(user=user, key_hex=key_hex, code=code_for(key_hex))
    return key_hex, codes


def prove(client, key_hex: str) -> None:
    """Enter the next code on the verification page (the current step was spent on enrolment)."""
    response = client.post("/en/accounts/two-factor/verify/", {"code": code_for(key_hex, steps_ahead=1)})
    assert response.status_code == 302, response.content.decode()[:2000]
