"""The employer's foreign-specialist pages: domestic first before a vacancy opens to foreign
specialists, confirming a job offer, checking a card, and the reporting duties for sponsored
specialists. Objects come through the employer's scoped selectors (404 when not theirs)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from migration import selectors
from migration.models import Application, ForeignOpening
from migration.states import ApplicationStatus
from migration.web import forms
from mobility.accounts.access import employer_required
from mobility.core.actors import actor_of
from mobility.employer.access import get_vacancy_for_candidates


def _evidence(vacancy: Any) -> dict[str, Any]:
    """The domestic-first evidence (counts from `services.employer.domestic_evidence`, the one
    rule the opening keeps) and the matcher's ranked candidates as the employer pages show them."""
    from migration.services.employer import domestic_evidence
    from mobility.employer.selectors import ranked_candidates

    return {**domestic_evidence(vacancy), "candidates": ranked_candidates(vacancy, limit=20)}


@employer_required
def vacancy_foreign(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    """Domestic first: the seekers at home who match, then the employer may open the vacancy to
    foreign specialists (the evidence is kept with it) or close it again."""
    from migration.services import employer as services

    vacancy = get_vacancy_for_candidates(request.user, vacancy_id)
    opening = ForeignOpening.objects.filter(vacancy=vacancy).first()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "close" and opening is not None:
                services.foreign_opening_close(opening=opening, by=request.user)
                messages.success(request, _("The vacancy is no longer open to foreign specialists."))
            else:
                services.foreign_opening_open(vacancy=vacancy, by=request.user)
                messages.success(request, _("The vacancy is open to foreign specialists."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("foreign:employer_vacancy", vacancy.pk)
    return render(
        request,
        "foreign/web/employer_vacancy.html",
        {"vacancy": vacancy, "opening": opening, "evidence": _evidence(vacancy)},
    )


def _offers(user: Any) -> Any:
    return (
        Application.objects.filter(
            vacancy__organisation_id__in=actor_of(user).organisation_ids(verified=True),
            status__in=[
                ApplicationStatus.SUBMITTED,
                ApplicationStatus.POOLED,
                ApplicationStatus.INVITED,
                ApplicationStatus.IN_REVIEW,
                ApplicationStatus.APPROVED,
            ],
        )
        .select_related("applicant__user", "vacancy", "scheme_version__scheme", "occupation")
        .order_by("offer_confirmed_at", "-submitted_at")
    )


@employer_required
def offers(request: HttpRequest) -> HttpResponse:
    """Applications that name one of the organisation's vacancies as their job offer."""
    from mobility.exchange.models import Vacancy
    from mobility.exchange.selectors import vacancies_open_to_candidates

    vacancies = (
        vacancies_open_to_candidates(request.user)
        .filter(status=Vacancy.Status.PUBLISHED)
        .select_related("foreign_opening")
        .order_by("title")[:200]
    )
    return render(
        request,
        "foreign/web/employer_offers.html",
        {
            "offers": _offers(request.user)[:200],
            "duties": selectors.reporting_duties_of(request.user)[:200],
            "vacancies": vacancies,
        },
    )


@employer_required
@require_POST
def offer_confirm(request: HttpRequest, application_id: int) -> HttpResponse:
    from migration.services.applications import application_offer_confirm

    application = get_object_or_404(_offers(request.user), pk=application_id)
    try:
        application_offer_confirm(application=application, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The job offer is confirmed."))
    return redirect("foreign:employer_offers")


@employer_required
@require_POST
def duty_report(request: HttpRequest, duty_id: int) -> HttpResponse:
    from migration.services.employer import reporting_duty_report

    duty = get_object_or_404(selectors.reporting_duties_of(request.user), pk=duty_id)
    form = forms.DutyReportForm(request.POST)
    if form.is_valid():
        try:
            reporting_duty_report(duty=duty, event_on=form.cleaned_data["event_on"], by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Reported."))
    else:
        messages.error(request, _("Enter the date."))
    return redirect("foreign:employer_offers")


def card_check(request: HttpRequest) -> HttpResponse:
    """An employer checks a card by its number and the holder's name: valid, expired or void."""
    from migration.services.cards import card_check as check

    form = forms.CardCheckForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        result = check(number=form.cleaned_data["number"], holder_name=form.cleaned_data["holder_name"])
    return render(request, "foreign/web/card_check.html", {"form": form, "result": result})


card_check = employer_required(card_check)
