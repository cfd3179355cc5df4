from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "mobility.exchange"
    label = "exchange"
    verbose_name = _("Labour exchange")

    def ready(self) -> None:
        from mobility.exchange import reminders  # noqa: F401  (registers the reminder rules)
