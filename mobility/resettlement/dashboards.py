"""The resettlement dashboard's figures (issue #13, item 10): reads only, scoped to the regions a
member of staff works for as a receiving region (regional manager, programme finance officer;
administrators see every region)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from mobility.core.actors import REGION_WIDE_ROLES, actor_of
from mobility.exchange.models import Application, ApplicationStatus
from mobility.reference import rules
from mobility.reference.models import ReceptionQuota, Region
from mobility.resettlement import selectors
from mobility.resettlement.models import (
    ApplicationEvent,
    Budget,
    QuotaUsage,
    ResettlementApplication,
)
from mobility.resettlement.models import (
    ApplicationStatus as Stage,
)

# Families who moved: included, holding a certificate, or paid.
SETTLED = (Stage.INCLUDED, Stage.CERTIFIED, Stage.COMPLETED)
OPEN_STAGES = (Stage.SUBMITTED, Stage.FORWARDED, Stage.CHECKED)


def dashboard_region_ids(who: Any) -> set[int] | None:
    """Regions whose figures the caller sees: their region as a regional manager or programme
    finance officer; `None` for administrators (all)."""
    return actor_of(who).region_ids(*REGION_WIDE_ROLES)


@dataclass(frozen=True)
class QuotaRow:
    region: Region
    category: str
    limit: int
    used: int

    @property
    def left(self) -> int:
        return max(self.limit - self.used, 0)

    @property
    def percent(self) -> int:
        return min(100, self.used * 100 // self.limit) if self.limit else 0

    def get_category_display(self) -> str:
        return str(ReceptionQuota.Category(self.category).label)


@dataclass(frozen=True)
class StageRow:
    status: str
    label: str
    count: int
    oldest_days: int | None
    overdue: int  # submitted and not forwarded by the 1-working-day deadline


@dataclass(frozen=True)
class Retention:
    months: int
    settled: int  # families included at least `months` ago
    employed: int  # of them, the applicant hired by then

    @property
    def percent(self) -> int:
        return self.employed * 100 // self.settled if self.settled else 0


@dataclass(frozen=True)
class ResettlementDashboard:
    year: int
    quotas: list[QuotaRow]
    budgets: list[Budget]
    stages: list[StageRow]
    retention: list[Retention]
    minimum_stay_months: int  # 0: no minimum stay applies (the default)
    early_departures: int


def _applications(region_ids: set[int] | None) -> QuerySet[ResettlementApplication]:
    qs = ResettlementApplication.objects.all()
    return qs if region_ids is None else qs.filter(destination_region_id__in=region_ids)


def _quotas(year: int, region_ids: set[int] | None) -> list[QuotaRow]:
    quotas = [q for q in rules.quotas(year=year) if region_ids is None or q.region_id in region_ids]
    usage = {u.quota_id: u for u in QuotaUsage.objects.filter(quota__in=[q.pk for q in quotas])}
    rows = []
    for quota in quotas:
        used = usage.get(quota.pk)
        rows.append(
            QuotaRow(
                region=quota.region,
                category=quota.category,
                limit=used.limit if used is not None else quota.persons,
                used=used.used if used is not None else 0,
            )
        )
    return rows


def _stages(region_ids: set[int] | None, today: dt.date) -> list[StageRow]:
    rows = []
    found = {
        status: list(dates)
        for status, dates in _group(
            _applications(region_ids)
            .filter(status__in=OPEN_STAGES)
            .values_list("status", "submitted_at", "forward_due_on")
        ).items()
    }
    for status in OPEN_STAGES:
        dates = found.get(status, [])
        ages = [(today - timezone.localtime(submitted).date()).days for submitted, _due in dates]
        overdue = sum(1 for _s, due in dates if due < today) if status == Stage.SUBMITTED else 0
        rows.append(
            StageRow(
                status=status,
                label=str(Stage(status).label),
                count=len(dates),
                oldest_days=max(ages) if ages else None,
                overdue=overdue,
            )
        )
    return rows


def _group(rows: Any) -> dict[str, list[tuple[Any, Any]]]:
    grouped: dict[str, list[tuple[Any, Any]]] = {}
    for status, submitted, due in rows:
        grouped.setdefault(status, []).append((submitted, due))
    return grouped


def _retention(region_ids: set[int] | None, today: dt.date) -> list[Retention]:
    """Of the families included at least 3 (12) months ago, how many applicants were hired within
    that time of their inclusion (an exchange application marked hired)."""
    settled: list[tuple[int, dt.date]] = [
        (person_id, timezone.localtime(decided).date())
        for person_id, decided in _applications(region_ids)
        .filter(status__in=SETTLED, decided_at__isnull=False)
        .values_list("person_id", "decided_at")
    ]
    hires: dict[int, list[dt.date]] = {}
    for person_id, hired_at in Application.objects.filter(
        status=ApplicationStatus.HIRED, seeker__user_id__in={p for p, _d in settled}
    ).values_list("seeker__user_id", "updated_at"):
        hires.setdefault(person_id, []).append(timezone.localtime(hired_at).date())
    rows = []
    for months in (3, 12):
        cutoff = _months_after(today, -months)
        due = [(p, d) for p, d in settled if d <= cutoff]
        employed = sum(
            1
            for person_id, decided in due
            if any(h <= _months_after(decided, months) for h in hires.get(person_id, []))
        )
        rows.append(Retention(months=months, settled=len(due), employed=employed))
    return rows


def _months_after(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months  # months may be negative: months before
    year, month = index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def _early_departures(region_ids: set[int] | None, minimum_months: int) -> int:
    """Families who withdrew after inclusion before the minimum stay (0 when none applies)."""
    if not minimum_months:
        return 0
    left = (
        _applications(region_ids)
        .filter(status=Stage.WITHDRAWN, decided_at__isnull=False)
        .filter(
            Exists(
                ApplicationEvent.objects.filter(
                    application=OuterRef("pk"), from_status=Stage.INCLUDED, to_status=Stage.WITHDRAWN
                )
            )
        )
        .values_list("decided_at", "updated_at")
    )
    return sum(
        1
        for decided, ended in left
        if ended.date() < _months_after(timezone.localtime(decided).date(), minimum_months)
    )


def resettlement_dashboard(who: Any, *, year: int | None = None) -> ResettlementDashboard:
    today = timezone.localdate()
    year = year or today.year
    region_ids = dashboard_region_ids(who)
    budgets = selectors.budgets_visible_to(who).filter(year=year).order_by("region__code", "category")
    found = rules.rules_on(["minimum_stay_months"], on=today)
    minimum_months = int(found["minimum_stay_months"].mrp_multiplier) if "minimum_stay_months" in found else 0
    return ResettlementDashboard(
        year=year,
        quotas=_quotas(year, region_ids),
        budgets=list(budgets),
        stages=_stages(region_ids, today),
        retention=_retention(region_ids, today),
        minimum_stay_months=minimum_months,
        early_departures=_early_departures(region_ids, minimum_months),
    )
