"""Browser journeys: Playwright driving Debian's Chromium (never a downloaded browser).

Without /usr/bin/chromium the journeys are skipped with a clear message, except in CI
(CI=true), where a skipped journey is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        message = f"Browser journeys need Debian's Chromium at {CHROMIUM} (apt-get install chromium)."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM)}


@pytest.fixture(scope="session", autouse=True)
def _allow_sync_orm_next_to_playwright():
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # and its fixtures are still synchronous and safe. Only the browser tests set this.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def world(transactional_db):
    """Reference data and the demo world (transactional tests start from empty tables)."""
    from django.apps import apps

    from mobility import demo
    from mobility.reference.loader import load_reference

    load_reference(apps)
    demo.seed()
    return demo


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Kazakh-speaking visitor's browser, as most users are.
    return {**browser_context_args, "locale": "kk-KZ"}


@pytest.fixture
def inbox():
    """Read the mail the live server sent (it runs in this process: Django's locmem backend).

    `inbox(to, marker)` waits a little for a message to `to` and returns its line containing
    `marker` (a link), as the person would copy it from their mail.
    """
    import time

    from django.core import mail

    def link(to: str, marker: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in reversed(mail.outbox):
                if to in message.to:
                    for line in message.body.splitlines():
                        if marker in line:
                            return line.strip()
            time.sleep(0.1)
        raise AssertionError(f"no mail to {to} with {marker!r} in {[m.to for m in mail.outbox]}")

    return link
