"""Site-wide pages: home, public reference information, health."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

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


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability for the load balancer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        database = "error"
    status = 200 if database == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "error", "database": database}, status=status)
