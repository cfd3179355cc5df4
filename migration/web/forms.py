"""Forms of the applicant's, the officers' and the employer's foreign-specialist pages. They
check the shape of what was typed; the rules (deadlines, who may do what, completeness) are the
services' (`migration.services`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from migration.models import (
    DecisionReason,
    Field,
    Questionnaire,
    RequiredDocument,
    Scheme,
    SchemeVersion,
)
from migration.states import AppealStatus, StepStatus
from mobility.reference.models import Centre, Region

COUNTRY_HELP = _("Two letters, as in the passport's machine-readable zone (e.g. DE, CN, UZ).")


class _Named(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "name", obj))


class _NamedMany(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "name", obj))


def _country(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        min_length=2,
        max_length=2,
        help_text=COUNTRY_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "off", "pattern": "[A-Za-z]{2}", "size": 3}),
    )


class ForeignSignUpForm(forms.Form):
    """A foreign specialist signs up with a passport instead of an IIN; the link to set the
    password goes to the email."""

    last_name = forms.CharField(label=_("Surname (as in the passport)"), max_length=100)
    first_name = forms.CharField(label=_("Given names (as in the passport)"), max_length=100)
    email = forms.EmailField(label=_("Email"), help_text=_("We send a link there to set your password."))
    citizenship = _country(_("Citizenship"))
    passport_country = _country(_("Passport issued by"))
    passport_number = forms.CharField(label=_("Passport number"), max_length=20)
    passport_expires_on = forms.DateField(
        label=_("Passport valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ethnic_kazakh = forms.BooleanField(
        label=_("I am an ethnic Kazakh (needed for the Atameken card)"), required=False
    )

    def clean_citizenship(self) -> str:
        return self.cleaned_data["citizenship"].strip().upper()

    def clean_passport_country(self) -> str:
        return self.cleaned_data["passport_country"].strip().upper()

    def clean_passport_expires_on(self) -> dt.date:
        value = self.cleaned_data["passport_expires_on"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("The passport has expired."))
        return value


class ApplicationStartForm(forms.Form):
    scheme = _Named(label=_("Scheme"), queryset=Scheme.objects.none(), empty_label=None)
    region = _Named(
        label=_("Region where you mean to live and work"), queryset=Region.objects.order_by("name_en")
    )

    def __init__(self, *args: Any, schemes: list[tuple[Scheme, SchemeVersion]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = {scheme.pk: version.name for scheme, version in schemes}
        field = self.fields["scheme"]
        field.queryset = Scheme.objects.filter(pk__in=names)  # type: ignore[attr-defined]
        field.label_from_instance = lambda obj: names.get(obj.pk, obj.code)  # type: ignore[attr-defined]


class ApplicationDetailsForm(forms.Form):
    """The draft's particulars: the occupation (searchable in three languages), the field, the
    category, the job offer and, for the points pilot, the questionnaire's answers."""

    occupation = forms.CharField(
        label=_("Occupation"),
        max_length=300,
        required=False,
        help_text=_("Start typing in Kazakh, Russian or English and pick from the list."),
        widget=forms.TextInput(
            attrs={
                "list": "occupation-suggestions",
                "data-autocomplete": "occupations",
                "autocomplete": "off",
            }
        ),
    )
    field = forms.ChoiceField(label=_("Field"), choices=[("", "—"), *Field.choices], required=False)

    def __init__(
        self,
        *args: Any,
        version: SchemeVersion,
        vacancies: Any,
        questionnaire: Questionnaire | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.occupation_obj: Any = None
        categories = version.categories.all()
        if categories:
            self.fields["category"] = _Named(label=_("Category"), queryset=categories, required=False)
        if version.requires_job_offer or vacancies.exists():
            self.fields["vacancy"] = forms.ModelChoiceField(
                label=_("Job offer (a vacancy open to foreign specialists)"),
                queryset=vacancies,
                required=False,
            )
            self.fields["vacancy"].label_from_instance = (  # type: ignore[attr-defined]
                lambda v: f"{v.title} — {v.organisation.name}"
            )
        self.criteria: list[str] = []
        if questionnaire is not None:
            for criterion in questionnaire.criteria.all():
                name = f"q_{criterion.code}"
                self.criteria.append(criterion.code)
                self.fields[name] = forms.ChoiceField(
                    label=criterion.name,
                    required=False,
                    choices=[("", "—"), *((o.code, o.name) for o in criterion.options.all())],
                )

    def clean_occupation(self) -> str:
        from mobility.employer.selectors import occupation_by_label

        text = self.cleaned_data.get("occupation", "").strip()
        if text:
            self.occupation_obj = occupation_by_label(text)
            if self.occupation_obj is None:
                raise forms.ValidationError(
                    _("No occupation is known by this name. Pick one from the list as you type.")
                )
        return text

    def answers(self) -> dict[str, str] | None:
        if not self.criteria:
            return None
        return {
            code: self.cleaned_data[f"q_{code}"]
            for code in self.criteria
            if self.cleaned_data.get(f"q_{code}")
        }


class DocumentForm(forms.Form):
    requirement = _Named(label=_("Document"), queryset=RequiredDocument.objects.none(), required=False)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))
    is_offer_letter = forms.BooleanField(label=_("This is a job offer letter"), required=False)

    def __init__(self, *args: Any, version: SchemeVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = version.documents.all()  # type: ignore[attr-defined]


class SubmitForm(forms.Form):
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data for this application."),
        required=False,
    )


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label=_("Why should the decision change?"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )


# --- Officers ------------------------------------------------------------------------------------


class LanguageTestForm(forms.Form):
    listening_percent = forms.IntegerField(label=_("Listening, %"), min_value=0, max_value=100)
    reading_percent = forms.IntegerField(label=_("Reading, %"), min_value=0, max_value=100)
    taken_on = forms.DateField(label=_("Taken on"), widget=forms.DateInput(attrs={"type": "date"}))


class StepForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(s.value, s.label) for s in (StepStatus.PASSED, StepStatus.FAILED, StepStatus.WAIVED)],
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=DecisionReason.Outcome.choices, widget=forms.RadioSelect
    )
    reasons = _NamedMany(
        label=_("Reasons"), queryset=DecisionReason.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    text = forms.CharField(label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, version: SchemeVersion, outcomes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if outcomes is not None:
            self.fields["outcome"].choices = outcomes  # type: ignore[attr-defined]
        self.fields["reasons"].queryset = version.reasons.order_by("outcome", "order")  # type: ignore[attr-defined]


APPEAL_OUTCOMES = [(s.value, s.label) for s in (AppealStatus.GRANTED, AppealStatus.DISMISSED)]


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revocation"), max_length=300)


class CitizenshipForm(forms.Form):
    """The holder acquired Kazakh citizenship: the date and what shows it."""

    acquired_on = forms.DateField(
        label=_("Citizenship acquired on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=500,
        help_text=_("The document seen and its number, e.g. the identity card or the decree."),
    )


# --- Staff ---------------------------------------------------------------------------------------


class RoundForm(forms.Form):
    centre = _Named(label=_("Centre"), queryset=Centre.objects.none(), required=False)
    field = forms.ChoiceField(
        label=_("Field"), choices=[("", _("All fields")), *Field.choices], required=False
    )
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000)

    def __init__(self, *args: Any, centres: Any, **kwargs: Any) -> None:
        """`centres`: those whose pool the caller may invite from (None: an administrator, who
        may also run a national round, without a centre)."""
        super().__init__(*args, **kwargs)
        field: Any = self.fields["centre"]
        if centres is None:
            field.queryset = Centre.objects.filter(kind=Centre.Kind.REGIONAL).order_by("code")
            field.empty_label = _("All centres (national round)")
        else:
            field.queryset = Centre.objects.filter(pk__in=centres).order_by("code")
            field.required = True
            field.empty_label = None


class WhatIfForm(forms.Form):
    version = forms.ChoiceField(label=_("Draft version"), choices=[])

    def __init__(self, *args: Any, versions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [(v, v) for v in versions]  # type: ignore[attr-defined]


# --- Employers -----------------------------------------------------------------------------------


class CardCheckForm(forms.Form):
    number = forms.CharField(label=_("Card number"), max_length=30)
    holder_name = forms.CharField(label=_("Holder's name"), max_length=200)


class DutyReportForm(forms.Form):
    event_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
