"""Case management at the career centres: one case file per person, the individual
employment plan with its steps and revisions, referrals, family members and consultation notes.

A case belongs to the person (their account, which people registered at the desk have too), not
to a job-seeker profile: a foreign applicant or a resettling family without one can have a file.
Every state change goes through `mobility.cases.services` and lands in the audit trail, which is
also the case's timeline (each entry of it marked with its programme).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobility.core.actors import Programme
from mobility.core.identifiers import mask_iin, validate_iin

if TYPE_CHECKING:
    from mobility.exchange.models import SeekerProfile


class Case(models.Model):
    """The file that follows a person across programmes (plan, referrals, resettlement, visas)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="cases"
    )
    centre = models.ForeignKey(
        "reference.Centre", verbose_name=_("centre"), on_delete=models.PROTECT, related_name="cases"
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counsellor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="caseload",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["centre", "status"]), models.Index(fields=["counsellor", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="case_closed_consistent",
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="open"), name="one_open_case_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.person}"

    @property
    def seeker(self) -> SeekerProfile | None:
        """The person's job-seeker profile, when they have one (select `person__seeker_profile`)."""
        try:
            return self.person.seeker_profile
        except ObjectDoesNotExist:
            return None


class EmploymentPlan(models.Model):
    """The individual employment plan; agreed when the seeker confirms it in the portal."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Waiting for the job seeker's confirmation")
        AGREED = "agreed", _("Agreed")
        CLOSED = "closed", _("Closed")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="plan")
    goal = models.TextField(_("goal"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    agreed_at = models.DateTimeField(_("agreed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    # The earliest deadline among planned steps, kept by the services: caseloads sort and
    # spot overdue plans on it without touching the steps (10,000 cases per centre).
    next_due_on = models.DateField(_("next deadline"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("individual employment plan")
        verbose_name_plural = _("individual employment plans")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="agreed") | Q(agreed_at__isnull=False), name="agreed_plan_has_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} v{self.revision}"


class PlanRevision(models.Model):
    """A snapshot of the plan each time it changes: what was agreed stays readable."""

    plan = models.ForeignKey(EmploymentPlan, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_revision_number_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} r{self.number}"


class PlanStep(models.Model):
    class Kind(models.TextChoices):
        COUNSELLING = "counselling", _("Counselling session")
        TRAINING = "training", _("Referral to training")
        VACANCY = "vacancy", _("Referral to a vacancy")
        RESETTLEMENT = "resettlement", _("Referral to the resettlement programme")
        PUBLIC_WORKS = "public_works", _("Public works")
        SUBSIDISED_JOB = "subsidised_job", _("Subsidised job")
        OTHER = "other", _("Other")

    class Owner(models.TextChoices):
        COUNSELLOR = "counsellor", _("Counsellor")
        SEEKER = "seeker", _("Job seeker")
        PARTNER = "partner", _("Partner organisation")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        MISSED = "missed", _("Missed")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(EmploymentPlan, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("what"), max_length=200)
    due_on = models.DateField(_("deadline"))
    owner = models.CharField(_("who does it"), max_length=12, choices=Owner.choices, default=Owner.SEEKER)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    outcome = models.TextField(_("outcome"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.PLANNED and self.due_on < timezone.localdate()


class Referral(models.Model):
    class Kind(models.TextChoices):
        VACANCY = "vacancy", _("To a vacancy")
        TRAINING = "training", _("To training")
        OTHER_REGION = "other_region", _("To another region's centre")
        ABROAD = "abroad", _("To employment abroad")
        RESETTLEMENT = "resettlement", _("To the resettlement programme")

    class Status(models.TextChoices):
        # A vacancy referral is a proposal: the person accepts it in the portal (which sends
        # their application, name and contacts to the employer) or declines it.
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    vacancy = models.ForeignKey(
        "exchange.Vacancy",
        verbose_name=_("vacancy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    application = models.OneToOneField(
        "exchange.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="referral"
    )
    target_centre = models.ForeignKey(
        "reference.Centre",
        verbose_name=_("receiving centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    provider = models.CharField(_("training provider or foreign employer"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered by the person"), null=True, blank=True)
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="vacancy") | Q(vacancy__isnull=False), name="vacancy_referral_names_vacancy"
            ),
            models.CheckConstraint(
                condition=~Q(kind="other_region") | Q(target_centre__isnull=False),
                name="region_referral_names_centre",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case_id})"


class CaseNote(models.Model):
    """A consultation note; `client_key` makes a note sent twice from an offline device count once."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("Consultation")
        VISIT = "visit", _("Mobile group visit")
        PHONE = "phone", _("Phone call")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.CONSULTATION)
    programme = models.CharField(
        _("programme"), max_length=20, choices=Programme.choices, default=Programme.EMPLOYMENT
    )
    text = models.TextField(_("note"))
    # Internal unless the counsellor says otherwise: a shared note shows on the person's plan page.
    shared_with_person = models.BooleanField(_("the person sees it"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    client_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:50]


class FamilyMember(models.Model):
    """A member of the person's family listed in their case (a resettling family, a foreign
    specialist's dependants): named and identified, with no case or account of their own."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        SIBLING = "sibling", _("Brother or sister")
        OTHER = "other", _("Other relative")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="family")
    iin = models.CharField(_("IIN"), max_length=12, validators=[validate_iin])
    last_name = models.CharField(_("surname"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "iin"], name="one_family_member_per_iin")]

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_name}"

    @property
    def masked_iin(self) -> str:
        return mask_iin(self.iin)


class OfflineSubmission(models.Model):
    """Entries a mobile group made without a connection, received once each (idempotent by
    the device's key), with the result of applying them."""

    client_key = models.UUIDField(unique=True)
    kind = models.CharField(max_length=20)
    payload = models.JSONField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(default=timezone.now)
    result = models.JSONField(default=dict)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.client_key}"
