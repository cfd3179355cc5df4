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
from mobility.core.workflow import EMPLOYER, allowed
from mobility.employer import access, forms, selectors, services
from mobility.exchange.models import APPLICATION_WORKFLOW, SeekerProfile
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


@employer_required
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access.get_application_for_employer(request.user, application_id)
    profile = application.seeker
    shared = selectors.contacts_shared_with(application.vacancy.organisation, [profile.pk])
    hidden = profile.visibility == SeekerProfile.Visibility.HIDDEN
    reveal = application.contacts_shared or selectors.may_reveal(profile, shared)
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
            "moves": allowed(
                APPLICATION_WORKFLOW,
                application.status,
                application_sides(request.user, application) & {EMPLOYER},
            ),
            "move_form": forms.MoveForm(),
            "note_form": forms.NoteForm(),
        },
    )


@employer_required
@require_POST
def application_move(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access.get_application_for_employer(request.user, application_id)
    form = forms.MoveForm(request.POST)
    if form.is_valid():
        try:
            services.application_move(
                application=application,
                to=form.cleaned_data["to"],
                by=_actor(request),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The candidate is moved."))
    else:
        messages.error(request, _("Choose where to move the candidate."))
    return _back(request, reverse("employer:application", args=[application.id]))


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
