"""Reads of reference data. Dated rules (MRP, minimum wage, programme rules, quotas) are read
through `mobility.reference.rules`, the one place that knows drafts from published rows."""

from __future__ import annotations

from django.db.models import QuerySet

from mobility.reference.models import Centre, Region


def region_list() -> QuerySet[Region]:
    return Region.objects.all()


def centre_list() -> QuerySet[Centre]:
    return Centre.objects.select_related("region", "parent")
