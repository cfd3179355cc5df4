from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from mobility.core.schedules import schedules_sync

    schedules_sync(apps.get_model("django_q", "Schedule"))


class Migration(migrations.Migration):
    """The schedules now live in one list (mobility/core/schedules.py); this writes it, adding
    the notification jobs and the outbox sweeper's one-minute interval."""

    dependencies = [
        ("notifications", "0001_initial"),
        ("core", "0009_outbox_channels_backoff"),
        ("api", "0002_schedules"),
        ("matching", "0002_schedules"),
        ("core", "0005_document_sweep_schedule"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
