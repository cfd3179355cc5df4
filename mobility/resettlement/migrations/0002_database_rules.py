"""PostgreSQL: the database itself keeps the resettlement rules that matter most.

- An application's and a certificate's status change only as the newest step of their history
  (the services write the event first, then the state); the (from, to) pairs are the event
  tables' CheckConstraints, derived from the workflows.
- The budget ledger is append-only: a trigger refuses UPDATE and DELETE of its entries.
SQLite has none of these triggers (the check constraints hold there too)."""

from django.db import migrations

from mobility.core.workflow import status_history_trigger_sql

APPLICATION_INSTALL, APPLICATION_REMOVE = status_history_trigger_sql(
    table="resettlement_resettlementapplication",
    field="status",
    event_table="resettlement_applicationevent",
    event_fk="application_id",
)
CERTIFICATE_INSTALL, CERTIFICATE_REMOVE = status_history_trigger_sql(
    table="resettlement_certificate",
    field="status",
    event_table="resettlement_certificateevent",
    event_fk="certificate_id",
)
LEDGER_INSTALL = """
CREATE OR REPLACE FUNCTION resettlement_budgetentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the budget ledger is append-only: % of resettlement_budgetentry % refused', TG_OP, OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS resettlement_budgetentry_append_only ON resettlement_budgetentry;
CREATE TRIGGER resettlement_budgetentry_append_only
    BEFORE UPDATE OR DELETE ON resettlement_budgetentry
    FOR EACH ROW EXECUTE FUNCTION resettlement_budgetentry_append_only();
"""
LEDGER_REMOVE = """
DROP TRIGGER IF EXISTS resettlement_budgetentry_append_only ON resettlement_budgetentry;
DROP FUNCTION IF EXISTS resettlement_budgetentry_append_only();
"""


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            for sql in (APPLICATION_INSTALL, CERTIFICATE_INSTALL, LEDGER_INSTALL):
                cursor.execute(sql)  # no parameters: its % signs are PL/pgSQL's


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            for sql in (APPLICATION_REMOVE, CERTIFICATE_REMOVE, LEDGER_REMOVE):
                cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("resettlement", "0001_initial")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
