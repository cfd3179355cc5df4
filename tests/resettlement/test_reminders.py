"""Resettlement deadlines: the career centre is reminded of applications to forward, the holder of
an unused certificate 30 and 7 days before it ends (never of a used or cancelled one), once a day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from mobility.notifications.consent import consent_set
from mobility.notifications.models import InboxMessage
from mobility.notifications.reminders import REMINDER_RULES, reminders_run
from mobility.resettlement import services
from tests.factories import region

from .factories import ApplicationFactory, included

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 4)


def test_the_rules_are_registered():
    assert {"resettlement_forward_due", "resettlement_certificate_expiry"} <= set(REMINDER_RULES)


def test_counsellors_of_the_centre_are_reminded_to_forward_once_a_day(
    marat, dana, django_capture_on_commit_callbacks
):
    for person in (marat, dana):
        consent_set(person=person, choices=[("reminders", "inbox", True)], source="page")
    ApplicationFactory(status="submitted", forward_due_on=TODAY - dt.timedelta(days=2))  # late
    ApplicationFactory(status="submitted", forward_due_on=TODAY + dt.timedelta(days=1))  # due tomorrow
    ApplicationFactory(status="submitted", forward_due_on=TODAY + dt.timedelta(days=5))  # not yet
    ApplicationFactory(status="forwarded", forward_due_on=TODAY - dt.timedelta(days=3))  # done
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_run(today=TODAY, rules=["resettlement_forward_due"]) == {
            "resettlement_forward_due": 1
        }
        reminders_run(today=TODAY, rules=["resettlement_forward_due"])
    [message] = InboxMessage.objects.filter(topic="reminders")
    assert message.person == marat  # the centre of origin's counsellor, not Pavlodar's
    # in the counsellor's language (Kazakh, the persona's)
    assert message.subject == "2 қоныс аудару өтінішін жіберу керек"
    assert "Олардың 1 мерзімі өтіп кетті." in message.body and "/resettlement/staff/" in message.body


def test_no_reminder_without_consent(marat):
    ApplicationFactory(status="submitted", forward_due_on=TODAY)
    reminders_run(today=TODAY, rules=["resettlement_forward_due"])
    assert not InboxMessage.objects.exists() and not mail.outbox


def _certificate(aliya, **kwargs):
    application = included(**kwargs)
    services.budget_allocate(
        region=region("KZ-55"), category="resettler", year=2026, amount=10_000_000, by=aliya
    )
    return services.certificate_issue(
        application=application, purpose="purchase", home_price=8_000_000, by=aliya
    )


def test_the_holder_of_an_unused_certificate_is_reminded_30_and_7_days_before(
    aliya, asel, django_capture_on_commit_callbacks
):
    consent_set(person=asel, choices=[("reminders", "email", True)], source="page")
    with django_capture_on_commit_callbacks(execute=True):  # the "issued" notice goes out now
        certificate = _certificate(aliya, case__person=asel)
    mail.outbox.clear()
    ends = certificate.valid_until
    reminded = []
    for days in range(40, -1, -1):
        with django_capture_on_commit_callbacks(execute=True):
            if reminders_run(today=ends - dt.timedelta(days=days), rules=["resettlement_certificate_expiry"])[
                "resettlement_certificate_expiry"
            ]:
                reminded.append(days)
    assert reminded == [30, 7]
    with django_capture_on_commit_callbacks(execute=True):
        reminders_run(today=ends - dt.timedelta(days=7), rules=["resettlement_certificate_expiry"])  # again
    assert len(mail.outbox) == 2 and all(certificate.number in m.subject for m in mail.outbox)
    # in the holder's language (Kazakh)
    assert "7 күннен кейін аяқталады" in mail.outbox[1].body and asel.email in mail.outbox[1].to


@pytest.mark.parametrize("end", ["presented", "revoked"])
def test_never_for_a_used_or_cancelled_certificate(aliya, asel, end):
    consent_set(person=asel, choices=[("reminders", "inbox", True)], source="page")
    certificate = _certificate(aliya, case__person=asel)
    if end == "revoked":
        services.certificate_revoke(certificate=certificate, by=aliya, reason="The agreement was cancelled")
    else:
        services.certificate_present(certificate=certificate, by=aliya)
    ends = certificate.valid_until
    for days in (30, 7):
        today = ends - dt.timedelta(days=days)
        assert reminders_run(today=today, rules=["resettlement_certificate_expiry"]) == {
            "resettlement_certificate_expiry": 0
        }
