"""Public forms that create accounts or send messages have a per-address budget (issue #12)."""

from __future__ import annotations

import pytest
from django.core import mail

from mobility.accounts.models import User
from mobility.core.models import OutboxMessage
from tests.factories import UserFactory, region

pytestmark = pytest.mark.django_db


def _sign_up(client, n: int, **extra):
    data = {
        "iin": "",
        "last_name": "Сейітов",
        "first_name": "Асхат",
        "email": f"person{n}@example.kz",
        "phone": "",
        "region": region("KZ-55").id,
    }
    return client.post("/en/accounts/signup/", data, **extra)


def test_sign_up_over_budget_is_refused_with_the_wait_and_creates_nothing(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_up": "3/h"}
    for n in range(3):
        assert _sign_up(client, n).status_code in (200, 302)
    accounts = User.objects.count()

    refused = _sign_up(client, 99)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Please try again in" in refused.content.decode()
    assert User.objects.count() == accounts
    # Another address still gets in; a client-written X-Forwarded-For is not another address.
    assert _sign_up(client, 100, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    assert _sign_up(client, 101, REMOTE_ADDR="198.51.100.7").status_code in (200, 302)


def test_password_reset_over_budget_sends_nothing(client, settings, django_capture_on_commit_callbacks):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": "2/15m"}
    people = [UserFactory(email=f"p{n}@example.kz") for n in range(3)]
    for person in people[:2]:
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post("/ru/accounts/password/reset/", {"login": person.email}).status_code == 302
    mail.outbox.clear()
    messages = OutboxMessage.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post("/ru/accounts/password/reset/", {"login": people[2].email})

    assert refused.status_code == 429
    assert OutboxMessage.objects.count() == messages
    assert mail.outbox == []
    assert 0 < int(refused["Retry-After"]) <= 15 * 60


def test_activation_codes_cannot_be_tried_at_machine_speed(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "activation": "5/15m"}
    answers = [
        client.post(
            "/en/accounts/activate/",
            {"iin": "791028302728", "code": f"{n:06d}", "new_password1": "x", "new_password2": "x"},
        ).status_code
        for n in range(6)
    ]
    assert answers[:5] == [200] * 5
    assert answers[5] == 429


def test_reading_the_forms_is_never_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_up": "1/h"}
    _sign_up(client, 1)
    assert _sign_up(client, 2).status_code == 429
    assert client.get("/en/accounts/signup/").status_code == 200


@pytest.mark.parametrize("path", ["/en/accounts/signup/", "/en/employer/signup/", "/en/foreign/sign-up/"])
def test_every_sign_up_form_shares_the_budget(client, settings, path):
    """Seekers, employers and foreign applicants sign up through three forms: each is limited."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_up": "2/h"}
    assert [client.post(path, {}).status_code for _ in range(3)] == [200, 200, 429]
