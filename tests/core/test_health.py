"""Liveness (`/healthz`: the process answers, nothing else touched) and readiness (`/readyz`:
database, cache, broker, worker heartbeat, matcher index age; 503 naming the failing check)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_q.models import Schedule

from mobility.core import health


@pytest.fixture
def ready(db, settings):
    """A system where everything works: a fresh index artifact, schedules not overdue."""
    directory = settings.MATCHING_INDEX_DIR
    directory.mkdir(parents=True, exist_ok=True)
    pointer = {"artifact": "a-1", "seq": 0, "built_at": timezone.now().isoformat()}
    (directory / "current.json").write_text(json.dumps(pointer))
    Schedule.objects.update(next_run=timezone.now() + dt.timedelta(minutes=1))


def _checks(client, expected_status):
    response = client.get("/readyz")
    assert response.status_code == expected_status
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    return response.json()


def test_liveness_touches_no_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_when_every_check_passes(client, ready):
    body = _checks(client, 200)
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "worker", "matcher_index"}
    assert {check["status"] for check in body["checks"].values()} == {"ok"}
    assert body["checks"]["matcher_index"]["artifact"] == "a-1"


def test_a_schedule_overdue_means_no_worker(client, ready, settings):
    settings.HEALTH_WORKER_STALE_MINUTES = 10
    schedule = Schedule.objects.exclude(repeats=0).first()
    assert schedule is not None, "migrate installs the periodic schedules"
    Schedule.objects.filter(pk=schedule.pk).update(next_run=timezone.now() - dt.timedelta(minutes=11))
    body = _checks(client, 503)
    assert body["status"] == "error"
    assert body["checks"]["worker"]["status"] == "error"
    assert body["checks"]["worker"]["late_seconds"] >= 660
    assert body["checks"]["database"]["status"] == "ok"


def test_a_schedule_late_within_the_allowance_is_fine(client, ready, settings):
    settings.HEALTH_WORKER_STALE_MINUTES = 10
    Schedule.objects.update(next_run=timezone.now() - dt.timedelta(minutes=3))
    assert _checks(client, 200)["checks"]["worker"]["status"] == "ok"


def test_a_stale_or_missing_index_is_not_ready(client, ready, settings):
    settings.HEALTH_INDEX_MAX_AGE_HOURS = 26
    old = {"artifact": "a-0", "built_at": (timezone.now() - dt.timedelta(hours=27)).isoformat()}
    (settings.MATCHING_INDEX_DIR / "current.json").write_text(json.dumps(old))
    assert _checks(client, 503)["checks"]["matcher_index"]["status"] == "error"
    (settings.MATCHING_INDEX_DIR / "current.json").unlink()
    body = _checks(client, 503)
    assert body["checks"]["matcher_index"] == {
        "status": "error",
        "detail": "no index artifact: run manage.py rebuild_index",
    }


def test_a_cache_that_loses_values_is_not_ready(client, ready, settings, monkeypatch):
    from django.core.cache.backends.dummy import DummyCache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    monkeypatch.setattr(health, "cache", DummyCache("", {}))
    assert _checks(client, 503)["checks"]["cache"] == {"status": "error", "backend": "DummyCache"}


def test_a_failing_check_names_the_error_class_only(client, ready, monkeypatch):
    def down():
        raise OperationalError('connection to server at "db.internal" (10.0.0.5) failed: password')

    monkeypatch.setitem(health.CHECKS, "database", down)
    body = _checks(client, 503)
    assert body["checks"]["database"] == {"status": "error", "detail": "OperationalError"}
    assert "10.0.0.5" not in json.dumps(body)


def test_the_rebuild_command_makes_a_missing_index_ready(client, ready, settings):
    """`make seed` ends with `rebuild_index`, so a new machine is ready at once."""
    from io import StringIO

    from django.core.management import call_command

    (settings.MATCHING_INDEX_DIR / "current.json").unlink()
    assert _checks(client, 503)["checks"]["matcher_index"]["status"] == "error"
    out = StringIO()
    call_command("rebuild_index", stdout=out)
    assert "Matcher index" in out.getvalue()
    assert _checks(client, 200)["checks"]["matcher_index"]["status"] == "ok"
