"""Steps every browser journey shares, written once.

Signing in is one of them: when the sign-in page changes (a second factor for staff, say), this is
the only place a journey needs to learn it.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def sign_in(page: Page, base: str, login: str, password: str, *, language: str = "en") -> None:
    """Sign in through the sign-in page, as a person would, and wait to leave it."""
    page.goto(f"{base}/{language}/accounts/login/")
    page.locator("#id_username").fill(login)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
