"""Idle sessions end: 30 minutes for staff, 14 days for others (issue #12, accounts)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mobility.accounts import middleware

pytestmark = pytest.mark.django_db

MINUTE = 60
DAY = 24 * 3600


@pytest.fixture
def clock(monkeypatch):
    now = {"t": 1_800_000_000}
    monkeypatch.setattr(middleware, "_now", lambda: now["t"])
    return now


def _signed_in(client, user, clock):
    client.force_login(user)
    client.get(reverse("accounts:me"))  # the first request starts the idle clock


def test_staff_are_signed_out_after_thirty_idle_minutes(client, dana, clock):
    _signed_in(client, dana, clock)
    clock["t"] += 29 * MINUTE
    assert client.get(reverse("staff:home")).status_code == 200  # activity restarts the clock
    clock["t"] += 29 * MINUTE
    assert client.get(reverse("staff:home")).status_code == 200

    clock["t"] += 31 * MINUTE
    response = client.get(reverse("staff:home"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "signed out after 30 minutes without activity" in page


def test_a_seeker_stays_signed_in_for_days_but_not_past_fourteen(client, aigerim, clock):
    _signed_in(client, aigerim, clock)
    clock["t"] += 3 * DAY
    assert client.get(reverse("accounts:me")).status_code == 200
    clock["t"] += 15 * DAY
    assert client.get(reverse("accounts:me")).status_code == 302


def test_the_limits_are_settings(client, dana, clock, settings):
    settings.SESSION_IDLE_STAFF_SECONDS = 5 * MINUTE
    _signed_in(client, dana, clock)
    clock["t"] += 6 * MINUTE
    assert client.get(reverse("staff:home")).status_code == 302


def test_the_session_cookie_expires_with_the_idle_limit(client, dana, clock):
    _signed_in(client, dana, clock)
    assert client.session.get_expiry_age() == 30 * MINUTE
