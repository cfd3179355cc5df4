"""API clients and what the API keeps for them.

- `ApiKey`: client credentials of a partner system, bound to exactly one organisation or one
  centre and to a list of scopes. Only a hash of the secret is stored; the secret is shown once.
- `PersonalToken`: a person's own token; it acts as that person, with that person's rights.
- `IdempotencyRecord`: the first answer to a POST sent with an `Idempotency-Key`, unique per
  client and key, so a retry returns it instead of doing the work again.
- `WebhookEndpoint`, `WebhookDelivery`, `WebhookAttempt`: signed event deliveries, retried with
  back-off, every attempt logged, any delivery replayable.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    VACANCIES_READ = "vacancies:read", _("Read the organisation's vacancies, drafts included")
    VACANCIES_WRITE = "vacancies:write", _("Create, update, publish and close vacancies")
    APPLICATIONS_READ = "applications:read", _("Read applications to the organisation's vacancies")
    APPLICATIONS_WRITE = "applications:write", _("Move applications along (shortlist, offer, hire, reject)")
    MATCHES_READ = "matches:read", _("Read ranked candidates or vacancies with explanations")
    REGISTRATIONS_READ = "registrations:read", _("Read registrations and seekers of the centre")


ORGANISATION_SCOPES = (
    Scope.VACANCIES_READ,
    Scope.VACANCIES_WRITE,
    Scope.APPLICATIONS_READ,
    Scope.APPLICATIONS_WRITE,
    Scope.MATCHES_READ,
)
CENTRE_SCOPES = (Scope.REGISTRATIONS_READ, Scope.MATCHES_READ)


class ApiKey(models.Model):
    """Client credentials of one partner system."""

    name = models.CharField(_("name"), max_length=120)
    prefix = models.CharField(_("key id"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_keys",
    )
    centre = models.ForeignKey(
        "reference.Centre",
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_keys",
    )
    scopes = models.JSONField(_("scopes"), default=list)
    rate_per_minute = models.PositiveIntegerField(_("requests a minute"), default=600)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    rotated_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rotated_to"
    )

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, centre__isnull=True)
                | Q(organisation__isnull=True, centre__isnull=False),
                name="api_key_bound_to_one_party",
                violation_error_message=_("A key belongs to exactly one organisation or one centre."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def is_usable(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())


class PersonalToken(models.Model):
    """A person's token for scripts and apps: it acts as the person."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=120)
    prefix = models.CharField(_("token id"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # A fingerprint of the person's credentials when the token was made (see
    # `api.services.personal_token_authenticate`): a new password or "sign out everywhere"
    # changes them, and the token stops working with the sessions.
    credentials_stamp = models.CharField(max_length=64, editable=False, blank=True)
    # Made in a session that had proved a second factor: staff tokens work only if so, so a token
    # made before the person became staff cannot stand in for the second factor.
    second_factor = models.BooleanField(_("made with a second factor"), default=False, editable=False)

    class Meta:
        verbose_name = _("personal API token")
        verbose_name_plural = _("personal API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"


class IdempotencyRecord(models.Model):
    """The first answer to one client's POST with one Idempotency-Key."""

    client = models.CharField(max_length=40)  # "key:12", "user:5"
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    body = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="one_answer_per_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.key}"


class WebhookEvent(models.TextChoices):
    VACANCY_PUBLISHED = "vacancy.published", _("Vacancy published")
    VACANCY_CLOSED = "vacancy.closed", _("Vacancy closed")
    APPLICATION_STATUS_CHANGED = "application.status_changed", _("Application status changed")
    # Resettlement decisions (issue #13), for the systems of the centres that work on them.
    RESETTLEMENT_FORWARDED = "resettlement.forwarded", _("Resettlement application forwarded")
    RESETTLEMENT_INCLUDED = "resettlement.included", _("Resettlement family included in the quota")
    RESETTLEMENT_REFUSED = "resettlement.refused", _("Resettlement application refused")
    CERTIFICATE_ISSUED = "resettlement.certificate_issued", _("Economic mobility certificate issued")
    CERTIFICATE_REVOKED = "resettlement.certificate_revoked", _("Economic mobility certificate revoked")
    CERTIFICATE_PAID = "resettlement.certificate_paid", _("Economic mobility certificate paid")


# An organisation's endpoints hear of its vacancies and applications; a centre's endpoints of the
# resettlement decisions on the applications the centre works on.
ORGANISATION_EVENTS = (
    WebhookEvent.VACANCY_PUBLISHED,
    WebhookEvent.VACANCY_CLOSED,
    WebhookEvent.APPLICATION_STATUS_CHANGED,
)
CENTRE_EVENTS = (
    WebhookEvent.RESETTLEMENT_FORWARDED,
    WebhookEvent.RESETTLEMENT_INCLUDED,
    WebhookEvent.RESETTLEMENT_REFUSED,
    WebhookEvent.CERTIFICATE_ISSUED,
    WebhookEvent.CERTIFICATE_REVOKED,
    WebhookEvent.CERTIFICATE_PAID,
)


class WebhookEndpoint(models.Model):
    """A partner system's address for events, bound like an API key to exactly one organisation
    or one centre."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
    )
    centre = models.ForeignKey(
        "reference.Centre",
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
    )
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=80, editable=False)
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, centre__isnull=True)
                | Q(organisation__isnull=True, centre__isnull=False),
                name="webhook_endpoint_bound_to_one_party",
                violation_error_message=_("An endpoint belongs to exactly one organisation or one centre."),
            )
        ]

    def __str__(self) -> str:
        return self.url


class WebhookCursor(models.Model):
    """How far the audit trail has been turned into deliveries (one row): the (writing
    transaction, id) of the last entry read, in that order (see `api.webhooks.webhooks_fan_out`)."""

    last_xact = models.BigIntegerField(default=0)
    last_audit_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.last_audit_id)


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Gave up")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    audit_entry_id = models.BigIntegerField(null=True, blank=True)
    payload = models.JSONField(_("payload"), encoder=DjangoJSONEncoder)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    replay_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replays"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Fan-out may run twice over the same audit entry: one delivery per endpoint all the same.
            models.UniqueConstraint(
                fields=["endpoint", "audit_entry_id"],
                condition=Q(audit_entry_id__isnull=False, replay_of__isnull=True),
                name="one_delivery_per_endpoint_and_event",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(_("when"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration, ms"), default=0)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"
