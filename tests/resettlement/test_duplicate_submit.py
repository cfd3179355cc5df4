"""A duplicate submit (a double click, a browser resend) creates nothing twice (issue #12, item 7):
the resettlement application form and the certificate issue form, each sent twice. The database
holds the rule (one active application per IIN, one live certificate per application); the page
answers the second send with a message, never a second row or a 500."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mobility.resettlement import services
from mobility.resettlement.models import (
    ApplicationMember,
    ApplicationStatus,
    Certificate,
    ResettlementApplication,
)
from tests.factories import region
from tests.files import PDF
from tests.resettlement.test_pages import APPLY, _form

pytestmark = pytest.mark.django_db


def _apply_twice(client, asel):
    client.force_login(asel)
    data = _form()
    answers = []
    for _ in range(2):
        sent = {**data, "document": SimpleUploadedFile("passport.pdf", PDF, content_type="application/pdf")}
        answers.append(client.post(APPLY, sent))
    return answers


def test_the_application_form_sent_twice_applies_once(client, asel):
    first, second = _apply_twice(client, asel)
    assert first.status_code == 302
    assert second.status_code in (200, 302, 400)
    assert ResettlementApplication.objects.filter(person=asel).count() == 1
    assert ApplicationMember.objects.filter(active=True).count() == 2  # Asel and her daughter, once


def test_the_certificate_form_sent_twice_issues_one_certificate(client, asel, marat, yerlan, aliya):
    _apply_twice(client, asel)
    application = ResettlementApplication.objects.get(person=asel)
    client.force_login(marat)
    client.post(f"/en/resettlement/staff/{application.pk}/forward/")
    client.force_login(yerlan)
    client.post(f"/en/resettlement/staff/{application.pk}/check/")
    client.post(f"/en/resettlement/staff/{application.pk}/include/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INCLUDED
    services.budget_allocate(
        region=region("KZ-55"), category="resettler", year=2026, amount=50_000_000, by=aliya
    )
    client.force_login(aliya)
    url = f"/en/resettlement/staff/{application.pk}/certificate/"
    first = client.post(url, {"purpose": "purchase", "home_price": "20000000"})
    second = client.post(url, {"purpose": "purchase", "home_price": "20000000"})
    assert first.status_code == 302
    assert second.status_code in (302, 400, 409)
    assert Certificate.objects.filter(application=application).count() == 1
