"""A match alert from end to end, in Russian (issue #15, "Must show"): a new job seeker signs up
through the pages, fills the profile, saves a search and asks for match alerts; an employer
publishes a matching vacancy through the pages; the worker's scheduled jobs run (queued through
django-q2 as the cluster runs them); the alert is in the seeker's inbox and in the local email
backend, in Russian; the one-click link in the mail withdraws the consent."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from mobility.core.identifiers import make_bin, make_iin
from tests.e2e.steps import sign_in

PASSWORD = "Qaz-2026-strong"
SEEKER = "aigerim.alerts@example.kz"
EMPLOYER = "owner.alerts@example.kz"


@pytest.fixture
def employer(transactional_db):
    """A verified organisation whose owner already has an account (their sign-up is another
    journey's subject)."""
    from django.apps import apps

    from matching.services import taxonomy_load_project
    from mobility.accounts.models import Organisation
    from mobility.accounts.services import (
        Channel,
        account_create,
        organisation_create,
        organisation_set_status,
    )
    from mobility.reference.loader import load_reference
    from mobility.reference.models import Region

    load_reference(apps)
    taxonomy_load_project()
    owner = account_create(channel=Channel.ADMINISTRATION, email=EMPLOYER, password=PASSWORD).user
    organisation = organisation_create(
        bin=make_bin(2011, 4, serial=61),
        name="ТОО «Павлодар Учёт»",
        region=Region.objects.get(code="KZ-55"),
        owner=owner,
    )
    organisation_set_status(organisation=organisation, status=Organisation.Status.VERIFIED, by=owner)
    return organisation


def _worker_runs(*jobs: str) -> None:
    """Queue the scheduled jobs as the cluster's scheduler does when they are due; the tests run
    django-q2 tasks in this process when queued (tests/conftest.py), deliveries included."""
    from django_q.tasks import async_task

    from mobility.core.schedules import SCHEDULES

    funcs = {job.func for job in SCHEDULES}
    for func in jobs:
        assert func in funcs, func  # the very jobs the schedule list runs
        async_task(func)


def test_a_saved_search_alerts_the_seeker_in_russian_and_the_mail_link_withdraws(
    page: Page, browser, live_server, employer, inbox, settings
):
    from mobility.accounts.models import User
    from mobility.notifications.consent import consent_allows
    from mobility.notifications.models import ConsentChange

    base = live_server.url
    settings.SITE_URL = base  # links in messages point at this server, as SITE_URL does in production
    # 1. A new seeker signs up in Russian and sets a password from the mailed link.
    page.goto(f"{base}/ru/accounts/signup/")
    page.get_by_label(re.compile("^ИИН")).fill(make_iin(dt.date(1993, 5, 17), male=False, serial=5151))
    page.get_by_label("Фамилия").fill("Бекова")
    page.get_by_label("Имя").fill("Айгерім")
    page.get_by_label("Электронная почта").fill(SEEKER)
    page.get_by_label("Регион проживания").select_option(label="Павлодарская область")
    page.locator("main").get_by_role("button", name="Создать учётную запись").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/sent/$"))
    page.goto(inbox(SEEKER, "/accounts/activate/"))
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ru/me/for-me/$"))

    # 2. The profile: what she wants and can do.
    page.goto(f"{base}/ru/me/profile/basics/")
    page.get_by_label("Желаемая должность").fill("Бухгалтер")
    page.locator("main").get_by_role("button", name="Сохранить и продолжить").click()
    page.locator("#id_skills-0-name").fill("1С:Бухгалтерия")
    page.locator("#id_skills-1-name").fill("налоговая отчётность")
    page.locator("main").get_by_role("button", name="Сохранить и продолжить").click()
    page.locator("main").get_by_role("button", name="Сохранить и продолжить").click()
    expect(page).to_have_url(re.compile(r"/me/profile/preferences/$"))
    page.get_by_label("Виден работодателям").check()
    page.get_by_label(re.compile("^Я даю согласие на то, чтобы работодатели")).check()
    page.locator("main").get_by_role("button", name="Сохранить и посмотреть вакансии").click()
    expect(page.get_by_role("heading", name="Вакансии для меня", level=1)).to_be_visible()

    # 3. She saves a search and asks for match alerts in her inbox and by email.
    page.goto(f"{base}/ru/vacancies/?q=бухгалтер")
    page.locator("#id_save_name").fill("Бухгалтер в Павлодаре")
    page.locator("form.save-search button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Сохранено")
    page.goto(f"{base}/ru/notifications/settings/")
    page.locator("#id_consent-match_alerts__inbox").check()
    page.locator("#id_consent-match_alerts__email").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    seeker = User.objects.get(email=SEEKER)
    assert seeker.language == "ru"
    assert consent_allows(person=seeker, topic="match_alerts", channel="email")

    # 4. The employer publishes a matching vacancy through the pages.
    employer_page = browser.new_page(locale="ru-RU")
    sign_in(employer_page, base, EMPLOYER, PASSWORD, language="ru")
    employer_page.goto(f"{base}/ru/employer/organisations/{employer.pk}/vacancies/new/")
    employer_page.locator("#id_occupation").fill("бухгалтер")
    employer_page.locator("#id_title").fill("Бухгалтер")
    employer_page.get_by_role("button", name="Предложить навыки профессии").click()
    expect(employer_page.locator("#id_required_skills")).not_to_have_value("")
    employer_page.locator("#id_required_skills").fill("1С:Бухгалтерия\nналоговая отчётность")
    employer_page.locator("#id_salary_min").fill("250000")
    employer_page.locator("#id_salary_max").fill("400000")
    employer_page.locator("#id_expires_on").fill((timezone.localdate() + dt.timedelta(days=30)).isoformat())
    employer_page.get_by_role("button", name="Сохранить и опубликовать").click()
    expect(employer_page.locator(".messages")).to_be_visible()
    employer_page.close()
    assert not [m for m in mail.outbox if SEEKER in m.to and "/notifications/withdraw/" in m.body]

    # 5. The worker: the hourly saved-search collection, then the morning digest (her default).
    _worker_runs(
        "mobility.exchange.tasks.collect_saved_search_hits", "mobility.notifications.tasks.match_alerts_daily"
    )

    # 6. The alert is in her inbox, in Russian, with the unread badge.
    page.goto(f"{base}/ru/notifications/inbox/")
    expect(page.locator(".inbox-link .badge")).to_have_text("1")
    expect(page.locator("main")).to_contain_text("1 новая вакансия для вас")
    page.locator("main").get_by_role("link", name=re.compile("новая вакансия")).first.click()
    expect(page.locator("main")).to_contain_text("Бухгалтер")
    expect(page.locator("main")).to_contain_text("ТОО «Павлодар Учёт»")

    # 7. And in the local email backend, in Russian, with the one-click withdrawal link.
    [alert] = [m for m in mail.outbox if SEEKER in m.to and "/notifications/withdraw/" in m.body]
    assert alert.subject == "1 новая вакансия для вас"
    assert "Бухгалтер" in alert.body and "ТОО «Павлодар Учёт»" in alert.body
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = inbox(SEEKER, "/notifications/withdraw/")
    withdraw_url = link[link.index("http") :].split()[0]

    # 8. The link, opened in a fresh browser (no session), withdraws email alerts with one click.
    stranger = browser.new_page(locale="ru-RU")
    stranger.goto(withdraw_url)
    expect(stranger.get_by_role("heading", level=1)).to_have_text("Отказ от сообщений")
    stranger.locator("main").get_by_role("button", name="Отказаться от этих сообщений").click()
    expect(stranger.locator("main [role=status]")).to_be_visible()
    stranger.close()
    assert not consent_allows(person=seeker, topic="match_alerts", channel="email")
    assert consent_allows(person=seeker, topic="match_alerts", channel="inbox")  # only what it named
    change = ConsentChange.objects.filter(person=seeker).order_by("-created_at", "-id")[0]
    assert (change.topic, change.channel, change.granted, change.source) == (
        "match_alerts",
        "email",
        False,
        "link",
    )
