"""Label search keys in the normalisation's new form: «щ» typed "sch", "shch" or "sh" and «х» typed
"kh" now have one spelling each (matching/engine/normalize.py, `transliterate`)."""

from django.db import migrations


def refresh(apps, schema_editor):
    from matching.taxonomy_store import search_keys_refresh

    search_keys_refresh(
        apps.get_model("matching", name) for name in ("IscoGroupLabel", "OccupationLabel", "SkillLabel")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0005_labels_reviewed"),
    ]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop, elidable=True)]
