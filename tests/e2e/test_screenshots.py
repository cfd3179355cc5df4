"""Screenshots of the pages people see first, in Kazakh at desktop and phone widths, committed
under docs/screenshots/. Regenerate them with:

    SCREENSHOTS=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/test_shots \\
      .venv/bin/pytest tests/e2e/test_screenshots.py -m e2e
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e.journey_pages import DESKTOP, PHONE
from tests.e2e.steps import sign_in

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.mark.skipif(not os.environ.get("SCREENSHOTS"), reason="regenerates docs/screenshots/ (SCREENSHOTS=1)")
def test_screenshots_in_kazakh(page: Page, live_server, world):
    from mobility.exchange.models import Vacancy

    vacancy = (
        Vacancy.objects.filter(organisation__memberships__user__email="bolat@demo.kz")
        .exclude(applications=None)
        .order_by("id")
        .first()
    )
    assert vacancy is not None
    shots = [
        ("aigerim@demo.kz", "profile", "/me/profile/preferences/"),
        ("aigerim@demo.kz", "vacancies-for-me", "/me/for-me/"),
        ("bolat@demo.kz", "hiring-board", f"/employer/vacancies/{vacancy.id}/pipeline/"),
        ("bolat@demo.kz", "employer-home", "/employer/"),
        ("yerlan@demo.kz", "staff-dashboard", "/staff/dashboard/"),
        ("dana@demo.kz", "mobile-group", "/staff/mobile/"),
    ]
    OUT.mkdir(parents=True, exist_ok=True)
    page.set_default_timeout(120_000)  # a script, often run on a busy machine: patience over speed
    for login, name, path in shots:
        page.context.clear_cookies()
        page.set_viewport_size(DESKTOP)
        sign_in(page, live_server.url, login, world.DEMO_PASSWORD, language="kk")
        for width, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.goto(f"{live_server.url}/kk{path}")
            page.screenshot(path=str(OUT / f"{name}-{width}.png"), full_page=False)
