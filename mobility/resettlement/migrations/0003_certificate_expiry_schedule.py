import datetime as dt

from django.db import migrations
from django.utils import timezone

NAME = "Expire economic mobility certificates past their validity"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={
            "func": "mobility.resettlement.tasks.expire_certificates",
            "schedule_type": "D",
            "repeats": -1,
            "next_run": timezone.now() + dt.timedelta(hours=1),
        },
    )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("resettlement", "0002_database_rules"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
