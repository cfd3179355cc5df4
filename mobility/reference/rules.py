"""Dated rules, one place: the MRP and minimum wage by year, the programme rules (MRP multiples
with validity dates) and the regional reception quotas.

Every answer is "the rule in force on a date": published rows only. With `version=V` it is the
what-if answer under draft version V: the draft rows of V take the place of the published rows
they cover, and everything V does not touch stays as published. A draft never changes an answer
given without its version. Publishing is `mobility.reference.services.rule_publish`.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from mobility.reference.models import DRAFT, PUBLISHED, MrpRate, ProgrammeRule, ReceptionQuota, Region


def _visible(version: str | None) -> Q:
    """Published rows, plus the drafts of a version for a what-if run."""
    return PUBLISHED | (DRAFT & Q(version=version)) if version else PUBLISHED


def _drafts_first() -> Case:
    return Case(When(DRAFT, then=Value(0)), default=Value(1), output_field=IntegerField())


def _covering(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


# --- Programme rules -------------------------------------------------------------------------------


def rules_on(codes: list[str], *, on: dt.date, version: str | None = None) -> dict[str, ProgrammeRule]:
    """The rule of each code in force on a date (codes with none are left out). One query."""
    rows = (
        ProgrammeRule.objects.filter(_visible(version), _covering(on), code__in=codes)
        .annotate(draft_rank=_drafts_first())
        .order_by("code", "-draft_rank", "valid_from")
    )
    found: dict[str, ProgrammeRule] = {}
    for rule in rows:
        found[rule.code] = rule  # the last wins: a draft over a published row, a later start over an earlier
    return found


def rule_in_force(code: str, *, on: dt.date, version: str | None = None) -> ProgrammeRule:
    """The rule of a code in force on a date; raises ProgrammeRule.DoesNotExist when there is none."""
    rule = rules_on([code], on=on, version=version).get(code)
    if rule is None:
        raise ProgrammeRule.DoesNotExist(f"no rule {code} in force on {on}")
    return rule


def rule_value(code: str, *, on: dt.date, version: str | None = None) -> Decimal:
    """The MRP multiple of a rule in force on a date."""
    return rule_in_force(code, on=on, version=version).mrp_multiplier


def rules_in_force(*, on: dt.date, version: str | None = None) -> list[ProgrammeRule]:
    codes = list(ProgrammeRule.objects.filter(_visible(version)).values_list("code", flat=True).distinct())
    return sorted(rules_on(codes, on=on, version=version).values(), key=lambda r: r.code)


# --- MRP and minimum wage --------------------------------------------------------------------------


def mrp_rates(*, version: str | None = None) -> list[MrpRate]:
    """One rate per year, newest first."""
    by_year: dict[int, MrpRate] = {}
    for rate in (
        MrpRate.objects.filter(_visible(version))
        .annotate(draft_rank=_drafts_first())
        .order_by("year", "-draft_rank")
    ):
        by_year[rate.year] = rate
    return [by_year[year] for year in sorted(by_year, reverse=True)]


def mrp_rate(*, year: int, version: str | None = None) -> MrpRate:
    """The rate of a year; raises MrpRate.DoesNotExist when the year has none."""
    rate = (
        MrpRate.objects.filter(_visible(version), year=year)
        .annotate(draft_rank=_drafts_first())
        .order_by("draft_rank")
    ).first()
    if rate is None:
        raise MrpRate.DoesNotExist(f"no MRP for {year}")
    return rate


def mrp_on(on: dt.date, *, version: str | None = None) -> int:
    """The MRP in tenge on a date (the rate of its year)."""
    return mrp_rate(year=on.year, version=version).mrp


def minimum_wage_on(on: dt.date, *, version: str | None = None) -> int | None:
    """The minimum monthly wage on a date: its year's, or the latest year's before it (None if no rate)."""
    rate = (
        MrpRate.objects.filter(_visible(version), year__lte=on.year)
        .annotate(draft_rank=_drafts_first())
        .order_by("-year", "draft_rank")
        .first()
    )
    return rate.minimum_wage if rate else None


def mrp_amount(*, multiplier: Decimal, on: dt.date, version: str | None = None) -> Decimal:
    """Tenge for an MRP multiple on a date, rounded to whole tenge."""
    return (multiplier * mrp_on(on, version=version)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def rule_amount(code: str, *, on: dt.date, version: str | None = None) -> Decimal:
    """Tenge amount of a rule in force on a date, at that year's MRP."""
    return mrp_amount(multiplier=rule_value(code, on=on, version=version), on=on, version=version)


def rule_amounts(codes: list[str], *, on: dt.date, version: str | None = None) -> dict[str, Decimal]:
    """Tenge amounts of several rules in force on a date, in two queries."""
    rules = rules_on(codes, on=on, version=version)
    missing = set(codes) - rules.keys()
    if missing:
        raise ProgrammeRule.DoesNotExist(f"no rule in force on {on} for {sorted(missing)}")
    mrp = mrp_on(on, version=version)
    return {
        code: (rule.mrp_multiplier * mrp).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        for code, rule in rules.items()
    }


# --- Reception quotas ------------------------------------------------------------------------------


def quotas(*, year: int, category: str | None = None, version: str | None = None) -> list[ReceptionQuota]:
    """The quota rows of a year (one per region and category), ordered by region code."""
    rows = ReceptionQuota.objects.filter(_visible(version), year=year).select_related("region")
    if category:
        rows = rows.filter(category=category)
    chosen: dict[tuple[int, str], ReceptionQuota] = {}
    for quota in rows.annotate(draft_rank=_drafts_first()).order_by("-draft_rank"):
        chosen[(quota.region_id, quota.category)] = quota
    return sorted(chosen.values(), key=lambda q: (q.region.code, q.category))


def quota_for(
    *, region: Region, year: int, category: str, version: str | None = None
) -> ReceptionQuota | None:
    found = quotas(year=year, category=category, version=version)
    return next((q for q in found if q.region_id == region.pk), None)


def receiving_region_ids(
    *, year: int, category: str | None = None, version: str | None = None
) -> dict[int, frozenset[str]]:
    """Which regions receive in a year: each region with a quota row (for `category` when given,
    else for either), with the categories it receives. Derived from quota rows, never a flag; the
    one answer every reader asks (eligibility, the calculator, the application form, proactive
    offers, the staff lists of receiving vacancies and eligible seekers). One query."""
    found: dict[int, set[str]] = {}
    for quota in quotas(year=year, category=category, version=version):
        found.setdefault(quota.region_id, set()).add(quota.category)
    return {region_id: frozenset(categories) for region_id, categories in found.items()}


def receiving_regions(*, year: int, category: str, version: str | None = None) -> QuerySet[Region]:
    """Regions that receive a category in a year (`receiving_region_ids`)."""
    ids = receiving_region_ids(year=year, category=category, version=version)
    return Region.objects.filter(id__in=list(ids))
