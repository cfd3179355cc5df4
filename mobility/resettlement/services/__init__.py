"""Writes of resettlement: each transactional, audited, the limits (quota, budget, certificate
cap, one active application per person) enforced by the database under row locks."""

from .applications import (
    MemberInput,
    application_check,
    application_forward,
    application_include,
    application_refuse,
    application_submit,
    application_withdraw,
)
from .budget import budget_allocate, budget_commit, budget_for, budget_release, ledger_totals
from .certificates import (
    certificate_expire,
    certificate_issue,
    certificate_pay,
    certificate_present,
    certificate_revoke,
    certificates_expire_due,
)
from .payments import payment_confirm, payment_register_csv, payment_schedule_create

__all__ = [
    "MemberInput",
    "application_check",
    "application_forward",
    "application_include",
    "application_refuse",
    "application_submit",
    "application_withdraw",
    "budget_allocate",
    "budget_commit",
    "budget_for",
    "budget_release",
    "certificate_expire",
    "certificate_issue",
    "certificate_pay",
    "certificate_present",
    "certificate_revoke",
    "certificates_expire_due",
    "ledger_totals",
    "payment_confirm",
    "payment_register_csv",
    "payment_schedule_create",
]
