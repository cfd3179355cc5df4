"""Consent with its history, the in-app inbox, alert preferences and what alerts and offers sent."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobility.notifications.topics import Channel, Topic


class ConsentSource(models.TextChoices):
    PAGE = "page", _("Notification settings page")
    LINK = "link", _("Withdrawal link in a message")
    SMS_STOP = "sms_stop", _("STOP reply to an SMS")
    EMAIL_CLIENT = "email_client", _("Unsubscribe button of the mail program")
    STAFF = "staff", _("Recorded by staff")


class ConsentState(models.TextChoices):
    GRANTED = "granted", _("given")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Consent(models.Model):
    """A person's current choice for one topic on one channel (no row: `topics.DEFAULTS`)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    granted = models.BooleanField(_("granted"))
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "topic", "channel"], name="one_consent_per_topic_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.topic}/{self.channel}: {self.granted}"


class ConsentChange(models.Model):
    """Every grant and withdrawal, with its time and source. Never edited."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_changes"
    )
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    granted = models.BooleanField(_("granted"))
    source = models.CharField(_("source"), max_length=20, choices=ConsentSource.choices)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("consent change")
        verbose_name_plural = _("consent changes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.topic}/{self.channel}: {self.granted}"


class InboxMessage(models.Model):
    """A message in a person's in-app inbox; delivered from the outbox, once per outbox key."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox")
    key = models.CharField(max_length=200, unique=True)
    topic = models.CharField(_("topic"), max_length=50)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    legal_notice = models.BooleanField(_("legally required notice"), default=False)
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox message")
        verbose_name_plural = _("inbox messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "read_at"])]

    def __str__(self) -> str:
        return self.subject


class AlertPreference(models.Model):
    """How a person wants their match alerts: instantly or as a daily digest, above which score,
    at most how many a day."""

    class Frequency(models.TextChoices):
        INSTANT = "instant", _("As soon as they appear")
        DAILY = "daily", _("Once a day, as a digest")

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_preference"
    )
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )
    threshold = models.PositiveSmallIntegerField(
        _("lowest match score, %"),
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The score the vacancy pages show next to each vacancy."),
    )
    daily_limit = models.PositiveSmallIntegerField(
        _("at most this many alerts a day"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )

    class Meta:
        verbose_name = _("alert preference")
        verbose_name_plural = _("alert preferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(threshold__lte=100), name="alert_threshold_at_most_100"
            ),
            models.CheckConstraint(condition=models.Q(daily_limit__gte=1), name="alert_daily_limit_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.frequency}"


class MatchAlert(models.Model):
    """One alert sent to a person (a seeker's new vacancies, an employer's new candidates)."""

    class Kind(models.TextChoices):
        VACANCIES = "vacancies", _("New vacancies")
        CANDIDATES = "candidates", _("New candidates")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_alerts"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    items = models.JSONField(_("what it lists"), default=list)
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("match alert")
        verbose_name_plural = _("match alerts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "created_at"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.created_at:%Y-%m-%d}"


class CandidateSeen(models.Model):
    """A candidate already announced to a vacancy's employer (so each is announced once)."""

    vacancy = models.ForeignKey("exchange.Vacancy", on_delete=models.CASCADE, related_name="+")
    profile = models.ForeignKey("exchange.SeekerProfile", on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vacancy", "profile"], name="one_candidate_alert")]

    def __str__(self) -> str:
        return f"{self.vacancy_id}:{self.profile_id}"


class Offer(models.Model):
    """A proactive offer: a scheduled rule found that the person qualifies for something."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offers")
    rule = models.CharField(_("rule"), max_length=40, db_index=True)
    subject = models.CharField(_("what is offered"), max_length=200)
    key = models.CharField(max_length=200, unique=True)
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("offered"), default=timezone.now)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    taken_up_at = models.DateTimeField(_("taken up"), null=True, blank=True)

    class Meta:
        verbose_name = _("proactive offer")
        verbose_name_plural = _("proactive offers")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["rule", "region"])]

    def __str__(self) -> str:
        return f"{self.rule}: {self.subject}"
