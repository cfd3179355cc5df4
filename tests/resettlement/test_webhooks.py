"""Webhooks on resettlement decisions (issue #13, item 9): the API's fan-out reads the audit trail
and delivers forwarded, included, refused, certificate issued, revoked and paid to the endpoints
of the centres that work on the application (the career centre of origin, the receiving region's
centres), signed, without names or IINs; other centres and organisations hear nothing."""

from __future__ import annotations

import datetime as dt
import json
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mobility.api import webhooks
from mobility.api.models import CENTRE_EVENTS, WebhookDelivery, WebhookEvent
from mobility.reference.models import ReceivingSettlement
from mobility.resettlement import services
from tests.factories import OrganisationFactory, centre, region


@pytest.fixture
def sync_tasks(monkeypatch):
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)


@pytest.fixture
def endpoints(db, settings):
    settings.API_WEBHOOKS_ALLOW_HTTP = False

    def make(code: str) -> object:
        return webhooks.webhook_endpoint_create(
            centre=centre(code), url=f"https://{code.lower()}.example.kz/hooks", events=CENTRE_EVENTS, by=None
        )

    return {
        "origin": make("KZ-79-shy-alfarabi"),  # Shymkent's career centre: forwards
        "receiving": make("KZ-55-LMC"),  # Pavlodar's regional centre: decides
        "receiving_district": make("KZ-55-ekibastuz"),  # another centre of the receiving region
        "elsewhere": make("KZ-39-LMC"),  # Kostanay: neither
    }


def _submit(person):
    return services.application_submit(
        person=person,
        category="resettler",
        destination_region=region("KZ-55"),
        destination_settlement=ReceivingSettlement.objects.filter(
            region__code="KZ-55", status="published", year=timezone.localdate().year
        ).first(),
        settlement_type="urban",
        by=person,
        consent=True,
        permanent_registration_since=dt.date(2020, 1, 1),
    )


def _fan_out():
    sent: list[tuple[str, dict, dict]] = []

    def receive(url, body, headers):
        sent.append((url, json.loads(body), headers))
        return 200, ""

    with mock.patch.object(webhooks, "_post", receive):
        webhooks.webhooks_fan_out()
    return sent


@pytest.mark.django_db
def test_every_decision_reaches_the_centres_that_work_on_it(
    endpoints, asel, marat, yerlan, aliya, sync_tasks
):
    application = _submit(asel)
    services.application_forward(application=application, by=marat)
    services.application_check(application=application, by=yerlan)
    services.application_include(application=application, by=yerlan)
    services.budget_allocate(
        region=region("KZ-55"), category="resettler", year=application.year, amount=10**8, by=aliya
    )
    first = services.certificate_issue(
        application=application, purpose="purchase", home_price=10**7, by=aliya
    )
    services.certificate_revoke(certificate=first, by=aliya, reason="Договор не подписан")
    second = services.certificate_issue(
        application=application, purpose="purchase", home_price=20_000_000, by=aliya
    )
    services.certificate_present(certificate=second, by=aliya)
    services.certificate_pay(certificate=second, by=aliya, treasury_reference="KZT-2026-1")

    sent = _fan_out()
    heard: dict[str, list[str]] = {}
    for url, payload, headers in sent:
        assert headers["Mobility-Event"] == payload["event"]
        heard.setdefault(url, []).append(payload["event"])
    decisions = [
        "resettlement.forwarded",
        "resettlement.included",
        "resettlement.certificate_issued",
        "resettlement.certificate_revoked",
        "resettlement.certificate_issued",
        "resettlement.certificate_paid",
    ]
    for who in ("origin", "receiving", "receiving_district"):
        assert heard[endpoints[who].url] == decisions, who
    assert endpoints["elsewhere"].url not in heard
    # Submitted and checked are steps, not decisions: nobody hears of them.
    assert WebhookDelivery.objects.filter(event__startswith="resettlement.").count() == 3 * len(decisions)

    paid = next(p for _u, p, _h in sent if p["event"] == "resettlement.certificate_paid")
    assert paid["data"]["application"] == {
        "id": application.pk,
        "category": "resettler",
        "year": application.year,
        "origin_centre": "KZ-79-shy-alfarabi",
        "destination_region": "KZ-55",
    }
    assert (paid["data"]["from"], paid["data"]["to"]) == ("presented", "paid")
    certificate = paid["data"]["certificate"]
    assert (certificate["id"], certificate["amount"]) == (second.pk, 7_028_125)
    revoked = next(p for _u, p, _h in sent if p["event"] == "resettlement.certificate_revoked")
    assert revoked["data"]["reason"] == "Договор не подписан"
    body = json.dumps([p for _u, p, _h in sent], ensure_ascii=False)
    assert asel.iin not in body and asel.last_name not in body

    assert _fan_out() == []  # read once: nothing is sent twice


@pytest.mark.django_db
def test_a_refusal_with_its_reason(endpoints, asel, marat, yerlan, sync_tasks):
    application = _submit(asel)
    services.application_forward(application=application, by=marat)
    _fan_out()
    services.application_refuse(application=application, by=yerlan, reason="Паспорт просрочен")
    sent = _fan_out()
    assert {url for url, _p, _h in sent} == {
        endpoints[w].url for w in ("origin", "receiving", "receiving_district")
    }
    payload = sent[0][1]
    assert payload["event"] == WebhookEvent.RESETTLEMENT_REFUSED
    assert (payload["data"]["to"], payload["data"]["reason"]) == ("refused", "Паспорт просрочен")


@pytest.mark.django_db
def test_an_endpoint_subscribes_to_what_its_party_may_hear(endpoints, asel, marat, sync_tasks):
    only_included = webhooks.webhook_endpoint_create(
        centre=centre("KZ-55-LMC"),
        url="https://pavlodar-quota.example.kz/hooks",
        events=[WebhookEvent.RESETTLEMENT_INCLUDED],
        by=None,
    )
    services.application_forward(application=_submit(asel), by=marat)
    assert only_included.url not in {url for url, _p, _h in _fan_out()}

    with pytest.raises(ValidationError) as error:  # a centre hears no vacancy events
        webhooks.webhook_endpoint_create(
            centre=centre("KZ-55-LMC"),
            url="https://x.example.kz/",
            events=[WebhookEvent.VACANCY_PUBLISHED],
            by=None,
        )
    assert "events" in error.value.message_dict
    with pytest.raises(ValidationError) as error:  # an organisation hears no resettlement decisions
        webhooks.webhook_endpoint_create(
            organisation=OrganisationFactory(),
            url="https://x.example.kz/",
            events=[WebhookEvent.RESETTLEMENT_INCLUDED],
            by=None,
        )
    assert "events" in error.value.message_dict
    with pytest.raises(ValidationError):  # exactly one party
        webhooks.webhook_endpoint_create(
            url="https://x.example.kz/", events=[WebhookEvent.RESETTLEMENT_INCLUDED], by=None
        )
