from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MigrationConfig(AppConfig):
    """Foreign specialists: valuable-skills visa and residence cards (not Django migrations)."""

    name = "migration"
    label = "foreign"
    verbose_name = _("Foreign specialists")
