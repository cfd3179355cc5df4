"""Consent: nothing goes out on a topic the person has not consented to or has withdrawn; the
settings page, the one-click link, the mail program's unsubscribe and the STOP reply each
withdraw, and each change is kept with its time and source."""

import json
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mobility.core.models import AuditEntry, OutboxMessage
from mobility.core.outbox import outbox_add, outbox_message_deliver
from mobility.notifications.channels import LocmemSmsBackend
from mobility.notifications.consent import consent_allows, consent_set
from mobility.notifications.links import withdraw_token
from mobility.notifications.models import ConsentChange, InboxMessage
from mobility.notifications.services import notify
from mobility.notifications.views import sms_signature

pytestmark = pytest.mark.django_db

ALERT = {"template": "reminder_vacancy_closing", "topic": "reminders"}


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.SMS_BACKEND = "mobility.notifications.channels.LocmemSmsBackend"
    settings.SMS_WEBHOOK_SECRET = "shared-secret"
    LocmemSmsBackend.outbox = []


@pytest.fixture
def vacancy(bolat_org):
    from tests.factories import VacancyFactory

    return VacancyFactory(organisation=bolat_org, title="Сварщик")


def _remind(person, vacancy, key="r:1"):
    return notify(person=person, context={"vacancy": vacancy}, key=key, **ALERT)


def _grant(person, *channels, topic="reminders"):
    consent_set(person=person, choices=[(topic, c, True) for c in channels], source="page")


class TestNothingWithoutConsent:
    def test_a_topic_never_chosen_sends_nothing_on_any_channel(
        self, aigerim, vacancy, django_capture_on_commit_callbacks
    ):
        aigerim.phone = "+7 701 111 22 33"
        aigerim.save()
        with django_capture_on_commit_callbacks(execute=True):
            written = _remind(aigerim, vacancy)
        assert written == []
        assert not mail.outbox and not LocmemSmsBackend.outbox and not InboxMessage.objects.exists()

    def test_outbox_add_itself_withholds_a_topic_without_consent(
        self, aigerim, vacancy, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            message = outbox_add(person=aigerim, context={"vacancy": vacancy}, key="direct", **ALERT)
        assert message.status == OutboxMessage.Status.WITHHELD and callbacks == [] and not mail.outbox

    def test_only_the_consented_channels_get_it(self, aigerim, vacancy, django_capture_on_commit_callbacks):
        aigerim.phone = "+77011112233"
        aigerim.save()
        _grant(aigerim, "inbox", "sms")
        with django_capture_on_commit_callbacks(execute=True):
            written = _remind(aigerim, vacancy)
        assert sorted(m.channel for m in written) == ["inbox", "sms"]
        assert not mail.outbox
        assert "Сварщик" in InboxMessage.objects.get(person=aigerim).subject
        assert LocmemSmsBackend.outbox[0]["to"] == "+77011112233"
        assert LocmemSmsBackend.outbox[0]["key"] == "r:1:sms"

    def test_a_withdrawal_after_writing_wins_at_delivery(
        self, aigerim, vacancy, django_capture_on_commit_callbacks
    ):
        _grant(aigerim, "email")
        with django_capture_on_commit_callbacks(execute=False):
            [message] = _remind(aigerim, vacancy)
        consent_set(person=aigerim, choices=[("reminders", "email", False)], source="page")
        assert outbox_message_deliver(message_id=message.pk) == OutboxMessage.Status.WITHHELD
        assert not mail.outbox

    def test_a_legal_notice_goes_out_marked_without_a_withdrawal_link(
        self, aigerim, vacancy, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            written = notify(
                person=aigerim, context={"vacancy": vacancy}, key="legal", legal_notice=True, **ALERT
            )
        assert {m.channel for m in written} == {"inbox", "email"}  # no phone: no SMS
        body = mail.outbox[0].body
        assert "withdraw" not in body and "/notifications/withdraw/" not in body
        assert "List-Unsubscribe" not in mail.outbox[0].extra_headers
        assert InboxMessage.objects.get(person=aigerim).legal_notice

    def test_service_notices_come_by_default_and_what_was_asked_for_needs_nothing(self, aigerim):
        assert consent_allows(person=aigerim, topic="referral", channel="email")
        assert not consent_allows(person=aigerim, topic="referral", channel="sms")
        assert consent_allows(person=aigerim, topic="account", channel="email")
        assert not consent_allows(person=aigerim, topic="match_alerts", channel="email")


class TestWithdrawal:
    def test_every_email_carries_a_working_one_click_link(
        self, client, aigerim, vacancy, django_capture_on_commit_callbacks
    ):
        aigerim.language = "ru"
        aigerim.save()
        _grant(aigerim, "email")
        with django_capture_on_commit_callbacks(execute=True):
            _remind(aigerim, vacancy)
        email = mail.outbox[0]
        assert email.extra_headers["Idempotency-Key"] == "r:1:email"
        assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = next(w for w in email.body.split() if "/notifications/withdraw/" in w)
        path = link.split("127.0.0.1:8000", 1)[1]
        assert path.startswith("/ru/")
        assert client.get(path).status_code == 200
        assert consent_allows(person=aigerim, topic="reminders", channel="email")  # GET changes nothing
        assert client.post(path).status_code == 200
        assert not consent_allows(person=aigerim, topic="reminders", channel="email")
        change = ConsentChange.objects.get(person=aigerim, granted=False)
        assert (change.topic, change.channel, change.source) == ("reminders", "email", "link")
        assert AuditEntry.objects.filter(action="consent.withdrawn").exists()
        with django_capture_on_commit_callbacks(execute=True):
            assert _remind(aigerim, vacancy, key="r:2") == []
        assert len(mail.outbox) == 1

    def test_the_mail_programs_one_click_post_is_recorded_as_such(self, client, aigerim):
        _grant(aigerim, "email", topic="match_alerts")
        token = withdraw_token(person_id=aigerim.pk, topic="match_alerts", channel="email")
        client.post(reverse("notifications:withdraw", args=[token]), {"List-Unsubscribe": "One-Click"})
        assert ConsentChange.objects.filter(person=aigerim, granted=False).get().source == "email_client"

    def test_a_forged_token_withdraws_nothing(self, client, aigerim):
        _grant(aigerim, "email", topic="match_alerts")
        token = withdraw_token(person_id=aigerim.pk, topic="match_alerts", channel="email")
        response = client.post(reverse("notifications:withdraw", args=[token[:-2] + "xx"]))
        assert response.status_code == 404
        assert consent_allows(person=aigerim, topic="match_alerts", channel="email")

    def test_the_settings_page_grants_and_withdraws_with_history(self, client, aigerim):
        client.force_login(aigerim)
        data = {
            "consent-match_alerts__email": "on",
            "alerts-frequency": "instant",
            "alerts-threshold": "70",
            "alerts-daily_limit": "3",
        }
        assert client.post(reverse("notifications:settings"), data).status_code == 302
        assert consent_allows(person=aigerim, topic="match_alerts", channel="email")
        assert not consent_allows(person=aigerim, topic="service_notices", channel="email")  # unticked
        assert aigerim.alert_preference.threshold == 70
        page = client.get(reverse("notifications:settings")).content.decode()
        assert "Notification settings page" in page or "page" in page
        sources = set(ConsentChange.objects.filter(person=aigerim).values_list("source", flat=True))
        assert sources == {"page"}

    def test_settings_keep_what_was_typed_and_say_what_is_wrong(self, client, aigerim):
        client.force_login(aigerim)
        data = {"alerts-frequency": "instant", "alerts-threshold": "150", "alerts-daily_limit": "2"}
        response = client.post(reverse("notifications:settings"), data)
        assert response.status_code == 200
        assert 'value="150"' in response.content.decode()
        assert not ConsentChange.objects.exists()


class TestSmsStop:
    def _post(self, client, payload, secret="shared-secret", ts=None):  # noqa: S107 - the test gateway's secret
        body = json.dumps(payload).encode()
        ts = str(int(time.time())) if ts is None else ts
        return client.post(
            "/notifications/sms/inbound",
            body,
            content_type="application/json",
            headers={"X-Timestamp": ts, "X-Signature": "sha256=" + sms_signature(secret, ts, body)},
        )

    def test_stop_withdraws_sms_on_every_topic_with_its_source(
        self, client, aigerim, vacancy, django_capture_on_commit_callbacks
    ):
        aigerim.phone = "8 (701) 111-22-33"
        aigerim.save()
        _grant(aigerim, "sms", "email")
        response = self._post(client, {"from": "+77011112233", "text": "STOP"})
        assert response.status_code == 200 and response.json() == {"withdrawn": 1}
        assert not consent_allows(person=aigerim, topic="reminders", channel="sms")
        assert consent_allows(person=aigerim, topic="reminders", channel="email")  # only SMS
        assert set(ConsentChange.objects.filter(granted=False).values_list("source", flat=True)) == {
            "sms_stop"
        }
        with django_capture_on_commit_callbacks(execute=True):
            written = _remind(aigerim, vacancy)
        assert [m.channel for m in written] == ["email"] and not LocmemSmsBackend.outbox

    def test_an_unsigned_or_stale_or_forged_reply_is_refused(self, client, aigerim):
        aigerim.phone = "+77011112233"
        aigerim.save()
        _grant(aigerim, "sms")
        payload = {"from": "+77011112233", "text": "STOP"}
        assert (
            client.post("/notifications/sms/inbound", payload, content_type="application/json").status_code
            == 403
        )
        assert self._post(client, payload, secret="guessed").status_code == 403
        assert self._post(client, payload, ts=str(int(time.time()) - 3600)).status_code == 403
        assert consent_allows(person=aigerim, topic="reminders", channel="sms")

    def test_other_replies_change_nothing(self, client, aigerim):
        aigerim.phone = "+77011112233"
        aigerim.save()
        _grant(aigerim, "sms")
        assert self._post(client, {"from": "+77011112233", "text": "спасибо"}).json() == {"withdrawn": 0}
        assert consent_allows(person=aigerim, topic="reminders", channel="sms")


def test_the_navigation_counts_unread_messages_without_a_query_per_page(
    client, aigerim, vacancy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(person=aigerim, context={"vacancy": vacancy}, key="n:1", legal_notice=True, **ALERT)
    client.force_login(aigerim)
    assert 'aria-label="unread messages">1<' in client.get("/en/regions/").content.decode()
    message = InboxMessage.objects.get(person=aigerim)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("notifications:message", args=[message.pk]))
    assert "unread messages" not in client.get("/en/regions/").content.decode()


def _deliver(person, vacancy, keys, capture):
    with capture(execute=True):
        for key in keys:
            notify(person=person, context={"vacancy": vacancy}, key=key, legal_notice=True, **ALERT)


def test_the_unread_badge_adds_no_query_to_a_page(
    client, aigerim, vacancy, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The badge reads the cache that delivery and reading keep current: once the count is
    cached, the page asks the same queries with no message, one or twenty unread."""
    client.force_login(aigerim)
    client.get("/en/regions/")  # a missing key is counted once (test_the_badge_recounts_...)
    with django_assert_num_queries(PAGE_QUERIES):
        assert "unread messages" not in client.get("/en/regions/").content.decode()
    _deliver(aigerim, vacancy, ["badge:1"], django_capture_on_commit_callbacks)
    with django_assert_num_queries(PAGE_QUERIES):
        assert 'aria-label="unread messages">1<' in client.get("/en/regions/").content.decode()
    _deliver(aigerim, vacancy, [f"badge:{n}" for n in range(2, 21)], django_capture_on_commit_callbacks)
    with django_assert_num_queries(PAGE_QUERIES):
        assert 'aria-label="unread messages">20<' in client.get("/en/regions/").content.decode()


def test_the_badge_recounts_once_after_the_cache_is_lost(
    client, aigerim, vacancy, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """A Redis restart or flush loses the cached counts: the next page counts from the database
    once (one query more) and caches the count again, so the page after it asks none."""
    from django.core.cache import cache

    _deliver(aigerim, vacancy, ["lost:1", "lost:2", "lost:3"], django_capture_on_commit_callbacks)
    client.force_login(aigerim)
    cache.clear()
    with django_assert_num_queries(PAGE_QUERIES + 1):
        assert 'aria-label="unread messages">3<' in client.get("/en/regions/").content.decode()
    with django_assert_num_queries(PAGE_QUERIES):
        assert 'aria-label="unread messages">3<' in client.get("/en/regions/").content.decode()
    cache.clear()
    InboxMessage.objects.filter(person=aigerim).update(read_at=timezone.now())
    with django_assert_num_queries(PAGE_QUERIES + 1):
        assert "unread messages" not in client.get("/en/regions/").content.decode()
    with django_assert_num_queries(PAGE_QUERIES):
        assert "unread messages" not in client.get("/en/regions/").content.decode()


def test_the_inbox_page_asks_the_same_queries_for_three_or_thirty_messages(
    client, aigerim, vacancy, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client.force_login(aigerim)
    _deliver(aigerim, vacancy, [f"inbox:{n}" for n in range(3)], django_capture_on_commit_callbacks)
    with django_assert_num_queries(INBOX_QUERIES):
        assert client.get("/en/notifications/inbox/").status_code == 200
    _deliver(aigerim, vacancy, [f"inbox:{n}" for n in range(3, 30)], django_capture_on_commit_callbacks)
    with django_assert_num_queries(INBOX_QUERIES):
        page = client.get("/en/notifications/inbox/").content.decode()
    assert page.count('href="/en/notifications/inbox/') >= 25  # a full page of 25 listed


PAGE_QUERIES = 8  # the page's own (session, user, its content); the badge adds none
INBOX_QUERIES = 8  # the same whatever the number of messages
