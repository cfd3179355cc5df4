"""Dashboards."""

from __future__ import annotations

import csv
import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.accounts.access import exchange_staff_required
from mobility.cases import selectors
from mobility.cases.forms import (
    PeriodForm,
)
from mobility.core.actors import Role, actor_of


@exchange_staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    # A regional manager's home is the region (their own back office has no cases of its own).
    default_scope = "region" if actor_of(request).has_centre_role(Role.REGIONAL_MANAGER) else "centre"
    form = PeriodForm(request.GET or None, initial={"scope": default_scope})
    today = timezone.localdate()
    start, end, scope = today.replace(day=1) - dt.timedelta(days=150), today, default_scope
    if form.is_valid():
        start = form.cleaned_data.get("start") or start
        end = form.cleaned_data.get("end") or end
        scope = form.cleaned_data.get("scope") or scope
    in_scope = selectors.centre_ids_in_scope(request.user)
    if scope == "region" or in_scope is None:
        centre_ids = in_scope
    else:
        own = {grant.centre_id for grant in actor_of(request).centres}
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
            "chart_width": max(len(bars), 1) * 100,
            "gaps": gaps,
            "start": start,
            "end": end,
            "scope": scope,
            "on_time_pct": round(100 * board.plans_on_time / plans_total) if plans_total else 0,
        },
    )
