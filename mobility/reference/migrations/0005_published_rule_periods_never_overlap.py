"""On PostgreSQL the database itself refuses two published periods of one programme rule that
overlap (the services and full_clean refuse them on every database). btree_gist lets a GiST
exclusion constraint compare the code with `=` beside the date ranges' `&&`."""

from django.db import migrations

CONSTRAINT = "published_rule_periods_never_overlap"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE reference_programmerule ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(code WITH =, daterange(valid_from, valid_to, '[]') WITH &&) WHERE (status = 'published')"
    )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE reference_programmerule DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("reference", "0004_dated_rule_status")]

    operations = [migrations.RunPython(forwards, backwards)]
