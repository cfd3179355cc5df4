"""Scheduled jobs: they exist after migrate, run through django-q2, and call the services."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task, result

from mobility.exchange import tasks
from mobility.exchange.models import SavedSearch, Vacancy
from tests.factories import SeekerProfileFactory, VacancyFactory

pytestmark = pytest.mark.django_db


def test_the_schedules_are_installed_by_migrate():
    funcs = set(Schedule.objects.values_list("func", flat=True))
    assert {
        "matching.tasks.rebuild_index",
        "mobility.exchange.tasks.collect_saved_search_hits",
        "mobility.exchange.tasks.close_expired_vacancies",
    } <= funcs


def test_expired_vacancies_are_closed_and_audited():
    expired = VacancyFactory(expires_on=timezone.localdate() - dt.timedelta(days=1))
    current = VacancyFactory(expires_on=timezone.localdate() + dt.timedelta(days=1))
    assert tasks.close_expired_vacancies() == 1
    expired.refresh_from_db()
    current.refresh_from_db()
    assert (expired.status, current.status) == (Vacancy.Status.CLOSED, Vacancy.Status.PUBLISHED)


def test_saved_search_hits_are_collected_through_the_queue(aigerim):
    profile = SeekerProfileFactory(user=aigerim)
    search = SavedSearch.objects.create(
        profile=profile, name="any", params={}, created_at=timezone.now() - dt.timedelta(hours=2)
    )
    VacancyFactory(title="Новая вакансия")
    with mock.patch("django_q.conf.Conf.SYNC", True):
        task_id = async_task("mobility.exchange.tasks.collect_saved_search_hits")
    assert result(task_id) == 1
    assert search.hits.count() == 1


def test_the_index_rebuild_task_publishes_an_artifact(settings):
    from matching import tasks as matching_tasks

    VacancyFactory(title="Бухгалтер")
    report = matching_tasks.rebuild_index()
    assert report["vacancies"] == 1
    assert (settings.MATCHING_INDEX_DIR / "current.json").exists()
