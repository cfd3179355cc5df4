"""The budget ledger: every movement an append-only entry, the balance row updated under its row
lock in the same transaction, and the balance's CHECKs refuse overspending whatever the code does."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from mobility.core.actors import Role, actor_of
from mobility.core.audit import audit_log
from mobility.core.workflow import MoveForbidden
from mobility.reference.models import Region
from mobility.resettlement.models import Budget, BudgetEntry, Certificate, Payment, PaymentSchedule

Kind = BudgetEntry.Kind


def _tenge(amount: int, field: str = "amount") -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationError({field: _("Give a whole number of tenge, more than zero.")})
    return amount


def _finance_of(by: Any, region_id: int) -> None:
    actor = actor_of(by)
    if by is None or actor.is_admin:
        return
    if region_id not in (actor.region_ids(Role.PROGRAMME_FINANCE) or set()):
        raise MoveForbidden({"budget": _("Only the region's programme finance officer manages its budget.")})


def budget_for(*, region: Region | int, category: str, year: int) -> Budget:
    """The budget row, created empty when missing (a concurrent twin is read back)."""
    region_id = region if isinstance(region, int) else region.pk
    found = Budget.objects.filter(region_id=region_id, category=category, year=year).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Budget.objects.create(region_id=region_id, category=category, year=year)
    except IntegrityError:
        return Budget.objects.get(region_id=region_id, category=category, year=year)


def _locked(budget: Budget) -> Budget:
    return Budget.objects.select_for_update().get(pk=budget.pk)


def _entry(budget: Budget, kind: str, amount: int, *, by: Any, reason: str = "", **links: Any) -> BudgetEntry:
    entry = BudgetEntry(budget=budget, kind=kind, amount=amount, actor=by, reason=reason[:300], **links)
    entry.full_clean(validate_constraints=False)
    entry.save()
    return entry


@transaction.atomic
def budget_allocate(
    *, region: Region, category: str, year: int, amount: int, by: Any, reason: str = ""
) -> Budget:
    """Add money to a region's programme budget for a year."""
    _tenge(amount)
    _finance_of(by, region.pk)
    budget = _locked(budget_for(region=region, category=category, year=year))
    Budget.objects.filter(pk=budget.pk).update(allocated=F("allocated") + amount)
    _entry(budget, Kind.ALLOCATE, amount, by=by, reason=reason)
    budget.refresh_from_db()
    audit_log(
        actor=by,
        action="budget.allocated",
        obj=budget,
        reason=reason,
        data={"amount": amount, "allocated": budget.allocated},
        programme="resettlement",
    )
    return budget


def budget_commit(
    *,
    budget: Budget,
    amount: int,
    by: Any,
    certificate: Certificate | None = None,
    schedule: PaymentSchedule | None = None,
    measure: str = "",
) -> Budget:
    """Reserve money for a certificate or a schedule, under the budget's row lock (callers hold a
    transaction). Refuses what the balance cannot cover; the CHECK refuses it too."""
    _tenge(amount)
    locked = _locked(budget)
    if locked.available < amount:
        raise ValidationError(
            {
                "budget": _("The budget has %(available)s ₸ left, %(amount)s ₸ are needed.")
                % {
                    "available": f"{locked.available:,}".replace(",", " "),
                    "amount": f"{amount:,}".replace(",", " "),
                }
            },
            code="budget_exhausted",
        )
    locked.committed += amount
    locked.save(update_fields=["committed"])
    _entry(locked, Kind.COMMIT, amount, by=by, certificate=certificate, schedule=schedule, measure=measure)
    return locked


def budget_pay(
    *, budget: Budget, amount: int, by: Any, payment: Payment, certificate: Certificate | None = None
) -> Budget:
    """Committed money paid out (one entry per payment: a unique constraint)."""
    locked = _locked(budget)
    if locked.committed < amount:
        raise ValidationError(
            {"amount": _("Only %(committed)s ₸ are committed.") % {"committed": locked.committed}}
        )
    locked.committed -= amount
    locked.paid += amount
    locked.save(update_fields=["committed", "paid"])
    _entry(
        locked,
        Kind.PAY,
        amount,
        by=by,
        payment=payment,
        certificate=certificate,
        measure=payment.schedule.measure,
    )
    return locked


@transaction.atomic
def budget_release(
    *,
    budget: Budget,
    amount: int,
    by: Any,
    reason: str,
    certificate: Certificate | None = None,
    schedule: PaymentSchedule | None = None,
) -> Budget:
    """Give money back. With a certificate or a schedule: its commitment returns to the budget (a
    certificate revoked or expired, payments cancelled). Without: unspent allocation is given back
    (only what is available). Either way the balance's CHECKs stand behind the checks here."""
    _tenge(amount)
    if certificate is None and schedule is None:
        _finance_of(by, budget.region_id)
    locked = _locked(budget)
    if certificate is not None or schedule is not None:
        if locked.committed < amount:
            raise ValidationError(
                {"amount": _("Only %(committed)s ₸ are committed.") % {"committed": locked.committed}}
            )
        locked.committed -= amount
    else:
        if locked.available < amount:
            raise ValidationError(
                {"amount": _("Only %(available)s ₸ are available.") % {"available": locked.available}}
            )
        locked.allocated -= amount
    locked.released += amount
    locked.save(update_fields=["allocated", "committed", "released"])
    _entry(locked, Kind.RELEASE, amount, by=by, reason=reason, certificate=certificate, schedule=schedule)
    audit_log(
        actor=by,
        action="budget.released",
        obj=locked,
        reason=reason,
        data={"amount": amount, "allocated": locked.allocated, "committed": locked.committed},
        programme="resettlement",
    )
    return locked


def ledger_totals(budget: Budget) -> dict[str, int]:
    """The balance recomputed from the ledger alone (for checks and the dashboard)."""
    allocated = committed = paid = released = 0
    for entry in BudgetEntry.objects.filter(budget=budget).only(
        "kind", "amount", "certificate_id", "schedule_id"
    ):
        linked = entry.certificate_id is not None or entry.schedule_id is not None
        if entry.kind == Kind.ALLOCATE:
            allocated += entry.amount
        elif entry.kind == Kind.COMMIT:
            committed += entry.amount
        elif entry.kind == Kind.PAY:
            committed -= entry.amount
            paid += entry.amount
        else:
            released += entry.amount
            if linked:
                committed -= entry.amount
            else:
                allocated -= entry.amount
    return {"allocated": allocated, "committed": committed, "paid": paid, "released": released}
