"""Migration officers' pages: the queue with deadlines and what is overdue, the application with
the test, the steps and the decision, card revocation, appeals decided by another officer,
invitation rounds, the what-if over a draft questionnaire and the dashboard.

Who sees what is `migration.selectors`' (the centre's cases, the region's for a manager; 404
otherwise); who may make a move is the workflow's sides (`migration.sides`), asked by the
services. A page never repeats either rule."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from migration import selectors
from migration.access import get_appeal_for_user, get_application_for_user
from migration.models import (
    Application,
    Field,
    InvitationRound,
    Questionnaire,
    Scheme,
    SchemeStep,
)
from migration.sides import MIGRATION_ROLES, appeal_sides, application_sides
from migration.states import KAZAKH_CITIZENSHIP, AppealStatus, StepStatus
from migration.web import forms
from mobility.accounts.access import _role_required
from mobility.core.forms import apply_errors
from mobility.core.privacy.models import PersonalDataView
from mobility.core.privacy.services import personal_data_view_log
from mobility.core.workflow import MIGRATION_OFFICER

# Migration officers and regional managers (the region's centres), administrators.
migration_staff_required = _role_required(
    lambda actor: actor.is_admin or actor.has_centre_role(*MIGRATION_ROLES)
)


def _officer_application(request: HttpRequest, application_id: int) -> Application:
    """An application the caller works on as an officer; the applicant's own view is elsewhere."""
    application = get_application_for_user(request.user, application_id)
    if MIGRATION_OFFICER not in application_sides(request.user, application):
        raise Http404
    return application


@migration_staff_required
def queue(request: HttpRequest) -> HttpResponse:
    """Open applications by deadline, overdue first; the overdue steps; the open appeals."""
    overdue = request.GET.get("overdue") == "1"
    scheme = request.GET.get("scheme", "")
    field = request.GET.get("field", "")
    rows = list(
        selectors.officer_queue(request.user, overdue=overdue, scheme=scheme, field=field).prefetch_related(
            "steps__scheme_step"
        )[:200]
    )
    return render(
        request,
        "foreign/web/queue.html",
        {
            "rows": rows,
            "overdue_steps": list(selectors.overdue_steps(request.user)[:100]),
            "appeals": list(selectors.open_appeals(request.user)[:100]),
            "overdue": overdue,
            "scheme": scheme,
            "field": field,
            "schemes": Scheme.objects.order_by("code"),
            "fields": Field.choices,
        },
    )


def _detail_context(application: Application, **given: Any) -> dict[str, Any]:
    version = application.scheme_version
    steps = selectors.application_steps(application)
    own_form_kinds = (SchemeStep.Kind.LANGUAGE_TEST, SchemeStep.Kind.QUESTIONNAIRE, SchemeStep.Kind.DECISION)
    return {
        "application": application,
        "steps": steps,
        "open_steps": [
            (
                s,
                given["step_form"]
                if given.get("step_errors_for") == s.pk
                else forms.StepForm(prefix=f"s{s.pk}"),
            )
            for s in steps
            if s.status == StepStatus.PENDING and s.started_on and s.scheme_step.kind not in own_form_kinds
        ],
        "test_step": next(
            (
                s
                for s in steps
                if s.scheme_step.kind == SchemeStep.Kind.LANGUAGE_TEST and s.status == "pending"
            ),
            None,
        ),
        "tests": application.test_results.order_by("taken_on", "id"),
        "decisions": application.decisions.select_related("decided_by").order_by("decided_at", "id"),
        "documents": application.documents.select_related("document", "requirement"),
        "card": getattr(application, "card", None) if application.status == "approved" else None,
        "test_form": given.get("test_form") or forms.LanguageTestForm(),
        "decision_form": given.get("decision_form") or forms.DecisionForm(version=version),
        "revoke_form": given.get("revoke_form") or forms.RevokeForm(),
        "citizenship_form": given.get("citizenship_form") or forms.CitizenshipForm(),
        "may_decide": application.status == "in_review",
    }


@migration_staff_required
def application(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _officer_application(request, application_id)
    personal_data_view_log(
        viewer=request.user,
        person=application.applicant.user,
        record=PersonalDataView.Record.FOREIGN,
        obj=application,
        centre=application.centre,
    )
    return render(request, "foreign/web/officer_application.html", _detail_context(application))


@migration_staff_required
@require_POST
def application_act(request: HttpRequest, application_id: int, action: str) -> HttpResponse:
    """One officer action on the application: start the review, record the test or a step,
    decide, revoke the card, record the holder's citizenship (which voids a card void on it). A
    refused move comes back beside its form."""
    from migration.services import applications as services
    from migration.services.cards import card_revoke, foreign_applicant_citizenship_record

    application = _officer_application(request, application_id)
    given: dict[str, Any] = {}
    form: Any
    try:
        if action == "review":
            services.application_review_start(application=application, by=request.user)
        elif action == "test":
            form = given["test_form"] = forms.LanguageTestForm(request.POST)
            if not form.is_valid():
                raise ValidationError({})
            services.language_test_record(application=application, by=request.user, **form.cleaned_data)
        elif action == "step":
            step = get_object_or_404(application.steps, pk=request.POST.get("step") or 0)
            form = given["step_form"] = forms.StepForm(request.POST, prefix=f"s{step.pk}")
            given["step_errors_for"] = step.pk
            if not form.is_valid():
                raise ValidationError({})
            services.step_record(step=step, by=request.user, **form.cleaned_data)
        elif action == "decide":
            form = given["decision_form"] = forms.DecisionForm(
                request.POST, version=application.scheme_version
            )
            if not form.is_valid():
                raise ValidationError({})
            services.application_decide(application=application, by=request.user, **form.cleaned_data)
        elif action == "revoke":
            form = given["revoke_form"] = forms.RevokeForm(request.POST)
            card = getattr(application, "card", None)
            if card is None:
                raise Http404
            if not form.is_valid():
                raise ValidationError({})
            card_revoke(card=card, reason=form.cleaned_data["reason"], by=request.user)
        elif action == "citizenship":
            # The holder of a card acquired Kazakh citizenship: recorded, and the card void at once.
            form = given["citizenship_form"] = forms.CitizenshipForm(request.POST)
            if getattr(application, "card", None) is None:
                raise Http404
            if not form.is_valid():
                raise ValidationError({})
            foreign_applicant_citizenship_record(
                applicant=application.applicant,
                citizenship=KAZAKH_CITIZENSHIP,
                by=request.user,
                **form.cleaned_data,
            )
        else:
            raise Http404
    except ValidationError as exc:
        if exc.messages or getattr(exc, "error_dict", None):
            target = next((f for f in given.values() if hasattr(f, "add_error")), None)
            if target is not None and (getattr(exc, "error_dict", None) or exc.messages):
                apply_errors(target, exc)
            else:
                messages.error(request, " ".join(exc.messages))
        fresh = Application.objects.get(pk=application.pk)
        return render(
            request, "foreign/web/officer_application.html", _detail_context(fresh, **given), status=400
        )
    messages.success(request, _("Recorded."))
    return redirect("foreign:officer_application", application.pk)


@migration_staff_required
def appeal(request: HttpRequest, appeal_id: int) -> HttpResponse:
    """An appeal: decided by an officer of the region other than the one who refused. The first
    officer reads it and is told so; the service refuses them too."""
    from migration.services.appeals import appeal_decide

    appeal = get_appeal_for_user(request.user, appeal_id)
    sides = appeal_sides(request.user, appeal)
    if MIGRATION_OFFICER not in application_sides(request.user, appeal.application):
        raise Http404
    may_decide = MIGRATION_OFFICER in sides and appeal.status == AppealStatus.LODGED
    version = appeal.application.scheme_version
    form = forms.DecisionForm(request.POST or None, version=version, outcomes=forms.APPEAL_OUTCOMES)
    status = 200
    if request.method == "POST":
        if not may_decide:
            status = 403
            messages.error(
                request,
                _("The officer who refused cannot decide the appeal: another officer of the region does."),
            )
        elif form.is_valid():
            try:
                appeal_decide(appeal=appeal, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("The appeal is decided."))
                return redirect("foreign:officer_appeal", appeal.pk)
        else:
            status = 400
    return render(
        request,
        "foreign/web/officer_appeal.html",
        {
            "appeal": appeal,
            "application": appeal.application,
            "form": form,
            "may_decide": may_decide,
            "first_officer": appeal.refusal.decided_by_id == request.user.pk,
        },
        status=status,
    )


# --- Invitation rounds and the what-if ----------------------------------------------------------


def _points_scheme() -> Scheme:
    return get_object_or_404(Scheme, kind=Scheme.Kind.POINTS)


def _rounds_visible_to(user: Any) -> Any:
    from migration.sides import migration_centre_ids

    centres = migration_centre_ids(user)
    qs = InvitationRound.objects.select_related("scheme", "centre").order_by("-created_at", "-id")
    if centres is None:
        return qs
    from django.db.models import Q

    return qs.filter(Q(centre__isnull=True, created_by=user) | Q(centre_id__in=centres))


@migration_staff_required
def rounds(request: HttpRequest) -> HttpResponse:
    """Staff run a round for a field and a number of places: create, preview, run, publish."""
    from migration.services.rounds import round_create
    from migration.sides import migration_centre_ids

    form = forms.RoundForm(request.POST or None, centres=migration_centre_ids(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            created = round_create(
                scheme=_points_scheme(),
                places=form.cleaned_data["places"],
                field=form.cleaned_data["field"],
                centre=form.cleaned_data.get("centre"),
                by=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("foreign:officer_round", created.pk)
    return render(
        request,
        "foreign/web/officer_rounds.html",
        {"form": form, "rounds": _rounds_visible_to(request.user)[:100]},
    )


@migration_staff_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    from migration.services import rounds as services

    round_ = get_object_or_404(_rounds_visible_to(request.user), pk=round_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "run":
                services.round_run(round=round_, by=request.user)
            elif action == "publish":
                services.round_publish(round=round_, by=request.user)
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("foreign:officer_round", round_.pk)
    preview = services.round_preview(round=round_) if round_.status == InvitationRound.Status.DRAFT else None
    return render(
        request,
        "foreign/web/officer_round.html",
        {
            "round": round_,
            "preview": preview,
            "invitations": round_.invitations.select_related("application__applicant__user")[:500],
        },
    )


@migration_staff_required
def what_if(request: HttpRequest) -> HttpResponse:
    """Re-score the pool under a draft questionnaire: who would cross the pass mark, either way."""
    from migration.services.whatif import what_if as run

    scheme = _points_scheme()
    versions = list(
        Questionnaire.objects.filter(scheme=scheme, status="draft")
        .exclude(version="")
        .order_by("-id")
        .values_list("version", flat=True)
    )
    form = forms.WhatIfForm(request.GET or None, versions=versions)
    result = None
    if request.GET and form.is_valid():
        try:
            result = run(version=form.cleaned_data["version"], scheme_code=scheme.code)
        except ValidationError as exc:
            apply_errors(form, exc)
    return render(request, "foreign/web/officer_whatif.html", {"form": form, "result": result})


@migration_staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    from migration.web.dashboards import foreign_dashboard

    return render(request, "foreign/web/dashboard.html", foreign_dashboard(request.user))
