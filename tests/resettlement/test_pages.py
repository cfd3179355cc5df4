"""The resettlement pages (issue #13, items 4 and 5): a family applies in the portal, the career
centre forwards, the regional centre checks and includes, the programme finance officer issues
the certificate, the family sees every step; an ineligible person sees which rule failed and why;
staff outside the application's centre or region get 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mobility.reference.models import ReceivingSettlement
from mobility.resettlement import services
from mobility.resettlement.models import ApplicationStatus, Certificate, ResettlementApplication
from tests.factories import UserFactory, region
from tests.files import PDF

APPLY = "/en/resettlement/apply/"


def _form(**extra):
    pavlodar = ReceivingSettlement.objects.get(region__code="KZ-55", name_en="Pavlodar", status="published")
    data = {
        "category": "resettler",
        "destination_region": region("KZ-55").pk,
        "destination_settlement": pavlodar.pk,
        "settlement_type": "",
        "origin_settlement": "Шымкент",
        "job_kind": "looking",
        "permanent_registration_since": "2020-01-01",
        "graduate_programme": "",
        "document_kind": "identity",
        "consent": "on",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "12",
        "members-0-iin": UserFactory.build().iin,
        "members-0-last_name": "Нұрова",
        "members-0-first_name": "Айша",
        "members-0-relation": "child",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_from_application_to_certificate_through_the_pages(client, asel, marat, yerlan, aliya):
    client.force_login(asel)
    assert client.get(APPLY + "?destination=KZ-55").status_code == 200
    data = _form(document=SimpleUploadedFile("passport.pdf", PDF, content_type="application/pdf"))
    response = client.post(APPLY, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    application = ResettlementApplication.objects.get(person=asel)
    assert response["Location"] == f"/en/resettlement/my/{application.pk}/"
    assert application.members.count() == 2  # Asel and her daughter
    body = client.get(response["Location"]).content.decode()
    assert "Нұрова Айша" in body and "passport.pdf" in body

    # The career centre of origin (Shymkent) sees it waiting, with the working days left.
    client.force_login(marat)
    queue = client.get("/en/resettlement/staff/")
    row = next(r for r in queue.context["rows"] if r["application"].pk == application.pk)
    assert row["mine"] and row["timer"] == 1
    assert client.post(f"/en/resettlement/staff/{application.pk}/forward/").status_code == 302
    # The receiving region checks and includes.
    client.force_login(yerlan)
    assert client.post(f"/en/resettlement/staff/{application.pk}/check/").status_code == 302
    assert client.post(f"/en/resettlement/staff/{application.pk}/include/").status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INCLUDED
    # Its finance officer issues the certificate (the cap for a 20 million home in 2026).
    services.budget_allocate(
        region=region("KZ-55"), category="resettler", year=2026, amount=50_000_000, by=aliya
    )
    client.force_login(aliya)
    response = client.post(
        f"/en/resettlement/staff/{application.pk}/certificate/", {"purpose": "purchase", "home_price": "abc"}
    )
    assert response.status_code == 400 and "home_price" in response.context["certificate_form"].errors
    response = client.post(
        f"/en/resettlement/staff/{application.pk}/certificate/",
        {"purpose": "purchase", "home_price": "20000000"},
    )
    assert response.status_code == 302
    certificate = Certificate.objects.get(application=application)
    assert certificate.amount == 7_028_125
    # The family sees every step and the certificate.
    client.force_login(asel)
    response = client.get(f"/en/resettlement/my/{application.pk}/")
    steps = {code: done for code, _label, done in response.context["steps"]}
    assert all(steps[s] for s in ("submitted", "forwarded", "checked", "included", "certified"))
    assert "7,028,125 ₸" in response.content.decode()
    pdf = client.get(f"/en/resettlement/certificates/{certificate.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    client.force_login(UserFactory())
    assert client.get(f"/en/resettlement/certificates/{certificate.pk}/pdf/").status_code == 404


@pytest.mark.django_db
def test_an_empty_family_row_is_skipped(client, asel):
    client.force_login(asel)
    empty = {f"members-0-{name}": "" for name in ("iin", "last_name", "first_name", "relation")}
    response = client.post(APPLY, _form(**empty))
    assert response.status_code == 302
    assert ResettlementApplication.objects.get(person=asel).members.count() == 1  # Asel alone


@pytest.mark.django_db
def test_a_refusal_needs_a_reason_beside_its_field(client, asel, marat, yerlan):
    client.force_login(asel)
    client.post(APPLY, _form())
    application = ResettlementApplication.objects.get(person=asel)
    services.application_forward(application=application, by=marat)
    client.force_login(yerlan)
    response = client.post(f"/en/resettlement/staff/{application.pk}/refuse/", {"reason": ""})
    assert response.status_code == 400 and "reason" in response.context["refuse_form"].errors
    client.post(f"/en/resettlement/staff/{application.pk}/refuse/", {"reason": "Неполный пакет документов"})
    application.refresh_from_db()
    assert (application.status, application.refusal_reason) == ("refused", "Неполный пакет документов")


@pytest.mark.django_db
def test_an_ineligible_person_sees_which_rule_failed_and_why(client, asel):
    client.force_login(asel)
    recent = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    response = client.post(APPLY, _form(permanent_registration_since=recent))
    assert response.status_code == 200
    results = {r.code: r for r in response.context["eligibility"].results}
    assert not results["permanent_registration"].passed
    assert results["registered_at_centre"].passed
    body = response.content.decode()
    assert "You cannot apply yet" in body
    assert results["permanent_registration"].message in body.replace("&#x27;", "'")
    assert not ResettlementApplication.objects.filter(person=asel).exists()


@pytest.mark.django_db
def test_staff_outside_the_application_get_404_and_families_see_only_their_own(
    client, asel, marat, dana, serik, yerlan, aliya
):
    client.force_login(asel)
    client.post(APPLY, _form())
    application = ResettlementApplication.objects.get(person=asel)
    detail = f"/en/resettlement/staff/{application.pk}/"
    for outsider in (dana, serik):  # Pavlodar counsellors: not the centre of origin
        client.force_login(outsider)
        assert client.get(detail).status_code == 404
        assert client.post(detail + "forward/").status_code == 404
    client.force_login(aliya)  # the receiving region's finance officer sees it, cannot forward it
    assert client.get(detail).status_code == 200
    assert client.post(detail + "forward/").status_code == 404
    other = UserFactory()
    client.force_login(other)
    assert client.get(f"/en/resettlement/my/{application.pk}/").status_code == 404
    assert client.get(detail).status_code == 403  # not staff at all
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


@pytest.mark.django_db
def test_the_form_is_prefilled_from_the_offer_link_and_the_case(client, asel, marat):
    from mobility.cases import services as cases
    from mobility.core.identifiers import make_iin

    case = cases.case_open(person=asel, centre=marat.centre_memberships.get().centre, by=marat)
    cases.family_member_add(
        case=case,
        iin=make_iin(dt.date(2017, 1, 2), male=True, serial=9),
        last_name="Нұров",
        first_name="Ерлан",
        relation="child",
        by=marat,
    )
    client.force_login(asel)
    response = client.get(APPLY + "?destination=KZ-55&category=resettler")
    assert response.context["form"].initial["destination_region"] == region("KZ-55").pk
    assert response.context["members"].initial[0]["first_name"] == "Ерлан"
