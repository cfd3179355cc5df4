"""The request form's submission key: the same form sent twice makes one request per
organisation (`mobility.core.submissions`, issue #12 item 7). Existing requests have none."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("employer", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="centrerequest",
            name="client_key",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddConstraint(
            model_name="centrerequest",
            constraint=models.UniqueConstraint(
                fields=("organisation", "client_key"), name="one_request_per_submission_key"
            ),
        ),
    ]
