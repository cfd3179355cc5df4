"""A person registered at the centre desk gets into the portal by themselves (issue #11):
the counsellor signs in through the page, registers the person with their email, writes and
proposes a plan; the person opens the activation mail, sets a password through the page, signs
in with their IIN, lands on their vacancies and agrees the plan. Nothing is set in the database
to skip a step."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import FilePayload, Page, expect

from mobility.core.identifiers import make_iin
from tests import files
from tests.e2e.steps import sign_in

COUNSELLOR_PASSWORD = "Dana-2026-strong"
PERSON_PASSWORD = "Ержан-2026-strong"


@pytest.fixture
def centre(transactional_db):
    from django.apps import apps

    from mobility.accounts.models import CentreMembership
    from mobility.accounts.services import Channel, account_create, centre_membership_grant
    from mobility.reference.loader import load_reference
    from mobility.reference.models import Centre

    load_reference(apps)
    dana = account_create(
        channel=Channel.ADMINISTRATION,
        email="dana@example.kz",
        password=COUNSELLOR_PASSWORD,
        first_name="Дана",
        last_name="Серікбаева",
        language="ru",
    ).user
    centre_membership_grant(
        user=dana,
        centre=Centre.objects.get(code="KZ-55-pavlodar"),
        role=CentreMembership.Role.COUNSELLOR,
        by=None,
    )
    return dana


def test_a_desk_registered_person_activates_signs_in_and_agrees_the_plan(
    page: Page, live_server, centre, inbox
):
    base = live_server.url
    iin = make_iin(dt.date(1990, 4, 12), male=True, serial=919)

    # 1. The counsellor signs in and lands on the caseload.
    sign_in(page, base, "dana@example.kz", COUNSELLOR_PASSWORD)
    expect(page).to_have_url(re.compile(r"/en/staff/cases/$"))

    # 2. The desk: the person has an email, so the page says a link was sent.
    page.goto(f"{base}/en/staff/cases/register/")
    page.get_by_label(re.compile("^IIN")).fill(iin)
    page.get_by_label(re.compile("^Surname")).fill("Нұрланов")
    page.get_by_label(re.compile("^First name")).fill("Ержан")
    page.get_by_label(re.compile("^Email")).fill("yerzhan@example.kz")
    page.get_by_label(re.compile("^Region of residence")).select_option(label="Pavlodar Region")
    page.get_by_label(re.compile("^Register as")).select_option("unemployed")
    page.get_by_label(re.compile("^Identity document")).set_input_files(
        files=FilePayload(name="id-card.pdf", mimeType="application/pdf", buffer=files.PDF)
    )
    page.locator("main").get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Нұрланов")
    expect(page.locator(".messages")).to_contain_text(
        "A link to set their password was sent to yerzhan@example.kz"
    )

    # 3. A plan with two steps, proposed to the person.
    page.get_by_role("link", name="Draft the plan").click()
    page.get_by_label(re.compile("^Goal of the plan")).fill("Работа сварщиком в Павлодаре")
    today = timezone.localdate()
    for i, (kind, title) in enumerate([("counselling", "Консультация"), ("training", "Курсы сварки")]):
        page.locator(f"#id_steps-{i}-kind").select_option(kind)
        page.locator(f"#id_steps-{i}-title").fill(title)
        page.locator(f"#id_steps-{i}-due_on").fill((today + dt.timedelta(days=7 * (i + 1))).isoformat())
    page.get_by_role("button", name="Save and send to the job seeker").click()
    expect(page.locator(".steps-list li")).to_have_count(2)
    page.get_by_role("button", name="Sign out").click()

    # 4. The person opens the mail (in Russian, the desk's language) and sets a password.
    link = inbox("yerzhan@example.kz", "/accounts/activate/")
    assert "/ru/accounts/activate/" in link
    page.goto(link)
    page.locator("#id_new_password1").fill(PERSON_PASSWORD)
    page.locator("#id_new_password2").fill(PERSON_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ru/me/for-me/$"))

    # The link worked once.
    page.goto(link)
    expect(page.locator(".alert.error")).to_be_visible()
    page.locator("form[action$='/accounts/logout/'] button").click()

    # 5. From now on: the IIN and the password, and the person lands on their vacancies.
    sign_in(page, base, iin, PERSON_PASSWORD)
    expect(page).to_have_url(re.compile(r"/en/me/for-me/$"))

    # 6. The plan waits for their agreement.
    page.goto(f"{base}/en/me/plan/")
    expect(page.locator(".steps-list li")).to_have_count(2)
    page.get_by_role("button", name="I agree with this plan").click()
    expect(page.locator(".badge").first).to_contain_text("Agreed")
