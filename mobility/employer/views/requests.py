"""Requests to the centre."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mobility.accounts.access import employer_required
from mobility.core.forms import apply_errors
from mobility.core.submissions import AlreadySubmitted
from mobility.employer import access, forms, selectors, services
from mobility.employer.models import CentreRequest
from mobility.exchange.models import Vacancy

from ._shared import _actor


@employer_required
def request_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "employer/request_list.html",
        {"requests": selectors.employer_requests(request.user)[:200], "today": timezone.localdate()},
    )


@employer_required
def request_new(request: HttpRequest) -> HttpResponse:
    organisations = selectors.employer_organisations(request.user)
    vacancies = selectors.employer_vacancies(request.user).exclude(status=Vacancy.Status.CLOSED)
    initial: dict[str, Any] = {}
    if request.GET.get("vacancy", "").isdigit():
        chosen = vacancies.filter(id=int(request.GET["vacancy"])).first()
        if chosen is not None:
            initial = {
                "vacancy": chosen.pk,
                "organisation": chosen.organisation_id,
                "kind": CentreRequest.Kind.CANDIDATE_SELECTION,
            }
    form = forms.CentreRequestForm(
        request.POST or None, initial=initial, organisations=organisations, vacancies=vacancies
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            created = services.centre_request_create(
                organisation=d["organisation"],
                by=_actor(request),
                kind=d["kind"],
                message=d["message"],
                vacancy=d.get("vacancy"),
                needed_by=d.get("needed_by"),
                client_key=d["client_key"],
            )
        except AlreadySubmitted as sent:
            # the same form sent again (a double click, a resend): the first send's request
            messages.info(request, _("This request was already sent; here it is."))
            return redirect("employer:request", request_id=sent.existing.id)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The request is sent. The centre answers by %(date)s.")
                % {"date": created.deadline.strftime("%d.%m.%Y")},
            )
            return redirect("employer:request", request_id=created.id)
    return render(request, "employer/request_form.html", {"form": form})


@employer_required
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    item = access.get_request_for_employer(request.user, request_id)
    return render(request, "employer/request_detail.html", {"item": item})


@employer_required
@require_POST
def request_cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    item = access.get_request_for_employer(request.user, request_id)
    try:
        services.centre_request_cancel(request=item, by=_actor(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The request is cancelled."))
    return redirect("employer:request", request_id=item.id)
