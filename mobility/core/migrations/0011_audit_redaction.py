"""Audit redactions (the retention task's permission to pseudonymise an audit row), and the
append-only triggers on SQLite too (see mobility/core/append_only.py)."""

import django.db.models.deletion
import django.utils.timezone
import mobility.core.models
from django.db import migrations, models

from mobility.core import append_only


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    append_only.install(schema_editor)


def uninstall(apps, schema_editor):  # type: ignore[no-untyped-def]
    append_only.uninstall(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0010_audit_entry_writing_transaction'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditRedaction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='when')),
                ('rule', models.CharField(max_length=100, verbose_name='retention rule')),
                ('xact', models.BigIntegerField(db_default=mobility.core.models.WritingTransaction(), editable=False, null=True)),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='redactions', to='core.auditentry')),
            ],
            options={
                'verbose_name': 'audit redaction',
                'verbose_name_plural': 'audit redactions',
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
