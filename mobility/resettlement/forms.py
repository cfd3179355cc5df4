"""Forms of the resettlement pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobility.reference.models import ReceptionQuota, Region, SettlementType
from mobility.resettlement.calculator import MAX_FAMILY_SIZE

MAX_HOME_PRICE = 10**12


class CalculatorForm(forms.Form):
    """The public calculator: read from the query string (GET), so a result can be linked."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    category = forms.ChoiceField(
        label=_("Who is moving"), choices=ReceptionQuota.Category.choices, initial="resettler"
    )
    destination = forms.ModelChoiceField(
        label=_("Destination region"),
        queryset=Region.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("Choose a region"),
    )
    family_size = forms.IntegerField(
        label=_("People moving"),
        min_value=1,
        max_value=MAX_FAMILY_SIZE,
        initial=1,
        help_text=_("The applicant included."),
    )
    settlement_type = forms.ChoiceField(
        label=_("Settlement"),
        choices=[("", _("Town or village: not decided")), *SettlementType.choices],
        required=False,
    )
    home_price = forms.IntegerField(
        label=_("Price of the home, ₸"),
        min_value=1,
        max_value=MAX_HOME_PRICE,
        help_text=_("The certificate pays a share of it, up to the year's cap."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
