"""The outbox: written in the event's transaction, delivered after commit, never twice."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule

from mobility.core import outbox
from mobility.core.models import OutboxMessage
from mobility.core.outbox import outbox_add
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _add(person=None, key="test:1", **kwargs):
    return outbox_add(
        person=person,
        topic="account",
        template="confirm_email",
        context={"confirm_url": "https://example.kz/confirm/abc/"},
        key=key,
        **kwargs,
    )


def test_the_row_is_written_in_the_transaction_and_sent_after_commit(
    aigerim, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _add(aigerim)
        assert OutboxMessage.objects.filter(pk=message.pk, status="pending").exists()
        assert not mail.outbox  # nothing leaves before the commit
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.sent_at is not None
    assert message.attempts == 1
    assert mail.outbox[0].to == [aigerim.email]
    assert "https://example.kz/confirm/abc/" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_nothing_is_written_or_sent_when_the_event_rolls_back():
    person = UserFactory()

    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        _add(person)
        raise Refused
    assert not OutboxMessage.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db(transaction=True)
def test_a_real_commit_sends_it_through_the_task():
    person = UserFactory()
    with transaction.atomic():
        message = _add(person)
        assert not mail.outbox
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_the_same_key_twice_gives_one_row_and_one_mail(aigerim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _add(aigerim, key="event:7")
        second = _add(aigerim, key="event:7")
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_sent_message_is_never_sent_again(aigerim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _add(aigerim)
    assert outbox.outbox_message_deliver(message_id=message.pk) == "sent"
    assert len(mail.outbox) == 1


def test_it_is_written_in_the_recipients_language(timur, django_capture_on_commit_callbacks):
    assert timur.language == "ru"
    with django_capture_on_commit_callbacks(execute=True):
        _add(timur)
    assert mail.outbox[0].subject == "Подтвердите адрес электронной почты"
    assert mail.outbox[0].body.startswith("Здравствуйте, Тимур!")


def test_an_explicit_language_and_address_serve_people_without_an_account(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_add(
            email="new@firm.kz",
            language="en",
            topic="account",
            template="password_reset",
            context={"uid": "MQ", "token": "abc-def", "domain": "example.kz", "protocol": "https"},
            key="test:explicit",
        )
    assert message.person is None and message.language == "en"
    assert mail.outbox[0].to == ["new@firm.kz"]
    assert mail.outbox[0].subject == "Set a new password"
    assert "https://example.kz/en/accounts/password/reset/MQ/abc-def/" in mail.outbox[0].body


def test_a_model_in_the_context_is_fetched_again_when_rendering(aigerim, bolat_org):
    message = outbox_add(
        person=aigerim,
        topic="test",
        template="confirm_email",
        context={"organisation": bolat_org, "on": dt.date(2026, 3, 1), "confirm_url": "x"},
        key="test:ref",
    )
    assert message.context["organisation"] == {"$model": "accounts.organisation", "pk": bolat_org.pk}
    assert message.context["on"] == "2026-03-01"
    assert outbox._from_json(message.context)["organisation"] == bolat_org


def test_a_message_needs_a_recipient():
    with pytest.raises(ValueError, match="person or an email"):
        _add(None)


class TestFailures:
    def test_a_failure_is_recorded_and_the_sweeper_retries(self, aigerim, django_capture_on_commit_callbacks):
        with mock.patch(
            "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("mail server down")
        ):
            with django_capture_on_commit_callbacks(execute=True):
                message = _add(aigerim)
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("pending", 1)
        assert "mail server down" in message.last_error and not mail.outbox

        assert outbox.outbox_requeue_stale() == []  # too soon: its own retry window has not passed
        later = timezone.now() + outbox.RETRY_AFTER + dt.timedelta(seconds=1)
        assert outbox.outbox_requeue_stale(now=later) == [message.pk]
        message.refresh_from_db()
        assert (message.status, message.attempts, message.last_error) == ("sent", 2, "")
        assert len(mail.outbox) == 1

    def test_after_the_last_attempt_it_is_failed(self, aigerim, django_capture_on_commit_callbacks):
        with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("down")):
            with django_capture_on_commit_callbacks(execute=True):
                message = _add(aigerim)
            for _attempt in range(outbox.MAX_ATTEMPTS - 1):
                outbox.outbox_message_deliver(message_id=message.pk)
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("failed", outbox.MAX_ATTEMPTS)
        later = timezone.now() + outbox.RETRY_AFTER * 2
        assert outbox.outbox_requeue_stale(now=later) == []  # the sweeper leaves failed messages alone

    def test_a_person_without_an_address_fails_at_once(self, django_capture_on_commit_callbacks):
        person = UserFactory(email=None)
        with django_capture_on_commit_callbacks(execute=True):
            message = _add(person)
        message.refresh_from_db()
        assert message.status == "failed" and "no email address" in message.last_error

    def test_the_sweeper_is_scheduled_by_migrate(self):
        assert Schedule.objects.filter(func="mobility.core.tasks.outbox_sweep").exists()


class TestAdmin:
    @pytest.fixture
    def failed(self, aigerim):
        return OutboxMessage.objects.create(
            key="failed:1",
            person=aigerim,
            topic="account",
            template="confirm_email",
            context={"confirm_url": "https://example.kz/c/"},
            language="kk",
            status=OutboxMessage.Status.FAILED,
            attempts=5,
            last_error="OSError: down",
        )

    def test_administrators_see_the_list_and_cannot_change_it(self, client, admin_user, failed):
        client.force_login(admin_user)
        body = client.get("/en/admin/core/outboxmessage/").content.decode()
        assert "failed:1" in body and "OSError: down" in body
        assert client.get("/en/admin/core/outboxmessage/add/").status_code == 403
        response = client.post(f"/en/admin/core/outboxmessage/{failed.pk}/delete/", {"post": "yes"})
        assert response.status_code == 403
        assert (
            "https://example.kz/c/"
            not in client.get(f"/en/admin/core/outboxmessage/{failed.pk}/change/").content.decode()
        )

    def test_retry_failed_sends_them_again(
        self, client, admin_user, failed, django_capture_on_commit_callbacks
    ):
        client.force_login(admin_user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/en/admin/core/outboxmessage/",
                {"action": "retry_failed", "_selected_action": [failed.pk]},
            )
        assert response.status_code == 302
        failed.refresh_from_db()
        assert failed.status == "sent" and failed.attempts == 1
        assert mail.outbox[0].to == [failed.person.email]

    def test_centre_staff_do_not_see_it(self, client, dana, failed):
        client.force_login(dana)
        assert client.get("/en/admin/core/outboxmessage/").status_code == 403


class TestEveryMailGoesThroughIt:
    def test_no_code_but_the_outbox_hands_mail_to_django(self):
        from pathlib import Path

        from django.conf import settings

        senders = []
        for folder in ("mobility", "migration", "matching"):
            for path in (Path(settings.BASE_DIR) / folder).rglob("*.py"):
                text = path.read_text(encoding="utf-8")
                if any(
                    word in text
                    for word in (
                        "from django.core.mail import",
                        "send_mail(",
                        "mail_admins(",
                        "EmailMessage(",
                    )
                ):
                    senders.append(str(path.relative_to(settings.BASE_DIR)))
        assert senders == ["mobility/core/outbox.py"]

    def test_a_verification_decision_writes_one_message_per_owner(
        self, dana, django_capture_on_commit_callbacks
    ):
        from mobility.accounts.models import Organisation
        from mobility.employer import services
        from tests.factories import OrganisationFactory, OrganisationMembershipFactory

        org = OrganisationFactory(status=Organisation.Status.PENDING)
        owners = [OrganisationMembershipFactory(organisation=org).user for _ in range(2)]
        owners[1].language = "ru"
        owners[1].save()
        with django_capture_on_commit_callbacks(execute=True):
            services.organisation_decide(organisation=org, verify=False, by=dana, reason="BIN mismatch")
        messages = OutboxMessage.objects.filter(topic="organisation").order_by("person_id")
        assert [m.person for m in messages] == sorted(owners, key=lambda u: u.pk)
        assert all(m.status == "sent" for m in messages)
        by_address = {m.to[0]: m for m in mail.outbox}
        assert "BIN mismatch" in by_address[owners[0].email].body
        assert by_address[owners[1].email].subject != by_address[owners[0].email].subject  # ru, kk

    def test_an_invitation_is_one_message_to_an_address(
        self, bolat, bolat_org, django_capture_on_commit_callbacks
    ):
        from mobility.employer import services

        with django_capture_on_commit_callbacks(execute=True):
            invitation, _token = services.invitation_create(
                organisation=bolat_org,
                email="new@firm.kz",
                role="recruiter",
                by=bolat,
                accept_url=lambda token: f"https://example.kz/kk/employer/join/{token}/",
            )
        message = OutboxMessage.objects.get(key=f"organisation.invitation:{invitation.pk}")
        assert (message.person, message.email, message.language) == (None, "new@firm.kz", bolat.language)
        assert mail.outbox[0].to == ["new@firm.kz"] and bolat_org.name in mail.outbox[0].body
