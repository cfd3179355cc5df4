"""Reads of reference data."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from mobility.reference.models import Centre, MrpRate, ProgrammeRule, ReceptionQuota, Region, rule_multiplier


def region_list() -> QuerySet[Region]:
    return Region.objects.all()


def receiving_regions(*, year: int, category: str) -> QuerySet[Region]:
    """Regions that receive a category in a year: derived from quota rows, never a flag."""
    return Region.objects.filter(quotas__year=year, quotas__category=category).distinct()


def mrp_for_year(year: int) -> MrpRate:
    return MrpRate.objects.get(year=year)


def mrp_amount(*, multiplier: Decimal, year: int) -> Decimal:
    """Tenge for an MRP multiple in a year, rounded to whole tenge."""
    rate = mrp_for_year(year)
    return (multiplier * rate.mrp).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def rule_amount(code: str, *, on: dt.date) -> Decimal:
    """Tenge amount of a dated rule on a date, using that year's MRP."""
    return mrp_amount(multiplier=rule_multiplier(code, on), year=on.year)


def quota_table(*, year: int) -> QuerySet[ReceptionQuota]:
    return ReceptionQuota.objects.filter(year=year).select_related("region")


def rules_in_force(*, on: dt.date) -> QuerySet[ProgrammeRule]:
    from django.db.models import Q

    return ProgrammeRule.objects.filter(valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


def centre_list() -> QuerySet[Centre]:
    return Centre.objects.select_related("region", "parent")


def rule_amounts(codes: list[str], *, on: dt.date) -> dict[str, Decimal]:
    """Tenge amounts of several rules in force on a date, in two queries."""
    rules: dict[str, ProgrammeRule] = {}
    for rule in rules_in_force(on=on).filter(code__in=codes).order_by("code", "valid_from"):
        rules[rule.code] = rule  # the latest start wins
    missing = set(codes) - rules.keys()
    if missing:
        raise ProgrammeRule.DoesNotExist(f"no rule in force on {on} for {sorted(missing)}")
    rate = mrp_for_year(on.year)
    return {
        code: (rule.mrp_multiplier * rate.mrp).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        for code, rule in rules.items()
    }
