"""The centre's side of employer self-service: the verification queue and employers' requests.

Staff see the organisations and requests of the regions they serve (administrators all);
anything else answers 404. Verifying is for counsellors, regional managers and administrators.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, F, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mobility.accounts.access import exchange_staff_required
from mobility.accounts.models import Organisation, User
from mobility.core.audit import audit_trail
from mobility.core.identifiers import BIN_ATTRIBUTES, BIN_TYPES, parse_bin
from mobility.employer import access, forms, selectors, services
from mobility.employer.models import CentreRequest


def _actor(request: HttpRequest) -> User:
    """The signed-in person (the decorators have checked there is one)."""
    return cast(User, request.user)


@exchange_staff_required
def verification_queue(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "pending")
    if show not in (*Organisation.Status.values, "overdue"):
        show = "pending"
    organisations = selectors.organisations_for_verification(request.user)
    if show == "overdue":
        organisations = organisations.filter(
            status=Organisation.Status.PENDING, verification_due__lt=timezone.localdate()
        )
    else:
        organisations = organisations.filter(status=show)
    organisations = (
        organisations.order_by(F("verification_due").asc(nulls_last=True), "created_at", "id")
        if show in ("pending", "overdue")
        else organisations.order_by("-verified_at", "-created_at", "-id")
    )
    statuses = [*Organisation.Status.choices[:1], ("overdue", _("Overdue")), *Organisation.Status.choices[1:]]
    return render(
        request,
        "staff/verification_queue.html",
        {"organisations": organisations[:200], "show": show, "statuses": statuses},
    )


@exchange_staff_required
def verification_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = access.get_organisation_for_verifier(request.user, organisation_id)
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_decide(
                organisation=organisation,
                verify=form.cleaned_data["decision"] == "verify",
                by=_actor(request),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(name)s is verified.") % {"name": organisation.name}
                if form.cleaned_data["decision"] == "verify"
                else _("The verification of %(name)s is refused.") % {"name": organisation.name},
            )
            return redirect("staff:verification")
    info = parse_bin(organisation.bin)
    return render(
        request,
        "staff/verification_detail.html",
        {
            "organisation": organisation,
            "form": form,
            "bin_type": BIN_TYPES[info.entity_type],
            "bin_attribute": BIN_ATTRIBUTES[info.attribute],
            "bin_registered": f"{info.registered[1]:02d}.{info.registered[0]}",
            "members": selectors.organisation_members(organisation),
            "same_name": Organisation.objects.filter(name__iexact=organisation.name).exclude(
                pk=organisation.pk
            ),
            "history": audit_trail(organisation)[:20],
        },
    )


@exchange_staff_required
def request_queue(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "open")
    items = selectors.staff_requests(request.user)
    if show == "open":
        items = items.filter(status__in=[CentreRequest.Status.SUBMITTED, CentreRequest.Status.IN_PROGRESS])
    elif show in CentreRequest.Status.values:
        items = items.filter(status=show)
    items = items.annotate(
        open_first=Case(
            When(status__in=["submitted", "in_progress"], then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("open_first", "deadline", "id")
    return render(
        request,
        "staff/request_queue.html",
        {
            "items": items[:200],
            "show": show,
            "today": timezone.localdate(),
            "statuses": CentreRequest.Status.choices,
        },
    )


@exchange_staff_required
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    item = access.get_request_for_staff(request.user, request_id)
    form = forms.AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.centre_request_answer(
                request=item, by=_actor(request), answer=form.cleaned_data["answer"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The answer is sent to the employer."))
            return redirect("staff:employer_requests")
    candidates: list[selectors.Candidate] = []
    vacancy = item.vacancy
    if item.kind == CentreRequest.Kind.CANDIDATE_SELECTION and vacancy is not None and item.is_open:
        candidates = selectors.ranked_candidates(vacancy, limit=10)
    return render(
        request,
        "staff/request_detail.html",
        {
            "item": item,
            "form": form,
            "candidates": candidates,
            "history": audit_trail(item)[:20],
            "today": timezone.localdate(),
        },
    )


@exchange_staff_required
@require_POST
def request_take(request: HttpRequest, request_id: int) -> HttpResponse:
    item = access.get_request_for_staff(request.user, request_id)
    try:
        services.centre_request_take(request=item, by=_actor(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You are handling this request."))
    return redirect("staff:employer_request", request_id=item.id)
