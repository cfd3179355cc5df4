from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mobility.accounts.models import Organisation
from mobility.api.models import ORGANISATION_SCOPES


class ApiKeyCreateForm(forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("Which system uses the key, e.g. “HR system”.")
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the key may do"),
        choices=[(s.value, s.label) for s in ORGANISATION_SCOPES],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class PersonalTokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("Where you use the token, e.g. “my script”.")
    )
