from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResettlementConfig(AppConfig):
    """Resettlement programmes (kandases and internal resettlers), regional quotas, support in MRP
    and economic mobility certificates. Built on the shared kernel in `mobility.core`."""

    name = "mobility.resettlement"
    label = "resettlement"
    verbose_name = _("Resettlement")

    def ready(self) -> None:
        # The proactive resettlement offer joins the offer registry (mobility.notifications.offers).
        from mobility.resettlement import (
            offers,  # noqa: F401
            reminders,  # noqa: F401  (registers the reminder rules)
        )
