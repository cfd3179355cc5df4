import datetime as dt

from django.db import migrations
from django.utils import timezone

NAME = "Send waiting outbox messages again"
FUNC = "mobility.core.tasks.outbox_sweep"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={
            "func": FUNC,
            "schedule_type": "I",
            "minutes": 5,
            "repeats": -1,
            "next_run": timezone.now() + dt.timedelta(minutes=5),
        },
    )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_outbox"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
