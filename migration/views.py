"""Public foreign-specialist pages: the self-assessment and the published round results. The
applicant's, the officers' and the employer's pages live beside them and call the same services."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from migration import selectors
from migration.forms import SelfAssessmentForm
from migration.services.assessment import questionnaire_in_force, self_assess


@require_http_methods(["GET", "POST"])
def self_assessment(request: HttpRequest) -> HttpResponse:
    """Answer the published questionnaire and see the points per criterion, the total and
    whether they pass; no account, nothing stored."""
    questionnaire = questionnaire_in_force()
    if questionnaire is None:
        return render(request, "foreign/self_assessment.html", {"questionnaire": None})
    form = SelfAssessmentForm(request.POST or None, questionnaire=questionnaire)
    result = None
    if request.method == "POST" and form.is_valid():
        assessment = self_assess(answers=form.cleaned_data, questionnaire=questionnaire)
        criteria = {c.code: c for c in questionnaire.criteria.all()}
        result = {
            "score": assessment.score,
            "rows": [
                {
                    "criterion": criteria[code].name,
                    "answer": next(
                        o.name for o in criteria[code].options.all() if o.code == form.cleaned_data[code]
                    ),
                    "points": points,
                }
                for code, points in assessment.score.points.items()
            ],
        }
    return render(
        request,
        "foreign/self_assessment.html",
        {"questionnaire": questionnaire, "form": form, "result": result},
    )


def rounds(request: HttpRequest) -> HttpResponse:
    """The published invitation rounds: field, places, invited, cut-off score."""
    return render(request, "foreign/rounds.html", {"rounds": selectors.published_rounds()[:100]})
