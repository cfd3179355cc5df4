"""A new employer signs up (refused with an invalid BIN, accepted with a valid one), waits for
verification, is verified by a member of the centre's staff, posts a vacancy, sees ranked
candidates with explanations, invites one, and moves them to hired; the hire shows up in the
seeker's "my applications"."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from mobility.core.identifiers import make_bin, make_iin
from tests.e2e.steps import sign_in

PASSWORD = "Qaz-2026-strong"


@pytest.fixture
def centre_and_seeker(transactional_db):
    """Reference data, the taxonomy, a counsellor in Pavlodar and an anonymous accountant from
    Shymkent who would move north and is registered at a career centre."""
    from django.apps import apps

    from matching.services import taxonomy_load_project
    from mobility.accounts.models import CentreMembership
    from mobility.accounts.services import Channel, account_create, centre_membership_grant
    from mobility.exchange import services
    from mobility.exchange.models import SeekerProfile
    from mobility.reference.loader import load_reference
    from mobility.reference.models import Centre, Region

    load_reference(apps)
    taxonomy_load_project()
    dana = account_create(
        channel=Channel.ADMINISTRATION,
        email="dana@centre.kz",
        password=PASSWORD,
        first_name="Дана",
        language="en",
    ).user
    centre_membership_grant(
        user=dana,
        centre=Centre.objects.get(code="KZ-55-pavlodar"),
        role=CentreMembership.Role.COUNSELLOR,
        by=None,
    )
    seeker = account_create(
        channel=Channel.ADMINISTRATION,
        email="aigerim@example.kz",
        password=PASSWORD,
        iin=make_iin(dt.date(1994, 3, 8), male=False, serial=4545),
        first_name="Айгерім",
        last_name="Бекова",
        language="en",
    ).user
    profile = services.profile_create(
        user=seeker,
        region=Region.objects.get(code="KZ-79"),
        headline="Бухгалтер",
        will_relocate=True,
        expected_salary=300_000,
        visibility=SeekerProfile.Visibility.ANONYMOUS,
    )
    services.profile_set_skills(
        profile=profile, skills=[("1С:Бухгалтерия", 3), ("налоговая отчётность", 3)], by=seeker
    )
    services.registration_create(
        profile=profile,
        centre=Centre.objects.get(code="KZ-79-shy-alfarabi"),
        kind="unemployed",
        registered_on=timezone.localdate() - dt.timedelta(days=400),
        by=seeker,
    )
    return profile


def test_a_new_employer_is_verified_posts_a_vacancy_and_hires(
    page: Page, browser: Browser, live_server, centre_and_seeker, inbox
):
    base = live_server.url
    valid_bin = make_bin(2018, 7, serial=2468)
    wrong_bin = valid_bin[:11] + str((int(valid_bin[11]) + 1) % 10)

    # 1. Sign-up: refused with a wrong check digit, accepted with the valid BIN.
    page.goto(f"{base}/en/employer/signup/")
    page.locator("#id_last_name").fill("Нұрланов")
    page.locator("#id_first_name").fill("Болат")
    page.locator("#id_email").fill("bolat@energo.kz")
    page.locator("#id_bin").fill(wrong_bin)
    page.locator("#id_name").fill("ТОО «Павлодар Энерго»")
    page.locator("#id_region").select_option(label="Pavlodar Region")
    page.locator("#id_sector").fill("Energy")
    page.locator("main").get_by_role("button", name="Register the organisation").click()
    expect(page.locator(".errors")).to_contain_text("wrong check digit")

    page.locator("#id_bin").fill(valid_bin)
    page.locator("main").get_by_role("button", name="Register the organisation").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/sent/$"))

    # The owner sets a password from the mailed link and lands on the employer home.
    page.goto(inbox("bolat@energo.kz", "/accounts/activate/"))
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/en/employer/$"))
    page.get_by_role("link", name="ТОО «Павлодар Энерго»").first.click()
    expect(page.get_by_role("heading", name="ТОО «Павлодар Энерго»", level=1)).to_be_visible()

    # 2. Waiting for verification: drafts only.
    expect(page.locator("main")).to_contain_text("Waiting for verification by the career centre")
    page.locator("main").get_by_role("link", name="New vacancy").first.click()
    expect(page.locator("main")).to_contain_text("not verified yet")
    expect(page.get_by_role("button", name="Save and publish")).to_have_count(0)

    # 3. A counsellor of the region verifies the organisation.
    staff = browser.new_page()
    sign_in(staff, base, "dana@centre.kz", PASSWORD)
    staff.goto(f"{base}/en/staff/verification/")
    staff.get_by_role("link", name="ТОО «Павлодар Энерго»").click()
    expect(staff.locator("main")).to_contain_text(valid_bin)
    staff.get_by_label("Verify").check()
    staff.get_by_role("button", name="Record the decision").click()
    expect(staff.locator(".messages")).to_contain_text("is verified")
    staff.close()

    # 4. Post a vacancy: the minimum wage is enforced; the occupation's skills are suggested.
    page.reload()
    expect(page.get_by_role("button", name="Save and publish")).to_be_visible()
    page.locator("#id_occupation").fill("бухгалтер")
    page.locator("#id_title").fill("Бухгалтер")
    page.get_by_role("button", name="Suggest the occupation's skills").click()
    expect(page.locator("#id_required_skills")).to_have_value(re.compile("1C:Enterprise accounting"))
    page.locator("#id_salary_min").fill("50000")
    page.locator("#id_salary_max").fill("400000")
    page.locator("#id_expires_on").fill((timezone.localdate() + dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Save and publish").click()
    expect(page.locator(".errors")).to_contain_text("below the minimum wage")
    page.locator("#id_salary_min").fill("250000")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.locator(".messages")).to_contain_text("The vacancy is published.")
    expect(page.locator("h1 .badge")).to_have_text("Published")

    # 5. Ranked candidates with explanations; the anonymous seeker shows no name.
    page.get_by_role("link", name="Ranked candidates").click()
    first = page.locator(".candidate").first
    expect(first).to_contain_text(f"Candidate {centre_and_seeker.pk}")
    expect(first).not_to_contain_text("Айгерім")
    expect(first).to_contain_text("Matching skills")
    expect(first.locator(".chips.matched .chip").first).to_be_visible()
    expect(first).to_contain_text("willing to relocate")
    # The matcher's absolute score with its one-line reason (same scale as the seeker's pages).
    expect(first.locator(".match-score .points")).to_contain_text(re.compile(r"^\d{1,3} of 100$"))
    expect(first.locator(".match-score .reason")).to_contain_text("same occupation")

    # 6. Invite her; she accepts in her portal, which shares her name and contacts.
    first.get_by_role("button", name="Invite to apply").click()
    expect(page.locator(".messages")).to_contain_text("The candidate is invited")
    seeker = browser.new_page()
    sign_in(seeker, base, "aigerim@example.kz", PASSWORD)
    seeker.goto(f"{base}/en/me/applications/")
    seeker.locator(".result").first.get_by_role("button", name="Accept").click()
    expect(seeker.locator(".messages")).to_contain_text("You accepted the invitation")

    # 7. Move her along the board to hired.
    page.get_by_role("link", name="Hiring board").click()
    applied = page.locator(".board-column.status-applied")
    expect(applied).to_contain_text("Бекова Айгерім")
    applied.get_by_role("link", name=re.compile("Бекова Айгерім")).click()
    for step in ("Interview", "Offer", "Hired"):
        page.locator("#id_to").select_option(label=step)
        page.locator("#id_reason").fill(f"{step}: agreed")
        page.locator("main").get_by_role("button", name="Move", exact=True).click()
        expect(page.locator("h1 .badge")).to_have_text(step)
        if step == "Interview":
            # Set the interview's date; she sees it on her applications page.
            when = timezone.localtime() + dt.timedelta(days=3)
            page.locator("#id_interview-starts_at").fill(when.strftime("%Y-%m-%dT10:30"))
            page.locator("#id_interview-place").fill("Павлодар, Торайғыров 64, 3-кабинет")
            page.get_by_role("button", name="Set the interview").click()
            expect(page.locator(".messages")).to_contain_text("The interview is set")
            expect(page.locator("#id_interview-starts_at")).to_have_value(when.strftime("%Y-%m-%dT10:30"))
            seeker.reload()
            expect(seeker.locator(".interview").first).to_contain_text("Торайғыров 64")
    expect(page.locator(".history")).to_contain_text("Hired")

    # 8. The hire shows up in her applications.
    seeker.reload()
    application = seeker.locator(".result").first
    expect(application).to_contain_text("Бухгалтер")
    expect(application).to_contain_text("Hired")
    seeker.close()
