import datetime as dt

from django.db import migrations
from django.utils import timezone

SCHEDULES = [
    # (name, func, schedule_type, minutes)
    ("Fan out and retry webhooks", "mobility.api.tasks.fan_out_webhooks", "I", 1),
    ("Forget old idempotency answers", "mobility.api.tasks.prune_idempotency_records", "D", None),
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Schedule = apps.get_model("django_q", "Schedule")
    for name, func, kind, minutes in SCHEDULES:
        Schedule.objects.update_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": kind,
                "minutes": minutes,
                "repeats": -1,
                "next_run": timezone.now() + dt.timedelta(minutes=1),
            },
        )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(name__in=[s[0] for s in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
