"""Payment schedules (relocation, 12 monthly rent payments, the certificate), their confirmation
(recorded once however often it is repeated) and the treasury register (CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.core.actors import Role, actor_of
from mobility.core.audit import audit_log
from mobility.core.workflow import PROGRAMME_FINANCE, MoveForbidden
from mobility.reference.models import Region
from mobility.resettlement.calculator import package_on
from mobility.resettlement.eligibility import months_before
from mobility.resettlement.models import (
    ApplicationStatus,
    Payment,
    PaymentMeasure,
    PaymentSchedule,
    ResettlementApplication,
)

from ._common import require_side
from .budget import budget_commit, budget_for, budget_pay

SCHEDULED_STATUSES = (ApplicationStatus.INCLUDED, ApplicationStatus.CERTIFIED, ApplicationStatus.COMPLETED)


def _first_of_next_month(day: dt.date, months: int = 1) -> dt.date:
    return months_before(day.replace(day=1), -months)


@transaction.atomic
def payment_schedule_create(
    *, application: ResettlementApplication, measure: str, by: Any, monthly_amount: int | None = None
) -> PaymentSchedule:
    """Schedule a subsidy for an included family, committing its total from the region's budget:
    relocation (70 MRP a person, one payment) or rent (one payment a month for 12 months, the grid's
    amount, or `monthly_amount` within the range where the grid leaves one). Asking again returns
    the schedule already made."""
    application = ResettlementApplication.objects.select_for_update().get(pk=application.pk)
    require_side(by, application, PROGRAMME_FINANCE)
    if measure not in (PaymentMeasure.RELOCATION, PaymentMeasure.RENT):
        raise ValidationError({"measure": _("Schedule the relocation or the rent subsidy.")})
    existing = PaymentSchedule.objects.filter(application=application, measure=measure).first()
    if existing is not None:
        return existing
    if application.status not in SCHEDULED_STATUSES:
        raise ValidationError({"status": _("Subsidies are paid to a family included in the quota.")})
    package = package_on(
        on=application.rules_on,
        category=application.category,
        destination=application.destination_region,
        family_size=application.quota_persons,
        settlement_type=application.settlement_type,
    )
    today = timezone.localdate()
    if measure == PaymentMeasure.RELOCATION:
        amounts = [(today, package.relocation_subsidy)]
    else:
        low, high = package.rent_subsidy_monthly_min, package.rent_subsidy_monthly_max
        monthly = monthly_amount if monthly_amount is not None else (low if low == high else None)
        if monthly is None or not low <= monthly <= high:
            raise ValidationError(
                {
                    "monthly_amount": _("Give the monthly amount, from %(low)s to %(high)s ₸.")
                    % {"low": low, "high": high}
                }
            )
        amounts = [
            (_first_of_next_month(today, n), monthly) for n in range(1, package.rent_subsidy_months + 1)
        ]
    budget = budget_for(
        region=application.destination_region_id, category=application.category, year=application.year
    )
    schedule = PaymentSchedule.objects.create(
        application=application,
        measure=measure,
        budget=budget,
        total=sum(amount for _day, amount in amounts),
        created_by=by if getattr(by, "pk", None) else None,
    )
    Payment.objects.bulk_create(
        [
            Payment(schedule=schedule, sequence=n, due_on=day, amount=amount)
            for n, (day, amount) in enumerate(amounts, start=1)
        ]
    )
    budget_commit(budget=budget, amount=schedule.total, by=by, schedule=schedule, measure=measure)
    audit_log(
        actor=by,
        action="payment_schedule.created",
        obj=schedule,
        data={"measure": measure, "total": schedule.total, "payments": len(amounts)},
        programme="resettlement",
    )
    return schedule


@transaction.atomic
def payment_confirm(*, payment: Payment, by: Any, treasury_reference: str = "") -> Payment:
    """The treasury paid: recorded once (paid status, ledger entry); a repeated confirmation
    returns the payment unchanged. A certificate's payment makes the certificate paid."""
    locked = Payment.objects.select_for_update().select_related("schedule").get(pk=payment.pk)
    application = locked.schedule.application
    require_side(by, application, PROGRAMME_FINANCE)
    if locked.status == Payment.Status.PAID:
        return locked
    if locked.status == Payment.Status.CANCELLED:
        raise ValidationError({"status": _("This payment was cancelled.")})
    locked.status = Payment.Status.PAID
    locked.paid_at = timezone.now()
    locked.treasury_reference = treasury_reference.strip()
    locked.confirmed_by = by if getattr(by, "pk", None) else None
    locked.full_clean(validate_constraints=False)
    locked.save()
    certificate = locked.schedule.certificate
    budget_pay(
        budget=locked.schedule.budget, amount=locked.amount, by=by, payment=locked, certificate=certificate
    )
    audit_log(
        actor=by,
        action="payment.confirmed",
        obj=locked,
        from_state=Payment.Status.PLANNED,
        to_state=Payment.Status.PAID,
        data={
            "amount": locked.amount,
            "measure": locked.schedule.measure,
            "reference": locked.treasury_reference,
        },
        programme="resettlement",
    )
    if certificate is not None:
        from .certificates import certificate_paid

        certificate_paid(certificate, by=by)
    return locked


REGISTER_COLUMNS = (
    "payment_id",
    "due_on",
    "measure",
    "amount_kzt",
    "recipient_iin",
    "recipient_name",
    "application",
    "certificate",
    "region",
    "programme",
    "year",
)


@transaction.atomic
def payment_register_csv(*, region: Region, by: Any, due_until: dt.date, year: int | None = None) -> str:
    """The treasury register of a region's planned payments due by a date, as CSV. Exporting again
    lists the same unpaid payments again and records nothing twice (only the first export's time)."""
    actor = actor_of(by)
    if not actor.is_admin and region.pk not in (actor.region_ids(Role.PROGRAMME_FINANCE) or set()):
        raise MoveForbidden(
            {"region": _("Only the region's programme finance officer exports its register.")}
        )
    payments = (
        Payment.objects.filter(
            status=Payment.Status.PLANNED, due_on__lte=due_until, schedule__budget__region=region
        )
        .select_related("schedule__application__person", "schedule__certificate", "schedule__budget")
        .order_by("due_on", "id")
    )
    if year is not None:
        payments = payments.filter(schedule__budget__year=year)
    rows = list(payments)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REGISTER_COLUMNS)
    for payment in rows:
        schedule = payment.schedule
        person = schedule.application.person
        writer.writerow(
            [
                payment.pk,
                payment.due_on.isoformat(),
                schedule.measure,
                payment.amount,
                person.iin,
                f"{person.last_name} {person.first_name}".strip(),
                schedule.application_id,
                schedule.certificate.number if schedule.certificate else "",
                region.code,
                schedule.budget.category,
                schedule.budget.year,
            ]
        )
    Payment.objects.filter(pk__in=[p.pk for p in rows], first_exported_at__isnull=True).update(
        first_exported_at=timezone.now()
    )
    audit_log(
        actor=by,
        action="payment_register.exported",
        obj=region,
        data={
            "payments": len(rows),
            "due_until": due_until.isoformat(),
            "total": sum(p.amount for p in rows),
        },
        programme="resettlement",
    )
    return out.getvalue()
