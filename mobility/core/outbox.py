"""The outbox: every message to a person is a row written in the transaction of its event.

`outbox_add` is the one way to send anything. After the transaction commits, a django-q2 task
(`mobility.core.tasks.outbox_deliver`) renders the message in the recipient's language and hands
it to Django's email backend; a scheduled sweeper re-queues what is still waiting (a lost task,
a mail server that was down). Delivery locks the row and checks its status, so a message is sent
at most once even when two workers pick it up; a crash between sending and recording can repeat
a message, never lose it.

A context holds JSON values; a model instance in it is stored as a reference and fetched again
when the message is rendered, so templates can use `organisation.name` or `get_role_display`
in the recipient's language.
"""

from __future__ import annotations

import datetime as dt
import json
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

DELIVER_TASK = "mobility.core.tasks.outbox_deliver"
MAX_ATTEMPTS = 5
RETRY_AFTER = dt.timedelta(minutes=5)  # the sweeper leaves younger messages to their own task
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
) -> OutboxMessage:
    """Write a message for delivery after the surrounding transaction commits.

    `person` is the recipient (their language and address); `email` an explicit address, for
    people without an account yet (then `language` says which language to write in). The same
    `key` twice writes one row and returns it.
    """
    if person is None and not email:
        raise ValueError("outbox_add needs a person or an email address")
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing is not None:
        return existing
    message = OutboxMessage(
        key=key,
        person=person,
        email=email or "",
        channel=OutboxMessage.Channel.EMAIL,
        topic=topic,
        template=template,
        context=_to_json(context),
        language=language or (person.language if person else "") or settings.LANGUAGE_CODE,
    )
    message.full_clean(validate_unique=False)
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin must not spoil the caller's transaction
            message.save()
    except IntegrityError:
        return OutboxMessage.objects.get(key=key)
    _enqueue_on_commit(message.pk)
    return message


def _enqueue_on_commit(message_id: int) -> None:
    transaction.on_commit(lambda: _enqueue(message_id))


def _enqueue(message_id: int) -> None:
    from django_q.tasks import async_task

    async_task(DELIVER_TASK, message_id)


def render_message(message: OutboxMessage) -> tuple[str, str, str | None]:
    """Subject, text body and optional HTML body, in the message's language."""
    context = {**_from_json(message.context), "person": message.person}
    name = f"messages/{message.template}"
    with translation.override(message.language):
        subject = " ".join(render_to_string(f"{name}.subject.txt", context).split())
        body = render_to_string(f"{name}.body.txt", context)
        try:
            html: str | None = render_to_string(f"{name}.body.html", context)
        except TemplateDoesNotExist:
            html = None
    return subject, body, html


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
        message.attempts += 1
        message.last_attempt_at = timezone.now()
        try:
            address = message.address
            if not address:
                raise ValueError("the recipient has no email address")
            subject, body, html = render_message(message)
            mail = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
            if html is not None:
                mail.attach_alternative(html, "text/html")
            mail.send()
        except Exception as exc:  # noqa: BLE001 - any failure is recorded; the sweeper retries
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= MAX_ATTEMPTS or not message.address:
                message.status = OutboxMessage.Status.FAILED
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
        message.save(update_fields=["attempts", "last_attempt_at", "last_error", "status", "sent_at"])
        return message.status


def outbox_requeue_stale(*, now: dt.datetime | None = None) -> list[int]:
    """Queue again every message still waiting after RETRY_AFTER (a lost task, a failed attempt)."""
    cutoff = (now or timezone.now()) - RETRY_AFTER
    ids = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, created_at__lt=cutoff)
        .filter(models.Q(last_attempt_at__isnull=True) | models.Q(last_attempt_at__lt=cutoff))
        .order_by("id")
        .values_list("id", flat=True)
    )
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
        locked.save(update_fields=["status", "attempts"])
        audit_log(actor=by, action="outbox.retried", obj=locked, from_state="failed", to_state="pending")
        _enqueue_on_commit(locked.pk)
        count += 1
    return count
