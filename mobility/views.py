"""Site-wide pages: home, public reference information, health."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from mobility.core import health
from mobility.reference import rules
from mobility.reference import selectors as reference


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def regions(request: HttpRequest) -> HttpResponse:
    """Public: regions, which receive kandases or resettlers this year, and the MRP."""
    year = timezone.localdate().year
    quotas: dict[int, dict[str, int]] = {}
    for quota in rules.quotas(year=year):
        quotas.setdefault(quota.region_id, {})[quota.category] = quota.persons
    rows = [(region, quotas.get(region.id, {})) for region in reference.region_list()]
    mrp = rules.mrp_rates()
    return render(request, "reference/regions.html", {"rows": rows, "year": year, "mrp_rates": mrp})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher: the same page in the chosen language, from any page in any state.

    Django's view translates the page's address by resolving it in the language activated for
    this request (the visitor's cookie or browser), so a /ru/ page visited by a Kazakh browser
    did not resolve and the visitor stayed on /ru/. Resolving it in the language of its own
    prefix makes every switch land on the chosen language's address.
    """
    next_url = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    page_language = translation.get_language_from_path(urlsplit(next_url).path)
    with translation.override(page_language or translation.get_language()):
        return django_set_language(request)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Cheap and touches nothing else (no database), so a
    database outage makes the instances unready (`/readyz`), not restarted."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: database, cache, broker, worker heartbeat, matcher index age
    (`mobility.core.health`); 503 when any check fails."""
    ready, checks = health.readiness()
    return JsonResponse(
        {"status": "ok" if ready else "error", "checks": checks}, status=200 if ready else 503
    )
