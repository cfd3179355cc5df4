"""Interview dates: the employer sets one when moving a candidate to the interview stage or later,
moves or cancels it (each audited); the candidate sees it on their applications page, is told
each time and reminded the day before, as is the employer's contact."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from mobility.core.audit import audit_trail
from mobility.core.models import OutboxMessage
from mobility.core.workflow import MoveForbidden
from mobility.exchange import services as exchange
from mobility.exchange.models import ApplicationStatus, Interview
from mobility.notifications.consent import consent_set
from mobility.notifications.models import InboxMessage
from mobility.notifications.reminders import reminders_run
from tests.ui.browser_form import field_value, form_data

pytestmark = pytest.mark.django_db

ALMATY = timezone.get_default_timezone()


def _at(days: int, hour: int = 10, minute: int = 30) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ALMATY)


@pytest.fixture
def applied(vacancy, public_seeker):
    return exchange.application_create(
        seeker=public_seeker, vacancy=vacancy, status="applied", by=public_seeker.user
    )


@pytest.fixture
def at_interview(applied, bolat):
    return exchange.application_transition(application=applied, to="interview", by=bolat)


class TestService:
    def test_set_move_and_cancel_are_audited_and_told_once_each(
        self, at_interview, bolat, django_capture_on_commit_callbacks
    ):
        seeker = at_interview.seeker.user
        with django_capture_on_commit_callbacks(execute=True):
            interview = exchange.application_interview_schedule(
                application=at_interview, by=bolat, starts_at=_at(3), place="Офис 12", note="Паспорт"
            )
        with django_capture_on_commit_callbacks(execute=True):
            same = exchange.application_interview_schedule(
                application=at_interview, by=bolat, starts_at=_at(3), place="Офис 12", note="Паспорт"
            )
        with django_capture_on_commit_callbacks(execute=True):
            moved = exchange.application_interview_schedule(
                application=at_interview, by=bolat, starts_at=_at(4, 15), place="Офис 12", reason="болезнь"
            )
        with django_capture_on_commit_callbacks(execute=True):
            cancelled = exchange.application_interview_cancel(
                application=at_interview, by=bolat, reason="Вакансия закрыта"
            )
        assert same.pk == moved.pk == cancelled.pk == interview.pk
        assert (cancelled.status, cancelled.revision) == (Interview.Status.CANCELLED, 2)
        entries = {e.action: e for e in audit_trail(at_interview)}
        scheduled = entries["application.interview_scheduled"]
        assert scheduled.to_state == _at(3).isoformat(timespec="minutes") and scheduled.actor_id == bolat.pk
        rescheduled = entries["application.interview_rescheduled"]
        assert (rescheduled.from_state, rescheduled.to_state, rescheduled.reason) == (
            _at(3).isoformat(timespec="minutes"),
            _at(4, 15).isoformat(timespec="minutes"),
            "болезнь",
        )
        assert entries["application.interview_cancelled"].reason == "Вакансия закрыта"
        # A service notice each (inbox and email by default), none for the unchanged repeat.
        subjects = list(
            InboxMessage.objects.filter(person=seeker).order_by("id").values_list("subject", flat=True)
        )
        assert len(subjects) == 3 and len(mail.outbox) == 3
        assert "10:30" in subjects[0] and "15:30" in subjects[1]
        assert OutboxMessage.objects.filter(person=seeker, topic="service_notices").count() == 6

    def test_a_past_time_is_refused_on_the_field(self, at_interview, bolat):
        with pytest.raises(ValidationError) as refused:
            exchange.application_interview_schedule(
                application=at_interview, by=bolat, starts_at=timezone.now() - dt.timedelta(minutes=1)
            )
        assert "starts_at" in refused.value.message_dict
        assert not Interview.objects.exists()

    def test_only_the_employer_and_only_at_the_interview_stage(self, applied, at_interview, bolat):
        with pytest.raises(MoveForbidden):
            exchange.application_interview_schedule(
                application=at_interview, by=at_interview.seeker.user, starts_at=_at(2)
            )
        exchange.application_transition(application=at_interview, to="offer", by=bolat)
        with pytest.raises(ValidationError) as refused:
            exchange.application_interview_schedule(application=at_interview, by=bolat, starts_at=_at(2))
        assert "starts_at" in refused.value.message_dict

    def test_a_refused_date_undoes_the_move_to_interview(self, applied, bolat):
        from mobility.employer import services as employer

        with pytest.raises(ValidationError):
            employer.application_move(
                application=applied,
                to="interview",
                by=bolat,
                interview={"starts_at": timezone.now() - dt.timedelta(hours=1)},
            )
        applied.refresh_from_db()
        assert applied.status == ApplicationStatus.APPLIED and not Interview.objects.exists()


class TestPages:
    def _detail(self, client, application, language="en"):
        return client.get(f"/{language}/employer/applications/{application.id}/").content.decode()

    def test_moving_to_interview_with_a_date_tells_the_candidate(
        self, client, bolat, applied, django_capture_on_commit_callbacks
    ):
        client.force_login(bolat)
        page = self._detail(client, applied)
        assert 'type="datetime-local"' in page and 'name="interview-starts_at"' in page
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/en/employer/applications/{applied.id}/move/",
                {
                    "to": "interview",
                    "interview-starts_at": _at(2).strftime("%Y-%m-%dT%H:%M"),
                    "interview-place": "https://meet.example.kz/x",
                },
            )
        assert response.status_code == 302
        applied.refresh_from_db()
        assert applied.status == "interview"
        assert Interview.objects.get(application=applied).starts_at == _at(2)
        assert InboxMessage.objects.filter(person=applied.seeker.user).count() == 1
        # The candidate sees it on their applications page.
        client.force_login(applied.seeker.user)
        mine = client.get("/en/me/applications/").content.decode()
        block = mine[mine.index(f'id="interview-{applied.id}"') :]
        assert _at(2).isoformat() in block and "https://meet.example.kz/x" in block

    def test_a_past_date_is_refused_beside_the_field_and_nothing_moves(self, client, bolat, applied):
        client.force_login(bolat)
        past = (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        response = client.post(
            f"/en/employer/applications/{applied.id}/move/", {"to": "interview", "interview-starts_at": past}
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert re.search(r'id="id_interview-starts_at_error"[^>]*>.*has not passed', page, re.S)
        assert field_value(page, "interview-starts_at") == past
        applied.refresh_from_db()
        assert applied.status == "applied"

    @pytest.mark.parametrize("language", ["kk", "ru", "en"])
    def test_the_saved_time_shows_in_iso_and_reads_back_in_every_language(
        self, client, bolat, at_interview, language
    ):
        exchange.application_interview_schedule(application=at_interview, by=bolat, starts_at=_at(5, 9, 0))
        client.force_login(bolat)
        url = f"/{language}/employer/applications/{at_interview.id}/"
        page = client.get(url).content.decode()
        assert field_value(page, "interview-starts_at") == _at(5, 9, 0).strftime("%Y-%m-%dT%H:%M")
        data = form_data(page, containing="interview-starts_at")
        data["interview-place"] = ["Кабинет 3"]
        assert (
            client.post(f"/{language}/employer/applications/{at_interview.id}/interview/", data).status_code
            == 302
        )
        interview = Interview.objects.get(application=at_interview)
        assert (interview.starts_at, interview.place, interview.revision) == (_at(5, 9, 0), "Кабинет 3", 2)

    def test_cancel_needs_a_reason_and_others_get_404(self, client, bolat, other_member, at_interview):
        exchange.application_interview_schedule(application=at_interview, by=bolat, starts_at=_at(2))
        client.force_login(other_member)
        url = f"/en/employer/applications/{at_interview.id}/interview/cancel/"
        assert client.post(url, {"cancel-reason": "x"}).status_code == 404
        client.force_login(bolat)
        assert client.post(url, {"cancel-reason": ""}).status_code == 400
        assert client.post(url, {"cancel-reason": "Позиция закрыта"}).status_code == 302
        assert Interview.objects.get().status == Interview.Status.CANCELLED
        client.force_login(at_interview.seeker.user)
        mine = client.get("/en/me/applications/").content.decode()
        assert f'id="interview-{at_interview.id}"' not in mine
        assert "The employer has not set the interview" in mine


class TestReminder:
    def test_the_day_before_both_are_reminded_once(
        self, at_interview, bolat, django_capture_on_commit_callbacks
    ):
        seeker = at_interview.seeker.user
        for person in (seeker, bolat):
            consent_set(person=person, choices=[("reminders", "email", True)], source="page")
        with django_capture_on_commit_callbacks(execute=True):  # the notice goes out now
            exchange.application_interview_schedule(
                application=at_interview, by=bolat, starts_at=_at(1, 11, 0)
            )
        mail.outbox.clear()
        today = timezone.localdate()
        with django_capture_on_commit_callbacks(execute=True):
            assert reminders_run(today=today, rules=["interview"]) == {"interview": 2}
            reminders_run(today=today, rules=["interview"])
        assert sorted(m.to[0] for m in mail.outbox) == sorted([seeker.email, bolat.email])
        assert all("11:00" in m.subject for m in mail.outbox)
        # Not two days before, not after it was cancelled.
        assert reminders_run(today=today - dt.timedelta(days=1), rules=["interview"]) == {"interview": 0}
        exchange.application_interview_cancel(application=at_interview, by=bolat, reason="—")
        assert reminders_run(today=today + dt.timedelta(days=1), rules=["interview"]) == {"interview": 0}

    def test_the_reminder_speaks_the_candidates_language(
        self, at_interview, bolat, django_capture_on_commit_callbacks
    ):
        seeker = at_interview.seeker.user
        seeker.language = "ru"
        seeker.save()
        consent_set(person=seeker, choices=[("reminders", "inbox", True)], source="page")
        exchange.application_interview_schedule(application=at_interview, by=bolat, starts_at=_at(1, 11, 0))
        with django_capture_on_commit_callbacks(execute=True):
            reminders_run(rules=["interview"])
        message = InboxMessage.objects.filter(person=seeker, topic="reminders").get()
        with translation.override("ru"):
            assert "11:00" in message.subject and at_interview.vacancy.title in message.subject
