"""PostgreSQL: an application's status changes only as the newest step of its history.

The services write the ApplicationEvent first, then the status, in one transaction; a raw
`UPDATE exchange_application SET status = ...` that no event records is refused. The (from, to)
pairs themselves are the CheckConstraint on the event table, derived from the workflow.
SQLite has no such trigger (the constraint on the events still holds there)."""

from django.db import migrations

from mobility.core.workflow import status_history_trigger_sql

INSTALL, REMOVE = status_history_trigger_sql(
    table="exchange_application",
    field="status",
    event_table="exchange_applicationevent",
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
    dependencies = [("exchange", "0002_initial")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
