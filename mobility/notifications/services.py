"""Writes of the notifications app: sending through every consented channel, the inbox, alert
preferences, offers, and the SMS gateway's STOP replies."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from mobility.core.audit import audit_log
from mobility.core.models import OutboxMessage
from mobility.core.outbox import outbox_add
from mobility.notifications.consent import channels_for, consent_set
from mobility.notifications.models import AlertPreference, ConsentSource, InboxMessage, Offer
from mobility.notifications.topics import Channel, Topic, consent_topic

if TYPE_CHECKING:
    from mobility.accounts.models import User


@transaction.atomic
def notify(
    *,
    person: User,
    topic: str,
    template: str,
    context: dict[str, Any],
    key: str,
    legal_notice: bool = False,
    channels: list[str] | None = None,
) -> list[OutboxMessage]:
    """Write one outbox message per channel the person consented to for the topic (every channel
    for a legal notice), in the caller's transaction. Keys are `<key>:<channel>`."""
    wanted = channels or list(Channel.values)
    allowed = wanted if legal_notice else [c for c in channels_for(person, topic) if c in wanted]
    if legal_notice:
        allowed = [c for c in allowed if c != Channel.SMS or person.phone]
    return [
        outbox_add(
            person=person,
            topic=topic,
            template=template,
            context=context,
            key=f"{key}:{channel}",
            channel=channel,
            legal_notice=legal_notice,
        )
        for channel in allowed
    ]


@transaction.atomic
def notify_many(
    *, topic: str, template: str, items: list[tuple[User, dict[str, Any], str]]
) -> list[OutboxMessage]:
    """`notify` for many people at once: `items` are (person, context, key); one outbox message
    per consented channel of each, written in a handful of queries (`outbox_add_many`)."""
    from mobility.core.outbox import outbox_add_many
    from mobility.notifications.consent import consent_map

    consents = consent_map(person_ids={person.pk for person, _c, _k in items})
    drafts = [
        {
            "person": person,
            "topic": topic,
            "template": template,
            "context": context,
            "key": f"{key}:{channel}",
            "channel": channel,
        }
        for person, context, key in items
        for channel in Channel.values
        if consents.allows(person.pk, topic, channel)
    ]
    return outbox_add_many(drafts, consents=consents)


@transaction.atomic
def inbox_mark_read(*, person: User, message: InboxMessage | None = None) -> int:
    """Mark one message (or all of them) read."""
    qs = InboxMessage.objects.filter(person=person, read_at__isnull=True)
    if message is not None:
        qs = qs.filter(pk=message.pk)
    changed = qs.update(read_at=timezone.now())
    if changed:
        from mobility.notifications.selectors import unread_count_refresh

        transaction.on_commit(lambda: unread_count_refresh(person.pk))
    return changed


@transaction.atomic
def alert_preference_save(
    *, person: User, frequency: str, threshold: int, daily_limit: int
) -> AlertPreference:
    pref, _created = AlertPreference.objects.select_for_update().get_or_create(person=person)
    before = {"frequency": pref.frequency, "threshold": pref.threshold, "daily_limit": pref.daily_limit}
    pref.frequency, pref.threshold, pref.daily_limit = frequency, threshold, daily_limit
    pref.full_clean()
    pref.save()
    after = {"frequency": frequency, "threshold": threshold, "daily_limit": daily_limit}
    if before != after:
        audit_log(
            actor=person,
            action="consent.alerts_changed",
            obj=person,
            changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        )
    return pref


def alert_preference_of(person: Any) -> AlertPreference:
    """The person's alert preference, or the defaults (not saved)."""
    return AlertPreference.objects.filter(person=person).first() or AlertPreference(person=person)


@transaction.atomic
def consent_withdraw_by_link(*, person_id: int, topic: str, channel: str, source: str) -> bool:
    """The one-click link (or the mail program's unsubscribe button) withdraws one topic on one
    channel. Returns whether the person exists."""
    from mobility.accounts.models import User

    person = User.objects.filter(pk=person_id).first()
    if person is None or topic not in Topic.values or channel not in Channel.values:
        return False
    consent_set(person=person, choices=[(topic, channel, False)], source=source)
    return True


STOP_WORDS = frozenset({"stop", "стоп", "тоқтат", "токтат", "unsubscribe", "отписаться"})


def _digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]  # 8 701 … is the domestic form of +7 701 …
    return digits


@transaction.atomic
def sms_inbound_receive(*, sender: str, text: str) -> int:
    """A reply to one of our SMS: STOP withdraws every topic on SMS for the people with that
    number. Returns how many people it withdrew for."""
    from mobility.accounts.models import User

    if text.strip().lower().strip(".!") not in STOP_WORDS:
        return 0
    number = _digits(sender)
    if len(number) < 10:
        return 0
    people = [
        u
        # phones are stored as typed ("8 (701) 111-22-33"): narrow by the last digits, compare digits
        for u in User.objects.exclude(phone="").filter(phone__endswith=number[-2:])
        if _digits(u.phone) == number
    ]
    for person in people:
        consent_set(
            person=person,
            choices=[(topic, Channel.SMS, False) for topic in Topic.values],
            source=ConsentSource.SMS_STOP,
        )
    return len(people)


# --- Offers -----------------------------------------------------------------------------------


@transaction.atomic
def offer_open(*, offer: Offer) -> Offer:
    if offer.opened_at is None:
        offer.opened_at = timezone.now()
        offer.save(update_fields=["opened_at"])
    return offer


@transaction.atomic
def offer_take_up(*, offer: Offer, by: User) -> Offer:
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.taken_up_at is not None:
        return offer
    now = timezone.now()
    offer.opened_at = offer.opened_at or now
    offer.taken_up_at = now
    offer.save(update_fields=["opened_at", "taken_up_at"])
    audit_log(
        actor=by, action="offer.taken_up", obj=offer, data={"rule": offer.rule, "subject": offer.subject}
    )
    return offer


def is_consent_topic(topic: str) -> bool:
    return consent_topic(topic) is not None
