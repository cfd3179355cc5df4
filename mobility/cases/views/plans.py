"""Individual employment plans and their steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mobility.accounts.access import exchange_staff_required
from mobility.cases import selectors, services
from mobility.cases.forms import (
    OutcomeForm,
    PlanForm,
    StepFormSet,
)
from mobility.cases.models import EmploymentPlan, PlanStep
from mobility.core.calendar import day_off_warnings
from mobility.core.forms import apply_errors

from ._shared import _user


@exchange_staff_required
def plan_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, case_id)
    plan = EmploymentPlan.objects.filter(case=case).first()
    initial_steps = (
        [
            {"id": s.id, "kind": s.kind, "title": s.title, "due_on": s.due_on, "owner": s.owner}
            for s in plan.steps.filter(status=PlanStep.Status.PLANNED)
        ]
        if plan
        else []
    )
    form = PlanForm(request.POST or None, initial={"goal": plan.goal if plan else ""})
    formset = StepFormSet(request.POST or None, initial=initial_steps, prefix="steps")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        steps = [f.cleaned_data for f in formset if f.cleaned_data.get("title")]
        try:
            saved = services.plan_save(
                case=case,
                goal=form.cleaned_data["goal"],
                steps=steps,
                by=_user(request),
                reason=form.cleaned_data["reason"],
            )
            if "propose" in request.POST:
                services.plan_propose(plan=saved, by=_user(request))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The plan is saved."))
            warnings = day_off_warnings(step["due_on"] for step in steps)
            for step in steps:
                if step["due_on"] in warnings:
                    messages.warning(
                        request,
                        _("Step “%(title)s”: %(warning)s The date is kept.")
                        % {"title": step["title"], "warning": warnings[step["due_on"]]},
                    )
            return redirect("cases:case", case_id=case.id)
    _mark_days_off(formset)
    return render(
        request, "staff/plan_edit.html", {"case": case, "form": form, "formset": formset, "plan": plan}
    )


@exchange_staff_required
@require_POST
def plan_propose(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, case_id)
    plan = get_object_or_404(EmploymentPlan, case=case)
    try:
        services.plan_propose(plan=plan, by=_user(request))
        messages.success(request, _("The plan is sent to the job seeker for confirmation."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("cases:case", case_id=case.id)


@exchange_staff_required
@require_POST
def step_outcome(request: HttpRequest, case_id: int, step_id: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, case_id)
    step = get_object_or_404(PlanStep, plan__case=case, id=step_id)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        services.step_record_outcome(step=step, by=_user(request), **form.cleaned_data)
        messages.success(request, _("The outcome is recorded."))
    else:
        messages.error(request, _("Choose a result."))
    return redirect("cases:case", case_id=case.id)


def _mark_days_off(formset: Any) -> None:
    """A warning beside each step whose deadline falls on a day off (the date stays allowed)."""
    dates = {}
    for form in formset:
        value = form["due_on"].value()
        try:
            dates[form.prefix] = value if isinstance(value, dt.date) else dt.date.fromisoformat(value or "")
        except ValueError:
            continue
    warnings = day_off_warnings(dates.values())
    for form in formset:
        form.day_off_warning = warnings.get(dates.get(form.prefix))  # type: ignore[arg-type]
