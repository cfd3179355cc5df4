from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployerConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mobility.employer"
    label = "employer"
    verbose_name = _("Employer self-service")
