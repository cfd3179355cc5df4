"""Repeated wrong passwords pause sign-in for that identifier from that address (django-axes)."""

import pytest

pytestmark = pytest.mark.django_db


def _attempt(client, login, password, ip="203.0.113.7"):
    return client.post("/en/accounts/login/", {"username": login, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_lock_the_identifier_out(client, aigerim):
    for _ in range(4):
        assert _attempt(client, aigerim.iin, "wrong").status_code == 200
    locked = _attempt(client, aigerim.iin, "wrong")
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    # Even the right password is refused while locked.
    assert _attempt(client, aigerim.iin, "pass-2026").status_code == 429


def test_the_lock_is_per_address(client, aigerim):
    for _ in range(5):
        _attempt(client, aigerim.iin, "wrong")
    assert _attempt(client, aigerim.iin, "pass-2026", ip="198.51.100.9").status_code == 302


def test_a_success_resets_the_count(client, aigerim):
    for _ in range(4):
        _attempt(client, aigerim.iin, "wrong")
    assert _attempt(client, aigerim.iin, "pass-2026").status_code == 302
    client.logout()
    for _ in range(4):
        assert _attempt(client, aigerim.iin, "wrong").status_code == 200


def test_the_lockout_page_is_translated(client, aigerim):
    for _ in range(5):
        client.post(
            "/ru/accounts/login/", {"username": aigerim.iin, "password": "x"}, REMOTE_ADDR="203.0.113.8"
        )
    response = client.post(
        "/ru/accounts/login/", {"username": aigerim.iin, "password": "x"}, REMOTE_ADDR="203.0.113.8"
    )
    assert response.status_code == 429
    assert '<html lang="ru">' in response.content.decode()


def test_switching_between_email_and_iin_gains_nothing(client, aigerim):
    for login in (aigerim.iin, aigerim.email, aigerim.iin, aigerim.email):
        assert _attempt(client, login, "wrong").status_code == 200
    assert _attempt(client, aigerim.email.upper(), "wrong").status_code == 429
