"""The caseload, the registration desk, reassignment and ending a registration."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mobility.accounts.access import exchange_staff_required
from mobility.accounts.models import User
from mobility.accounts.services import Activation, account_activation_start
from mobility.cases import selectors, services
from mobility.cases.forms import (
    EndRegistrationForm,
    ReassignForm,
    RegistrationDeskForm,
    TransferForm,
)
from mobility.cases.models import Case
from mobility.core.forms import apply_errors
from mobility.exchange import services as exchange_services
from mobility.exchange.models import Registration

from ._shared import _scope_centres, _user

PAGE_SIZE = 50


@exchange_staff_required
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


@exchange_staff_required
def registration_desk(request: HttpRequest) -> HttpResponse:
    form = RegistrationDeskForm(request.POST or None, request.FILES or None, centres=_scope_centres(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            desk = services.registration_desk_register(
                by=_user(request),
                centre=data["centre"],
                iin=data["iin"],
                last_name=data["last_name"],
                first_name=data["first_name"],
                region=data["region"],
                kind=data["kind"],
                registered_on=data["registered_on"],
                identity_document=data["identity_document"],
                status_documents=data["status_documents"],
                email=data["email"] or None,
                phone=data["phone"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if desk.activation.code:
                # Shown once, on a letter to print or hand over: only a digest is kept.
                return _letter(request, case=desk.case, person=desk.person, activation=desk.activation)
            messages.success(request, _("The person is registered and their case is open."))
            if desk.activation.emailed_to:
                messages.info(
                    request,
                    _("A link to set their password was sent to %(email)s.")
                    % {"email": desk.activation.emailed_to},
                )
            return redirect("cases:case", case_id=desk.case.id)
    return render(request, "staff/registration_desk.html", {"form": form})


@exchange_staff_required
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


@exchange_staff_required
@require_POST
def transfer(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, case_id)
    form = TransferForm(request.POST, centres=selectors.transfer_centres(case))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("cases:case", case_id=case.id)
    try:
        services.case_transfer(
            case=case,
            to_centre=form.cleaned_data["centre"],
            by=_user(request),
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:case", case_id=case.id)
    messages.success(
        request, _("The case is transferred to %(centre)s.") % {"centre": form.cleaned_data["centre"].name}
    )
    if selectors.cases_visible_to(request.user).filter(id=case.id).exists():
        return redirect("cases:case", case_id=case.id)
    return redirect("cases:caseload")


@exchange_staff_required
@require_POST
def registration_end(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, case_id)
    registration = get_object_or_404(
        Registration, profile__user_id=case.person_id, status=Registration.Status.ACTIVE
    )
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


def _letter(request: HttpRequest, *, case: Case, person: User, activation: Activation) -> HttpResponse:
    return render(
        request, "staff/activation_letter.html", {"case": case, "person": person, "activation": activation}
    )


@exchange_staff_required
@require_POST
def activation_renew(request: HttpRequest, case_id: int) -> HttpResponse:
    """A person who lost their letter or let the link expire: a new code, or a new link by email."""
    case = selectors.get_case_for_user(request.user, case_id)
    person = case.person
    activation = account_activation_start(
        user=person, by=_user(request), base_url=request.build_absolute_uri("/")
    )
    if activation.code:
        return _letter(request, case=case, person=person, activation=activation)
    if activation.emailed_to:
        messages.success(
            request,
            _("A link to set their password was sent to %(email)s.") % {"email": activation.emailed_to},
        )
    else:
        messages.info(request, _("The person has set a password already; they can sign in."))
    return redirect("cases:case", case_id=case.id)
