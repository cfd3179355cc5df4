from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from mobility.reference.loader import load_reference

    load_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
