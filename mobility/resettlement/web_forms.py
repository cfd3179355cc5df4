"""Forms of the resettlement application (portal) and of the staff decisions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobility.cases.forms import PersonFields
from mobility.core.documents.models import Document
from mobility.reference import rules
from mobility.reference.models import ReceivingSettlement, ReceptionQuota, Region, SettlementType
from mobility.resettlement.models import ApplicationMember, CertificatePurpose, GraduateProgramme, JobKind

MAX_MEMBERS = 12


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class SettlementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.region.name}: {obj.name}"


class ApplyForm(forms.Form):
    """The family's application: where to, the job, the facts the registration lacks, consent.
    Everyone else who moves is a `MemberForm` of the formset; documents are files."""

    category = forms.ChoiceField(
        label=_("Who is moving"), choices=ReceptionQuota.Category.choices, initial="resettler"
    )
    destination_region = RegionChoiceField(
        label=_("Destination region"), queryset=Region.objects.none(), empty_label=_("Choose a region")
    )
    destination_settlement = SettlementChoiceField(
        label=_("Settlement"),
        queryset=ReceivingSettlement.objects.none(),
        required=False,
        empty_label=_("Any settlement the region accepts"),
        help_text=_("Where the region lists the settlements it accepts, choose one of them."),
    )
    settlement_type = forms.ChoiceField(
        label=_("Town or village"), choices=[("", "—"), *SettlementType.choices], required=False
    )
    origin_settlement = forms.CharField(label=_("Where you live now"), max_length=120, required=False)
    job_kind = forms.ChoiceField(
        label=_("Work in the new region"), choices=JobKind.choices, initial=JobKind.LOOKING
    )
    vacancy = forms.IntegerField(
        label=_("Vacancy number"),
        required=False,
        min_value=1,
        help_text=_("From the exchange, when you have chosen a vacancy there."),
    )
    offer_letter = forms.FileField(label=_("Employer's offer letter"), required=False)
    permanent_registration_since = forms.DateField(
        label=_("Permanently registered at your address since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    kandas_status = forms.BooleanField(label=_("I hold kandas status"), required=False)
    graduate_programme = forms.ChoiceField(
        label=_("Graduate of a programme"),
        choices=[("", _("None")), *GraduateProgramme.choices],
        required=False,
    )
    graduated_on = forms.DateField(
        label=_("Graduated on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    document_kind = forms.ChoiceField(
        label=_("Document"), choices=Document.Kind.choices, initial=Document.Kind.IDENTITY, required=False
    )
    document = forms.FileField(label=_("File"), required=False)
    consent = forms.BooleanField(
        label=_("I agree that the career centre and the receiving region process my family's data"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        receiving = list(rules.receiving_region_ids(year=year))
        self.fields["destination_region"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
            id__in=receiving
        ).order_by("code")
        self.fields["destination_settlement"].queryset = (  # type: ignore[attr-defined]
            ReceivingSettlement.objects.filter(status="published", year=year, region_id__in=receiving)
            .select_related("region")
            .order_by("region__code", "name_ru")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        settlement = data.get("destination_settlement")
        region = data.get("destination_region")
        if settlement is not None and region is not None and settlement.region_id != region.pk:
            self.add_error("destination_settlement", _("This settlement is not in the destination region."))
        return data


class MemberForm(PersonFields):
    relation = forms.ChoiceField(
        label=_("Relation"),
        # An empty first choice: a row nobody filled in stays unchanged and is skipped.
        choices=[
            ("", "—"),
            *[c for c in ApplicationMember.Relation.choices if c[0] != ApplicationMember.Relation.HEAD],
        ],
    )


MemberFormSet = forms.formset_factory(MemberForm, extra=1, max_num=MAX_MEMBERS, validate_max=True)


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusal"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CertificateForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=CertificatePurpose.choices)
    home_price = forms.IntegerField(label=_("Price of the home, ₸"), min_value=1, max_value=10**12)
