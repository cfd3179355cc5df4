"""PostgreSQL: a foreign-specialist application's status changes only as the newest step of its
history (the services write the ApplicationEvent first, then the status, in one transaction).
SQLite has no such trigger; the constraint on the events holds on both."""

from django.db import migrations

from mobility.core.workflow import status_history_trigger_sql

INSTALL, REMOVE = status_history_trigger_sql(
    table="foreign_application",
    field="status",
    event_table="foreign_applicationevent",
    event_fk="application_id",
)


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(INSTALL)  # no parameters: its % signs are PL/pgSQL's


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(REMOVE)


class Migration(migrations.Migration):
    dependencies = [("foreign", "0001_initial")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
