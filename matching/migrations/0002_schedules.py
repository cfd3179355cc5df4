import datetime as dt
import zoneinfo

from django.db import migrations
from django.utils import timezone

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
SCHEDULES = [
    # (name, func, schedule_type, minutes, local time of the first run for daily jobs)
    ("Rebuild the matching index", "matching.tasks.rebuild_index", "D", None, dt.time(2, 30)),
    ("Collect saved-search alerts", "mobility.exchange.tasks.collect_saved_search_hits", "I", 60, None),
    ("Close expired vacancies", "mobility.exchange.tasks.close_expired_vacancies", "D", None, dt.time(0, 5)),
]


def _next(at: dt.time) -> dt.datetime:
    now = timezone.now().astimezone(ALMATY)
    candidate = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return candidate if candidate > now else candidate + dt.timedelta(days=1)


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Schedule = apps.get_model("django_q", "Schedule")
    for name, func, kind, minutes, at in SCHEDULES:
        Schedule.objects.update_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": kind,
                "minutes": minutes,
                "repeats": -1,
                "next_run": _next(at) if at else timezone.now() + dt.timedelta(minutes=5),
            },
        )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(name__in=[s[0] for s in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
