"""The economic mobility certificate: issued by the receiving region's programme finance officer
for an included family (committing the budget), presented with the agreement, paid, or revoked
with a reason; an issued certificate not presented in time expires (a task)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.core.audit import audit_log
from mobility.core.documents.models import Document
from mobility.core.documents.services import document_upload
from mobility.core.workflow import PROGRAMME_FINANCE, START, SYSTEM, Sides, transition
from mobility.reference import rules
from mobility.resettlement.calculator import CalculatorError, package_on
from mobility.resettlement.eligibility import months_before
from mobility.resettlement.models import (
    CERTIFICATE_WORKFLOW,
    ApplicationStatus,
    Budget,
    Certificate,
    CertificateEvent,
    CertificatePurpose,
    CertificateStatus,
    Payment,
    PaymentMeasure,
    PaymentSchedule,
    ResettlementApplication,
)

from ._common import notify, require_side
from .applications import application_follow_certificate
from .budget import budget_commit, budget_release

DEFAULT_VALIDITY_MONTHS = 12


def _months_after(day: Any, months: int) -> Any:
    return months_before(day, -months)


def _number(application: ResettlementApplication) -> str:
    count = Certificate.objects.filter(application=application).count() + 1
    return f"SEM-{application.year}-{application.destination_region.code}-{application.pk:06d}-{count}"


def _move(
    certificate: Certificate, *, to: str, by: Any, side: Sides, reason: str = "", **changes: Any
) -> Certificate:
    return transition(
        certificate,
        workflow=CERTIFICATE_WORKFLOW,
        to=to,
        side=side,
        by=by,
        reason=reason,
        changes=changes,
        event_model=CertificateEvent,
        event_fk="certificate",
    )


@transaction.atomic
def certificate_issue(
    *, application: ResettlementApplication, purpose: str, home_price: int, by: Any
) -> Certificate:
    """Issue the certificate: amount = min(share of the price, the year's cap) under the rules of
    the application's date, in whole tenge rounded down, committed from the region's budget under
    its row lock (refused when the budget cannot cover it)."""
    application = ResettlementApplication.objects.select_for_update().get(pk=application.pk)
    side = require_side(by, application, PROGRAMME_FINANCE)
    CERTIFICATE_WORKFLOW.check(START, CertificateStatus.ISSUED, side)
    if application.status != ApplicationStatus.INCLUDED:
        raise ValidationError({"status": _("A certificate is issued to a family included in the quota.")})
    if purpose not in CertificatePurpose.values:
        raise ValidationError({"purpose": _("Choose purchase, construction or a mortgage down payment.")})
    if isinstance(home_price, bool) or not isinstance(home_price, int) or home_price <= 0:
        raise ValidationError({"home_price": _("Give the price of the home in tenge, more than zero.")})
    try:
        package = package_on(
            on=application.rules_on,
            category=application.category,
            destination=application.destination_region,
            family_size=max(1, application.quota_persons),
            settlement_type=application.settlement_type,
            home_price=home_price,
        )
    except CalculatorError as error:
        raise ValidationError({"home_price": error.messages}) from error
    if not package.certificate:  # None cannot happen (a price was given); 0 for a price of 1 ₸
        raise ValidationError({"home_price": _("The price is too low for a certificate.")})
    budget = Budget.objects.filter(
        region_id=application.destination_region_id, category=application.category, year=application.year
    ).first()
    if budget is None:
        raise ValidationError(
            {"budget": _("No budget is allocated to this region and programme for the year.")}
        )
    validity = rules.rules_on(["certificate_validity_months"], on=application.rules_on).get(
        "certificate_validity_months"
    )
    months = int(validity.mrp_multiplier) if validity is not None else DEFAULT_VALIDITY_MONTHS
    today = timezone.localdate()
    certificate = Certificate(
        application=application,
        budget=budget,
        number=_number(application),
        purpose=purpose,
        home_price=home_price,
        share_percent=package.certificate_share_percent,
        cap=package.certificate_cap,
        amount=package.certificate,
        rules_on=application.rules_on,
        status=CertificateStatus.ISSUED,
        valid_until=_months_after(today, months),
        issued_by=by if getattr(by, "pk", None) else None,
    )
    certificate.full_clean(validate_constraints=False)
    certificate.save()
    budget_commit(
        budget=budget,
        amount=certificate.amount,
        by=by,
        certificate=certificate,
        measure=PaymentMeasure.CERTIFICATE,
    )
    CertificateEvent.objects.create(
        certificate=certificate,
        from_status="",
        to_status=CertificateStatus.ISSUED,
        actor=certificate.issued_by,
    )
    audit_log(
        actor=by,
        action="certificate.issued",
        obj=certificate,
        to_state=CertificateStatus.ISSUED,
        data={
            "amount": certificate.amount,
            "cap": certificate.cap,
            "home_price": home_price,
            "rules_on": application.rules_on.isoformat(),
        },
        programme="resettlement",
    )
    application_follow_certificate(application, to=ApplicationStatus.CERTIFIED, by=by)
    notify(
        application,
        template="resettlement_certificate_issued",
        key=f"resettlement.certificate_issued:{certificate.pk}",
        certificate=certificate,
    )
    return certificate


@transaction.atomic
def certificate_present(*, certificate: Certificate, by: Any, agreement: Any = None) -> Certificate:
    """The family presents the certificate with the agreement (sale agreement, land title or mortgage
    contract); its payment to the seller is scheduled (already committed at issue)."""
    application = certificate.application
    side = require_side(by, application, PROGRAMME_FINANCE)
    document = None
    if agreement is not None:
        document = (
            agreement
            if isinstance(agreement, Document)
            else document_upload(
                file=agreement,
                kind=Document.Kind.OTHER,
                owner=application.person,
                by=by,
                attached_to=application,
            )
        )
    presented = _move(
        certificate,
        to=CertificateStatus.PRESENTED,
        by=by,
        side=side,
        presented_at=timezone.now(),
        agreement=document,
    )
    schedule = PaymentSchedule.objects.create(
        application=application,
        measure=PaymentMeasure.CERTIFICATE,
        certificate=presented,
        budget=presented.budget,
        total=presented.amount,
        created_by=by if getattr(by, "pk", None) else None,
    )
    Payment.objects.create(
        schedule=schedule, sequence=1, due_on=timezone.localdate(), amount=presented.amount
    )
    return presented


@transaction.atomic
def certificate_pay(*, certificate: Certificate, by: Any, treasury_reference: str = "") -> Certificate:
    """Confirm the certificate's payment (once; repeating changes nothing)."""
    from .payments import payment_confirm

    schedule = PaymentSchedule.objects.filter(certificate=certificate).first()
    if schedule is None:
        raise ValidationError(
            {"status": _("The certificate is paid after it is presented with the agreement.")}
        )
    payment_confirm(payment=schedule.payments.get(sequence=1), by=by, treasury_reference=treasury_reference)
    certificate.refresh_from_db()
    return certificate


def certificate_paid(certificate: Certificate, *, by: Any) -> Certificate:
    """Side effect of confirming the certificate's payment: certificate paid, application completed."""
    paid = _move(
        certificate, to=CertificateStatus.PAID, by=by, side=PROGRAMME_FINANCE, paid_at=timezone.now()
    )
    application_follow_certificate(
        paid.application, to=ApplicationStatus.COMPLETED, by=by, reason="certificate_paid"
    )
    notify(
        paid.application,
        template="resettlement_certificate_paid",
        key=f"resettlement.certificate_paid:{paid.pk}",
        certificate=paid,
    )
    return paid


def _end(certificate: Certificate, *, to: str, by: Any, side: Sides, reason: str, code: str) -> Certificate:
    ended = _move(
        certificate, to=to, by=by, side=side, reason=reason, ended_at=timezone.now(), end_reason=reason
    )
    budget_release(budget=ended.budget, amount=ended.amount, by=by, reason=reason, certificate=ended)
    schedule = PaymentSchedule.objects.filter(certificate=ended).first()
    if schedule is not None:
        schedule.payments.filter(status=Payment.Status.PLANNED).update(status=Payment.Status.CANCELLED)
    application_follow_certificate(ended.application, to=ApplicationStatus.INCLUDED, by=by, reason=code)
    notify(
        ended.application,
        template=f"resettlement_certificate_{to}",
        key=f"resettlement.certificate_{to}:{ended.pk}",
        certificate=ended,
        reason=reason,
    )
    return ended


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by: Any, reason: str) -> Certificate:
    """Revoke with a reason the family reads; the committed amount goes back to the budget."""
    side = require_side(by, certificate.application, PROGRAMME_FINANCE)
    return _end(
        certificate,
        to=CertificateStatus.REVOKED,
        by=by,
        side=side,
        reason=reason.strip(),
        code="certificate_revoked",
    )


@transaction.atomic
def certificate_expire(*, certificate: Certificate) -> Certificate:
    """The system ends an issued certificate whose validity passed; the budget gets it back."""
    return _end(
        certificate,
        to=CertificateStatus.EXPIRED,
        by=None,
        side=SYSTEM,
        reason="validity_ended",
        code="certificate_expired",
    )


def certificates_expire_due(*, today: Any = None) -> list[int]:
    """Expire every issued certificate whose validity ended before `today`; each in its own
    transaction, so one failure does not hold back the others. Returns the ids expired."""
    day = today or timezone.localdate()
    expired = []
    for certificate in Certificate.objects.filter(status=CertificateStatus.ISSUED, valid_until__lt=day):
        certificate_expire(certificate=certificate)
        expired.append(certificate.pk)
    return expired
