"""A new job seeker registers (refused with an invalid IIN, accepted with a valid one), fills
the profile, sees ranked vacancies with explanations, applies, and finds the application in
"my applications". The same journey runs in English and in Russian."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from mobility.core.identifiers import make_bin, make_iin

TEXT = {
    "en": {
        "register": "Register",
        "iin": "IIN",
        "surname": "Surname",
        "first": "First name",
        "email": "Email",
        "region": "Region where you live",
        "password": "Password",
        "password2": "Password again",
        "create": "Create my account",
        "checksum": "wrong check digit",
        "headline": "Desired position",
        "continue": "Save and continue",
        "visibility": "Visible to employers",
        "consent": "I agree that employers and the career centre may see my profile.",
        "relocate": "Ready to move to another region",
        "finish": "Save and see vacancies",
        "for_me": "Vacancies for me",
        "matching": "Your matching skills",
        "apply": "Apply",
        "applications": "My applications",
        "applied": "Applied",
        "region_name": "Turkistan Region",
    },
    "ru": {
        "register": "Регистрация",
        "iin": "ИИН",
        "surname": "Фамилия",
        "first": "Имя",
        "email": "Электронная почта",
        "region": "Регион проживания",
        "password": "Пароль",
        "password2": "Повторите пароль",
        "create": "Создать учётную запись",
        "checksum": "неверная контрольная цифра",
        "headline": "Желаемая должность",
        "continue": "Сохранить и продолжить",
        "visibility": "Виден работодателям",
        "consent": "Я даю согласие на то, чтобы работодатели и карьерный центр видели мой профиль.",
        "relocate": "Готов(а) переехать в другой регион",
        "finish": "Сохранить и посмотреть вакансии",
        "for_me": "Вакансии для меня",
        "matching": "Ваши подходящие навыки",
        "apply": "Откликнуться",
        "applications": "Мои отклики",
        "applied": "Отклик отправлен",
        "region_name": "Туркестанская область",
    },
}


@pytest.fixture
def market(transactional_db):
    from django.apps import apps

    from matching.services import taxonomy_load_project
    from mobility.accounts.models import Organisation
    from mobility.accounts.services import (
        Channel,
        account_create,
        organisation_create,
        organisation_set_status,
    )
    from mobility.exchange import services
    from mobility.reference.loader import load_reference
    from mobility.reference.models import Region

    load_reference(apps)
    taxonomy_load_project()
    owner = account_create(
        channel=Channel.ADMINISTRATION, email="owner@example.kz", password="x-2026-Strong"
    ).user
    organisation = organisation_create(
        bin=make_bin(2010, 5, serial=51),
        name="ТОО «Павлодар Энерго»",
        region=Region.objects.get(code="KZ-55"),
        owner=owner,
    )
    organisation_set_status(organisation=organisation, status=Organisation.Status.VERIFIED, by=owner)
    pavlodar = Region.objects.get(code="KZ-55")
    expires = timezone.localdate() + dt.timedelta(days=30)
    for title, skills in [
        ("Бухгалтер", ["1С:Бухгалтерия", "налоговая отчётность", "составление финансовой отчётности"]),
        ("Электрогазосварщик", ["сварка", "чтение чертежей"]),
        ("Повар", ["приготовление блюд"]),
    ]:
        services.vacancy_create(
            organisation=organisation,
            by=owner,
            title=title,
            region=pavlodar,
            salary_min=250_000,
            salary_max=400_000,
            expires_on=expires,
            required_skills=skills,
            publish=True,
        )


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_new_seeker_registers_fills_the_profile_and_applies(page: Page, live_server, market, lang, inbox):
    t = TEXT[lang]
    iin = make_iin(dt.date(1994, 3, 8), male=False, serial=4242 if lang == "en" else 4343)
    wrong = iin[:11] + str((int(iin[11]) + 1) % 10)

    page.goto(f"{live_server.url}/{lang}/accounts/signup/")
    page.get_by_label(re.compile("^" + t["iin"])).fill(wrong)
    page.get_by_label(t["surname"]).fill("Бекова")
    page.get_by_label(t["first"]).fill("Айгерім")
    page.get_by_label(t["email"]).fill(f"aigerim.{lang}@example.kz")
    page.get_by_label(t["region"]).select_option(label=t["region_name"])
    page.locator("main").get_by_role("button", name=t["create"]).click()
    expect(page.locator(".errors")).to_contain_text(t["checksum"])

    page.get_by_label(re.compile("^" + t["iin"])).fill(iin)
    page.locator("main").get_by_role("button", name=t["create"]).click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/sent/$"))

    # The link in the mail sets the password; the new seeker lands on their vacancies.
    page.goto(inbox(f"aigerim.{lang}@example.kz", "/accounts/activate/"))
    page.locator("#id_new_password1").fill("Qaz-2026-strong")
    page.locator("#id_new_password2").fill("Qaz-2026-strong")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/me/for-me/$"))
    page.locator("main a[href$='/me/profile/basics/']").click()
    expect(page).to_have_url(re.compile(r"/me/profile/basics/$"))

    page.get_by_label(t["headline"]).fill("Бухгалтер")
    page.locator("main").get_by_role("button", name=t["continue"]).click()
    expect(page).to_have_url(re.compile(r"/me/profile/skills/$"))
    page.locator("#id_skills-0-name").fill("1С:Бухгалтерия")
    page.locator("#id_skills-1-name").fill("налоговая отчётность")
    page.locator("main").get_by_role("button", name=t["continue"]).click()
    expect(page).to_have_url(re.compile(r"/me/profile/experience/$"))
    page.locator("main").get_by_role("button", name=t["continue"]).click()
    expect(page).to_have_url(re.compile(r"/me/profile/preferences/$"))
    page.get_by_label(t["relocate"]).check()
    page.get_by_label(t["visibility"]).check()
    page.get_by_label(t["consent"]).check()
    page.locator("main").get_by_role("button", name=t["finish"]).click()

    expect(page.get_by_role("heading", name=t["for_me"], level=1)).to_be_visible()
    first = page.locator(".result").first
    expect(first.get_by_role("heading", level=2)).to_contain_text("Бухгалтер")
    expect(first).to_contain_text(t["matching"])
    expect(first.locator(".chips.matched .chip").first).to_be_visible()

    first.get_by_role("link", name="Бухгалтер").click()
    page.locator("main").get_by_role("button", name=t["apply"]).click()
    expect(page.get_by_role("heading", name=t["applications"], level=1)).to_be_visible()
    application = page.locator(".result").first
    expect(application).to_contain_text("Бухгалтер")
    expect(application).to_contain_text(t["applied"])

    # The same pages on a 360 px phone: nothing wider than the screen.
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/me/for-me/", "/vacancies/", "/me/applications/", "/me/profile/skills/"):
        page.goto(f"{live_server.url}/{lang}{path}")
        width = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        assert page.evaluate(width) <= 0, path
