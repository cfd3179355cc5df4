"""The person's pages (my data, who viewed it) and the staff's audit search."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from mobility.accounts.access import audit_reader_required
from mobility.core.privacy import selectors, services
from mobility.core.privacy.forms import AuditSearchForm
from mobility.core.ratelimit import limit_posts

PAGE_SIZE = 50


@login_required
@limit_posts("data_export")
def my_data(request: HttpRequest) -> HttpResponse:
    """GET: everything we hold, as a page. POST: the same as a JSON file (rate-limited, audited)."""
    if request.method == "POST":
        data = services.personal_data_export(person=request.user, by=request.user)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
        response["Cache-Control"] = "private, no-store"
        return response
    return render(request, "privacy/my_data.html", {"data": selectors.person_data(person=request.user)})


@login_required
def my_data_views(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.data_views_of(person=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "privacy/my_data_views.html", {"page": page})


@audit_reader_required
def audit_search(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    entries = selectors.audit_search(user=request.user, **(form.cleaned_data if form.is_valid() else {}))
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "privacy/audit_search.html", {"form": form, "page": page, "query": query.urlencode()}
    )
