"""Cross-cutting records: the audit trail of every decision-relevant state change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobility.core.actors import Programme

if TYPE_CHECKING:
    from mobility.core.workflow import Workflow


class WritingTransaction(models.Func):
    """The id of the transaction writing the row: PostgreSQL's `pg_current_xact_id()` (64 bits,
    never wraps) as a bigint; NULL on SQLite, whose single writer commits in id order anyway.

    Readers that follow the audit trail (the webhook fan-out) use it to never pass an entry whose
    transaction has not committed yet: ids are handed out at insert, not at commit, so under
    concurrent writes a lower id can become visible after a higher one.
    """

    output_field = models.BigIntegerField()
    template = "NULL"

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, template="(pg_current_xact_id()::text::bigint)")


class WorkflowEvent(models.Model):
    """One step of a workflow's history: the exchange's, resettlement's and the foreign routes'
    applications keep theirs in tables of this shape. A concrete table adds the key to its
    subject, names its `workflow`, and adds the CHECK built from it (`check_constraint_q`), so the
    database refuses a step the workflow lacks; its status trigger makes the subject's status
    follow the latest step."""

    workflow: ClassVar[Workflow]

    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"

    # What a person reads in the history: labels and reasons in their language, not codes.
    @property
    def from_label(self) -> str:
        return self.workflow.label(self.from_status) if self.from_status else ""

    @property
    def to_label(self) -> str:
        return self.workflow.label(self.to_status)

    @property
    def reason_label(self) -> str:
        return self.workflow.reason_label(self.reason)


class AuditEntry(models.Model):
    """Who changed what, when, from which state to which, and why. Append-only.

    The actor is kept as a snapshot: `actor_label` and `actor_kind` say who it was at the time,
    and `actor_id` is a plain number (no database constraint, nothing cascades), so deleting a
    person rewrites none of the rows that name them. Database triggers refuse UPDATE and DELETE of
    these rows on PostgreSQL and SQLite (migrations 0007 and 0011, `core/append_only.py`), except
    the retention task's recorded pseudonymisation (`AuditRedaction`).
    """

    class ActorKind(models.TextChoices):
        PERSON = "person", _("person")
        API_KEY = "api_key", _("API key")
        SYSTEM = "system", _("system")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("who"), max_length=200, blank=True)
    actor_kind = models.CharField(
        _("acting as"), max_length=16, choices=ActorKind.choices, default=ActorKind.SYSTEM
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    from_state = models.CharField(_("from"), max_length=64, blank=True)
    to_state = models.CharField(_("to"), max_length=64, blank=True)
    reason = models.TextField(_("why"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True, help_text=_("field: [old, new]"))
    data = models.JSONField(_("details"), default=dict, blank=True)
    # The programme a case-timeline entry belongs to (employment, resettlement, visa, card):
    # staff read the entries of the programmes they work in. Blank: not programme-specific
    # (the file itself was opened, moved or closed), or not about a case at all.
    programme = models.CharField(_("programme"), max_length=20, blank=True, choices=Programme.choices)
    # The writing transaction (see WritingTransaction), filled by the database.
    xact = models.BigIntegerField(null=True, editable=False, db_default=WritingTransaction())

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "created_at"]),
            models.Index(fields=["xact", "id"], name="audit_entry_xact_id"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class AuditRedaction(models.Model):
    """The record, and the only permission, of a rewrite of one audit row's personal values.

    Audit rows are never deleted and never edited, with one exception: the retention task
    pseudonymises the personal data kept in them (`actor_label`, `reason`, `changes`, `data`)
    once the person's retention period is over. It first writes one of these rows for the entry;
    the database triggers (migration 0011) let an UPDATE through only when such a row exists (on
    PostgreSQL: written by the same transaction) and only the personal columns change. These rows
    are append-only too, so every rewrite stays on record.
    """

    entry = models.ForeignKey(AuditEntry, on_delete=models.PROTECT, related_name="redactions")
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    rule = models.CharField(_("retention rule"), max_length=100)
    xact = models.BigIntegerField(null=True, editable=False, db_default=WritingTransaction())

    class Meta:
        verbose_name = _("audit redaction")
        verbose_name_plural = _("audit redactions")

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.rule}"


class OutboxMessage(models.Model):
    """A message to one person, written in the transaction of its event and delivered after commit.

    The delivery task renders `templates/messages/<template>.subject.txt` and `.body.txt` (and an
    optional `.body.html`) in the recipient's language. The unique `key` makes writing idempotent:
    the same event asking twice gets one message. A sent message is never sent again.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        INBOX = "inbox", _("Inbox")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # The person withdrew consent to the topic on this channel before it went out.
        WITHHELD = "withheld", _("Not sent: no consent")

    key = models.CharField(_("key"), max_length=200, unique=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbox_messages",
    )
    email = models.EmailField(_("address"), blank=True, help_text=_("For people without an account yet."))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.EMAIL)
    topic = models.CharField(_("topic"), max_length=50)
    template = models.CharField(_("template"), max_length=100)
    context = models.JSONField(_("context"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    legal_notice = models.BooleanField(
        _("legally required notice"),
        default=False,
        help_text=_("Sent whatever the person's consent says, and marked as such in the message."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # After a failed attempt: not before this time (exponential back-off, see outbox.backoff).
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(email=""),
                name="outbox_has_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.key}"

    @property
    def address(self) -> str:
        """Where the message goes: the explicit address, else the person's address (their phone
        for SMS, the account itself for the inbox)."""
        if self.channel == self.Channel.SMS:
            return (self.person.phone or "") if self.person else ""
        if self.channel == self.Channel.INBOX:
            return str(self.person_id or "")
        if self.email:
            return self.email
        return (self.person.email or "") if self.person else ""


# The uploaded-document record lives with its services in `mobility/core/documents/`.
from mobility.core.documents.models import Document  # noqa: E402, F401
from mobility.core.privacy.models import PersonalDataView, Pseudonymisation  # noqa: E402, F401
