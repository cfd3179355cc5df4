"""Resettlement through the pages, in Kazakh (issue #13): an eligible seeker runs the calculator
and applies with a family member and a document; the career centre forwards; the regional centre
checks and includes; the programme finance officer issues the certificate; the seeker sees it
and downloads the PDF. An ineligible seeker sees which rule failed and why. Seeded: personas
(accounts, a registration), reference data and rules, the region's budget."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import FilePayload, Page, expect

from mobility.core.identifiers import make_iin
from tests import files
from tests.e2e.steps import sign_in

PASSWORD = "Resettle-2026-strong"


@pytest.fixture
def resettlement_world(transactional_db):
    from django.apps import apps

    from mobility.accounts.models import CentreMembership
    from mobility.accounts.services import Channel, account_create, centre_membership_grant
    from mobility.reference.loader import load_reference
    from mobility.reference.models import Centre, Region
    from mobility.resettlement.services import budget_allocate
    from tests.factories import RegistrationFactory, SeekerProfileFactory

    load_reference(apps)

    def person(email: str, first: str, last: str, serial: int):
        return account_create(
            channel=Channel.ADMINISTRATION,
            email=email,
            password=PASSWORD,
            first_name=first,
            last_name=last,
            iin=make_iin(dt.date(1992, 3, 4), male=False, serial=serial),
        ).user

    def staff(email: str, centre: str, role: str, serial: int):
        user = person(email, "Қызметкер", email.split("@")[0], serial)
        centre_membership_grant(user=user, centre=Centre.objects.get(code=centre), role=role, by=None)
        return user

    shymkent = Region.objects.get(code="KZ-79")
    asel = person("asel@example.kz", "Әсел", "Нұрова", 11)
    profile = SeekerProfileFactory(user=asel, region=shymkent)
    RegistrationFactory(
        profile=profile,
        centre=Centre.objects.get(code="KZ-79-shy-alfarabi"),
        registered_on=dt.date(2026, 9, 1),
    )
    ruslan = person("ruslan@example.kz", "Руслан", "Сәбитов", 12)  # not registered at a centre
    SeekerProfileFactory(user=ruslan, region=shymkent)
    roles = CentreMembership.Role
    staff("marat@example.kz", "KZ-79-shy-alfarabi", roles.COUNSELLOR, 21)
    staff("yerlan@example.kz", "KZ-55-LMC", roles.REGIONAL_MANAGER, 22)
    aliya = staff("aliya@example.kz", "KZ-55-LMC", roles.PROGRAMME_FINANCE, 23)
    budget_allocate(
        region=Region.objects.get(code="KZ-55"), category="resettler", year=2026, amount=10**9, by=aliya
    )
    return {"asel": asel, "ruslan": ruslan}


def _switch(page: Page, base: str, login: str) -> None:
    """Sign out (the button, in the page's language) and sign in as the next person."""
    page.locator("form[action$='/accounts/logout/'] button").click()
    sign_in(page, base, login, PASSWORD, language="kk")


def _apply(page: Page, base: str, *, with_family: bool) -> None:
    from mobility.reference.models import ReceivingSettlement

    pavlodar = ReceivingSettlement.objects.get(region__code="KZ-55", name_en="Pavlodar", status="published")
    page.goto(f"{base}/kk/resettlement/apply/?destination=KZ-55")
    expect(page.locator("#id_destination_region")).to_have_value(str(pavlodar.region_id))
    page.locator("#id_destination_settlement").select_option(str(pavlodar.pk))
    page.locator("#id_permanent_registration_since").fill("2020-01-01")
    if with_family:
        page.locator("#id_members-0-iin").fill(make_iin(dt.date(2016, 5, 4), male=False, serial=77))
        page.locator("#id_members-0-last_name").fill("Нұрова")
        page.locator("#id_members-0-first_name").fill("Айша")
        page.locator("#id_members-0-relation").select_option("child")
        page.locator("#id_document_kind").select_option("identity")
        page.locator("#id_document").set_input_files(
            FilePayload(name="passport.pdf", mimeType="application/pdf", buffer=files.PDF)
        )
    page.locator("#id_consent").check()
    page.locator("main form[enctype] button[type=submit]").click()


def _decide(page: Page, base: str, application_id: int, action: str, **fields: str) -> None:
    page.goto(f"{base}/kk/resettlement/staff/{application_id}/")
    form = page.locator(f"form[action$='/{application_id}/{action}/']")
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if name == "purpose":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/kk/resettlement/staff/{application_id}/$"))


def test_a_family_is_resettled_through_the_pages_in_kazakh(
    page: Page, live_server, resettlement_world, tmp_path
):
    from mobility.resettlement.models import ResettlementApplication

    base = live_server.url
    sign_in(page, base, "asel@example.kz", PASSWORD, language="kk")
    # The calculator: two people to Pavlodar in 2026.
    page.goto(f"{base}/kk/resettlement/calculator/")
    page.locator("#id_year").fill("2026")
    page.locator("#id_destination").select_option("KZ-55")
    page.locator("#id_family_size").fill("2")
    page.locator("#id_home_price").fill("20000000")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[data-field=relocation_subsidy]")).to_contain_text(re.compile(r"605\D?500"))
    expect(page.locator("[data-field=certificate]")).to_contain_text(re.compile(r"7\D?028\D?125"))

    _apply(page, base, with_family=True)
    expect(page).to_have_url(re.compile(r"/kk/resettlement/my/\d+/$"))
    application = ResettlementApplication.objects.get(person=resettlement_world["asel"])
    expect(page.locator("main")).to_contain_text("Айша")
    expect(page.locator("main")).to_contain_text("passport.pdf")

    _switch(page, base, "marat@example.kz")
    page.goto(f"{base}/kk/resettlement/staff/")
    expect(page.locator(f"tr[data-application='{application.pk}'] [data-timer]")).to_have_attribute(
        "data-timer", "1"
    )
    _decide(page, base, application.pk, "forward")

    _switch(page, base, "yerlan@example.kz")
    _decide(page, base, application.pk, "check")
    _decide(page, base, application.pk, "include")
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "included")

    _switch(page, base, "aliya@example.kz")
    _decide(page, base, application.pk, "certificate", purpose="purchase", home_price="20000000")
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "certified")

    _switch(page, base, "asel@example.kz")
    page.goto(f"{base}/kk/resettlement/my/{application.pk}/")
    expect(page.locator("[data-step=certified]")).to_have_class(re.compile("done"))
    expect(page.locator("[data-certificate]")).to_contain_text(re.compile(r"7\D?028\D?125"))
    with page.expect_download() as download:
        page.locator("a[href*='/pdf/']").click()
    saved = tmp_path / "certificate.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")


def test_an_ineligible_seeker_sees_which_rule_failed_and_why(page: Page, live_server, resettlement_world):
    base = live_server.url
    sign_in(page, base, "ruslan@example.kz", PASSWORD, language="kk")
    _apply(page, base, with_family=False)
    failed = page.locator("#eligibility li[data-rule=registered_at_centre][data-passed=no]")
    expect(failed).to_be_visible()
    expect(failed).to_contain_text(re.compile(r"мансап орталығ|career centre"))  # the rule's sentence
    expect(page.locator("#eligibility li[data-rule=permanent_registration][data-passed=yes]")).to_be_visible()
