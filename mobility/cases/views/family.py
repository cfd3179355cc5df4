"""Family members listed in a case."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mobility.accounts.access import exchange_staff_required
from mobility.cases import selectors, services
from mobility.cases.forms import FamilyMemberForm

from ._shared import _user


@exchange_staff_required
@require_POST
def family_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, case_id)
    form = FamilyMemberForm(request.POST)
    if form.is_valid():
        try:
            services.family_member_add(case=case, by=_user(request), **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The family member is listed in the case."))
    else:
        messages.error(
            request,
            " ".join(
                f"{form.fields[name].label}: {e}" for name, errors in form.errors.items() for e in errors
            ),
        )
    return redirect("cases:case", case_id=case.id)


@exchange_staff_required
@require_POST
def family_remove(request: HttpRequest, case_id: int, member_id: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, case_id)
    member = selectors.get_family_member(case, member_id)
    services.family_member_remove(member=member, by=_user(request))
    messages.success(request, _("The family member is removed from the case."))
    return redirect("cases:case", case_id=case.id)
