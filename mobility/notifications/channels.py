"""The channels behind the outbox: the in-app inbox and the SMS gateway (email is Django's own).

Only `mobility.core.outbox` calls these, from its delivery task.
"""

from __future__ import annotations

import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from mobility.notifications.models import InboxMessage


def inbox_deliver(*, message: Any, subject: str, body: str) -> InboxMessage:
    """Put the message in the person's inbox; the outbox key makes a second delivery a no-op."""
    existing = InboxMessage.objects.filter(key=message.key).first()
    if existing is not None:
        return existing
    from mobility.notifications.selectors import unread_count_refresh

    transaction.on_commit(lambda: unread_count_refresh(message.person_id))
    try:
        with transaction.atomic():
            return InboxMessage.objects.create(
                person_id=message.person_id,
                key=message.key,
                topic=message.topic,
                subject=subject[:300],
                body=body,
                legal_notice=message.legal_notice,
                created_at=timezone.now(),
            )
    except IntegrityError:
        return InboxMessage.objects.get(key=message.key)


def unsubscribe_headers(message: Any) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe for mail programs (a POST to the withdrawal link)."""
    from mobility.notifications.links import message_links

    url = message_links(message).get("withdraw_url")
    if not url:
        return {}
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


# --- SMS ------------------------------------------------------------------------------------------


class SmsBackend(Protocol):
    """A gateway: `send` delivers one text, passing `key` as the provider's idempotency key."""

    def send(self, *, to: str, text: str, key: str) -> None: ...


class ConsoleSmsBackend:
    """Writes each SMS to standard output (local development)."""

    def send(self, *, to: str, text: str, key: str) -> None:
        sys.stdout.write(f"SMS to {to} [{key}]: {text}\n")
        sys.stdout.flush()


class UnconfiguredSmsBackend:
    """No gateway configured: every SMS fails (and shows as failed on the health page)."""

    def send(self, *, to: str, text: str, key: str) -> None:
        raise RuntimeError("no SMS gateway is configured (SMS_BACKEND)")


class FileSmsBackend:
    """Appends each SMS as a JSON line to `SMS_FILE_PATH`, once per key (as a provider honouring
    the idempotency key would)."""

    def send(self, *, to: str, text: str, key: str) -> None:
        path = Path(settings.SMS_FILE_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open(encoding="utf-8") as existing:
                if any(json.loads(line).get("key") == key for line in existing if line.strip()):
                    return
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"to": to, "text": text, "key": key}, ensure_ascii=False) + "\n")


class LocmemSmsBackend:
    """Keeps texts in `LocmemSmsBackend.outbox` (tests), once per key."""

    outbox: list[dict[str, str]] = []

    def send(self, *, to: str, text: str, key: str) -> None:
        if any(sms["key"] == key for sms in self.outbox):
            return
        self.outbox.append({"to": to, "text": text, "key": key})


@lru_cache(maxsize=4)
def _backend(path: str) -> SmsBackend:
    backend: SmsBackend = import_string(path)()
    return backend


def sms_backend() -> SmsBackend:
    """The gateway chosen by the SMS_BACKEND setting."""
    return _backend(settings.SMS_BACKEND)


# --- Email test backend ----------------------------------------------------------------------------


class KeyedFileEmailBackend(BaseEmailBackend):
    """Writes each message to `EMAIL_FILE_PATH/<key>.eml`, once per idempotency key: a stand-in
    for a provider that honours the key. Creating the file is atomic (O_EXCL), so a repeat after
    a crash is recognised even when the first attempt's process died; repeats are counted in
    `repeats.log` beside the messages."""

    def send_messages(self, email_messages: Any) -> int:
        from mobility.core.outbox import IDEMPOTENCY_HEADER

        directory = Path(settings.EMAIL_FILE_PATH)
        directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for email in email_messages:
            key = email.extra_headers.get(IDEMPOTENCY_HEADER) or f"no-key-{id(email)}"
            safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in key)
            try:
                fd = os.open(directory / f"{safe}.eml", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                with (directory / "repeats.log").open("a", encoding="utf-8") as log:
                    log.write(key + "\n")
                continue
            with os.fdopen(fd, "wb") as out:
                out.write(email.message().as_bytes())
            sent += 1
        return sent
