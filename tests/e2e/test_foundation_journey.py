"""A newcomer opens the site, switches language, signs in with an IIN, reaches their pages."""

import re

from playwright.sync_api import Page, expect

from mobility.accounts.models import User
from tests.e2e.steps import second_factor


def test_language_switch_and_sign_in_by_iin(page: Page, live_server, world):
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/kk/$"))
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name="Кіру")).to_be_visible()

    page.get_by_role("button", name="Русский").click()
    expect(page).to_have_url(re.compile(r"/ru/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")

    nav.get_by_role("link", name="Регионы и программы").click()
    expect(page.get_by_role("heading", name="Регионы и программы")).to_be_visible()
    expect(page.get_by_role("cell", name="Павлодарская область")).to_be_visible()

    dana = User.objects.get(email="dana@demo.kz")
    nav.get_by_role("link", name="Войти").click()
    assert dana.iin
    page.get_by_label("Электронная почта или ИИН").fill(dana.iin)
    page.get_by_label("Пароль").fill("wrong-password")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("alert")).to_contain_text("не подходят")

    page.get_by_label("Пароль").fill(world.DEMO_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    # Staff prove a second factor: the first time, enrolment through the page (in Russian).
    expect(page).to_have_url(re.compile(r"/ru/accounts/two-factor/enrol/"))
    second_factor(page, dana.iin)
    expect(page).to_have_url(re.compile(r"/ru/staff/cases/$"))  # a counsellor lands on the caseload
    nav.get_by_role("link", name="Рабочее место сотрудника").click()
    expect(page.get_by_role("link", name=re.compile("Карьерный центр, г. Павлодар"))).to_be_visible()

    # The same page in English keeps the user signed in.
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Staff workspace")).to_be_visible()


def test_pages_fit_a_small_phone(page: Page, live_server, world):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/en/regions/")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
