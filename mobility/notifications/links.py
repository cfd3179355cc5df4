"""Signed one-click withdrawal links and the other absolute links a message carries."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from mobility.notifications.topics import consent_topic

SALT = "mobility.notifications.withdraw"


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def withdraw_token(*, person_id: int, topic: str, channel: str) -> str:
    """A token that says: this person withdraws this topic on this channel. It does not expire
    (a link in an old message must still work) and can do nothing else."""
    return signing.dumps({"p": person_id, "t": topic, "c": channel}, salt=SALT, compress=True)


def read_withdraw_token(token: str) -> dict[str, Any] | None:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or set(data) != {"p", "t", "c"}:
        return None
    return data


def withdraw_url(*, person_id: int, topic: str, channel: str, language: str) -> str:
    token = withdraw_token(person_id=person_id, topic=topic, channel=channel)
    with translation.override(language):
        return site_url(reverse("notifications:withdraw", args=[token]))


def message_links(message: Any) -> dict[str, str]:
    """`withdraw_url` (when the message's topic needs consent and it is not a legal notice),
    `settings_url` and `inbox_url` for the footer of every message."""
    links: dict[str, str] = {"site_url": settings.SITE_URL.rstrip("/")}
    with translation.override(message.language):
        links["settings_url"] = site_url(reverse("notifications:settings"))
        links["inbox_url"] = site_url(reverse("notifications:inbox"))
    topic = consent_topic(message.topic)
    if message.person_id and topic and not message.legal_notice:
        links["withdraw_url"] = withdraw_url(
            person_id=message.person_id, topic=topic, channel=message.channel, language=message.language
        )
    return links
