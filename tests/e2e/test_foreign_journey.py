"""Foreign specialists, in English, through the pages only.

A specialist checks their points without an account, registers with a passport, applies to the
points pilot with a document and a job offer; the employer (who first saw the domestic
candidates and opened the vacancy to foreign specialists) confirms the offer; an officer records
the Kazakh test, runs an invitation round, records the inter-agency check, the interview and the
home country's consent, and approves; the specialist downloads the decision letter. A second
applicant is refused, appeals, the refusing officer is turned away and a second officer grants
the appeal.

Seeded before the journey (allowed): reference data, the taxonomy, the published provisional
schemes, two migration officers of Pavlodar's regional centre, a verified employer with a
published vacancy, and a second applicant's account.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from mobility.core.identifiers import make_bin
from tests.e2e.steps import sign_in
from tests.files import PDF

PASSWORD = "Qaz-2026-strong"


@pytest.fixture
def foreign_world(transactional_db, tmp_path):
    from django.apps import apps

    from matching.services import taxonomy_load_project
    from migration.models import ForeignApplicant, Questionnaire
    from mobility.accounts.models import CentreMembership, Organisation
    from mobility.accounts.services import (
        Channel,
        account_create,
        centre_membership_grant,
        organisation_create,
        organisation_set_status,
    )
    from mobility.exchange import services as exchange
    from mobility.reference.loader import load_reference
    from mobility.reference.models import Centre, Region

    load_reference(apps)
    taxonomy_load_project()
    # The published provisional schemes and questionnaire, as their data migration seeds them
    # (transactional tests start from empty tables).
    importlib.import_module("migration.migrations.0003_provisional_schemes").seed(apps, None)
    lmc = Centre.objects.get(code="KZ-55-LMC")
    for email, name in (("asel@migration.kz", "Asel"), ("yerbol@migration.kz", "Yerbol")):
        officer = account_create(
            channel=Channel.ADMINISTRATION, email=email, password=PASSWORD, first_name=name, language="en"
        ).user
        centre_membership_grant(
            user=officer, centre=lmc, role=CentreMembership.Role.MIGRATION_OFFICER, by=None
        )
    owner = account_create(
        channel=Channel.ADMINISTRATION,
        email="bolat@energo.kz",
        password=PASSWORD,
        first_name="Bolat",
        language="en",
    ).user
    pavlodar = Region.objects.get(code="KZ-55")
    organisation = organisation_create(
        bin=make_bin(2012, 4, serial=77), name="Pavlodar Energo LLP", region=pavlodar, owner=owner
    )
    organisation_set_status(organisation=organisation, status=Organisation.Status.VERIFIED, by=owner)
    exchange.vacancy_create(
        organisation=organisation,
        by=owner,
        title="Software engineer",
        region=pavlodar,
        salary_min=600_000,
        salary_max=900_000,
        expires_on=timezone.localdate() + dt.timedelta(days=30),
        required_skills=["Python"],
        publish=True,
    )
    second = account_create(
        channel=Channel.ADMINISTRATION,
        email="dilnaz@example.cn",
        password=PASSWORD,
        first_name="Dilnaz",
        last_name="Serikqyzy",
        language="en",
    ).user
    ForeignApplicant.objects.create(
        user=second,
        citizenship="CN",
        passport_country="CN",
        passport_number="E55501234",
        passport_expires_on=timezone.localdate() + dt.timedelta(days=3000),
        ethnic_kazakh=True,
    )
    questionnaire = Questionnaire.objects.get(status="published")
    best = {
        criterion.code: max(criterion.options.all(), key=lambda option: option.points).code
        for criterion in questionnaire.criteria.prefetch_related("options")
    }
    scan = tmp_path / "passport.pdf"
    scan.write_bytes(PDF)
    return {"best": best, "scan": scan}


def _record_step(page: Page, name: str) -> None:
    form = page.locator("form", has=page.get_by_role("heading", name=f"Record: {name}"))
    form.locator("select[name$='-status']").select_option("passed")
    form.get_by_role("button", name="Record").click()
    expect(page.locator("main")).to_contain_text("Recorded.")


def test_a_foreign_specialist_applies_and_is_approved_and_a_refusal_is_appealed(
    page: Page, browser: Browser, live_server, foreign_world, inbox
):
    base = live_server.url
    best = foreign_world["best"]

    # 1. Self-assessment without an account.
    page.goto(f"{base}/en/foreign/self-assessment/")
    for criterion, option in best.items():
        page.locator(f"input[name='{criterion}'][value='{option}']").check()
    page.get_by_role("button", name="Count my points").click()
    expect(page.get_by_role("heading", name="You reach the pass mark")).to_be_visible()

    # 2. Registration with a passport; the activation link sets the password.
    page.goto(f"{base}/en/foreign/sign-up/")
    page.get_by_label("Surname (as in the passport)").fill("Batbayar")
    page.get_by_label("Given names (as in the passport)").fill("Nomin")
    page.get_by_label("Email").fill("nomin@example.mn")
    page.get_by_label("Citizenship").fill("MN")
    page.get_by_label("Passport issued by").fill("MN")
    page.get_by_label("Passport number").fill("E1234567")
    page.get_by_label("Passport valid until").fill(
        (timezone.localdate() + dt.timedelta(days=2500)).isoformat()
    )
    page.locator("main").get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/sent/$"))
    page.goto(inbox("nomin@example.mn", "/accounts/activate/"))
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", name="My applications", level=1)).to_be_visible()

    # 3. The employer first sees the candidates at home, then opens the vacancy to foreigners.
    employer = browser.new_page()
    sign_in(employer, base, "bolat@energo.kz", PASSWORD)
    employer.goto(f"{base}/en/foreign/employer/offers/")
    employer.locator("main").get_by_role("link", name="Software engineer").click()
    expect(employer.locator("main")).to_contain_text("Registered seekers with this occupation")
    employer.get_by_role("button", name=re.compile("open to foreign specialists")).click()
    expect(employer.locator("main")).to_contain_text("Open to foreign specialists since")

    # 4. The application: points pilot, occupation, field, answers, offer, passport, consent.
    page.locator("#id_scheme").select_option(label="Points-based permanent residence (2026 pilot)")
    page.get_by_label("Region where you mean to live and work").select_option(label="Pavlodar Region")
    page.get_by_role("button", name="Start the application").click()
    page.get_by_label("Occupation", exact=True).fill("Программист")
    page.get_by_label("Field", exact=True).select_option("it")
    page.get_by_label("Category", exact=True).select_option(label="Permanent residence permit")
    for criterion, option in best.items():
        page.locator(f"#id_q_{criterion}").select_option(option)
    page.get_by_label("Job offer (a vacancy open to foreign specialists)").select_option(
        label="Software engineer — Pavlodar Energo LLP"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Saved.")
    for document in ("Passport scan", "Home country's consent"):
        page.get_by_label("Document", exact=True).select_option(label=document)
        page.get_by_label("File (PDF, JPEG or PNG)").set_input_files(str(foreign_world["scan"]))
        page.get_by_role("button", name="Add the document").click()
        expect(page.locator("main")).to_contain_text("The document is added.")
    page.get_by_label("I agree to the processing of my personal data for this application.").check()
    page.get_by_role("button", name="Submit the application").click()
    expect(page.locator("main")).to_contain_text("Your application is submitted.")
    number = page.get_by_role("heading", level=1).inner_text().split()[-1]
    application_url = page.url

    # 5. The employer confirms the offer on its pages.
    employer.goto(f"{base}/en/foreign/employer/offers/")
    employer.get_by_role("row", name=re.compile("Nomin")).get_by_role(
        "button", name="Confirm the offer"
    ).click()
    expect(employer.locator("main")).to_contain_text("The job offer is confirmed.")

    # 6. The officer records the test; the application enters the pool; a round invites it.
    asel = browser.new_page()
    sign_in(asel, base, "asel@migration.kz", PASSWORD)
    asel.goto(f"{base}/en/foreign/officer/")
    asel.get_by_role("link", name=number).click()
    asel.get_by_label("Listening, %").fill("60")
    asel.get_by_label("Reading, %").fill("45")
    asel.get_by_label("Taken on").fill(timezone.localdate().isoformat())
    asel.get_by_role("button", name="Record the test").click()
    expect(asel.locator("main")).to_contain_text("In the points pool")
    asel.get_by_role("link", name="Invitation rounds").click()
    asel.locator("#id_places").fill("5")
    asel.get_by_role("button", name="Create the round").click()
    asel.get_by_role("button", name="Run the round").click()
    asel.get_by_role("button", name="Publish the results").click()
    asel.get_by_role("link", name=number).click()

    # 7. The check, the interview, the home country's consent, then the approval.
    asel.get_by_role("button", name="Start the review").click()
    _record_step(asel, "Inter-agency check")
    _record_step(asel, "Interview")
    _record_step(asel, "Home country's consent to emigrate")
    asel.get_by_label("Approval", exact=True).check()
    asel.get_by_label("All steps passed and the pass mark reached").check()
    asel.get_by_label("Explanation", exact=True).fill("All steps passed.")
    asel.get_by_role("button", name="Record the decision").click()
    expect(asel.locator("main")).to_contain_text("Recorded.")

    # 8. The specialist downloads the decision letter.
    page.goto(application_url)
    expect(page.locator("main")).to_contain_text("Approved")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the decision letter").click()
    assert download.value.suggested_filename.endswith(".pdf")

    # 9. A second applicant applies for the Atameken card and is refused.
    dilnaz = browser.new_page()
    sign_in(dilnaz, base, "dilnaz@example.cn", PASSWORD)
    dilnaz.goto(f"{base}/en/foreign/me/")
    dilnaz.locator("#id_scheme").select_option(label="Atameken card")
    dilnaz.get_by_label("Region where you mean to live and work").select_option(label="Pavlodar Region")
    dilnaz.get_by_role("button", name="Start the application").click()
    dilnaz.get_by_label("Category", exact=True).select_option(label="Active business abroad")
    dilnaz.get_by_role("button", name="Save").click()
    for document in ("Passport scan", "Proof of Kazakh ethnicity"):
        dilnaz.get_by_label("Document", exact=True).select_option(label=document)
        dilnaz.get_by_label("File (PDF, JPEG or PNG)").set_input_files(str(foreign_world["scan"]))
        dilnaz.get_by_role("button", name="Add the document").click()
        expect(dilnaz.locator("main")).to_contain_text("The document is added.")
    dilnaz.get_by_label("I agree to the processing of my personal data for this application.").check()
    dilnaz.get_by_role("button", name="Submit the application").click()
    expect(dilnaz.locator("main")).to_contain_text("Your application is submitted.")
    card_number = dilnaz.get_by_role("heading", level=1).inner_text().split()[-1]

    asel.goto(f"{base}/en/foreign/officer/")
    asel.get_by_role("link", name=card_number).click()
    asel.get_by_role("button", name="Start the review").click()
    asel.get_by_label("Refusal", exact=True).check()
    asel.get_by_label("No eligibility category is met").check()
    asel.get_by_label("Explanation", exact=True).fill("The documents do not show the category.")
    asel.get_by_role("button", name="Record the decision").click()
    expect(asel.locator("main")).to_contain_text("Recorded.")

    # 10. She appeals; the refusing officer is turned away; a second officer grants it.
    dilnaz.reload()
    dilnaz.get_by_label("Why should the decision change?").fill(
        "My business abroad is active: see the register."
    )
    dilnaz.get_by_role("button", name="Lodge the appeal").click()
    expect(dilnaz.locator("main")).to_contain_text("Your appeal is lodged.")

    asel.goto(f"{base}/en/foreign/officer/")
    asel.locator("main").get_by_role("link", name=card_number).last.click()
    expect(asel.locator("main")).to_contain_text("cannot decide the appeal")
    expect(asel.get_by_role("button", name="Decide the appeal")).to_have_count(0)

    yerbol = browser.new_page()
    sign_in(yerbol, base, "yerbol@migration.kz", PASSWORD)
    yerbol.goto(f"{base}/en/foreign/officer/")
    yerbol.locator("main ul").get_by_role("link", name=card_number).click()
    yerbol.get_by_label("Granted: the refusal is overturned").check()
    yerbol.get_by_label("Meets the card's requirements").check()
    yerbol.get_by_label("Explanation", exact=True).fill("The business register confirms the category.")
    yerbol.get_by_role("button", name="Decide the appeal").click()
    expect(yerbol.locator("main")).to_contain_text("The appeal is decided.")

    dilnaz.reload()
    expect(dilnaz.locator("main")).to_contain_text("Approved")
    expect(dilnaz.locator("main")).to_contain_text("Granted")
