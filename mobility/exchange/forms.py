"""Forms of the job-seeker portal. Validation messages name the field and the fix."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.forms import formset_factory, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from mobility.core.documents.forms import DocumentField
from mobility.core.documents.models import Document
from mobility.core.forms import ConstraintMessagesMixin, DateInput
from mobility.exchange.models import (
    LANGUAGE_CHOICES,
    Education,
    EducationLevel,
    EmploymentType,
    Schedule,
    SeekerProfile,
    SeekerSkill,
    WorkExperience,
)
from mobility.reference.models import Region


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class ProfileBasicsForm(forms.ModelForm):
    region = RegionChoiceField(label=_("Region where you live"), queryset=Region.objects.all())
    languages = forms.MultipleChoiceField(
        label=_("Languages I speak"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = SeekerProfile
        fields = ["headline", "region", "settlement", "languages", "education_level", "about"]
        widgets = {
            "about": forms.Textarea(attrs={"rows": 4}),
            "headline": forms.TextInput(
                attrs={"list": "occupation-suggestions", "data-autocomplete": "occupations"}
            ),
        }


class SkillRowForm(forms.Form):
    name = forms.CharField(
        label=_("Skill"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={"list": "skill-suggestions", "data-autocomplete": "skills", "autocomplete": "off"}
        ),
    )
    level = forms.TypedChoiceField(
        label=_("Level"),
        choices=SeekerSkill.Level.choices,
        coerce=int,
        initial=SeekerSkill.Level.INTERMEDIATE,
    )


SkillFormSet = formset_factory(SkillRowForm, extra=3, max_num=40, validate_max=True)


class ExperienceForm(ConstraintMessagesMixin, forms.ModelForm):
    # The database refuses an end before the start: say so beside the end date.
    constraint_messages = {
        "experience_period_ordered": ("ended_on", _("The end date cannot be before the start date.")),
    }

    class Meta:
        model = WorkExperience
        fields = ["title", "employer_name", "started_on", "ended_on", "description"]
        labels = {"started_on": _("Start date"), "ended_on": _("End date")}
        widgets = {
            "started_on": DateInput(),
            "ended_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 2}),
        }


ExperienceFormSet = inlineformset_factory(
    SeekerProfile,
    WorkExperience,
    form=ExperienceForm,
    extra=1,
    can_delete=True,
)

EducationFormSet = inlineformset_factory(
    SeekerProfile,
    Education,
    fields=["level", "institution", "speciality", "year_completed"],
    extra=1,
    can_delete=True,
)


class PreferencesForm(forms.ModelForm):
    desired_regions = forms.ModelMultipleChoiceField(
        label=_("Regions where I would work"),
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=_("I agree that employers and the career centre may see my profile."), required=False
    )

    class Meta:
        model = SeekerProfile
        fields = [
            "will_relocate",
            "desired_regions",
            "expected_salary",
            "employment_type",
            "schedule",
            "visibility",
        ]
        widgets = {
            "visibility": forms.RadioSelect,
            "expected_salary": forms.NumberInput(attrs={"min": 0, "step": 5000}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["desired_regions"].label_from_instance = lambda r: r.name  # type: ignore[attr-defined]
        cast(forms.ChoiceField, self.fields["employment_type"]).choices = [("", "—"), *EmploymentType.choices]
        cast(forms.ChoiceField, self.fields["schedule"]).choices = [("", "—"), *Schedule.choices]
        if self.instance and self.instance.consent_at:
            self.fields["consent"].initial = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("visibility") != SeekerProfile.Visibility.HIDDEN and not data.get("consent"):
            self.add_error("consent", _("To show your profile to employers, tick the consent box."))
        return data


class ApplyForm(forms.Form):
    cover_note = forms.CharField(
        label=_("A few words to the employer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Job title, skill or keyword"), required=False, max_length=200)
    region = forms.ChoiceField(label=_("Region"), required=False)
    schedule = forms.ChoiceField(
        label=_("Schedule"), required=False, choices=[("", _("Any")), *Schedule.choices]
    )
    salary_min = forms.IntegerField(label=_("Salary from, ₸"), required=False, min_value=0)
    posted_within = forms.TypedChoiceField(
        label=_("Posted"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Any time")),
            ("1", _("Last 24 hours")),
            ("7", _("Last week")),
            ("30", _("Last month")),
        ],
    )
    occupation = forms.ChoiceField(label=_("Field of work"), required=False)
    housing = forms.BooleanField(label=_("Housing offered"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("relevance", _("Relevance")), ("date", _("Newest")), ("salary", _("Salary"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = [
            ("", _("All regions")),
            *((r.code, r.name) for r in Region.objects.all()),
        ]
        from matching.models import IscoGroup

        # The ISCO-08 major groups, named in the page's language (the search filters by code prefix).
        groups = IscoGroup.objects.filter(level=1).prefetch_related("labels").order_by("code")
        cast(forms.ChoiceField, self.fields["occupation"]).choices = [
            ("", _("All fields of work")),
            *((g.code, g.label()) for g in groups),
        ]


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Name of this search"), max_length=120)


__all__ = ["EducationLevel"]


class CvFileForm(forms.Form):
    file = DocumentField(
        kind=Document.Kind.CV,
        label=_("CV file"),
        help_text=_("A PDF or Word (DOCX) file of up to %(limit)s MB. A new file replaces the old one."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.help_text = field.help_text % {"limit": settings.DOCUMENT_MAX_BYTES // (1024 * 1024)}
