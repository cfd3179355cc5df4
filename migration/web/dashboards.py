"""The foreign-specialist dashboard: applications by scheme, field and stage, their age against
the deadlines, and the year's approvals against the programme's targets (at least 100 leading
scientists and 100 specialists; dated rules, see `yearly_targets`). Counted over what the caller may see
(`selectors.applications_visible_to`), in a handful of grouped queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from migration import selectors
from migration.models import Field, Scheme
from migration.states import OPEN_APPLICATION_STATUSES, ApplicationStatus
from mobility.reference import rules

# "Open Kazakhstan": at least 100 leading scientists and 100 specialists a year, as dated rules
# (`reference.ProgrammeRule`, unit persons) that administrators edit like any other rule.
TARGET_RULES = {"scientists": "foreign_target_scientists", "specialists": "foreign_target_specialists"}
DUE_SOON_DAYS = 5


def yearly_targets(*, on: dt.date) -> dict[str, int | None]:
    """The programme's targets in force on a date (the dashboard's year is the date's): persons
    per key, None where no rule is in force. One query."""
    found = rules.rules_on(list(TARGET_RULES.values()), on=on)
    return {
        key: int(found[code].mrp_multiplier) if code in found else None for key, code in TARGET_RULES.items()
    }


def foreign_dashboard(user: Any, *, today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    visible = selectors.applications_visible_to(user).exclude(status=ApplicationStatus.DRAFT)
    open_q = Q(status__in=OPEN_APPLICATION_STATUSES)
    by_scheme = list(
        visible.values("scheme_version__scheme__code")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=open_q),
            overdue=Count("id", filter=open_q & Q(due_on__lt=today)),
            due_soon=Count(
                "id",
                filter=open_q & Q(due_on__gte=today, due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS)),
            ),
            approved=Count("id", filter=Q(status=ApplicationStatus.APPROVED)),
            refused=Count("id", filter=Q(status=ApplicationStatus.REFUSED)),
        )
        .order_by("scheme_version__scheme__code")
    )
    stages = dict(ApplicationStatus.choices)
    by_stage = [
        {"stage": stages.get(row["status"], row["status"]), "count": row["count"]}
        for row in visible.values("status").annotate(count=Count("id")).order_by("status")
    ]
    fields = dict(Field.choices)
    by_field = [
        {"field": fields.get(row["field"], "—"), "count": row["count"], "open": row["open"]}
        for row in visible.values("field")
        .annotate(count=Count("id"), open=Count("id", filter=open_q))
        .order_by("field")
    ]
    ages = []
    for row in visible.filter(open_q).values("submitted_at", "due_on"):
        age = (today - timezone.localtime(row["submitted_at"]).date()).days if row["submitted_at"] else 0
        ages.append((age, row["due_on"] is not None and row["due_on"] < today))
    age_bands = []
    for label, low, high in (("0–7", 0, 7), ("8–14", 8, 14), ("15–29", 15, 29), ("30+", 30, 10**6)):
        band = [overdue for age, overdue in ages if low <= age <= high]
        age_bands.append({"days": label, "count": len(band), "overdue": sum(band)})
    # The programme's targets are for talent recruited through the visa and the points pilot; a
    # residence card (ethnic Kazakhs returning) is not counted towards them.
    approved_this_year = visible.filter(
        status=ApplicationStatus.APPROVED, decided_at__year=today.year
    ).exclude(scheme_version__scheme__kind=Scheme.Kind.CARD)
    scientists = approved_this_year.filter(field=Field.SCIENCE).count()
    specialists = approved_this_year.exclude(field=Field.SCIENCE).count()
    goals = yearly_targets(on=today)
    targets: list[dict[str, Any]] = [
        {"key": "scientists", "approved": scientists, "target": goals["scientists"]},
        {"key": "specialists", "approved": specialists, "target": goals["specialists"]},
    ]
    for target in targets:
        goal = target["target"]
        target["percent"] = min(100, round(100 * target["approved"] / goal)) if goal else None
    return {
        "year": today.year,
        "by_scheme": by_scheme,
        "by_stage": by_stage,
        "by_field": by_field,
        "age_bands": age_bands,
        "targets": targets,
    }
