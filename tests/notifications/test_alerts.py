"""Match alerts: only new matches, only at or above the person's threshold, at most their daily
limit (two by default); employers hear of new strong candidates once."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from mobility.exchange.models import SavedSearch
from mobility.notifications import alerts
from mobility.notifications.consent import consent_set
from mobility.notifications.models import AlertPreference, CandidateSeen, InboxMessage, MatchAlert
from tests.factories import SeekerProfileFactory, VacancyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeker(aigerim):
    profile = SeekerProfileFactory(user=aigerim)
    SavedSearch.objects.create(
        profile=profile, name="any", params={}, created_at=timezone.now() - dt.timedelta(hours=2)
    )
    consent_set(
        person=aigerim,
        choices=[("match_alerts", "inbox", True), ("match_alerts", "email", True)],
        source="page",
    )
    return aigerim


def _scores(mapping):
    return mock.patch("mobility.notifications.scoring.vacancy_scores", return_value=mapping)


def _run(seeker, scores, django_capture_on_commit_callbacks, now=None):
    with _scores(scores), django_capture_on_commit_callbacks(execute=True):
        return alerts.seeker_alert_send(person=seeker, now=now)


def test_new_vacancies_above_the_threshold_arrive_once_in_every_consented_channel(
    seeker, django_capture_on_commit_callbacks
):
    AlertPreference.objects.create(person=seeker, threshold=60)
    strong, weak = VacancyFactory(title="Электрик"), VacancyFactory(title="Повар")
    alert = _run(seeker, {strong.pk: 90, weak.pk: 40}, django_capture_on_commit_callbacks)
    assert alert is not None and [i["vacancy"] for i in alert.items] == [strong.pk]
    inbox = InboxMessage.objects.get(person=seeker)
    assert "Электрик" in inbox.body and "Повар" not in inbox.body
    assert len(mail.outbox) == 1 and "Электрик" in mail.outbox[0].body
    # the next run finds nothing new: neither the sent one nor the one below the threshold
    assert _run(seeker, {strong.pk: 90, weak.pk: 40}, django_capture_on_commit_callbacks) is None
    assert len(mail.outbox) == 1 and MatchAlert.objects.count() == 1


def test_only_matches_published_after_the_search_count(seeker, django_capture_on_commit_callbacks):
    old = VacancyFactory(title="Старая", published_at=timezone.now() - dt.timedelta(days=3))
    assert _run(seeker, {old.pk: 100}, django_capture_on_commit_callbacks) is None
    assert not mail.outbox


def test_at_most_the_daily_limit_and_the_rest_waits_for_tomorrow(seeker, django_capture_on_commit_callbacks):
    now = timezone.now()
    sent = []
    for i in range(3):
        vacancy = VacancyFactory(title=f"Вакансия {i}")
        sent.append(_run(seeker, {vacancy.pk: 80}, django_capture_on_commit_callbacks, now=now))
    assert [a is not None for a in sent] == [True, True, False]  # two a day by default
    waiting = MatchAlert.objects.count()
    tomorrow = now + dt.timedelta(days=1)
    last = _run(seeker, {v: 80 for v in range(1, 10_000)}, django_capture_on_commit_callbacks, now=tomorrow)
    assert last is not None and MatchAlert.objects.count() == waiting + 1
    assert [i["score"] for i in last.items] == [80]


def test_a_person_who_set_a_limit_of_one_gets_one(seeker, django_capture_on_commit_callbacks):
    AlertPreference.objects.create(person=seeker, daily_limit=1, threshold=0)
    for i in range(2):
        vacancy = VacancyFactory(title=f"Вакансия {i}")
        _run(seeker, {vacancy.pk: 10}, django_capture_on_commit_callbacks)
    assert MatchAlert.objects.count() == 1


def test_no_consent_means_no_alert_run_for_the_person(aigerim, django_capture_on_commit_callbacks):
    profile = SeekerProfileFactory(user=aigerim)
    SavedSearch.objects.create(
        profile=profile, name="any", params={}, created_at=timezone.now() - dt.timedelta(hours=2)
    )
    VacancyFactory(title="Электрик")
    with _scores({}), django_capture_on_commit_callbacks(execute=True):
        assert alerts.seeker_alerts_run() == 0
    assert not MatchAlert.objects.exists() and not mail.outbox


def test_the_daily_run_takes_daily_people_and_the_instant_run_instant_ones(
    seeker, django_capture_on_commit_callbacks
):
    vacancy = VacancyFactory(title="Электрик")
    with _scores({vacancy.pk: 90}), django_capture_on_commit_callbacks(execute=True):
        assert alerts.seeker_alerts_run(frequency="instant") == 0  # the default is a daily digest
        assert alerts.seeker_alerts_run(frequency="daily") == 1


def test_employers_hear_of_new_strong_candidates_once(bolat, bolat_org, django_capture_on_commit_callbacks):
    consent_set(person=bolat, choices=[("match_alerts", "inbox", True)], source="page")
    vacancy = VacancyFactory(organisation=bolat_org, title="Сварщик")
    strong, weak = SeekerProfileFactory(), SeekerProfileFactory()
    scores = {strong.pk: 95, weak.pk: 60}
    with mock.patch("mobility.notifications.scoring.candidate_scores", return_value=scores):
        with django_capture_on_commit_callbacks(execute=True):
            assert alerts.employer_alerts_run() == 1
            assert alerts.employer_alerts_run() == 0  # nobody new
    assert list(CandidateSeen.objects.values_list("profile_id", flat=True)) == [strong.pk]
    assert "Сварщик" in InboxMessage.objects.get(person=bolat).body
    assert vacancy.pk == MatchAlert.objects.get(person=bolat).items[0]["vacancy"]
