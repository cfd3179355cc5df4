"""Steps every browser journey shares, written once.

Signing in is one of them: when the sign-in page changes (a second factor for staff, say), this is
the only place a journey needs to learn it.
"""

from __future__ import annotations

import re
import time
from base64 import b32decode

from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

# Per login: the authenticator secret read off the enrolment page, and the last time step whose
# code was entered (a device never accepts the same step twice), as a person's phone would keep.
AUTHENTICATORS: dict[str, bytes] = {}
LAST_STEP: dict[str, int] = {}

ENROL_URL = re.compile(r"/accounts/two-factor/enrol/")
VERIFY_URL = re.compile(r"/accounts/two-factor/verify/")


def _next_code(login: str) -> str:
    """The authenticator's code for now, or for the next time step if this one was spent (a
    device accepts one step either side of now)."""
    totp = TOTP(AUTHENTICATORS[login], step=30, t0=0, digits=6, drift=0)
    now = int(time.time())
    step = now // 30
    last = LAST_STEP.get(login, -1)
    if last > step:  # both steps around now are spent: wait for the next one
        time.sleep((last + 1) * 30 - now + 1)
        return _next_code(login)
    step = max(step, last + 1)
    totp.time = step * 30
    LAST_STEP[login] = step
    return f"{totp.token():06d}"


def _enter_code(page: Page, login: str) -> None:
    page.locator("#id_code").fill(_next_code(login))
    page.locator("main form:has(#id_code) button[type=submit]").click()


def second_factor(page: Page, login: str) -> None:
    """Staff (and people who chose it) prove a second factor after the password: enrol through
    the page the first time (the secret shown as text, a code, the recovery codes acknowledged),
    enter a code from the same authenticator on later sign-ins."""
    if ENROL_URL.search(page.url):
        secret = page.locator("#two-factor-secret").inner_text().replace(" ", "").strip()
        AUTHENTICATORS[login] = b32decode(secret + "=" * (-len(secret) % 8))
        LAST_STEP.pop(login, None)
        _enter_code(page, login)
        expect(page.locator("#recovery-codes li")).not_to_have_count(0)
        page.locator("#recovery-codes-saved").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/two-factor/"))
    elif VERIFY_URL.search(page.url):
        assert login in AUTHENTICATORS, f"{login} has an authenticator this run never enrolled"
        _enter_code(page, login)
        expect(page).not_to_have_url(VERIFY_URL)


def sign_in(page: Page, base: str, login: str, password: str, *, language: str = "en") -> None:
    """Sign in through the sign-in page, as a person would, and wait to leave it (and the
    second-factor pages, for those who must pass them)."""
    page.goto(f"{base}/{language}/accounts/login/")
    page.locator("#id_username").fill(login)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    page.wait_for_load_state()
    second_factor(page, login)
