"""A case file and its notes."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mobility.accounts.access import exchange_staff_required
from mobility.cases import selectors, services
from mobility.cases.forms import (
    EndRegistrationForm,
    FamilyMemberForm,
    NoteForm,
    OutcomeForm,
    ReassignForm,
    ReferralForm,
    ReferralOutcomeForm,
    TransferForm,
)
from mobility.cases.models import Case, EmploymentPlan, PlanStep
from mobility.core.actors import actor_of
from mobility.core.calendar import day_off_warnings
from mobility.core.documents.selectors import person_documents
from mobility.core.privacy.models import PersonalDataView
from mobility.core.privacy.services import personal_data_view_log
from mobility.exchange.models import Registration

from ._shared import _user


@exchange_staff_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, case_id)
    personal_data_view_log(
        viewer=request.user,
        person=case.person,
        record=PersonalDataView.Record.CASE,
        obj=case,
        centre=case.centre,
    )
    return render_case(request, case)


def render_case(
    request: HttpRequest,
    case: Case,
    *,
    referral_form: ReferralForm | None = None,
    note_form: NoteForm | None = None,
) -> HttpResponse:
    """The case page; a refused form (`referral_form`, `note_form`) comes back open, with what
    was typed and the reasons beside its fields."""
    plan = EmploymentPlan.objects.filter(case=case).prefetch_related("steps").first()
    steps = list(plan.steps.all()) if plan else []
    warnings = day_off_warnings(step.due_on for step in steps if step.status == PlanStep.Status.PLANNED)
    for step in steps:
        step.day_off_warning = warnings.get(step.due_on)  # type: ignore[attr-defined]
    registration = (
        Registration.objects.filter(profile__user_id=case.person_id, status=Registration.Status.ACTIVE)
        .select_related("centre")
        .first()
    )
    return render(
        request,
        "staff/case_detail.html",
        {
            "case": case,
            "plan": plan,
            "steps": steps,
            "registration": registration,
            "documents": person_documents(viewer=request.user, person=case.person),
            "referrals": case.referrals.select_related("vacancy", "target_centre").all(),
            "timeline": selectors.timeline(case, request.user),
            "family": selectors.family_of(case),
            "family_form": FamilyMemberForm(),
            "transfer_form": TransferForm(centres=selectors.transfer_centres(case)),
            "note_form": note_form or NoteForm(programmes=actor_of(request.user).programmes()),
            "referral_form": referral_form or ReferralForm(),
            "outcome_form": OutcomeForm(),
            "referral_outcome_form": ReferralOutcomeForm(),
            "reassign_form": ReassignForm(
                counsellors=selectors.counsellors_for(case), initial={"counsellor": case.counsellor}
            ),
            "end_form": EndRegistrationForm(),
            "today": timezone.localdate(),
        },
    )


@exchange_staff_required
@require_POST
def note_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, case_id)
    form = NoteForm(request.POST, programmes=actor_of(request.user).programmes())
    if not form.is_valid():
        return render_case(request, case, note_form=form)
    services.note_add(case=case, by=_user(request), **form.cleaned_data)
    messages.success(request, _("The note is saved."))
    return redirect("cases:case", case_id=case.id)
