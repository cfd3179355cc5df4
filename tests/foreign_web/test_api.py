"""`/api/v1/foreign/applications/`: the applicant's own, the officer's region's, decisions with
reason codes (a bad one is a 400 problem+json naming the field); and the dashboard's counts."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from migration.states import ApplicationStatus
from migration.web.dashboards import foreign_dashboard
from tests.foreign_web.factories import applicant, card_application, officer

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_applicant_lists_only_their_own_applications():
    mine = card_application(applicant())
    card_application(applicant())
    person = mine.applicant

    response = _client(person.user).get("/api/v1/foreign/applications/")

    assert response.status_code == 200
    assert [row["number"] for row in response.json()["results"]] == [mine.number]


def test_an_officer_reads_the_steps_and_decides_with_reason_codes():
    from migration.services.applications import application_review_start

    application = card_application(applicant())
    asel = officer()
    client = _client(asel)
    detail = client.get(f"/api/v1/foreign/applications/{application.pk}/")
    assert [s["kind"] for s in detail.json()["steps"]] == ["document_check", "decision"]
    step = detail.json()["steps"][0]
    recorded = client.post(
        f"/api/v1/foreign/applications/{application.pk}/steps/{step['id']}/",
        {"status": "passed"},
        format="json",
    )
    assert recorded.status_code == 200 and recorded.json()["steps"][0]["status"] == "passed"
    application_review_start(application=application, by=asel)

    bad = client.post(
        f"/api/v1/foreign/applications/{application.pk}/decision/",
        {"outcome": "approved", "reasons": ["no-such-reason"]},
        format="json",
    )
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    assert "reasons" in bad.content.decode()

    code = application.scheme_version.reasons.filter(outcome="approved").first().code
    decided = client.post(
        f"/api/v1/foreign/applications/{application.pk}/decision/",
        {"outcome": "approved", "reasons": [code], "text": "In order"},
        format="json",
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == ApplicationStatus.APPROVED
    assert decided.json()["decisions"][0]["reasons"] == [code]


def test_the_applicant_cannot_decide_their_own_application():
    application = card_application(applicant())
    code = application.scheme_version.reasons.filter(outcome="approved").first().code

    response = _client(application.applicant.user).post(
        f"/api/v1/foreign/applications/{application.pk}/decision/",
        {"outcome": "approved", "reasons": [code]},
        format="json",
    )

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_dashboard_counts_the_region_only_and_in_few_queries(django_assert_max_num_queries):
    card_application(applicant())
    card_application(applicant())
    card_application(applicant(), region="KZ-75")

    with django_assert_max_num_queries(15):
        board = foreign_dashboard(officer())

    assert [(row["scheme_version__scheme__code"], row["open"]) for row in board["by_scheme"]] == [
        ("atameken-card", 2)
    ]
    assert [t["target"] for t in board["targets"]] == [100, 100]
