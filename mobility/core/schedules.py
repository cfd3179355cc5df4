"""Every django-q2 schedule of the service, in one place.

`schedules_sync` makes the `Schedule` table say what this list says (by name): a migration runs
it (`notifications/0002_schedules`), and `manage.py schedules_sync` runs it after a deploy that
changed the list. A new periodic job is a line here, not a new migration.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
MINUTES, DAILY = "I", "D"


@dataclass(frozen=True)
class Job:
    name: str
    func: str
    kind: str  # MINUTES (every `minutes`) or DAILY (at local time `at`)
    minutes: int | None = None
    at: dt.time | None = None


SCHEDULES = (
    # The kernel
    Job("Send waiting outbox messages again", "mobility.core.tasks.outbox_sweep", MINUTES, minutes=1),
    Job(
        "Delete document files that have no record",
        "mobility.core.documents.tasks.sweep_orphaned_document_files",
        DAILY,
        at=dt.time(3, 30),
    ),
    Job(
        "Pseudonymise personal data past retention",
        "mobility.core.privacy.tasks.pseudonymise_past_retention",
        DAILY,
        at=dt.time(3, 0),
    ),
    # The API
    Job("Fan out and retry webhooks", "mobility.api.tasks.fan_out_webhooks", MINUTES, minutes=1),
    Job(
        "Forget old idempotency answers",
        "mobility.api.tasks.prune_idempotency_records",
        DAILY,
        at=dt.time(4, 0),
    ),
    # The matcher and the exchange
    Job("Rebuild the matching index", "matching.tasks.rebuild_index", DAILY, at=dt.time(2, 30)),
    Job(
        "Collect saved-search alerts",
        "mobility.exchange.tasks.collect_saved_search_hits",
        MINUTES,
        minutes=60,
    ),
    Job(
        "Close expired vacancies", "mobility.exchange.tasks.close_expired_vacancies", DAILY, at=dt.time(0, 5)
    ),
    # Notifications
    Job("Instant match alerts", "mobility.notifications.tasks.match_alerts_instant", MINUTES, minutes=15),
    Job("Daily match alerts", "mobility.notifications.tasks.match_alerts_daily", DAILY, at=dt.time(8, 0)),
    Job("Proactive offers", "mobility.notifications.tasks.proactive_offers", DAILY, at=dt.time(5, 0)),
    Job("Reminders and deadlines", "mobility.notifications.tasks.send_reminders", DAILY, at=dt.time(9, 0)),
    # Foreign specialists (overdue steps, employers' reports and cards ending are reminder rules
    # of the job above; rounds are run and published by staff, never on a clock)
    Job(
        "Void cards of holders who acquired citizenship",
        "migration.tasks.void_cards_on_citizenship",
        DAILY,
        at=dt.time(0, 30),
    ),
)


def _next_run(job: Job, now: dt.datetime) -> dt.datetime:
    if job.at is None:
        return now + dt.timedelta(minutes=job.minutes or 1)
    local = now.astimezone(ALMATY)
    candidate = local.replace(hour=job.at.hour, minute=job.at.minute, second=0, microsecond=0)
    return candidate if candidate > local else candidate + dt.timedelta(days=1)


def schedules_sync(schedule_model: Any = None, *, now: dt.datetime | None = None) -> list[str]:
    """Create or update every schedule of the list (keeping a pending next run that still fits);
    returns the names written. `schedule_model` is the historical model inside a migration."""
    from django.utils import timezone

    if schedule_model is None:
        from django_q.models import Schedule

        schedule_model = Schedule
    now = now or timezone.now()
    written = []
    for job in SCHEDULES:
        existing = schedule_model.objects.filter(name=job.name).first()
        same = existing is not None and (existing.func, existing.schedule_type, existing.minutes) == (
            job.func,
            job.kind,
            job.minutes,
        )
        schedule_model.objects.update_or_create(
            name=job.name,
            defaults={
                "func": job.func,
                "schedule_type": job.kind,
                "minutes": job.minutes,
                "repeats": -1,
                "next_run": existing.next_run if same and existing.next_run else _next_run(job, now),
            },
        )
        written.append(job.name)
    return written
