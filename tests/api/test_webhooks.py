"""Webhooks: events from the audit trail, HMAC-signed deliveries, retries with back-off through
django-q2, the delivery log, replay; and the employer and personal credential pages."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from unittest import mock

import pytest
from django.utils import timezone

from mobility.api import webhooks
from mobility.api.models import ApiKey, PersonalToken, WebhookDelivery, WebhookEvent
from mobility.exchange import services
from mobility.exchange.models import ApplicationStatus, Vacancy
from tests.factories import SeekerProfileFactory, VacancyFactory


@pytest.fixture
def sync_tasks(monkeypatch):
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)


class Receiver:
    """Stands in for the partner's server: records each POST, answers the queued statuses."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.calls: list[tuple[str, bytes, dict]] = []

    def __call__(self, url, body, headers):
        self.calls.append((url, body, headers))
        status = self.statuses.pop(0) if self.statuses else 200
        return (status, "") if status else (None, "connection refused")


@pytest.fixture
def endpoint(bolat_org, bolat, settings):
    settings.API_WEBHOOKS_ALLOW_HTTP = False
    return webhooks.webhook_endpoint_create(
        organisation=bolat_org,
        url="https://hr.example.kz/hooks",
        events=[WebhookEvent.VACANCY_PUBLISHED, WebhookEvent.APPLICATION_STATUS_CHANGED],
        by=bolat,
    )


def _publish(bolat_org, bolat):
    vacancy = VacancyFactory(organisation=bolat_org, status=Vacancy.Status.DRAFT, external_id="E-1")
    return services.vacancy_set_status(vacancy=vacancy, status=Vacancy.Status.PUBLISHED, by=bolat)


def test_a_published_vacancy_is_delivered_signed(endpoint, bolat_org, bolat, sync_tasks):
    vacancy = _publish(bolat_org, bolat)
    receiver = Receiver([200])
    with mock.patch.object(webhooks, "_post", receiver):
        created = webhooks.webhooks_fan_out()
    assert len(created) == 1
    url, body, headers = receiver.calls[0]
    assert url == "https://hr.example.kz/hooks"
    payload = json.loads(body)
    assert payload["event"] == "vacancy.published"
    assert payload["data"]["vacancy"] == {"id": vacancy.id, "external_id": "E-1", "title": vacancy.title}
    timestamp, signature = (part.split("=", 1)[1] for part in headers["Mobility-Signature"].split(","))
    expected = hmac.new(endpoint.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(signature, expected)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    assert delivery.log.count() == 1
    # Fan-out again: nothing new, nothing sent twice.
    with mock.patch.object(webhooks, "_post", receiver):
        assert webhooks.webhooks_fan_out() == []
    assert len(receiver.calls) == 1


def test_only_subscribed_events_of_the_own_organisation(endpoint, bolat_org, bolat, other_org, sync_tasks):
    VacancyFactory(organisation=other_org, status=Vacancy.Status.DRAFT)
    other = Vacancy.objects.get(organisation=other_org)
    other_org.status, other_org.verified_at = "verified", timezone.now()
    other_org.save()
    services.vacancy_set_status(vacancy=other, status=Vacancy.Status.PUBLISHED, by=None)
    vacancy = _publish(bolat_org, bolat)
    services.vacancy_set_status(vacancy=vacancy, status=Vacancy.Status.CLOSED, by=bolat)  # not subscribed
    seeker = SeekerProfileFactory()
    services.vacancy_set_status(vacancy=vacancy, status=Vacancy.Status.PUBLISHED, by=bolat)
    services.application_create(
        seeker=seeker, vacancy=vacancy, status=ApplicationStatus.APPLIED, by=seeker.user
    )
    receiver = Receiver([])
    with mock.patch.object(webhooks, "_post", receiver):
        webhooks.webhooks_fan_out()
    events = [json.loads(body)["event"] for _url, body, _h in receiver.calls]
    assert events == ["vacancy.published", "vacancy.published", "application.status_changed"]


def test_failures_are_retried_with_back_off_then_given_up(
    endpoint, bolat_org, bolat, sync_tasks, django_capture_on_commit_callbacks
):
    _publish(bolat_org, bolat)
    receiver = Receiver([500, None, 503, 500, 502, 500])
    scheduled = []
    with (
        mock.patch.object(webhooks, "_post", receiver),
        mock.patch.object(webhooks, "_enqueue", side_effect=lambda i, at=None: scheduled.append(at)),
    ):
        webhooks.webhooks_fan_out()
        delivery = WebhookDelivery.objects.get()
        for attempt in range(webhooks.MAX_ATTEMPTS):
            before = timezone.now()
            with django_capture_on_commit_callbacks(execute=True):
                delivery = webhooks.webhook_deliver(delivery_id=delivery.pk)
            if attempt < len(webhooks.BACKOFF):
                assert delivery.status == WebhookDelivery.Status.PENDING
                wait = delivery.next_attempt_at - before
                assert webhooks.BACKOFF[attempt] <= wait < webhooks.BACKOFF[attempt] + dt.timedelta(seconds=5)
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts == webhooks.MAX_ATTEMPTS
    assert [a.status_code for a in delivery.log.all()] == [500, None, 503, 500, 502, 500]
    assert delivery.log.all()[1].error == "connection refused"
    # First the immediate task, then one scheduled retry per back-off step.
    assert scheduled[0] is None and all(at is not None for at in scheduled[1:])
    assert len(scheduled) == 1 + len(webhooks.BACKOFF)


def test_a_retry_is_a_django_q_schedule(endpoint, bolat_org, bolat, django_capture_on_commit_callbacks):
    from django_q.models import Schedule

    _publish(bolat_org, bolat)
    with mock.patch("django_q.tasks.async_task"), mock.patch.object(webhooks, "_post", Receiver([500])):
        ids = webhooks.webhooks_fan_out()
        with django_capture_on_commit_callbacks(execute=True):
            webhooks.webhook_deliver(delivery_id=ids[0])
    retry = Schedule.objects.get(func=webhooks.DELIVER_TASK)
    assert retry.schedule_type == Schedule.ONCE and retry.args == f"({ids[0]},)"


def test_replay_sends_again_as_a_new_delivery(
    endpoint, bolat_org, bolat, sync_tasks, django_capture_on_commit_callbacks
):
    _publish(bolat_org, bolat)
    receiver = Receiver([200, 200])
    with mock.patch.object(webhooks, "_post", receiver):
        webhooks.webhooks_fan_out()
        original = WebhookDelivery.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            replay = webhooks.webhook_replay(delivery=original, by=bolat)
    replay.refresh_from_db()
    assert replay.status == WebhookDelivery.Status.SUCCEEDED and replay.replay_of == original
    first, second = (json.loads(body) for _u, body, _h in receiver.calls)
    assert second["replay_of"] == first["id"] and second["data"] == first["data"]


def test_webhook_urls_must_be_https(bolat_org, bolat, settings):
    from django.core.exceptions import ValidationError

    settings.API_WEBHOOKS_ALLOW_HTTP = False
    with pytest.raises(ValidationError):
        webhooks.webhook_endpoint_create(
            organisation=bolat_org, url="http://hr.example.kz/", events=["vacancy.published"], by=bolat
        )


# --- Credential pages -------------------------------------------------------------------------------


def test_employer_creates_rotates_and_revokes_a_key(client, bolat, bolat_org, other_org):
    client.force_login(bolat)
    page = client.get("/en/employer/api-keys/")
    assert page.status_code == 200
    response = client.post(
        "/en/employer/api-keys/",
        {"organisation": bolat_org.id, "name": "HR system", "scopes": ["vacancies:read", "vacancies:write"]},
    )
    secret = response.context["new_secret"]
    assert secret.startswith("mk_") and secret in response.content.decode()
    key = ApiKey.objects.get(organisation=bolat_org)
    assert key.scopes == ["vacancies:read", "vacancies:write"]
    assert client.get("/en/employer/api-keys/").content.decode().count(secret) == 0  # shown once
    rotated = client.post(f"/en/employer/api-keys/{key.id}/rotate/")
    assert rotated.context["new_secret"] != secret
    new_key = ApiKey.objects.get(rotated_from=key)
    client.post(f"/en/employer/api-keys/{new_key.id}/revoke/")
    assert ApiKey.objects.filter(organisation=bolat_org, revoked_at__isnull=True).count() == 0
    # Another organisation's keys are not there to be touched.
    other_key = ApiKey.objects.create(
        name="x", prefix="p" * 12, secret_hash="0", organisation=other_org, scopes=[]
    )
    assert client.post(f"/en/employer/api-keys/{other_key.id}/revoke/").status_code == 404
    refused = client.post(
        "/en/employer/api-keys/", {"organisation": other_org.id, "name": "x", "scopes": ["vacancies:read"]}
    )
    assert refused.context["form"].errors["organisation"]


def test_people_without_an_organisation_cannot_open_the_key_page(client, aigerim):
    client.force_login(aigerim)
    assert client.get("/en/employer/api-keys/").status_code == 403


def test_personal_tokens_page(client, aigerim):
    client.force_login(aigerim)
    response = client.post("/en/accounts/api-tokens/", {"name": "script"})
    assert response.context["new_secret"].startswith("pt_")
    token = PersonalToken.objects.get(user=aigerim)
    client.post(f"/en/accounts/api-tokens/{token.id}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
