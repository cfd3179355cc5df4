"""Resettlement: a family's application to move to a receiving region (kandases and internal
resettlers), the regional quota it takes, the budget ledger that pays for it, the economic mobility
certificate and the payment schedules.

Every write goes through `mobility.resettlement.services`; the limits (quota, budget, certificate
cap, one active application per person) are database constraints, taken under row locks.
The amounts come from the dated rules (`mobility.reference.rules`) in force on the application's
`rules_on` date and are stored when decided, so publishing next year's rules changes nothing
already decided.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobility.core.identifiers import mask_iin, validate_iin
from mobility.core.models import WorkflowEvent
from mobility.core.workflow import (
    COUNSELLOR,
    PROGRAMME_FINANCE,
    REGIONAL_MANAGER,
    SEEKER,
    STAFF,
    SYSTEM,
    Workflow,
    move,
)
from mobility.reference.models import ReceptionQuota, SettlementType

Category = ReceptionQuota.Category


# --- The application ------------------------------------------------------------------------------


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    FORWARDED = "forwarded", _("Forwarded to the regional centre")
    CHECKED = "checked", _("Documents checked")
    INCLUDED = "included", _("Included in the quota")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CERTIFIED = "certified", _("Certificate issued")
    COMPLETED = "completed", _("Certificate paid")


# States in which the family holds its place: members are "active" and nobody may be in a second one.
ACTIVE_STATUSES = ("submitted", "forwarded", "checked", "included", "certified", "completed")
CLOSED_STATUSES = ("refused", "withdrawn")

# The career centre of origin forwards (within 1 working day); the receiving region's centre checks,
# includes or refuses; its programme finance officer issues the certificate (the application follows
# the certificate: issued → certified, revoked or expired → back to included, paid → completed).
APPLICATION_WORKFLOW = Workflow(
    name="resettlement_application",
    states=ApplicationStatus,
    programme="resettlement",
    moves=(
        move("", "submitted", SEEKER, STAFF, action="submitted"),
        move("submitted", "forwarded", COUNSELLOR, action="forwarded"),
        move("forwarded", "checked", REGIONAL_MANAGER, action="checked"),
        move("forwarded", "refused", REGIONAL_MANAGER, reason_required=True, action="refused"),
        move("checked", "included", REGIONAL_MANAGER, action="included"),
        move("checked", "refused", REGIONAL_MANAGER, reason_required=True, action="refused"),
        move("submitted", "withdrawn", SEEKER, action="withdrawn"),
        move("forwarded", "withdrawn", SEEKER, action="withdrawn"),
        move("checked", "withdrawn", SEEKER, action="withdrawn"),
        move("included", "withdrawn", SEEKER, action="withdrawn"),
        move("included", "certified", PROGRAMME_FINANCE, SYSTEM, action="certified"),
        move("certified", "included", PROGRAMME_FINANCE, SYSTEM, action="certificate_ended"),
        move("certified", "completed", PROGRAMME_FINANCE, SYSTEM, action="completed"),
    ),
    refused=_("A resettlement application cannot go from “%(from)s” to “%(to)s”."),
    reason_needed=_("Say why the application is refused."),
    not_your_side=_("Your side of the resettlement application cannot make this change."),
    reasons={
        "incomplete_documents": _("The documents are incomplete"),
        "expired_documents": _("A document has expired"),
        "not_eligible": _("The applicant is not eligible"),
        "quota_exhausted": _("The region's quota for the year is used up"),
        "certificate_revoked": _("The certificate was revoked"),
        "certificate_expired": _("The certificate expired"),
        "certificate_paid": _("The certificate was paid"),
    },
)


class JobKind(models.TextChoices):
    VACANCY = "vacancy", _("A vacancy from the labour exchange")
    OFFER_LETTER = "offer_letter", _("An offer letter from an employer")
    LOOKING = "looking", _("Still looking for work")


class GraduateProgramme(models.TextChoices):
    NONE = "", _("Not a graduate of these programmes")
    ZHARKYN_BOLASHAK = "zharkyn_bolashak", _("“Zharkyn Bolashak”")
    SERPIN = "serpin", _("“Serpin”")


class ResettlementApplication(models.Model):
    """A family's application, anchored on the person's case. The head of the family is the
    applicant (`person`); everyone who moves, head included, is an `ApplicationMember`."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="resettlement_applications",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="resettlement_applications",
    )
    # The career centre of origin that forwards the file (the case's centre when submitted).
    centre = models.ForeignKey(
        "reference.Centre", verbose_name=_("career centre"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    # The programme year and the date whose rules the application is computed under.
    year = models.PositiveSmallIntegerField(_("programme year"))
    rules_on = models.DateField(_("rules in force on"))

    origin_region = models.ForeignKey(
        "reference.Region", verbose_name=_("region of origin"), on_delete=models.PROTECT, related_name="+"
    )
    origin_settlement = models.CharField(_("settlement of origin"), max_length=120, blank=True)
    destination_region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("destination region"),
        on_delete=models.PROTECT,
        related_name="resettlement_arrivals",
    )
    destination_settlement = models.ForeignKey(
        "reference.ReceivingSettlement",
        verbose_name=_("destination settlement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    settlement_type = models.CharField(_("settlement type"), max_length=10, choices=SettlementType.choices)

    job_kind = models.CharField(_("job"), max_length=15, choices=JobKind.choices, default=JobKind.LOOKING)
    vacancy = models.ForeignKey(
        "exchange.Vacancy",
        verbose_name=_("vacancy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    offer_letter = models.ForeignKey(
        "core.Document",
        verbose_name=_("offer letter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # What the registration does not record, declared by the applicant and checked by the centre.
    permanent_registration_since = models.DateField(
        _("permanently registered at the address since"), null=True, blank=True
    )
    kandas_status = models.BooleanField(_("holds kandas status"), default=False)
    graduate_programme = models.CharField(
        _("graduate of"), max_length=20, choices=GraduateProgramme.choices, blank=True, default=""
    )
    graduated_on = models.DateField(_("graduated on"), null=True, blank=True)
    # The eligibility check as it answered when submitted: [{"code", "passed", "message"}, ...].
    eligibility = models.JSONField(_("eligibility check"), default=list, blank=True)

    referral = models.ForeignKey(
        "cases.Referral",
        verbose_name=_("counsellor's referral"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_at = models.DateTimeField(_("consent given"))

    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    forward_due_on = models.DateField(_("to be forwarded by"))
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    # The persons taken from the quota at inclusion (0 until then, and after a release).
    quota_persons = models.PositiveSmallIntegerField(_("persons counted in the quota"), default=0)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("resettlement application")
        verbose_name_plural = _("resettlement applications")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["status", "forward_due_on"]),
            models.Index(fields=["destination_region", "year", "category", "status"]),
            models.Index(fields=["centre", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(job_kind="vacancy", vacancy__isnull=False, offer_letter__isnull=True)
                | Q(job_kind="offer_letter", offer_letter__isnull=False, vacancy__isnull=True)
                | Q(job_kind="looking", vacancy__isnull=True, offer_letter__isnull=True),
                name="resettlement_job_consistent",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""), name="resettlement_refusal_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(quota_persons=0) | Q(status__in=["included", "certified", "completed"]),
                name="resettlement_quota_only_when_included",
            ),
            models.CheckConstraint(
                condition=~Q(graduate_programme="") | Q(graduated_on__isnull=True),
                name="resettlement_graduation_date_needs_programme",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.person} → {self.destination_region_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class ApplicationMember(models.Model):
    """A person who moves with the application, head of the family included.

    `active` is kept by the services with the application's state (false once refused or
    withdrawn); the partial unique index makes "nobody in two active applications" the
    database's rule."""

    class Relation(models.TextChoices):
        HEAD = "head", _("Applicant (head of the family)")
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        SIBLING = "sibling", _("Brother or sister")
        OTHER = "other", _("Other relative")

    application = models.ForeignKey(ResettlementApplication, on_delete=models.CASCADE, related_name="members")
    family_member = models.ForeignKey(
        "cases.FamilyMember", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    iin = models.CharField(_("IIN"), max_length=12, validators=[validate_iin])
    last_name = models.CharField(_("surname"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("family member moving")
        verbose_name_plural = _("family members moving")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "iin"], name="resettlement_member_once"),
            models.UniqueConstraint(
                fields=["iin"], condition=Q(active=True), name="resettlement_one_active_application_per_iin"
            ),
            models.UniqueConstraint(
                fields=["application"], condition=Q(relation="head"), name="resettlement_one_head"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_name}"

    @property
    def masked_iin(self) -> str:
        return mask_iin(self.iin)


class ApplicationEvent(WorkflowEvent):
    """One step of an application's history; the database refuses a step the workflow lacks."""

    workflow = APPLICATION_WORKFLOW

    application = models.ForeignKey(ResettlementApplication, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("resettlement application step")
        verbose_name_plural = _("resettlement application steps")
        constraints = [
            models.CheckConstraint(
                condition=APPLICATION_WORKFLOW.check_constraint_q("from_status", "to_status"),
                name="resettlement_application_transition_allowed",
            ),
        ]


# --- Quota usage ----------------------------------------------------------------------------------


class QuotaUsage(models.Model):
    """Persons included against one published quota row (published rows never change).

    `application_include` locks this row; the CHECK makes exceeding the quota impossible even
    for a write that forgot the lock."""

    quota = models.OneToOneField(ReceptionQuota, on_delete=models.PROTECT, related_name="usage")
    limit = models.PositiveIntegerField(_("quota, persons"))
    used = models.PositiveIntegerField(_("persons included"), default=0)

    class Meta:
        verbose_name = _("quota usage")
        verbose_name_plural = _("quota usage")
        constraints = [
            models.CheckConstraint(condition=Q(used__lte=F("limit")), name="quota_never_exceeded"),
        ]

    def __str__(self) -> str:
        return f"{self.quota}: {self.used}/{self.limit}"

    @property
    def left(self) -> int:
        return self.limit - self.used


# --- The budget ledger ----------------------------------------------------------------------------


class Budget(models.Model):
    """The balance of one region's resettlement budget for a programme (category) and year.

    The figures are kept by the services in the same transaction as the ledger entry that moves
    them (`BudgetEntry`, append-only); the CHECKs make overspending impossible:
    available = allocated − committed − paid ≥ 0."""

    region = models.ForeignKey(
        "reference.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("programme"), max_length=10, choices=Category.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    allocated = models.BigIntegerField(_("allocated, tenge"), default=0)
    committed = models.BigIntegerField(_("committed, tenge"), default=0)
    paid = models.BigIntegerField(_("paid, tenge"), default=0)
    released = models.BigIntegerField(_("released, tenge"), default=0)

    class Meta:
        verbose_name = _("resettlement budget")
        verbose_name_plural = _("resettlement budgets")
        ordering = ["-year", "region__code", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "category", "year"], name="one_budget_per_region_programme_year"
            ),
            models.CheckConstraint(
                condition=Q(allocated__gte=0, committed__gte=0, paid__gte=0, released__gte=0),
                name="budget_figures_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(allocated__gte=F("committed") + F("paid")), name="budget_never_overspent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.region_id} {self.category}"

    @property
    def available(self) -> int:
        return self.allocated - self.committed - self.paid


class PaymentMeasure(models.TextChoices):
    RELOCATION = "relocation", _("Relocation subsidy")
    RENT = "rent", _("Rent and utilities subsidy")
    CERTIFICATE = "certificate", _("Economic mobility certificate")


class BudgetEntry(models.Model):
    """One movement of a budget, never changed (on PostgreSQL a trigger refuses UPDATE and DELETE).

    allocate: allocated += amount; commit: committed += amount; pay: committed −= amount,
    paid += amount; release of a certificate's or schedule's commitment: committed −= amount,
    released += amount; release without one (unspent allocation given back): allocated −= amount,
    released += amount. Σ entries = the balance row (`services.ledger_totals`)."""

    class Kind(models.TextChoices):
        ALLOCATE = "allocate", _("Allocated")
        COMMIT = "commit", _("Committed")
        PAY = "pay", _("Paid")
        RELEASE = "release", _("Released")

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.BigIntegerField(_("amount, tenge"))
    measure = models.CharField(_("measure"), max_length=12, choices=PaymentMeasure.choices, blank=True)
    certificate = models.ForeignKey(
        "Certificate", null=True, blank=True, on_delete=models.PROTECT, related_name="budget_entries"
    )
    payment = models.ForeignKey(
        "Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="budget_entries"
    )
    schedule = models.ForeignKey(
        "PaymentSchedule", null=True, blank=True, on_delete=models.PROTECT, related_name="budget_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("budget ledger entry")
        verbose_name_plural = _("budget ledger")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_entry_positive"),
            # A payment is paid once, whatever repeats the confirmation.
            models.UniqueConstraint(
                fields=["payment"], condition=Q(kind="pay"), name="one_pay_entry_per_payment"
            ),
            # A certificate commits once and is paid or released once.
            models.UniqueConstraint(
                fields=["certificate", "kind"],
                condition=Q(certificate__isnull=False, payment__isnull=True),
                name="one_entry_per_certificate_and_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


# --- The certificate ------------------------------------------------------------------------------


class CertificateStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    PRESENTED = "presented", _("Presented with the agreement")
    PAID = "paid", _("Paid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


CERTIFICATE_WORKFLOW = Workflow(
    name="certificate",
    states=CertificateStatus,
    programme="resettlement",
    moves=(
        move("", "issued", PROGRAMME_FINANCE, action="issued"),
        move("issued", "presented", PROGRAMME_FINANCE, action="presented"),
        move("presented", "paid", PROGRAMME_FINANCE, action="paid"),
        move("issued", "expired", SYSTEM, action="expired"),
        move("issued", "revoked", PROGRAMME_FINANCE, reason_required=True, action="revoked"),
        move("presented", "revoked", PROGRAMME_FINANCE, reason_required=True, action="revoked"),
    ),
    refused=_("A certificate cannot go from “%(from)s” to “%(to)s”."),
    reason_needed=_("Say why the certificate is revoked."),
    not_your_side=_(
        "Only the programme finance officer of the receiving region can change this certificate."
    ),
    reasons={"validity_ended": _("The certificate's validity ended before it was presented")},
)

CERTIFICATE_LIVE_STATUSES = ("issued", "presented", "paid")


class CertificatePurpose(models.TextChoices):
    PURCHASE = "purchase", _("Purchase of a home (preliminary sale agreement)")
    CONSTRUCTION = "construction", _("Construction of a home (land title)")
    MORTGAGE = "mortgage", _("Mortgage down payment")


class Certificate(models.Model):
    """The economic mobility certificate: a monetary obligation of the receiving akimat.

    amount = min(share of the price, the year's cap), whole tenge rounded down; both the share and
    the cap are stored as they were when issued."""

    application = models.ForeignKey(
        ResettlementApplication, on_delete=models.PROTECT, related_name="certificates"
    )
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="certificates")
    number = models.CharField(_("number"), max_length=40, unique=True)
    purpose = models.CharField(_("purpose"), max_length=15, choices=CertificatePurpose.choices)
    home_price = models.BigIntegerField(_("price of the home, tenge"))
    share_percent = models.DecimalField(_("share of the price, %"), max_digits=5, decimal_places=2)
    cap = models.BigIntegerField(_("cap, tenge"))
    amount = models.BigIntegerField(_("amount, tenge"))
    rules_on = models.DateField(_("rules in force on"))
    status = models.CharField(
        _("status"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.ISSUED
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    valid_until = models.DateField(_("valid until"))
    presented_at = models.DateTimeField(_("presented"), null=True, blank=True)
    agreement = models.ForeignKey(
        "core.Document",
        verbose_name=_("agreement or title"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    ended_at = models.DateTimeField(_("expired or revoked"), null=True, blank=True)
    end_reason = models.TextField(_("reason"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("economic mobility certificate")
        verbose_name_plural = _("economic mobility certificates")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, home_price__gt=0, cap__gt=0), name="certificate_positive"
            ),
            models.CheckConstraint(condition=Q(amount__lte=F("cap")), name="certificate_within_cap"),
            # amount ≤ price × share / 100, written without division.
            models.CheckConstraint(
                condition=Q(amount__lte=F("home_price") * F("share_percent") / 100),
                name="certificate_within_share",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=CERTIFICATE_LIVE_STATUSES),
                name="one_live_certificate_per_application",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | ~Q(end_reason=""), name="revoked_certificate_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class CertificateEvent(models.Model):
    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("certificate step")
        verbose_name_plural = _("certificate steps")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=CERTIFICATE_WORKFLOW.check_constraint_q("from_status", "to_status"),
                name="certificate_transition_allowed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"

    @property
    def to_label(self) -> str:
        return CERTIFICATE_WORKFLOW.label(self.to_status)

    @property
    def reason_label(self) -> str:
        return CERTIFICATE_WORKFLOW.reason_label(self.reason)


# --- Payments -------------------------------------------------------------------------------------


class PaymentSchedule(models.Model):
    """What one measure pays a family: one relocation payment, 12 monthly rent payments, or the
    certificate's payment to the seller. One per application and measure (and certificate)."""

    application = models.ForeignKey(
        ResettlementApplication, on_delete=models.PROTECT, related_name="schedules"
    )
    measure = models.CharField(_("measure"), max_length=12, choices=PaymentMeasure.choices)
    certificate = models.OneToOneField(
        Certificate, null=True, blank=True, on_delete=models.PROTECT, related_name="schedule"
    )
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="schedules")
    total = models.BigIntegerField(_("total, tenge"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("payment schedule")
        verbose_name_plural = _("payment schedules")
        ordering = ["application", "measure"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gt=0), name="schedule_total_positive"),
            models.UniqueConstraint(
                fields=["application", "measure"],
                condition=~Q(measure="certificate"),
                name="one_subsidy_schedule_per_application",
            ),
            models.CheckConstraint(
                condition=Q(measure="certificate", certificate__isnull=False)
                | (~Q(measure="certificate") & Q(certificate__isnull=True)),
                name="certificate_schedule_names_certificate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.measure}"


class Payment(models.Model):
    """One payment of a schedule: recorded when the schedule is made, exported in the treasury
    register (as often as asked), confirmed once."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    schedule = models.ForeignKey(PaymentSchedule, on_delete=models.PROTECT, related_name="payments")
    sequence = models.PositiveSmallIntegerField(_("number"))
    due_on = models.DateField(_("due on"))
    amount = models.BigIntegerField(_("amount, tenge"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    first_exported_at = models.DateTimeField(_("first exported"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    treasury_reference = models.CharField(_("treasury reference"), max_length=60, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "sequence"], name="one_payment_per_sequence"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive"),
            models.CheckConstraint(
                condition=Q(status="paid", paid_at__isnull=False)
                | (~Q(status="paid") & Q(paid_at__isnull=True)),
                name="payment_paid_consistent",
            ),
            models.UniqueConstraint(
                fields=["treasury_reference"],
                condition=~Q(treasury_reference=""),
                name="one_payment_per_treasury_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} #{self.sequence}"
