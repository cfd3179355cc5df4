"""Programme rules get a `persons` unit, and the foreign-specialist programme's yearly targets
(at least 100 leading scientists and 100 specialists, from 2026) are seeded as dated rules, so
administrators change them as they change any rule. The same loader serves `load_reference`."""

from django.db import migrations, models


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from mobility.reference.loader import load_reference

    load_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("reference", "0007_load_resettlement_rules")]

    operations = [
        migrations.AlterField(
            model_name="programmerule",
            name="unit",
            field=models.CharField(
                choices=[
                    ("mrp", "MRP multiple"),
                    ("percent", "Percent"),
                    ("months", "Months"),
                    ("switch", "On (1) or off (0)"),
                    ("persons", "Persons"),
                ],
                default="mrp",
                max_length=10,
                verbose_name="unit",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
