"""The outbox: every message to a person is a row written in the transaction of its event.

`outbox_add` is the one way to send anything. After the transaction commits, a django-q2 task
(`mobility.core.tasks.outbox_deliver`) renders the message in the recipient's language and hands
it to its channel: Django's email backend, the in-app inbox or the SMS gateway
(`mobility.notifications.channels`). A failed attempt waits with exponential back-off
(`BACKOFF`); a scheduled sweeper re-queues what is due again or was never picked up (a lost task,
a worker killed mid-delivery). Delivery locks the row and checks its status, so two workers never
send one message together; a crash between sending and recording can repeat the attempt, and the
message's key goes to the provider as an idempotency key, so a provider that honours it (and the
inbox, and the test backends) delivers each message exactly once. The broker's own re-delivery is
a bonus: the outbox, not the broker, guarantees delivery.

Consent is checked twice: when the message is written (a topic the person has not consented to
on that channel is recorded as withheld and never queued) and again just before it goes out (a
withdrawal in between wins). Legally required notices (`legal_notice=True`) skip the check and
say so in the message; what a person asked for (activation, password reset: topic "account")
needs no consent either. The topics and their rules: `mobility.notifications.topics`.

A context holds JSON values; a model instance in it is stored as a reference and fetched again
when the message is rendered, so templates can use `organisation.name` or `get_role_display`
in the recipient's language.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from mobility.core.audit import audit_log
from mobility.core.models import OutboxMessage

if TYPE_CHECKING:
    from mobility.accounts.models import User
    from mobility.notifications.consent import ConsentMap

DELIVER_TASK = "mobility.core.tasks.outbox_deliver"
DELIVER_MANY_TASK = "mobility.core.tasks.outbox_deliver_many"
# More messages than BATCH_FROM after one commit are queued BATCH to a task (an offer run writes
# tens of thousands; one broker row each would take longer than the run itself).
BATCH_FROM, BATCH = 20, 100
# Waits after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=4),
    dt.timedelta(minutes=15),
    dt.timedelta(hours=1),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
RETRY_AFTER = dt.timedelta(minutes=5)  # a never-tried message younger than this is left to its own task
REF = "$model"


def _to_json(value: Any) -> Any:
    if isinstance(value, models.Model):
        return {REF: value._meta.label_lower, "pk": value.pk}
    if isinstance(value, dict):
        return {str(k): _to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_json(v) for v in value]
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {REF, "pk"}:
            model = apps.get_model(value[REF])
            return model._default_manager.filter(pk=value["pk"]).first()
        return {k: _from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    return value


@transaction.atomic
def outbox_add(
    *,
    person: User | None = None,
    email: str | None = None,
    topic: str,
    template: str,
    context: dict[str, Any],
    key: str,
    language: str | None = None,
    channel: str = OutboxMessage.Channel.EMAIL,
    legal_notice: bool = False,
) -> OutboxMessage:
    """Write a message for delivery after the surrounding transaction commits.

    `person` is the recipient (their language and address); `email` an explicit address, for
    people without an account yet (then `language` says which language to write in). The same
    `key` twice writes one row and returns it. `channel` is email, inbox or sms (one row per
    channel: `mobility.notifications.services.notify` writes one for each channel the person
    consented to); `legal_notice` marks a notice the law requires, sent whatever the consent.
    """
    if person is None and not email:
        raise ValueError("outbox_add needs a person or an email address")
    if channel != OutboxMessage.Channel.EMAIL and person is None:
        raise ValueError("only email can go to a person without an account")
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing is not None:
        return existing
    message = OutboxMessage(
        key=key,
        person=person,
        email=email or "",
        channel=channel,
        topic=topic,
        template=template,
        context=_to_json(context),
        language=language or (person.language if person else "") or settings.LANGUAGE_CODE,
        legal_notice=legal_notice,
    )
    if not _consented(message):
        message.status = OutboxMessage.Status.WITHHELD
    message.full_clean(validate_unique=False)
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin must not spoil the caller's transaction
            message.save()
    except IntegrityError:
        return OutboxMessage.objects.get(key=key)
    if message.status == OutboxMessage.Status.PENDING:
        _enqueue_on_commit(message.pk)
    return message


@transaction.atomic
def outbox_add_many(
    drafts: Iterable[dict[str, Any]], *, consents: ConsentMap | None = None
) -> list[OutboxMessage]:
    """`outbox_add` for many messages at once (an offer or alert run): each draft holds
    outbox_add's keyword arguments. Same rules (a known key is skipped, consent decides whether a
    message is queued or withheld), in a handful of queries instead of several per message.
    `consents`: the recipients' choices when the caller has loaded them already."""
    from mobility.notifications.consent import consent_map

    messages = []
    for draft in drafts:
        person, email = draft.get("person"), draft.get("email")
        if person is None and not email:
            raise ValueError("outbox_add needs a person or an email address")
        messages.append(
            OutboxMessage(
                key=draft["key"],
                person=person,
                email=email or "",
                channel=draft.get("channel", OutboxMessage.Channel.EMAIL),
                topic=draft["topic"],
                template=draft["template"],
                context=_to_json(draft.get("context", {})),
                language=draft.get("language")
                or (person.language if person else "")
                or settings.LANGUAGE_CODE,
                legal_notice=draft.get("legal_notice", False),
            )
        )
    known: set[str] = set()
    keys = [m.key for m in messages]
    for start in range(0, len(keys), 2000):
        known |= set(
            OutboxMessage.objects.filter(key__in=keys[start : start + 2000]).values_list("key", flat=True)
        )
    fresh = [m for m in messages if m.key not in known]
    if consents is None:
        consents = consent_map(person_ids={m.person_id for m in fresh if m.person_id})
    for message in fresh:
        if not message.legal_notice and not consents.allows(
            message.person_id, message.topic, message.channel
        ):
            message.status = OutboxMessage.Status.WITHHELD
    created = OutboxMessage.objects.bulk_create(fresh, batch_size=1000, ignore_conflicts=False)
    for message in created:
        if message.status == OutboxMessage.Status.PENDING and message.pk:
            _enqueue_on_commit(message.pk)
    return created


def _consented(message: OutboxMessage) -> bool:
    from mobility.notifications.consent import consent_allows

    if message.legal_notice:
        return True
    return consent_allows(person=message.person, topic=message.topic, channel=message.channel)


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


_waiting = threading.local()


def _enqueue_on_commit(message_id: int) -> None:
    """Queue the delivery after the commit; the messages of one transaction are queued together,
    in one transaction of their own (one commit instead of one per message: an event that writes
    thousands of messages, like an offer run, queues them in a fraction of the time).

    An id left over from a rolled-back transaction is queued with the next commit and found
    missing by the delivery, which does nothing with it.
    """
    ids = getattr(_waiting, "ids", None)
    if ids is None:
        ids = _waiting.ids = []
    ids.append(message_id)
    transaction.on_commit(_enqueue_waiting)


def _enqueue_waiting() -> None:
    ids, _waiting.ids = getattr(_waiting, "ids", None) or [], []
    if not ids:
        return
    unique = list(dict.fromkeys(ids))
    with transaction.atomic():
        if len(unique) <= BATCH_FROM:
            for message_id in unique:
                _enqueue(message_id)
        else:  # a run that wrote thousands: one task per BATCH messages
            for start in range(0, len(unique), BATCH):
                _enqueue_batch(unique[start : start + BATCH])


def _enqueue(message_id: int) -> None:
    from django_q.tasks import async_task

    # save=False: the outbox row records the outcome; a success row per message would only make
    # the cluster's monitor the bottleneck (failures are still kept).
    async_task(DELIVER_TASK, message_id, save=False)


def _render_context(message: OutboxMessage) -> dict[str, Any]:
    from mobility.notifications.links import message_links

    return {
        **_from_json(message.context),
        "person": message.person,
        "legal_notice": message.legal_notice,
        **message_links(message),
    }


def _enqueue_batch(message_ids: list[int]) -> None:
    from django_q.tasks import async_task

    async_task(DELIVER_MANY_TASK, message_ids, save=False)


def outbox_messages_deliver(*, message_ids: list[int]) -> dict[str, int]:
    """Deliver a batch, one message at a time (each locked and checked as on its own): a batch
    whose worker died is handed out again and skips what it already sent."""
    outcome: dict[str, int] = {}
    for message_id in message_ids:
        status = outbox_message_deliver(message_id=message_id)
        outcome[status] = outcome.get(status, 0) + 1
    return outcome


def render_message(message: OutboxMessage) -> tuple[str, str, str | None]:
    """Subject, text body and optional HTML body, in the message's language.

    Every body ends with the footer (`messages/_footer.txt`): the one-click link that withdraws
    consent to the message's topic on its channel, or the mark of a legally required notice.
    """
    context = _render_context(message)
    name = f"messages/{message.template}"
    with translation.override(message.language):
        subject = " ".join(render_to_string(f"{name}.subject.txt", context).split())
        body = str(render_to_string(f"{name}.body.txt", context)).rstrip() + "\n"
        body += str(render_to_string("messages/_footer.txt", context))
        try:
            html: str | None = render_to_string(f"{name}.body.html", context)
        except TemplateDoesNotExist:
            html = None
    return subject, body, html


def render_sms(message: OutboxMessage) -> str:
    """The short text of an SMS: `<template>.sms.txt` (or the subject) and the STOP hint."""
    context = _render_context(message)
    name = f"messages/{message.template}"
    with translation.override(message.language):
        try:
            raw = str(render_to_string(f"{name}.sms.txt", context))
        except TemplateDoesNotExist:
            raw = str(render_to_string(f"{name}.subject.txt", context))
        text = " ".join(raw.split())
        footer = " ".join(render_to_string("messages/_footer.sms.txt", context).split())
    return f"{text} {footer}".strip()


def outbox_message_deliver(*, message_id: int) -> str:
    """Send one message unless it is already sent; record a failure for the sweeper to retry.

    Returns the message's status afterwards (or "missing").
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(of=("self",))
            .select_related("person")
            .filter(pk=message_id)
            .first()
        )
        if message is None:
            return "missing"
        if message.status != OutboxMessage.Status.PENDING:
            return message.status
        if not _consented(message):  # withdrawn since the message was written
            message.status = OutboxMessage.Status.WITHHELD
            message.save(update_fields=["status"])
            return message.status
        message.attempts += 1
        message.last_attempt_at = timezone.now()
        message.next_attempt_at = None
        try:
            if not message.address:
                raise ValueError(f"the recipient has no {CHANNEL_ADDRESS[message.channel]}")
            _send(message)
        except Exception as exc:  # noqa: BLE001 - any failure is recorded; the sweeper retries
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= MAX_ATTEMPTS or not message.address:
                message.status = OutboxMessage.Status.FAILED
            else:
                message.next_attempt_at = message.last_attempt_at + backoff(message.attempts)
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
        message.save(
            update_fields=[
                "attempts",
                "last_attempt_at",
                "next_attempt_at",
                "last_error",
                "status",
                "sent_at",
            ]
        )
        return message.status


CHANNEL_ADDRESS: dict[str, str] = {
    OutboxMessage.Channel.EMAIL: "email address",
    OutboxMessage.Channel.SMS: "phone number",
    OutboxMessage.Channel.INBOX: "account",
}
IDEMPOTENCY_HEADER = "Idempotency-Key"


def _send(message: OutboxMessage) -> None:
    """Hand one message to its channel, with its key as the provider's idempotency key.

    This is the only place in the code base that sends mail or SMS (tests/test_static_checks
    looks for any other).
    """
    from mobility.notifications import channels

    if message.channel == OutboxMessage.Channel.INBOX:
        subject, body, _html = render_message(message)
        channels.inbox_deliver(message=message, subject=subject, body=body)
    elif message.channel == OutboxMessage.Channel.SMS:
        channels.sms_backend().send(to=message.address, text=render_sms(message), key=message.key)
    else:
        subject, body, html = render_message(message)
        headers = {IDEMPOTENCY_HEADER: message.key, **channels.unsubscribe_headers(message)}
        mail = EmailMultiAlternatives(
            subject, body, settings.DEFAULT_FROM_EMAIL, [message.address], headers=headers
        )
        if html is not None:
            mail.attach_alternative(html, "text/html")
        mail.send()


def outbox_requeue_stale(
    *, now: dt.datetime | None = None, retry_after: dt.timedelta = RETRY_AFTER
) -> list[int]:
    """Queue again every waiting message that is due: a failed attempt whose back-off has passed,
    or a message nobody tried (or whose attempt died with its worker) for `retry_after`."""
    now = now or timezone.now()
    cutoff = now - retry_after
    never_tried_or_lost = models.Q(next_attempt_at__isnull=True, created_at__lt=cutoff) & (
        models.Q(last_attempt_at__isnull=True) | models.Q(last_attempt_at__lt=cutoff)
    )
    ids = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
        .filter(models.Q(next_attempt_at__lte=now) | never_tried_or_lost)
        .order_by("id")
        .values_list("id", flat=True)
    )
    with transaction.atomic():  # one commit for the whole batch
        for message_id in ids:
            _enqueue(message_id)
    return ids


@transaction.atomic
def outbox_retry_failed(*, messages: Iterable[OutboxMessage], by: User) -> int:
    """An administrator sends failed messages again (after fixing an address or the mail server)."""
    count = 0
    for message in messages:
        locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if locked.status != OutboxMessage.Status.FAILED:
            continue
        locked.status = OutboxMessage.Status.PENDING
        locked.attempts = 0
        locked.next_attempt_at = None
        locked.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit_log(actor=by, action="outbox.retried", obj=locked, from_state="failed", to_state="pending")
        _enqueue_on_commit(locked.pk)
        count += 1
    return count
