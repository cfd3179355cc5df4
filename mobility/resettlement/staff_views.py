"""Staff pages of resettlement built on the domain core (docs/resettlement.md): the dashboard."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from mobility.accounts.access import _role_required
from mobility.core.actors import REGION_WIDE_ROLES
from mobility.resettlement.dashboards import resettlement_dashboard

# The receiving region's side: its regional manager and programme finance officer, administrators.
receiving_staff_required = _role_required(
    lambda actor: actor.is_admin or actor.has_centre_role(*REGION_WIDE_ROLES)
)


@receiving_staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Quota used and left, budget committed and paid, applications by stage against the
    forwarding deadline, settlers employed after 3 and 12 months, departures before the minimum
    stay: for the caller's region (administrators: every region)."""
    year = timezone.localdate().year
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        year = int(raw)
    board = resettlement_dashboard(request.user, year=year)
    return render(request, "resettlement/staff/dashboard.html", {"board": board})
