"""Forms of the employer pages and the centre's employer queues. They parse and check input;
the services decide (BIN rules, minimum wage, closing date, allowed moves)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobility.accounts.models import Organisation, OrganisationMembership
from mobility.core.forms import DateInput, DateTimeInput
from mobility.core.identifiers import validate_bin
from mobility.core.submissions import SubmissionKeyField
from mobility.core.workflow import EMPLOYER
from mobility.employer.models import CentreRequest
from mobility.exchange.models import (
    APPLICATION_WORKFLOW,
    LANGUAGE_CHOICES,
    ApplicationStatus,
    EmploymentType,
    Schedule,
)
from mobility.reference.models import Region


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


def _digits(value: str) -> str:
    return "".join(value.split())


SECTORS = [
    _("Agriculture"),
    _("Mining and energy"),
    _("Manufacturing"),
    _("Construction"),
    _("Trade"),
    _("Transport and logistics"),
    _("Hotels and catering"),
    _("Information and communication"),
    _("Finance"),
    _("Education"),
    _("Health and social care"),
    _("Public administration"),
    _("Other services"),
]


class EmployerSignUpForm(forms.Form):
    """The organisation, and for a visitor without an account, the representative's account."""

    ACCOUNT_FIELDS = ("last_name", "first_name", "email", "phone")

    last_name = forms.CharField(label=_("Your surname"), max_length=100)
    first_name = forms.CharField(label=_("Your first name"), max_length=100)
    email = forms.EmailField(
        label=_("Your work email"),
        help_text=_("We send a link there to set your password; you will sign in with this address."),
    )
    phone = forms.CharField(label=_("Your phone"), max_length=20, required=False)
    bin = forms.CharField(
        label=_("BIN"),
        max_length=14,
        help_text=_("12 digits of the business identification number."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Legal name"), max_length=300)
    head_office_bin = forms.CharField(
        label=_("BIN of the head office"),
        max_length=14,
        required=False,
        help_text=_("Only for a branch (the 6th digit of its BIN is 1)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    region = RegionChoiceField(label=_("Region"), queryset=Region.objects.all())
    sector = forms.CharField(
        label=_("Sector"), max_length=200, widget=forms.TextInput(attrs={"list": "sector-list"})
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    org_phone = forms.CharField(label=_("Organisation phone"), max_length=30, required=False)
    org_email = forms.EmailField(label=_("Organisation email"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, with_account: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.with_account = with_account
        if not with_account:
            for name in self.ACCOUNT_FIELDS:
                del self.fields[name]

    def clean_bin(self) -> str:
        value = _digits(self.cleaned_data["bin"])
        validate_bin(value)
        return value

    def clean_head_office_bin(self) -> str:
        value = _digits(self.cleaned_data.get("head_office_bin", ""))
        if value:
            validate_bin(value)
        return value

    def account(self, language: str) -> dict[str, Any] | None:
        if not self.with_account:
            return None
        d = self.cleaned_data
        return {
            "email": d["email"],
            "first_name": d["first_name"],
            "last_name": d["last_name"],
            "phone": d.get("phone", ""),
            "language": language,
        }

    def organisation(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "bin": d["bin"],
            "name": d["name"].strip(),
            "head_office_bin": d.get("head_office_bin", ""),
            "region": d["region"],
            "sector": d.get("sector", ""),
            "address": d.get("address", ""),
            "phone": d.get("org_phone", ""),
            "email": d.get("org_email", ""),
            "website": d.get("website", ""),
        }


class OrganisationForm(forms.ModelForm):
    region = RegionChoiceField(label=_("Region"), queryset=Region.objects.all())
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        # "website" is declared above (https by default), so the model's field is left out here.
        fields = ["name", "region", "sector", "address", "phone", "email"]
        widgets = {"sector": forms.TextInput(attrs={"list": "sector-list"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"].initial = self.instance.website
        if self.instance.is_verified:
            for name in ("name", "region"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("A verified organisation changes this through the centre.")


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's email"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=OrganisationMembership.Role.choices,
        initial=OrganisationMembership.Role.RECRUITER,
        help_text=_("Owners also manage the organisation's details and its representatives."),
    )


class JoinForm(forms.Form):
    """A colleague without an account creates one while accepting an invitation."""

    last_name = forms.CharField(label=_("Surname"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


def _lines(value: str) -> list[str]:
    seen: set[str] = set()
    out = []
    for raw in value.replace(";", "\n").splitlines():
        name = " ".join(raw.split()).strip(" ,")
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out


class VacancyForm(forms.Form):
    occupation = forms.CharField(
        label=_("Occupation"),
        max_length=300,
        help_text=_("Start typing in Kazakh, Russian or English and pick from the list."),
        widget=forms.TextInput(
            attrs={
                "list": "occupation-suggestions",
                "data-autocomplete": "occupations",
                "autocomplete": "off",
            }
        ),
    )
    title = forms.CharField(label=_("Job title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    required_skills = forms.CharField(
        label=_("Required skills"),
        required=False,
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 5, "data-skill-list": "required"}),
    )
    optional_skills = forms.CharField(
        label=_("Optional skills"),
        required=False,
        help_text=_("One per line: an advantage, not a condition."),
        widget=forms.Textarea(attrs={"rows": 3, "data-skill-list": "optional"}),
    )
    salary_min = forms.IntegerField(
        label=_("Salary from, ₸"), required=False, min_value=0, widget=forms.NumberInput(attrs={"step": 5000})
    )
    salary_max = forms.IntegerField(
        label=_("Salary up to, ₸"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"step": 5000}),
    )
    region = RegionChoiceField(label=_("Region"), queryset=Region.objects.all())
    settlement = forms.CharField(label=_("City or village"), max_length=120, required=False)
    schedule = forms.ChoiceField(label=_("Schedule"), choices=Schedule.choices, initial=Schedule.FULL_DAY)
    employment_type = forms.ChoiceField(
        label=_("Employment type"), choices=EmploymentType.choices, initial=EmploymentType.PERMANENT
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages required"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    positions = forms.IntegerField(label=_("Positions"), min_value=1, max_value=999, initial=1)
    expires_on = forms.DateField(label=_("Open until"), required=False, widget=DateInput())
    housing_offered = forms.BooleanField(label=_("Housing offered"), required=False)
    open_to_resettlers = forms.BooleanField(
        label=_("Open to resettlers from other regions"), required=False, initial=True
    )
    open_to_foreigners = forms.BooleanField(label=_("Open to foreign specialists"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.occupation_obj: Any = None

    def clean_occupation(self) -> str:
        from mobility.employer.selectors import occupation_by_label

        text = self.cleaned_data["occupation"].strip()
        self.occupation_obj = occupation_by_label(text)
        if self.occupation_obj is None:
            raise forms.ValidationError(
                _("No occupation is known by this name. Pick one from the list as you type.")
            )
        return text

    def clean_required_skills(self) -> list[str]:
        return _lines(self.cleaned_data.get("required_skills", ""))

    def clean_optional_skills(self) -> list[str]:
        return _lines(self.cleaned_data.get("optional_skills", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("salary_min") and data.get("salary_max") and data["salary_max"] < data["salary_min"]:
            self.add_error("salary_max", _("The upper salary must not be lower than the lower one."))
        return data

    def vacancy_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "occupation": self.occupation_obj,
            "title": d["title"].strip(),
            "description": d.get("description", ""),
            "salary_min": d.get("salary_min"),
            "salary_max": d.get("salary_max"),
            "region": d["region"],
            "settlement": d.get("settlement", ""),
            "schedule": d["schedule"],
            "employment_type": d["employment_type"],
            "languages": list(d.get("languages") or []),
            "positions": d["positions"],
            "expires_on": d.get("expires_on"),
            "housing_offered": bool(d.get("housing_offered")),
            "open_to_resettlers": bool(d.get("open_to_resettlers")),
            "open_to_foreigners": bool(d.get("open_to_foreigners")),
        }

    def skills(self) -> tuple[list[str], list[str]]:
        return self.cleaned_data.get("required_skills") or [], self.cleaned_data.get("optional_skills") or []


class CandidateFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("Where"), required=False)
    max_salary = forms.IntegerField(label=_("Expects at most, ₸"), required=False, min_value=0)
    min_percent = forms.IntegerField(label=_("Match at least, %"), required=False, min_value=0, max_value=100)
    hide_in_pipeline = forms.BooleanField(label=_("Hide candidates already on the board"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("score", _("Best match")),
            ("salary", _("Lowest expected salary")),
            ("recent", _("Recently updated")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = [
            ("", _("Anywhere")),
            ("same", _("In the vacancy's region")),
            ("relocate", _("Elsewhere, willing to move")),
            *((r.code, r.name) for r in Region.objects.all()),
        ]


class InviteForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the candidate"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# Every move the employer side makes, as the shared workflow declares it.
MOVE_CHOICES = [(s, ApplicationStatus(s).label) for s in APPLICATION_WORKFLOW.targets_of(EMPLOYER)]


class MoveForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"), choices=MOVE_CHOICES)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        help_text=_("Required when rejecting; the candidate sees it in their history."),
    )


class BulkMoveForm(MoveForm):
    applications = forms.TypedMultipleChoiceField(label=_("Candidates"), coerce=int, choices=[])

    def __init__(self, *args: Any, application_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["applications"]).choices = [(i, str(i)) for i in application_ids]


class InterviewForm(forms.Form):
    """The interview's date, place and note: beside a move to the interview stage (optional there,
    prefix "interview") and on its own to set, move or re-word it. The service refuses a past time."""

    starts_at = forms.DateTimeField(
        label=_("Interview date and time"),
        help_text=_("Astana time. The candidate is told at once and reminded the day before."),
        widget=DateTimeInput(),
    )
    place = forms.CharField(
        label=_("Place or link"),
        max_length=300,
        required=False,
        help_text=_("An address with the office or room, or the link to a video call."),
    )
    note = forms.CharField(
        label=_("Note for the candidate"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What to bring, whom to ask for."),
    )
    reason = forms.CharField(
        label=_("Why it is moved"),
        max_length=1000,
        required=False,
        help_text=_("Optional; kept in the history, not sent to the candidate."),
    )

    def __init__(self, *args: Any, required: bool = True, moving: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "interview")
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].required = required
        if not moving:
            del self.fields["reason"]

    def schedule(self) -> dict[str, Any] | None:
        """The service's keyword arguments, or None when no date was given."""
        data = self.cleaned_data
        if not data.get("starts_at"):
            return None
        return {
            "starts_at": data["starts_at"],
            "place": data.get("place", ""),
            "note": data.get("note", ""),
            **({"reason": data.get("reason") or ""} if "reason" in self.fields else {}),
        }


class InterviewCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the interview is cancelled"),
        max_length=1000,
        help_text=_("The candidate receives this reason."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "cancel")
        super().__init__(*args, **kwargs)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=4000,
        help_text=_("Only your organisation sees notes; the candidate never does."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CentreRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label=_("What you need"), choices=CentreRequest.Kind.choices)
    vacancy: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Vacancy"),
        queryset=None,
        required=False,
        help_text=_("Needed when you ask the centre to select candidates."),
    )
    message = forms.CharField(
        label=_("Details"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Who you are looking for, how many people, what kind of help, when."),
    )
    needed_by = forms.DateField(
        label=_("Needed by"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for the centre's usual time (5 to 10 working days)."),
    )
    client_key = SubmissionKeyField()  # sent twice, one request (mobility.core.submissions)

    def __init__(self, *args: Any, organisations: Any, vacancies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
        cast(forms.ModelChoiceField, self.fields["vacancy"]).queryset = vacancies
        choices = list(organisations[:2])
        if len(choices) == 1:
            self.fields["organisation"].initial = choices[0].pk
            self.fields["organisation"].widget = forms.HiddenInput()

    def clean_needed_by(self) -> dt.date | None:
        value = self.cleaned_data.get("needed_by")
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError(_("The date must be in the future."))
        return value


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("verify", _("Verify")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when refusing: the employer reads it and can correct the details."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the verification is refused."))
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the employer"), max_length=8000, widget=forms.Textarea(attrs={"rows": 6})
    )


class MarketForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), required=False)
    occupation = forms.CharField(
        label=_("Occupation"),
        required=False,
        max_length=300,
        widget=forms.TextInput(
            attrs={
                "list": "occupation-suggestions",
                "data-autocomplete": "occupations",
                "autocomplete": "off",
            }
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = [
            (r.code, r.name) for r in Region.objects.all()
        ]
