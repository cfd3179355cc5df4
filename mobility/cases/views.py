"""The career-centre workspace: caseload, registration desk, case file, plan, referrals,
dashboards, and the offline forms of mobile groups. Thin views over services/selectors."""

from __future__ import annotations

import csv
import datetime as dt
import json
import uuid
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mobility.accounts.access import staff_required
from mobility.accounts.models import User
from mobility.cases import selectors, services
from mobility.cases.forms import (
    EndRegistrationForm,
    NoteForm,
    OutcomeForm,
    PeriodForm,
    PlanForm,
    ReassignForm,
    ReferralForm,
    ReferralOutcomeForm,
    RegistrationDeskForm,
    StepFormSet,
)
from mobility.cases.models import Case, EmploymentPlan, PlanStep
from mobility.core.forms import apply_errors
from mobility.exchange import services as exchange_services
from mobility.exchange.models import Registration, Vacancy
from mobility.reference.models import Centre

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    """The signed-in staff member (the decorators have already checked the role)."""
    return cast(User, request.user)


def _scope_centres(request: HttpRequest) -> Any:
    scope = selectors.centre_ids_in_scope(request.user)
    qs = Centre.objects.select_related("region")
    return qs if scope is None else qs.filter(id__in=scope)


@staff_required
def caseload(request: HttpRequest) -> HttpResponse:
    mine = request.GET.get("mine") == "1"
    status = "closed" if request.GET.get("status") == "closed" else "open"
    qs = selectors.caseload(request.user, mine_only=mine, status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    overdue = selectors.overdue_steps_by_case([case.id for case in page.object_list])
    for case in page.object_list:
        case.overdue = overdue.get(case.id, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "staff/caseload.html",
        {"page": page, "mine": mine, "status": status, "today": timezone.localdate()},
    )


@staff_required
def registration_desk(request: HttpRequest) -> HttpResponse:
    form = RegistrationDeskForm(request.POST or None, centres=_scope_centres(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.registration_desk_register(
                by=_user(request),
                centre=data["centre"],
                iin=data["iin"],
                last_name=data["last_name"],
                first_name=data["first_name"],
                region=data["region"],
                kind=data["kind"],
                registered_on=data["registered_on"],
                documents=data["documents"],
                email=data["email"] or None,
                phone=data["phone"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The person is registered and their case is open."))
            return redirect("cases:case", case_id=case.id)
    return render(request, "staff/registration_desk.html", {"form": form})


@staff_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, case_id)
    plan = EmploymentPlan.objects.filter(case=case).prefetch_related("steps").first()
    registration = (
        case.seeker.registrations.filter(status=Registration.Status.ACTIVE).select_related("centre").first()
    )
    return render(
        request,
        "staff/case_detail.html",
        {
            "case": case,
            "plan": plan,
            "steps": list(plan.steps.all()) if plan else [],
            "registration": registration,
            "referrals": case.referrals.select_related("vacancy", "target_centre").all(),
            "timeline": selectors.timeline(case),
            "note_form": NoteForm(),
            "referral_form": ReferralForm(),
            "outcome_form": OutcomeForm(),
            "referral_outcome_form": ReferralOutcomeForm(),
            "reassign_form": ReassignForm(
                counsellors=selectors.counsellors_for(case), initial={"counsellor": case.counsellor}
            ),
            "end_form": EndRegistrationForm(),
            "today": timezone.localdate(),
        },
    )


@staff_required
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
            return redirect("cases:case", case_id=case.id)
    return render(
        request, "staff/plan_edit.html", {"case": case, "form": form, "formset": formset, "plan": plan}
    )


@staff_required
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


@staff_required
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


@staff_required
@require_POST
def referral_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, case_id)
    form = ReferralForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        vacancy = None
        if data.get("vacancy"):
            vacancy = Vacancy.objects.filter(id=data["vacancy"], status=Vacancy.Status.PUBLISHED).first()
            if vacancy is None:
                messages.error(request, _("There is no published vacancy with this number."))
                return redirect("cases:case", case_id=case.id)
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
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The referral is sent."))
            if (
                data["kind"] == "other_region"
                and not selectors.cases_visible_to(request.user).filter(id=case.id).exists()
            ):
                return redirect("cases:caseload")
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("cases:case", case_id=case.id)


@staff_required
@require_POST
def referral_outcome(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = selectors.get_referral_for_user(request.user, referral_id)
    form = ReferralOutcomeForm(request.POST)
    if form.is_valid():
        services.referral_record_outcome(referral=referral, by=_user(request), **form.cleaned_data)
        messages.success(request, _("The outcome is recorded."))
    return redirect("cases:case", case_id=referral.case_id)


@staff_required
@require_POST
def note_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, case_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.note_add(case=case, by=_user(request), **form.cleaned_data)
        messages.success(request, _("The note is saved."))
    else:
        messages.error(request, _("The note is empty."))
    return redirect("cases:case", case_id=case.id)


@staff_required
@require_POST
def reassign(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, case_id)
    form = ReassignForm(request.POST, counsellors=selectors.counsellors_for(case))
    if form.is_valid():
        try:
            services.case_reassign(case=case, by=_user(request), **form.cleaned_data)
            messages.success(request, _("The case is reassigned."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose a counsellor."))
    return redirect("cases:case", case_id=case.id)


@staff_required
@require_POST
def registration_end(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, case_id)
    registration = get_object_or_404(Registration, profile=case.seeker, status=Registration.Status.ACTIVE)
    form = EndRegistrationForm(request.POST)
    if form.is_valid():
        try:
            exchange_services.registration_end(
                registration=registration,
                reason=form.cleaned_data["reason"],
                by=_user(request),
            )
            messages.success(request, _("The registration has ended."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Say why the registration ends."))
    return redirect("cases:case", case_id=case.id)


# --- Dashboards -------------------------------------------------------------------------------------


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    start, end, scope = today.replace(day=1) - dt.timedelta(days=150), today, "centre"
    if form.is_valid():
        start = form.cleaned_data.get("start") or start
        end = form.cleaned_data.get("end") or end
        scope = form.cleaned_data.get("scope") or scope
    in_scope = selectors.centre_ids_in_scope(request.user)
    if scope == "region" or in_scope is None:
        centre_ids = in_scope
    else:
        own = {m.centre_id for m in request.user.centre_memberships.all()}  # type: ignore[union-attr]
        centre_ids = own & in_scope if own else in_scope
    board = selectors.dashboard(request.user, centre_ids=centre_ids, start=start, end=end)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="dashboard-{start}-{end}.csv"'
        writer = csv.writer(response)
        writer.writerow([_("Indicator"), _("Value")])
        for label, value in (
            (_("Registered job seekers"), board.registered),
            (_("Placements"), board.placements),
            (_("Plans on time"), board.plans_on_time),
            (_("Plans overdue"), board.plans_overdue),
            (_("Open vacancies"), board.vacancies_open),
            (_("Referrals"), board.referrals),
        ):
            writer.writerow([label, value])
        writer.writerow([])
        writer.writerow([_("Skill"), _("Demand (vacancies)"), _("Supply (job seekers)")])
        for row in board.missing_skills:
            writer.writerow(row)
        return response
    peak = max([n for _m, n in board.placements_by_month] or [1])
    bars = [
        {
            "month": month,
            "n": n,
            "x": i * 100 + 15,
            "h": round(100 * n / peak),
            "y": 110 - round(100 * n / peak),
        }
        for i, (month, n) in enumerate(board.placements_by_month)
    ]
    gap_peak = max([max(d, s) for _n, d, s in board.missing_skills] or [1])
    gaps = [
        (name, d, s, round(100 * d / gap_peak), round(100 * s / gap_peak))
        for name, d, s in board.missing_skills
    ]
    plans_total = board.plans_on_time + board.plans_overdue
    return render(
        request,
        "staff/dashboard.html",
        {
            "form": form,
            "board": board,
            "bars": bars,
            "gaps": gaps,
            "start": start,
            "end": end,
            "scope": scope,
            "on_time_pct": round(100 * board.plans_on_time / plans_total) if plans_total else 0,
        },
    )


# --- Mobile groups: offline forms ----------------------------------------------------------------------


@staff_required
def mobile(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/mobile.html", {"centres": _scope_centres(request)})


def mobile_service_worker(request: HttpRequest) -> HttpResponse:
    """Served from /staff/mobile/ so its scope covers the offline pages."""
    from django.contrib.staticfiles import finders

    path = finders.find("js/mobile-sw.js")
    if not path:
        raise Http404
    with open(path, encoding="utf-8") as fh:
        response = HttpResponse(fh.read(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = request.path.rsplit("/", 1)[0] + "/"
    response["Cache-Control"] = "no-cache"
    return response


@staff_required
@require_POST
def mobile_sync(request: HttpRequest) -> JsonResponse:
    """Receive one entry made offline. Idempotent by the device's key: sending it twice
    applies it once and answers the same both times."""
    try:
        body = json.loads(request.body or b"{}")
        client_key = uuid.UUID(str(body.get("client_key")))
        kind = str(body.get("kind"))
        payload = dict(body.get("payload") or {})
    except (ValueError, TypeError, AttributeError):
        return JsonResponse({"error": _("The entry is malformed."), "field": "client_key"}, status=400)
    user = _user(request)

    def apply() -> dict[str, Any]:
        if kind == "note":
            case = selectors.get_case_for_user(user, int(payload.get("case", 0)))
            note = services.note_add(
                case=case, text=str(payload.get("text", "")), kind="visit", by=user, client_key=client_key
            )
            return {"ok": True, "note": note.pk, "case": case.pk}
        if kind == "registration":
            form = RegistrationDeskForm(payload, centres=_scope_centres(request))
            if not form.is_valid():
                raise ValidationError(form.errors.get_json_data())
            data = form.cleaned_data
            case = services.registration_desk_register(
                by=user,
                centre=data["centre"],
                iin=data["iin"],
                last_name=data["last_name"],
                first_name=data["first_name"],
                region=data["region"],
                kind=data["kind"],
                registered_on=data["registered_on"],
                documents=data["documents"],
                email=data["email"] or None,
                phone=data["phone"],
            )
            return {"ok": True, "case": case.pk}
        raise ValidationError({"kind": _("Unknown kind of entry.")})

    try:
        result = services.offline_submit(
            client_key=client_key, kind=kind, payload=payload, by=user, apply=apply
        )
    except Http404:
        return JsonResponse({"error": _("No such case."), "field": "case"}, status=404)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return JsonResponse({"error": _("The entry was not accepted."), "fields": errors}, status=400)
    return JsonResponse(result, status=200 if result.get("duplicate") else 201)


__all__ = ["Case"]
