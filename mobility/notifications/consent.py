"""Consent: the one check every message passes, and the one way to change it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from mobility.core.audit import audit_log
from mobility.notifications.models import Consent, ConsentChange
from mobility.notifications.topics import DEFAULTS, Channel, Topic, consent_topic

if TYPE_CHECKING:
    from mobility.accounts.models import User


def consent_allows(*, person: Any, topic: str, channel: str) -> bool:
    """May a message of this outbox topic go to the person on this channel?

    No account (an invitation to an address): the person asked for it. A requested topic
    (account): yes. Otherwise the person's recorded choice, or the default.
    """
    wanted = consent_topic(topic)
    if person is None or wanted is None:
        return True
    row = Consent.objects.filter(person=person, topic=wanted, channel=channel).values_list(
        "granted", flat=True
    )
    for granted in row:
        return granted
    return (wanted, channel) in DEFAULTS


class ConsentMap:
    """Many people's choices, loaded at once, answering like `consent_allows`."""

    def __init__(self, rows: dict[tuple[int, str, str], bool]):
        self.rows = rows

    def allows(self, person_id: int | None, topic: str, channel: str) -> bool:
        wanted = consent_topic(topic)
        if person_id is None or wanted is None:
            return True
        found = self.rows.get((person_id, wanted, channel))
        return found if found is not None else (wanted, channel) in DEFAULTS


def consent_map(*, person_ids: Iterable[int]) -> ConsentMap:
    ids = list(person_ids)
    rows: dict[tuple[int, str, str], bool] = {}
    for start in range(0, len(ids), 5000):
        for pid, topic, channel, granted in Consent.objects.filter(
            person_id__in=ids[start : start + 5000]
        ).values_list("person_id", "topic", "channel", "granted"):
            rows[(pid, topic, channel)] = granted
    return ConsentMap(rows)


def consents_of(person: Any) -> dict[tuple[str, str], bool]:
    """Every (topic, channel) with the person's current choice (defaults filled in)."""
    found = {(c.topic, c.channel): c.granted for c in Consent.objects.filter(person=person)}
    return {
        (topic, channel): found.get((topic, channel), (topic, channel) in DEFAULTS)
        for topic in Topic.values
        for channel in Channel.values
    }


def channels_for(person: Any, topic: str) -> list[str]:
    """The channels a message of this topic may use for the person, inbox first."""
    return [c for c in Channel.values if consent_allows(person=person, topic=topic, channel=c)]


@transaction.atomic
def consent_set(
    *,
    person: User,
    choices: Iterable[tuple[str, str, bool]],
    source: str,
    by: User | None = None,
) -> int:
    """Record the person's choice for each (topic, channel, granted); returns how many changed.

    Each change is kept with its time and source (`ConsentChange`) and in the audit trail.
    """
    now = timezone.now()
    current = {(c.topic, c.channel): c for c in Consent.objects.select_for_update().filter(person=person)}
    changed = 0
    for topic, channel, granted in choices:
        Topic(topic), Channel(channel)  # unknown values are a programming error
        row = current.get((topic, channel))
        before = row.granted if row else (topic, channel) in DEFAULTS
        if row is None:
            Consent.objects.create(
                person=person, topic=topic, channel=channel, granted=granted, updated_at=now
            )
        elif row.granted != granted:
            row.granted, row.updated_at = granted, now
            row.save(update_fields=["granted", "updated_at"])
        if before == granted:  # nothing changes in effect (a default made explicit at most)
            continue
        ConsentChange.objects.create(
            person=person, topic=topic, channel=channel, granted=granted, source=source, created_at=now
        )
        audit_log(
            actor=by or person,
            action="consent.granted" if granted else "consent.withdrawn",
            obj=person,
            from_state="granted" if before else "withdrawn",
            to_state="granted" if granted else "withdrawn",
            reason=source,
            data={"topic": topic, "channel": channel},
        )
        changed += 1
    return changed


def consent_withdraw(*, person: User, topic: str, channel: str, source: str) -> int:
    return consent_set(person=person, choices=[(topic, channel, False)], source=source)
