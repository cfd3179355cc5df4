from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MigrationConfig(AppConfig):
    """Foreign specialists: valuable-skills visa and residence cards (not Django migrations)."""

    name = "migration"
    label = "foreign"
    verbose_name = _("Foreign specialists")

    def ready(self) -> None:
        # The foreign rule tables are published by the kernel's one publication service.
        from migration import reminders  # noqa: F401  (registers the reminder rules)
        from migration.models import Questionnaire, SchemeVersion, ShortageList
        from migration.services import rules
        from mobility.reference.services import dated_rule_register

        dated_rule_register(SchemeVersion, before_publish=rules.before_publish_scheme_version)
        dated_rule_register(Questionnaire, before_publish=rules.before_publish_questionnaire)
        dated_rule_register(ShortageList, before_publish=rules.before_publish_shortage_list)
