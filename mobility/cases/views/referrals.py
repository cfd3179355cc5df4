"""Referrals and their outcomes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mobility.accounts.access import exchange_staff_required
from mobility.cases import selectors, services
from mobility.cases.forms import (
    ReferralForm,
    ReferralOutcomeForm,
)
from mobility.core.forms import apply_errors
from mobility.exchange.models import Vacancy

from ._shared import _user
from .case import render_case


@exchange_staff_required
@require_POST
def referral_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, case_id)
    form = ReferralForm(request.POST)
    if not form.is_valid():
        return render_case(request, case, referral_form=form)
    data = form.cleaned_data
    vacancy = None
    if data.get("vacancy"):
        vacancy = Vacancy.objects.filter(id=data["vacancy"], status=Vacancy.Status.PUBLISHED).first()
        if vacancy is None:
            form.add_error("vacancy", _("There is no published vacancy with this number."))
            return render_case(request, case, referral_form=form)
    try:
        services.referral_create(
            case=case,
            kind=data["kind"],
            by=_user(request),
            vacancy=vacancy,
            target_centre=data.get("target_centre"),
            provider=data.get("provider") or "",
            note=data.get("note") or "",
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return render_case(request, case, referral_form=form)
    messages.success(request, _("The referral is sent."))
    if (
        data["kind"] == "other_region"
        and not selectors.cases_visible_to(request.user).filter(id=case.id).exists()
    ):
        return redirect("cases:caseload")
    return redirect("cases:case", case_id=case.id)


@exchange_staff_required
@require_POST
def referral_outcome(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = selectors.get_referral_for_user(request.user, referral_id)
    form = ReferralOutcomeForm(request.POST)
    if form.is_valid():
        services.referral_record_outcome(referral=referral, by=_user(request), **form.cleaned_data)
        messages.success(request, _("The outcome is recorded."))
    return redirect("cases:case", case_id=referral.case_id)
