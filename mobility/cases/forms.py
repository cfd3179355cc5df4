"""Forms of the staff workspace."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobility.cases.models import CaseNote, FamilyMember, PlanStep, Referral
from mobility.core.actors import Programme
from mobility.core.documents.forms import DocumentField, DocumentsField
from mobility.core.documents.models import Document
from mobility.core.forms import DateInput, IinField
from mobility.exchange.models import Registration
from mobility.reference.models import Centre, Region

DOCUMENTS = [
    ("id_card", _("Identity card")),
    ("address", _("Proof of permanent registration at the address")),
    ("education", _("Education documents")),
    ("employment_record", _("Employment record")),
    ("bank_account", _("Bank account details")),
]


class NamedModelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "name", obj))


class PersonFields(forms.Form):
    """Who a person is, as staff type it: IIN, surname and first name."""

    iin = IinField()
    last_name = forms.CharField(label=_("Surname"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)


class RegistrationFormBase(PersonFields):
    """Who is registered, where and as what: the same at the desk and in a mobile group."""

    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    region = NamedModelChoiceField(label=_("Region of residence"), queryset=Region.objects.all())
    centre = NamedModelChoiceField(label=_("Centre"), queryset=Centre.objects.none())
    kind = forms.ChoiceField(label=_("Register as"), choices=Registration.Kind.choices)
    registered_on = forms.DateField(label=_("Registration date"), widget=DateInput())

    def __init__(self, *args: Any, centres: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if centres is not None:
            field = self.fields["centre"]
            field.queryset = centres  # type: ignore[attr-defined]
            if len(centres) == 1:
                field.empty_label = None  # type: ignore[attr-defined]
                field.initial = centres[0]
        self.fields["registered_on"].initial = timezone.localdate()

    def clean_registered_on(self) -> Any:
        value = self.cleaned_data["registered_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The registration date cannot be in the future."))
        return value


class RegistrationDeskForm(RegistrationFormBase):
    """At the desk the documents are scanned and uploaded; the identity document is required."""

    identity_document = DocumentField(
        kind=Document.Kind.IDENTITY,
        label=_("Identity document"),
        help_text=_("A scan or photo of the identity card or passport: PDF, JPEG or PNG."),
        error_messages={"required": _("Upload the identity document before registering a person.")},
    )
    status_documents = DocumentsField(
        kind=Document.Kind.STATUS,
        label=_("Other documents"),
        help_text=_(
            "Proof of registration at the address, education documents, employment record, bank "
            "account details: PDF, JPEG or PNG, several files at once."
        ),
        required=False,
    )


class MobileRegistrationForm(RegistrationFormBase):
    """A mobile group works offline and sees the papers in the field: it records which documents
    it checked; the scans are uploaded at the centre."""

    documents = forms.MultipleChoiceField(
        label=_("Documents checked"), choices=DOCUMENTS, widget=forms.CheckboxSelectMultiple, required=False
    )

    def clean_documents(self) -> list[str]:
        documents = self.cleaned_data.get("documents") or []
        if "id_card" not in documents:
            raise forms.ValidationError(_("Check the identity card before registering a person."))
        return documents


class PlanForm(forms.Form):
    goal = forms.CharField(
        label=_("Goal of the plan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    reason = forms.CharField(label=_("Why it changes (for the history)"), required=False, max_length=300)


class StepForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Initial values let untouched extra rows count as unchanged (and be skipped).
    kind = forms.ChoiceField(
        label=_("Kind"), choices=PlanStep.Kind.choices, initial=PlanStep.Kind.COUNSELLING
    )
    title = forms.CharField(label=_("What"), max_length=200)
    due_on = forms.DateField(label=_("Deadline"), widget=DateInput())
    owner = forms.ChoiceField(
        label=_("Who does it"), choices=PlanStep.Owner.choices, initial=PlanStep.Owner.SEEKER
    )


StepFormSet = formset_factory(StepForm, extra=3, min_num=1, validate_min=True, max_num=30)


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Result"),
        choices=[("done", _("Done")), ("missed", _("Missed")), ("cancelled", _("Cancelled"))],
    )
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=2000)


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(label=_("Refer to"), choices=Referral.Kind.choices)
    vacancy = forms.IntegerField(label=_("Vacancy number"), required=False, min_value=1)
    target_centre = NamedModelChoiceField(
        label=_("Receiving centre"), queryset=Centre.objects.all(), required=False
    )
    provider = forms.CharField(
        label=_("Training provider or foreign employer"), required=False, max_length=200
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == Referral.Kind.VACANCY and not data.get("vacancy"):
            self.add_error("vacancy", _("Give the number of the vacancy."))
        if kind == Referral.Kind.OTHER_REGION and not data.get("target_centre"):
            self.add_error("target_centre", _("Choose the receiving centre."))
        if kind in (Referral.Kind.TRAINING, Referral.Kind.ABROAD) and not data.get("provider"):
            self.add_error("provider", _("Name the training provider, foreign employer or agency."))
        return data


class ReferralOutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Result"),
        choices=[("accepted", _("Accepted")), ("declined", _("Declined")), ("completed", _("Completed"))],
    )
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=2000)


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseNote.Kind.choices)
    programme = forms.ChoiceField(label=_("Programme"), choices=Programme.choices)
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    shared_with_person = forms.BooleanField(
        label=_("The person sees this note on their plan page"),
        required=False,
        help_text=_("Leave unticked for an internal note: only centre staff read it."),
    )

    def __init__(self, *args: Any, programmes: Any = None, **kwargs: Any) -> None:
        """`programmes`: those the author works in (`Actor.programmes()`), the only ones offered."""
        super().__init__(*args, **kwargs)
        if programmes is not None:
            field = self.fields["programme"]
            field.choices = [(v, label) for v, label in Programme.choices if v in programmes]  # type: ignore[attr-defined]
            if field.choices:  # type: ignore[attr-defined]
                field.initial = field.choices[0][0]  # type: ignore[attr-defined]


class FamilyMemberForm(PersonFields):
    relation = forms.ChoiceField(label=_("Relation"), choices=FamilyMember.Relation.choices)


class TransferForm(forms.Form):
    centre = NamedModelChoiceField(label=_("Receiving centre"), queryset=Centre.objects.none())
    reason = forms.CharField(label=_("Why the case moves"), max_length=300)

    def __init__(self, *args: Any, centres: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres  # type: ignore[attr-defined]


class ReassignForm(forms.Form):
    counsellor: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Counsellor"), queryset=None)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)

    def __init__(self, *args: Any, counsellors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = counsellors  # type: ignore[attr-defined]


class EndRegistrationForm(forms.Form):
    reason = forms.CharField(label=_("Reason for ending the registration"), max_length=200)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    scope = forms.ChoiceField(
        label=_("Scope"), required=False, choices=[("centre", _("My centre")), ("region", _("My region"))]
    )
