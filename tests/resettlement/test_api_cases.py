"""Resettlement over the API (issue #13, item 9): a family reads its own application, staff read
their scope's and decide through the same services; others get 404, a wrong side 403."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from mobility.reference.models import ReceivingSettlement
from mobility.resettlement import services
from tests.factories import UserFactory, region

from .test_services import SINCE

API = "/api/v1/resettlement/applications/"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user=user)
    return client


@pytest.fixture
def application(asel):
    return services.application_submit(
        person=asel,
        category="resettler",
        destination_region=region("KZ-55"),
        settlement_type="urban",
        by=asel,
        consent=True,
        permanent_registration_since=SINCE,
        destination_settlement=ReceivingSettlement.objects.get(
            region__code="KZ-55", name_en="Pavlodar", status="published"
        ),
        members=[services.MemberInput(UserFactory.build().iin, "Нұрова", "Айша", "child")],
    )


@pytest.mark.django_db
def test_the_family_reads_its_own(asel, application, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        body = client_for(asel).get(API).json()
    assert [a["id"] for a in body["results"]] == [application.pk]
    one = client_for(asel).get(f"{API}{application.pk}/").json()
    assert one["destination_region"] == "KZ-55" and one["status"] == "submitted"
    assert len(one["members"]) == 2 and all("******" in m["iin"] for m in one["members"])
    assert any(r["code"] == "permanent_registration" and r["passed"] for r in one["eligibility"])
    assert client_for(UserFactory()).get(f"{API}{application.pk}/").status_code == 404


@pytest.mark.django_db
def test_staff_decide_with_the_same_sides_as_the_pages(application, marat, dana, yerlan):
    url = f"{API}{application.pk}/decisions/"
    assert client_for(dana).post(url, {"decision": "forward"}, format="json").status_code == 404
    assert client_for(yerlan).post(url, {"decision": "forward"}, format="json").status_code == 403
    response = client_for(marat).post(url, {"decision": "forward"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "forwarded"
    response = client_for(yerlan).post(url, {"decision": "refuse", "reason": ""}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "reason" in response.content.decode()
    response = client_for(yerlan).post(url, {"decision": "sideways"}, format="json")
    assert response.status_code == 400 and "decision" in response.content.decode()
    response = client_for(yerlan).post(url, {"decision": "refuse", "reason": "Нет документов"}, format="json")
    assert response.json()["status"] == "refused"
    assert response.json()["refusal_reason"] == "Нет документов"


@pytest.mark.django_db
def test_certificates_are_scoped(asel, application, marat, yerlan, aliya):
    services.application_forward(application=application, by=marat)
    services.application_check(application=application, by=yerlan)
    services.application_include(application=application, by=yerlan)
    services.budget_allocate(
        region=region("KZ-55"), category="resettler", year=2026, amount=50_000_000, by=aliya
    )
    certificate = services.certificate_issue(
        application=application, purpose="purchase", home_price=10_000_000, by=aliya
    )
    mine = client_for(asel).get("/api/v1/resettlement/certificates/").json()["results"]
    assert [(c["number"], c["amount"]) for c in mine] == [(certificate.number, 5_000_000)]
    assert client_for(UserFactory()).get("/api/v1/resettlement/certificates/").json()["results"] == []
