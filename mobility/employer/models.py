"""Employer self-service: what the exchange's shared models do not already hold.

- colleagues invited into an organisation (a signed, expiring link),
- notes on an application, visible only inside the organisation that owns the vacancy,
- requests to the career centre (candidate selection, training, staff-management consulting)
  with a deadline, a status and the centre's answer.

Organisations, vacancies and applications themselves live in `accounts` and `exchange`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobility.accounts.models import OrganisationMembership


class OrganisationInvitation(models.Model):
    """An owner invites a colleague by email; the link carries a signed token and expires."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=10, choices=OrganisationMembership.Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation to an organisation")
        verbose_name_plural = _("invitations to organisations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_accepted_and_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation_id} ({self.role})"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class ApplicationNote(models.Model):
    """An internal remark on a candidate; only the vacancy's organisation ever reads it."""

    application = models.ForeignKey("exchange.Application", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("note on an application")
        verbose_name_plural = _("notes on applications")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class CentreRequest(models.Model):
    """An employer asks the career centre for something; it comes back with an answer."""

    class Kind(models.TextChoices):
        CANDIDATE_SELECTION = "selection", _("Select candidates for a vacancy")
        TRAINING = "training", _("Training for staff or candidates")
        STAFF_MANAGEMENT = "consulting", _("Staff-management consulting")
        OTHER = "other", _("Other help")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="centre_requests"
    )
    vacancy = models.ForeignKey(
        "exchange.Vacancy",
        verbose_name=_("vacancy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="centre_requests",
    )
    kind = models.CharField(_("what you need"), max_length=12, choices=Kind.choices)
    message = models.TextField(_("details"), max_length=4000)
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    centre = models.ForeignKey(
        "reference.Centre",
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employer_requests",
    )
    deadline = models.DateField(_("answer due by"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.TextField(_("answer"), blank=True, max_length=8000)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # The request form's submission key (`mobility.core.submissions`): sent twice, one request.
    client_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("request to the centre")
        verbose_name_plural = _("requests to the centre")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["region", "status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="answered") | (Q(answered_at__isnull=False) & ~Q(answer="")),
                name="answered_request_has_answer",
            ),
            models.UniqueConstraint(
                fields=["organisation", "client_key"], name="one_request_per_submission_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.organisation_id}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline < timezone.localdate()
