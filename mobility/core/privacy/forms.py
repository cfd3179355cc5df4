"""The audit search's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mobility.core.audit_labels import ACTION_LABELS
from mobility.core.forms import DateInput, IinField


def _action_choices() -> list[tuple[str, Any]]:
    return [
        ("", _("any action")),
        *sorted(((code, f"{label} ({code})") for code, label in ACTION_LABELS.items())),
    ]


def _entity_choices() -> list[tuple[str, Any]]:
    from mobility.core.privacy.selectors import AUDITED_ENTITIES

    return [("", _("any record")), *((key, label) for key, (_model, label) in AUDITED_ENTITIES.items())]


class AuditSearchForm(forms.Form):
    entity = forms.ChoiceField(label=_("Record"), choices=_entity_choices, required=False)
    action = forms.ChoiceField(label=_("Action"), choices=_action_choices, required=False)
    actor = forms.CharField(label=_("Who (name or API key)"), max_length=100, required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())
    iin = IinField(label=_("Person's IIN"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end of the period cannot be before its start."))
        return data
