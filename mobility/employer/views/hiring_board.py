"""The hiring board, applications and notes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mobility.accounts.access import employer_required
from mobility.core.documents.models import Document
from mobility.core.documents.selectors import person_documents
from mobility.core.forms import apply_errors
from mobility.core.workflow import EMPLOYER, allowed
from mobility.employer import access, forms, selectors, services
from mobility.exchange import selectors as exchange_selectors
from mobility.exchange import services as exchange
from mobility.exchange.models import APPLICATION_WORKFLOW, Application, ApplicationStatus, SeekerProfile
from mobility.exchange.sides import application_sides, employer_sides

from ._shared import _actor, _back


@employer_required
def pipeline(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = access.get_vacancy_for_candidates(request.user, vacancy_id)
    columns = selectors.pipeline_board(vacancy)
    side = employer_sides(request.user, vacancy.organisation)
    return render(
        request,
        "employer/pipeline.html",
        {
            "vacancy": vacancy,
            "columns": columns,
            "total": sum(len(cards) for _s, _l, cards in columns),
            "move_choices": forms.MOVE_CHOICES,
            "moves": {s: APPLICATION_WORKFLOW.targets_from(s, side) for s, _l, _c in columns},
        },
    )


@employer_required
@require_POST
def pipeline_bulk(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = access.get_vacancy_for_candidates(request.user, vacancy_id)
    ids = list(vacancy.applications.values_list("id", flat=True))
    form = forms.BulkMoveForm(request.POST, application_ids=ids)
    if not form.is_valid():
        messages.error(request, _("Tick the candidates and choose where to move them."))
        return redirect("employer:pipeline", vacancy_id=vacancy.id)
    chosen = list(vacancy.applications.filter(id__in=form.cleaned_data["applications"]).order_by("id"))
    moved, refused = services.applications_bulk_move(
        applications=chosen,
        to=form.cleaned_data["to"],
        by=_actor(request),
        reason=form.cleaned_data["reason"],
    )
    if moved:
        messages.success(request, _("%(count)s candidates moved.") % {"count": len(moved)})
    if refused:
        messages.warning(
            request,
            _("%(count)s candidates were not moved: %(why)s")
            % {"count": len(refused), "why": "; ".join(sorted({why for _a, why in refused}))},
        )
    return redirect("employer:pipeline", vacancy_id=vacancy.id)


def _application_page(
    request: HttpRequest,
    application: Application,
    *,
    move_form: forms.MoveForm | None = None,
    move_interview_form: forms.InterviewForm | None = None,
    interview_form: forms.InterviewForm | None = None,
    cancel_form: forms.InterviewCancelForm | None = None,
    status: int = 200,
) -> HttpResponse:
    profile = application.seeker
    shared = selectors.contacts_shared_with(application.vacancy.organisation, [profile.pk])
    hidden = profile.visibility == SeekerProfile.Visibility.HIDDEN
    reveal = application.contacts_shared or selectors.may_reveal(profile, shared)
    moves = allowed(
        APPLICATION_WORKFLOW,
        application.status,
        application_sides(request.user, application) & {EMPLOYER},
    )
    interview = exchange_selectors.interview_of(application)
    at_interview = application.status == ApplicationStatus.INTERVIEW
    return render(
        request,
        "employer/application_detail.html",
        {
            "application": application,
            "vacancy": application.vacancy,
            "profile": profile,
            "hidden": hidden,
            "reveal": reveal,
            "cv_file": person_documents(
                viewer=request.user, person=profile.user, kinds=(Document.Kind.CV,)
            ).first(),
            "skills": profile.skills.all() if not hidden or reveal else [],
            "history": selectors.application_history(application),
            "notes": selectors.application_notes(application),
            "moves": moves,
            "move_form": move_form or forms.MoveForm(),
            # The interview's fields beside a move that can go to the interview stage.
            "move_interview_form": (
                (move_interview_form or forms.InterviewForm(required=False))
                if any(code == ApplicationStatus.INTERVIEW for code, _label in moves)
                else None
            ),
            "interview": interview,
            "interview_form": (
                interview_form
                or forms.InterviewForm(
                    moving=interview is not None,
                    initial=(
                        {"starts_at": interview.starts_at, "place": interview.place, "note": interview.note}
                        if interview
                        else None
                    ),
                )
            )
            if at_interview
            else None,
            "cancel_form": (cancel_form or forms.InterviewCancelForm()) if interview else None,
            "note_form": forms.NoteForm(),
        },
        status=status,
    )


@employer_required
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access.get_application_for_employer(request.user, application_id)
    return _application_page(request, application)


@employer_required
@require_POST
def application_move(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access.get_application_for_employer(request.user, application_id)
    form = forms.MoveForm(request.POST)
    interview_form = forms.InterviewForm(request.POST, required=False)
    if not form.is_valid():
        messages.error(request, _("Choose where to move the candidate."))
        return _back(request, reverse("employer:application", args=[application.id]))
    if not interview_form.is_valid():
        return _application_page(
            request, application, move_form=form, move_interview_form=interview_form, status=400
        )
    try:
        services.application_move(
            application=application,
            to=form.cleaned_data["to"],
            by=_actor(request),
            reason=form.cleaned_data["reason"],
            interview=interview_form.schedule(),
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and set(exc.error_dict) & set(interview_form.fields):
            apply_errors(interview_form, exc)
            return _application_page(
                request, application, move_form=form, move_interview_form=interview_form, status=400
            )
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The candidate is moved."))
    return _back(request, reverse("employer:application", args=[application.id]))


@employer_required
@require_POST
def application_interview(request: HttpRequest, application_id: int) -> HttpResponse:
    """Set the interview of a candidate at the interview stage, or move it."""
    application = access.get_application_for_employer(request.user, application_id)
    current = exchange_selectors.interview_of(application)
    form = forms.InterviewForm(request.POST, moving=current is not None)
    if form.is_valid():
        try:
            exchange.application_interview_schedule(
                application=application, by=_actor(request), **(form.schedule() or {})
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The interview is moved; the candidate is told.")
                if current
                else _("The interview is set; the candidate is told."),
            )
            return redirect(reverse("employer:application", args=[application.id]) + "#interview")
    return _application_page(request, application, interview_form=form, status=400)


@employer_required
@require_POST
def application_interview_cancel(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access.get_application_for_employer(request.user, application_id)
    form = forms.InterviewCancelForm(request.POST)
    if form.is_valid():
        try:
            exchange.application_interview_cancel(
                application=application, by=_actor(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The interview is cancelled; the candidate is told."))
            return redirect(reverse("employer:application", args=[application.id]) + "#interview")
    return _application_page(request, application, cancel_form=form, status=400)


@employer_required
@require_POST
def application_note(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access.get_application_for_employer(request.user, application_id)
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        services.application_note_add(
            application=application, by=_actor(request), text=form.cleaned_data["text"]
        )
        messages.success(request, _("The note is saved."))
    else:
        messages.error(request, _("Write the note first."))
    return redirect(reverse("employer:application", args=[application.id]) + "#notes")
