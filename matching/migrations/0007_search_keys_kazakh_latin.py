"""Label search keys in the normalisation's new form: Kazakh «ж» typed "j" is "zh" as the Cyrillic
letter is, the Kazakh Latin "ı" is "i" and "ý" is "u" (matching/engine/normalize.py,
`transliterate`)."""

from django.db import migrations


def refresh(apps, schema_editor):
    from matching.taxonomy_store import search_keys_refresh

    search_keys_refresh(
        apps.get_model("matching", name) for name in ("IscoGroupLabel", "OccupationLabel", "SkillLabel")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0006_search_keys_one_spelling"),
    ]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop, elidable=True)]
