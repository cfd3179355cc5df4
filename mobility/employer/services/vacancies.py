"""Employer-side vacancy actions that the exchange services do not cover."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from mobility.accounts.models import User
from mobility.core.audit import audit_log
from mobility.exchange import services as exchange
from mobility.exchange.models import (
    Vacancy,
)

COPY_FIELDS = tuple(f for f in exchange.VACANCY_EDITABLE_FIELDS if f != "external_id")


@transaction.atomic
def vacancy_duplicate(*, vacancy: Vacancy, by: User) -> Vacancy:
    """A draft copy of a vacancy, skills included (a past closing date is dropped)."""
    data = {f: getattr(vacancy, f) for f in COPY_FIELDS}
    if data["expires_on"] and data["expires_on"] < timezone.localdate():
        data["expires_on"] = None
    skills = list(vacancy.skills.all())
    copy = exchange.vacancy_create(
        organisation=vacancy.organisation,
        by=by,
        required_skills=[s.name for s in skills if s.required],
        optional_skills=[s.name for s in skills if not s.required],
        **data,
    )
    audit_log(actor=by, action="vacancy.duplicated", obj=copy, data={"from": vacancy.pk})
    return copy
