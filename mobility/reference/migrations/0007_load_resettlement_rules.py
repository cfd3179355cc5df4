"""Seed the resettlement rules of 2023–2026 (certificate share, rent months, the switches and
periods of eligibility, minimum stay and refund off by default), each rule's unit and whether its
figure is uncertain, and the 2026 receiving settlements (the regions' administrative centres;
the akimats' full lists are entered by administrators). The same loader serves `load_reference`."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from mobility.reference.loader import load_reference

    load_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("reference", "0006_resettlement_rules")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
