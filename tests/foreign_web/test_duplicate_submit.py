"""A duplicate submit creates nothing twice (issue #12, item 7): an officer's decision on a foreign
specialist's application sent twice through the API makes one decision and one card (the
application is locked and the workflow refuses a second move); the officer's read of the
application is in the applicant's view log (item 3)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from migration.models import Decision
from mobility.core.privacy.models import PersonalDataView
from tests.foreign_web.factories import applicant, card_application, officer

pytestmark = pytest.mark.django_db


def test_a_decision_sent_twice_decides_once():
    from migration.services.applications import application_review_start

    application = card_application(applicant())
    asel = officer()
    client = APIClient()
    client.force_authenticate(asel)
    detail = client.get(f"/api/v1/foreign/applications/{application.pk}/").json()
    client.post(
        f"/api/v1/foreign/applications/{application.pk}/steps/{detail['steps'][0]['id']}/",
        {"status": "passed"},
        format="json",
    )
    application_review_start(application=application, by=asel)
    code = application.scheme_version.reasons.filter(outcome="approved").first().code
    body = {"outcome": "approved", "reasons": [code], "text": "In order"}
    url = f"/api/v1/foreign/applications/{application.pk}/decision/"
    first = client.post(url, body, format="json")
    second = client.post(url, body, format="json")
    assert first.status_code == 200, first.content
    assert second.status_code in (400, 409) and second["Content-Type"].startswith("application/problem+json")
    assert Decision.objects.filter(application=application).count() == 1
    view = PersonalDataView.objects.get(person=application.applicant.user)
    assert (view.record, view.channel, view.viewer_id) == ("foreign_application", "api", asel.pk)
