"""Journeys of the public-service finish (issue #17): a newcomer's journey in Kazakh with dates,
regions and languages; editing a vacancy in Russian keeps its closing date; the hiring board and
the mobile group's page on a 390 px phone, with no horizontal overflow."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Page, expect

from mobility.core.identifiers import make_iin
from tests.e2e.journey_pages import PHONE
from tests.e2e.steps import sign_in
from tests.e2e.test_seeker_journey import market  # noqa: F401  (the fixture)

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def _beside(page: Page, input_selector: str) -> None:
    """A checkbox or radio sits on the line of its own label, just before the text."""
    control = page.locator(input_selector)
    box = control.bounding_box()
    wrapping = page.locator(f"label:has({input_selector})")
    label = wrapping if wrapping.count() else page.locator(f"label[for='{control.get_attribute('id')}']")
    text = label.bounding_box()
    assert box and text
    assert text["y"] - 2 <= box["y"] + box["height"] / 2 <= text["y"] + text["height"] + 2
    inside = 0 <= box["x"] - text["x"] <= 8  # the label wraps the box, which comes first
    before = 0 <= text["x"] - (box["x"] + box["width"]) <= 16  # the label follows the box
    assert inside or before, (box, text)


def test_a_newcomer_in_kazakh_signs_up_fills_the_profile_with_dates_and_applies(
    page: Page,
    live_server,
    market,  # noqa: F811
    inbox,
):
    from mobility.reference.models import Region

    base = f"{live_server.url}/kk"
    iin = make_iin(dt.date(1993, 9, 21), male=False, serial=5151)
    page.goto(f"{base}/accounts/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    page.locator("#id_iin").fill(f"{iin[:6]} {iin[6:]}")  # as printed on the card, with a space
    page.locator("#id_last_name").fill("Сәрсенова")
    page.locator("#id_first_name").fill("Динара")
    page.locator("#id_email").fill("dinara@example.kz")
    page.locator("#id_region").select_option(str(Region.objects.get(code="KZ-55").id))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/kk/accounts/signup/sent/$"))

    page.goto(inbox("dinara@example.kz", "/accounts/activate/"))
    page.locator("#id_new_password1").fill("Qaz-2026-strong")
    page.locator("#id_new_password2").fill("Qaz-2026-strong")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/kk/me/for-me/$"))

    page.goto(f"{base}/me/profile/basics/")
    page.locator("#id_headline").fill("Бухгалтер")
    page.locator("#id_languages_0").check()
    page.locator("#id_languages_1").check()
    _beside(page, "#id_languages_1")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/kk/me/profile/skills/$"))
    page.locator("#id_skills-0-name").fill("1С:Бухгалтерия")
    page.locator("#id_skills-1-name").fill("налоговая отчётность")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/kk/me/profile/experience/$"))

    # Dates in Kazakh: typed, saved, shown again unchanged (they used to come back blank).
    page.locator("#id_exp-0-title").fill("Есепші")
    page.locator("#id_exp-0-started_on").fill("2019-03-01")
    page.locator("#id_exp-0-ended_on").fill("2018-12-31")  # before the start: refused beside the field
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_exp-0-ended_on_error")).to_be_visible()
    expect(page.locator("#id_exp-0-ended_on")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_exp-0-title")).to_have_value("Есепші")
    page.locator("#id_exp-0-ended_on").fill("2023-12-31")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/kk/me/profile/preferences/$"))
    page.goto(f"{base}/me/profile/experience/")
    expect(page.locator("#id_exp-0-started_on")).to_have_value("2019-03-01")
    expect(page.locator("#id_exp-0-ended_on")).to_have_value("2023-12-31")
    page.locator("main form button[type=submit]").click()

    # Regions by their Kazakh names, each box beside its own label.
    expect(page).to_have_url(re.compile(r"/kk/me/profile/preferences/$"))
    akmola = Region.objects.get(code="KZ-11").name_kk
    page.get_by_role("group").get_by_role("checkbox", name=akmola).check()
    page.locator("#id_will_relocate").check()
    page.locator("input[name=visibility][value=public]").check()
    _beside(page, "input[name=visibility][value=public]")
    page.locator("#id_consent").check()
    _beside(page, "#id_consent")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/kk/me/for-me/$"))
    first = page.locator(".result").first
    expect(first.get_by_role("heading", level=2)).to_contain_text("Бухгалтер")
    expect(first.locator(".match-score .reason")).to_contain_text("2")
    first.get_by_role("link", name="Бухгалтер").click()
    page.locator("main form[action$='/apply/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/kk/me/applications/$"))
    expect(page.locator(".result").first).to_contain_text("Бухгалтер")


def test_editing_a_vacancy_in_russian_keeps_its_closing_date(page: Page, live_server, world):
    from mobility.exchange.models import Vacancy

    vacancy = (
        Vacancy.objects.filter(
            organisation__memberships__user__email="bolat@demo.kz",
            status=Vacancy.Status.PUBLISHED,
            expires_on__isnull=False,
            occupation__isnull=False,
        )
        .order_by("id")
        .first()
    )
    assert vacancy is not None
    closing = vacancy.expires_on
    assert closing is not None
    sign_in(page, live_server.url, "bolat@demo.kz", world.DEMO_PASSWORD, language="ru")
    page.goto(f"{live_server.url}/ru/employer/vacancies/{vacancy.id}/edit/")
    expect(page.locator("#id_expires_on")).to_have_value(closing.isoformat())
    page.locator("#id_title").fill(vacancy.title + " (ред.)")
    page.locator("main button[name=save]").click()
    expect(page).to_have_url(re.compile(rf"/ru/employer/vacancies/{vacancy.id}/$"))
    vacancy.refresh_from_db()
    assert vacancy.expires_on == closing
    page.goto(f"{live_server.url}/ru/employer/vacancies/{vacancy.id}/edit/")
    expect(page.locator("#id_expires_on")).to_have_value(closing.isoformat())


def test_the_hiring_board_and_the_mobile_groups_page_fit_a_phone(page: Page, live_server, world):
    from mobility.exchange.models import Vacancy

    page.set_viewport_size(PHONE)
    vacancy = (
        Vacancy.objects.filter(organisation__memberships__user__email="bolat@demo.kz")
        .exclude(applications=None)
        .order_by("id")
        .first()
    )
    assert vacancy is not None
    sign_in(page, live_server.url, "bolat@demo.kz", world.DEMO_PASSWORD, language="kk")
    page.goto(f"{live_server.url}/kk/employer/vacancies/{vacancy.id}/pipeline/")
    expect(page.locator(".board-column").first).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0
    # Columns stack into one list on a phone.
    columns = page.locator(".board-column")
    first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert first and second and first["x"] == second["x"]

    # The menu is one button; the content starts right under the header.
    toggle = page.locator(".menu-toggle")
    expect(toggle).to_be_visible()
    expect(page.locator("#main-menu")).to_be_hidden()
    toggle.click()
    expect(page.locator("#main-menu")).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")

    page.context.clear_cookies()
    sign_in(page, live_server.url, "dana@demo.kz", world.DEMO_PASSWORD, language="kk")
    page.goto(f"{live_server.url}/kk/staff/mobile/")
    assert page.evaluate(OVERFLOW) <= 0
    heading = page.locator("main h1").bounding_box()
    assert heading and heading["y"] < 200
