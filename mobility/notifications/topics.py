"""Topics and channels a person consents to, in one place.

Each outbox topic belongs to one consent topic, or to none: what the person asked for themselves
(an activation code, a password reset: topic "account") needs no consent. Messages about the
person's own case (a referral, an answered request, a decision) are service notices; alerts,
offers and reminders are their own topics. A legally required notice (`legal_notice=True` on the
message) is sent whatever the consent says.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    MATCH_ALERTS = "match_alerts", _("Match alerts")
    PROGRAMME_OFFERS = "programme_offers", _("Programme offers")
    REMINDERS = "reminders", _("Reminders and deadlines")
    SERVICE_NOTICES = "service_notices", _("Service notices")


class Channel(models.TextChoices):
    INBOX = "inbox", _("Inbox")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


TOPIC_HELP = {
    Topic.MATCH_ALERTS: _(
        "New vacancies for your saved searches and “Vacancies for me”; new strong candidates."
    ),
    Topic.PROGRAMME_OFFERS: _("Support you may qualify for: training, resettlement programmes."),
    Topic.REMINDERS: _("Plan steps, interviews and deadlines coming up."),
    Topic.SERVICE_NOTICES: _("News about your own applications, referrals and requests."),
}

# Outbox topics the person asked for themselves: no consent needed.
REQUESTED = frozenset({"account"})

# Without a recorded choice: service notices come to the inbox and by email (as they always
# did); every other topic stays silent until the person chooses it.
DEFAULTS: frozenset[tuple[str, str]] = frozenset(
    {(Topic.SERVICE_NOTICES, Channel.INBOX), (Topic.SERVICE_NOTICES, Channel.EMAIL)}
)


def consent_topic(outbox_topic: str) -> str | None:
    """The consent topic an outbox topic belongs to; None for what the person asked for."""
    if outbox_topic in REQUESTED:
        return None
    if outbox_topic in Topic.values:
        return outbox_topic
    return Topic.SERVICE_NOTICES
