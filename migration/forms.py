"""Forms of the foreign-specialist pages (the self-assessment here; the applicant's and the
officers' forms beside it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from migration.models import Questionnaire


class SelfAssessmentForm(forms.Form):
    """One question per criterion of the questionnaire, each option with its points."""

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        for criterion in questionnaire.criteria.all():
            self.fields[criterion.code] = forms.ChoiceField(
                label=criterion.name,
                choices=[
                    (
                        option.code,
                        ngettext(
                            "%(option)s (%(points)s point)", "%(option)s (%(points)s points)", option.points
                        )
                        % {"option": option.name, "points": option.points},
                    )
                    for option in criterion.options.all()
                ],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer."),
                    "invalid_choice": _("Choose one of the answers."),
                },
            )
