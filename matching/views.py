"""Staff pages of the matcher: the coverage and fairness dashboard."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from matching import selectors
from mobility.accounts.access import exchange_staff_required


@exchange_staff_required
def coverage(request: HttpRequest) -> HttpResponse:
    """Share of registered seekers and open vacancies with at least five matches above the shown
    threshold, by region, occupation group and the language the profile is written in."""
    return render(request, "matching/coverage.html", {"coverage": selectors.coverage_for(request)})
