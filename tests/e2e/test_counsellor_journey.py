"""A counsellor registers a seeker, drafts a plan with three steps and refers them to a
vacancy; the employer sees nothing of them yet; the seeker confirms the plan and accepts the
referral in the portal; the employer then sees them; the counsellor records the outcome; the
dashboard counts it."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import FilePayload, Page, expect

from mobility.core.identifiers import make_bin, make_iin
from tests import files
from tests.e2e.steps import sign_in


@pytest.fixture
def centre_world(transactional_db):
    from django.apps import apps

    from matching.services import taxonomy_load_project
    from mobility.accounts.models import CentreMembership, Organisation
    from mobility.accounts.services import (
        Channel,
        account_create,
        centre_membership_grant,
        organisation_create,
        organisation_set_status,
    )
    from mobility.exchange import services
    from mobility.reference.loader import load_reference
    from mobility.reference.models import Centre, Region

    load_reference(apps)
    taxonomy_load_project()
    dana = account_create(
        channel=Channel.ADMINISTRATION,
        email="dana@example.kz",
        password="Dana-2026-strong",
        first_name="Дана",
        last_name="Серікбаева",
    ).user
    centre_membership_grant(
        user=dana,
        centre=Centre.objects.get(code="KZ-55-pavlodar"),
        role=CentreMembership.Role.COUNSELLOR,
        by=None,
    )
    owner = account_create(
        channel=Channel.ADMINISTRATION,
        email="bolat@example.kz",
        password="Bolat-2026-strong",
        first_name="Болат",
    ).user
    pavlodar = Region.objects.get(code="KZ-55")
    organisation = organisation_create(
        bin=make_bin(2008, 5, serial=1201), name="ТОО «Павлодар Энерго»", region=pavlodar, owner=owner
    )
    organisation_set_status(organisation=organisation, status=Organisation.Status.VERIFIED, by=owner)
    vacancy = services.vacancy_create(
        organisation=organisation,
        by=owner,
        title="Электрогазосварщик",
        region=pavlodar,
        salary_min=300_000,
        salary_max=450_000,
        expires_on=timezone.localdate() + dt.timedelta(days=30),
        required_skills=["сварка"],
        publish=True,
    )
    return {"dana": dana, "owner": owner, "vacancy": vacancy}


def test_counsellor_registers_plans_refers_and_the_loop_closes(page: Page, live_server, centre_world, inbox):
    from mobility.exchange import services as exchange
    from mobility.exchange.models import Application

    base = live_server.url
    vacancy = centre_world["vacancy"]
    iin = make_iin(dt.date(1991, 7, 2), male=True, serial=808)

    # 1. The counsellor registers a person at the desk.
    sign_in(page, base, "dana@example.kz", "Dana-2026-strong")
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
    case_url = page.url

    # 2. A plan with three steps, sent for confirmation.
    page.get_by_role("link", name="Draft the plan").click()
    page.get_by_label(re.compile("^Goal of the plan")).fill("Работа сварщиком в Павлодаре")
    today = timezone.localdate()
    for i, (kind, title) in enumerate(
        [("counselling", "Консультация"), ("training", "Курсы сварки"), ("vacancy", "Отклик на вакансии")]
    ):
        page.locator(f"#id_steps-{i}-kind").select_option(kind)
        page.locator(f"#id_steps-{i}-title").fill(title)
        page.locator(f"#id_steps-{i}-due_on").fill((today + dt.timedelta(days=7 * (i + 1))).isoformat())
    page.get_by_role("button", name="Save and send to the job seeker").click()
    expect(page.locator(".steps-list li")).to_have_count(3)

    # 3. Referral to the vacancy.
    page.get_by_text("New referral").click()
    page.get_by_label(re.compile("^Refer to")).select_option("vacancy")
    page.get_by_label(re.compile("^Vacancy number")).fill(str(vacancy.id))
    page.get_by_role("button", name="Send the referral").click()
    expect(page.locator("#ref-h + ul")).to_contain_text("Электрогазосварщик")

    # 4. Until the seeker answers, the employer's pipeline knows nothing of them.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "bolat@example.kz", "Bolat-2026-strong")
    page.goto(f"{base}/en/employer/vacancies/{vacancy.id}/pipeline/")
    expect(page.locator("main")).not_to_contain_text("Нұрланов")

    # 5. The seeker sets a password from the activation mail, signs in, confirms the plan and
    # accepts the referral in the portal.
    page.get_by_role("button", name="Sign out").click()
    page.goto(inbox("yerzhan@example.kz", "/accounts/activate/"))
    page.locator("#id_new_password1").fill("Seeker-2026-strong")
    page.locator("#id_new_password2").fill("Seeker-2026-strong")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me/for-me/$"))
    page.locator("form[action$='/accounts/logout/'] button").click()  # in the person's language
    sign_in(page, base, iin, "Seeker-2026-strong")
    expect(page).to_have_url(re.compile(r"/me/for-me/$"))
    page.goto(f"{base}/en/me/plan/")
    expect(page.locator(".steps-list li")).to_have_count(3)
    page.get_by_role("button", name="I agree with this plan").click()
    expect(page.locator(".badge").first).to_contain_text("Agreed")
    page.goto(f"{base}/en/me/applications/")
    expect(page.locator("#referrals-h")).to_be_visible()
    page.get_by_role("button", name="Accept and apply").click()
    expect(page.locator("main")).to_contain_text("the employer now sees your name and contacts")

    # 6. The employer sees the referred seeker in the vacancy's pipeline, and hires.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "bolat@example.kz", "Bolat-2026-strong")
    page.goto(f"{base}/en/employer/vacancies/{vacancy.id}/pipeline/")
    expect(page.locator("main")).to_contain_text("Нұрланов")
    application = Application.objects.get(vacancy=vacancy)
    for status in ("offer", "hired"):
        application = exchange.application_transition(
            application=application, to=status, by=centre_world["owner"]
        )

    # 7. The counsellor records the outcome; the dashboard counts the placement.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "dana@example.kz", "Dana-2026-strong")
    page.goto(case_url)
    referrals = page.locator("#ref-h + ul")
    referrals.locator("select[name=status]").select_option("completed")
    referrals.locator("input[name=outcome]").fill("Принят на работу")
    referrals.get_by_role("button", name="Record the outcome").click()
    expect(referrals).to_contain_text("Completed")
    page.goto(f"{base}/en/staff/dashboard/")
    expect(page.locator('[data-kpi="placements"]')).to_have_text("1")
    expect(page.locator('[data-kpi="referrals"]')).to_have_text("1")
