"""Password reset mail goes through the outbox, in the person's language, once per quarter-hour."""

import pytest
from django.core import mail

from mobility.core.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _ask(client, email, capture):
    with capture(execute=True):
        return client.post("/ru/accounts/password/reset/", {"login": email})


def test_the_reset_link_is_mailed_through_the_outbox(client, timur, django_capture_on_commit_callbacks):
    response = _ask(client, timur.email, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    message = OutboxMessage.objects.get()
    assert (message.person, message.template, message.status) == (timur, "password_reset", "sent")
    assert message.key.startswith("password_reset:")
    assert mail.outbox[0].to == [timur.email]
    assert mail.outbox[0].subject == "Установка нового пароля"
    link = next(line for line in mail.outbox[0].body.splitlines() if "/ru/accounts/password/reset/" in line)
    new_password = "Another-pass-2026"
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302
    timur.refresh_from_db()
    assert timur.check_password(new_password)


def test_asking_twice_soon_writes_one_message(client, timur, django_capture_on_commit_callbacks):
    _ask(client, timur.email, django_capture_on_commit_callbacks)
    _ask(client, timur.email, django_capture_on_commit_callbacks)
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_an_unknown_address_gets_the_same_answer_and_no_message(client, django_capture_on_commit_callbacks):
    response = _ask(client, "nobody@example.kz", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert not OutboxMessage.objects.exists() and not mail.outbox
