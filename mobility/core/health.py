"""Readiness checks (`/readyz`): can this web process serve, and is the rest of the system it
depends on working? Each check answers a status ("ok" or "error") and a few facts; the view
answers 503 when any check is not "ok". Liveness (`/healthz`) checks none of this.

- database: a query on the default connection;
- cache: a value written and read back (Redis in production, shared by every worker);
- broker: django-q2's ORM broker answers (its queue is a table of the main database);
- worker: no django-q2 schedule is overdue by more than `HEALTH_WORKER_STALE_MINUTES`: every
  minute a running cluster moves the schedules' `next_run` on, so an overdue one means no
  cluster is working the queue;
- matcher index: the current artifact was built less than `HEALTH_INDEX_MAX_AGE_HOURS` ago
  (nightly rebuild, so 26 hours by default).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

Check = dict[str, Any]


def _database() -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok", "vendor": connection.vendor}


def _cache() -> Check:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    found = cache.get(key) == "1"
    cache.delete(key)
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return {"status": "ok" if found else "error", "backend": backend}


def _broker() -> Check:
    from django_q.brokers import get_broker

    broker = get_broker()
    return {"status": "ok" if broker.ping() else "error", "queued": broker.queue_size()}


def _worker() -> Check:
    from django_q.models import Schedule

    stale = dt.timedelta(minutes=settings.HEALTH_WORKER_STALE_MINUTES)
    due = Schedule.objects.exclude(repeats=0).order_by("next_run").values_list("next_run", flat=True).first()
    if due is None:
        return {"status": "error", "detail": "no schedules: run migrate"}
    late = timezone.now() - due
    return {
        "status": "ok" if late <= stale else "error",
        "oldest_due": due.isoformat(),
        "late_seconds": max(0, int(late.total_seconds())),
    }


def _matcher_index() -> Check:
    from matching.services import index_pointer

    pointer = index_pointer()
    if pointer is None or "built_at" not in pointer:
        return {"status": "error", "detail": "no index artifact: run manage.py rebuild_index"}
    built = dt.datetime.fromisoformat(pointer["built_at"])
    age = timezone.now() - built
    fresh = age <= dt.timedelta(hours=settings.HEALTH_INDEX_MAX_AGE_HOURS)
    return {
        "status": "ok" if fresh else "error",
        "artifact": pointer.get("artifact"),
        "age_seconds": int(age.total_seconds()),
    }


CHECKS: dict[str, Callable[[], Check]] = {
    "database": _database,
    "cache": _cache,
    "broker": _broker,
    "worker": _worker,
    "matcher_index": _matcher_index,
}


def readiness() -> tuple[bool, dict[str, Check]]:
    """Every check's answer; a check that raises is an error named by its exception's class
    (never its message, which may hold a connection string)."""
    results: dict[str, Check] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure makes the check fail, not the view
            results[name] = {"status": "error", "detail": type(exc).__name__}
    return all(result["status"] == "ok" for result in results.values()), results
