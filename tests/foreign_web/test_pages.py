"""The foreign-specialist pages: sign-up with a passport, filling in and submitting an
application, the officer's queue and decision, the appeal by a second officer, the employer's
offer confirmation and card check; and that nobody reaches another's case (404)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from migration.models import Application, Card, ForeignApplicant, Scheme
from migration.states import AppealStatus, ApplicationStatus, StepStatus
from mobility.accounts.models import User
from mobility.core.models import AuditEntry
from mobility.reference.models import Region
from tests.factories import OrganisationMembershipFactory, VacancyFactory
from tests.foreign_web.factories import applicant, card_application, officer, pdf

pytestmark = pytest.mark.django_db


def _signup_data(**over):
    data = {
        "last_name": "Batbayar",
        "first_name": "Nomin",
        "email": "nomin@example.mn",
        "citizenship": "mn",
        "passport_country": "MN",
        "passport_number": "E 1234567",
        "passport_expires_on": (timezone.localdate() + dt.timedelta(days=2000)).isoformat(),
        "ethnic_kazakh": "on",
    }
    return data | over


def test_sign_up_makes_an_account_without_iin_and_sends_the_activation_link(client):
    response = client.post("/en/foreign/sign-up/", _signup_data())

    assert response.status_code == 302
    user = User.objects.get(email="nomin@example.mn")
    assert user.iin is None and not user.has_usable_password()
    person = ForeignApplicant.objects.get(user=user)
    assert (person.citizenship, person.passport_number, person.ethnic_kazakh) == ("MN", "E1234567", True)
    assert AuditEntry.objects.filter(action="account.created", data__channel="foreign_applicant").exists()


def test_sign_up_answers_the_same_for_a_known_passport_and_creates_nothing(client):
    client.post("/en/foreign/sign-up/", _signup_data())
    again = client.post("/en/foreign/sign-up/", _signup_data(email="other@example.mn"))

    assert again.status_code == 302 and again.url == reverse("accounts:signup_sent")
    assert not User.objects.filter(email="other@example.mn").exists()
    assert ForeignApplicant.objects.count() == 1


def test_sign_up_keeps_what_was_typed_beside_an_expired_passport(client):
    response = client.post(
        "/ru/foreign/sign-up/", _signup_data(passport_expires_on=(timezone.localdate()).isoformat())
    )

    assert response.status_code == 200
    assert "Batbayar" in response.content.decode()
    assert response.context["form"].errors["passport_expires_on"]
    assert not User.objects.filter(email="nomin@example.mn").exists()


def test_an_applicant_fills_in_and_submits_an_application_through_the_pages(client):
    person = applicant(first_name="Nomin", last_name="Batbayar")
    client.force_login(person.user)
    scheme = Scheme.objects.get(code="atameken-card")

    start = client.post(
        "/en/foreign/me/", {"scheme": scheme.pk, "region": Region.objects.get(code="KZ-55").pk}
    )
    application = Application.objects.get(applicant=person)
    assert start.url == reverse("foreign:application_edit", args=[application.pk])
    category = application.scheme_version.categories.get(code="business-abroad")
    assert client.post(start.url, {"action": "details", "category": category.pk}).status_code == 302
    refused = client.post(start.url, {"action": "submit"})
    assert refused.status_code == 400 and refused.context["submit_form"].errors
    for document in application.scheme_version.documents.filter(required=True):
        client.post(start.url, {"action": "document", "requirement": document.pk, "file": pdf()})
    submitted = client.post(start.url, {"action": "submit", "consent": "on"})

    application.refresh_from_db()
    assert submitted.url == reverse("foreign:application", args=[application.pk])
    assert application.status == ApplicationStatus.SUBMITTED and application.due_on is not None
    page = client.get(submitted.url).content.decode()
    assert "Document check" in page and application.number in page


def test_an_applicant_never_reaches_another_applicants_case_or_documents(client):
    mine = card_application(applicant())
    other = applicant()
    client.force_login(other.user)

    document = mine.documents.first().document
    for url in (
        f"/en/foreign/me/{mine.pk}/",
        f"/en/foreign/me/{mine.pk}/edit/",
        f"/en/documents/{document.public_id}/",
        f"/api/v1/foreign/applications/{mine.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/en/foreign/me/{mine.pk}/appeal/", {"grounds": "x"}).status_code == 404


def test_an_officer_sees_only_their_regions_cases(client):
    ours = card_application(applicant())
    theirs = card_application(applicant(), region="KZ-75")
    client.force_login(officer())

    queue = client.get("/en/foreign/officer/")
    assert [a.pk for a in queue.context["rows"]] == [ours.pk]
    assert client.get(f"/en/foreign/officer/applications/{theirs.pk}/").status_code == 404
    assert client.post(f"/en/foreign/officer/applications/{theirs.pk}/review/").status_code == 404
    assert client.get(f"/api/v1/foreign/applications/{theirs.pk}/").status_code == 404


def test_the_queue_marks_an_overdue_step(client):
    application = card_application(applicant())
    step = application.steps.get(status=StepStatus.PENDING, started_on__isnull=False)
    step.due_on = timezone.localdate() - dt.timedelta(days=1)
    step.save(update_fields=["due_on"])
    client.force_login(officer())

    page = client.get("/en/foreign/officer/")

    assert [s.pk for s in page.context["overdue_steps"]] == [step.pk]
    assert "Overdue" in page.content.decode()


def _review(client, application):
    client.post(f"/en/foreign/officer/applications/{application.pk}/review/")


def _approve(client, application, user):
    _review(client, application)
    step = application.steps.get(scheme_step__kind="document_check")
    client.post(
        f"/en/foreign/officer/applications/{application.pk}/step/",
        {"step": step.pk, f"s{step.pk}-status": "passed"},
    )
    reason = application.scheme_version.reasons.filter(outcome="approved").first()
    return client.post(
        f"/en/foreign/officer/applications/{application.pk}/decide/",
        {"outcome": "approved", "reasons": [reason.pk], "text": "All in order"},
    )


def test_an_officer_records_the_check_and_approves_and_the_card_is_issued(client):
    application = card_application(applicant())
    client.force_login(officer())

    response = _approve(client, application, None)

    application.refresh_from_db()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert application.status == ApplicationStatus.APPROVED
    assert Card.objects.get(application=application).status == "active"


def test_a_refusal_needs_a_reason_from_the_schemes_list(client):
    application = card_application(applicant())
    client.force_login(officer())
    _review(client, application)

    response = client.post(
        f"/en/foreign/officer/applications/{application.pk}/decide/", {"outcome": "refused", "text": "No"}
    )

    assert response.status_code == 400
    assert response.context["decision_form"].errors["reasons"]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW


def _refuse(client, application):
    _review(client, application)
    reason = application.scheme_version.reasons.filter(outcome="refused").first()
    client.post(
        f"/en/foreign/officer/applications/{application.pk}/decide/",
        {"outcome": "refused", "reasons": [reason.pk], "text": "Not enough"},
    )


def test_the_refused_applicant_appeals_and_only_a_second_officer_decides(client):
    person = applicant()
    application = card_application(person)
    first, second = officer(), officer()
    client.force_login(first)
    _refuse(client, application)
    client.force_login(person.user)
    assert (
        "Ask for an administrative review" in client.get(f"/en/foreign/me/{application.pk}/").content.decode()
    )
    client.post(f"/en/foreign/me/{application.pk}/appeal/", {"grounds": "My business is active."})
    appeal = application.appeals.get()

    client.force_login(first)
    page = client.get(f"/en/foreign/officer/appeals/{appeal.pk}/")
    assert page.context["may_decide"] is False and "cannot decide" in page.content.decode()
    approved = application.scheme_version.reasons.filter(outcome="approved").first()
    data = {"outcome": "granted", "reasons": [approved.pk], "text": "Business confirmed"}
    assert client.post(f"/en/foreign/officer/appeals/{appeal.pk}/", data).status_code == 403
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.LODGED

    client.force_login(second)
    assert client.post(f"/en/foreign/officer/appeals/{appeal.pk}/", data).status_code == 302
    appeal.refresh_from_db()
    application.refresh_from_db()
    assert (appeal.status, application.status) == (AppealStatus.GRANTED, ApplicationStatus.APPROVED)


def test_the_applicant_downloads_the_decision_letter_and_another_gets_404(client):
    person = applicant()
    application = card_application(person)
    client.force_login(officer())
    _approve(client, application, None)
    decision = application.decisions.get()

    client.force_login(person.user)
    letter = client.get(f"/en/foreign/decisions/{decision.pk}/letter/")
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF")
    client.force_login(applicant().user)
    assert client.get(f"/en/foreign/decisions/{decision.pk}/letter/").status_code == 404


def test_an_employer_checks_a_card_valid_then_void_after_revocation(client):
    person = applicant(first_name="Nomin", last_name="Batbayar")
    application = card_application(person)
    client.force_login(officer())
    _approve(client, application, None)
    card = Card.objects.get(application=application)
    employer = OrganisationMembershipFactory().user
    client.force_login(employer)

    url = "/en/foreign/employer/card-check/"
    valid = client.get(url, {"number": card.number, "holder_name": card.holder_name})
    assert valid.context["result"].status == "valid"
    assert (
        client.get(url, {"number": card.number, "holder_name": "Someone Else"}).context["result"].status
        == "unknown"
    )

    client.force_login(officer())
    client.post(f"/en/foreign/officer/applications/{application.pk}/revoke/", {"reason": "citizenship"})
    client.force_login(employer)
    assert (
        client.get(url, {"number": card.number, "holder_name": card.holder_name}).context["result"].status
        == "void"
    )


def test_an_officer_records_the_holders_citizenship_and_the_card_checks_as_void(client):
    person = applicant(first_name="Nomin", last_name="Batbayar")
    application = card_application(person)
    the_officer = officer()
    client.force_login(the_officer)
    _approve(client, application, None)
    card = Card.objects.get(application=application)
    page = client.get(f"/en/foreign/officer/applications/{application.pk}/").content.decode()
    assert "Record citizenship" in page
    url = f"/en/foreign/officer/applications/{application.pk}/citizenship/"

    # Refused beside its fields: a date in the future, no evidence; nothing changes.
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    refused = client.post(url, {"acquired_on": tomorrow, "evidence": ""})
    assert refused.status_code == 400
    assert refused.context["citizenship_form"].errors.keys() == {"evidence"}
    refused = client.post(url, {"acquired_on": tomorrow, "evidence": "ID card 045678123"})
    assert refused.status_code == 400
    assert refused.context["citizenship_form"].errors.keys() == {"acquired_on"}
    assert Card.objects.get(pk=card.pk).status == "active"
    # Another region's officer does not reach the case.
    client.force_login(officer("KZ-39-LMC"))
    assert client.post(url, {"acquired_on": "2026-11-02", "evidence": "ID"}).status_code == 404

    client.force_login(the_officer)
    done = client.post(url, {"acquired_on": "2026-11-02", "evidence": "ID card 045678123"})
    assert done.status_code == 302
    person.refresh_from_db()
    assert (person.citizenship, person.citizenship_acquired_on) == ("KZ", dt.date(2026, 11, 2))
    assert Card.objects.get(pk=card.pk).status == "revoked"
    assert AuditEntry.objects.filter(
        action="foreign_applicant.citizenship_changed", actor=the_officer
    ).exists()
    page = client.get(f"/en/foreign/officer/applications/{application.pk}/").content.decode()
    assert 'data-citizenship="recorded"' in page and "ID card 045678123" in page

    client.force_login(OrganisationMembershipFactory().user)
    query = {"number": card.number, "holder_name": card.holder_name}
    check = client.get("/en/foreign/employer/card-check/", query)
    assert check.context["result"].status == "void" and "Void" in check.content.decode()


def test_the_employer_confirms_the_offer_of_its_own_vacancy_only(client):
    from migration.services.employer import foreign_opening_open

    owner = OrganisationMembershipFactory(organisation=VacancyFactory().organisation).user
    vacancy = VacancyFactory(organisation=owner.organisation_memberships.get().organisation)
    foreign_opening_open(vacancy=vacancy, by=owner)
    person = applicant()
    application = card_application(person, submit=False)
    from migration.services.applications import application_update

    application_update(application=application, by=person.user, vacancy=vacancy)
    from migration.services.applications import application_submit

    application_submit(application=application, consent=True, by=person.user)
    stranger = OrganisationMembershipFactory().user

    client.force_login(stranger)
    assert client.post(f"/en/foreign/employer/offers/{application.pk}/confirm/").status_code == 404
    client.force_login(owner)
    assert (
        application.applicant.user.get_full_name()
        in client.get("/en/foreign/employer/offers/").content.decode()
    )
    client.post(f"/en/foreign/employer/offers/{application.pk}/confirm/")
    application.refresh_from_db()
    assert application.offer_confirmed_at is not None and application.offer_confirmed_by == owner
