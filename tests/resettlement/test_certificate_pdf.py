"""The printable certificate, in the family's language, and the daily expiry job."""

from __future__ import annotations

import warnings

import pytest

from mobility.resettlement import documents, services, tasks
from mobility.resettlement.models import Certificate
from tests.factories import region

from .factories import included


@pytest.fixture
def certificate(aliya, asel):
    application = included(case__person=asel, family=2)
    services.budget_allocate(
        region=region("KZ-55"), category="resettler", year=2026, amount=10_000_000, by=aliya
    )
    return services.certificate_issue(
        application=application, purpose="purchase", home_price=20_000_000, by=aliya
    )


@pytest.mark.django_db
def test_the_certificate_prints_in_the_familys_language(certificate, monkeypatch):
    seen = {}
    real = documents.render_pdf

    def spy(**kwargs):
        seen.update(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(documents, "render_pdf", spy)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a letter the font lacks would warn
        pdf = documents.certificate_pdf(certificate)
    assert pdf.startswith(b"%PDF-") and b"/Lang (kk)" in pdf  # asel reads Kazakh (the factory's default)
    assert seen["language"] == "kk" and seen["reference"] == certificate.number
    rows = dict(row for section in seen["sections"] for row in section.rows)
    values = " ".join(rows.values()).replace("\xa0", " ")
    assert "7 028 125 ₸" in values and "20 000 000 ₸" in values and "50 %" in values
    assert "Павлодар" in values
    family = " ".join(p for section in seen["sections"] for p in section.paragraphs)
    assert certificate.application.person.iin not in family  # IINs masked on paper


@pytest.mark.django_db
def test_the_daily_job_expires_what_was_not_presented(certificate, monkeypatch):
    assert tasks.expire_certificates() == 0
    Certificate.objects.filter(pk=certificate.pk).update(valid_until="2026-01-01")
    assert tasks.expire_certificates() == 1
    certificate.refresh_from_db()
    assert certificate.status == "expired"
