"""Reads of the notifications app, scoped to the caller."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mobility.core.actors import actor_of
from mobility.core.models import OutboxMessage
from mobility.notifications.models import ConsentChange, InboxMessage, Offer


def inbox_of(user: Any) -> QuerySet[InboxMessage]:
    return InboxMessage.objects.filter(person=user).order_by("-created_at", "-id")


def _unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user: Any) -> int:
    """The unread count every page's navigation shows, from the cache: no query on ordinary
    pages. Delivery, reading and the inbox page keep it current (`unread_count_refresh`); a
    missing key (a new session's first page, or the cache lost in a Redis restart or flush) is
    counted from the database once and cached again."""
    if not getattr(user, "is_authenticated", False):
        return 0
    key = _unread_key(user.pk)
    cached = cache.get(key)
    if cached is not None:
        return int(cached)
    count = InboxMessage.objects.filter(person_id=user.pk, read_at__isnull=True).count()
    # add, not set: a delivery or a reading that refreshed the key meanwhile knows better.
    cache.add(key, count, timeout=None)
    return count


def unread_count_refresh(user_id: int) -> int:
    count = InboxMessage.objects.filter(person_id=user_id, read_at__isnull=True).count()
    cache.set(_unread_key(user_id), count, timeout=None)
    return count


def get_inbox_message_for_user(user: Any, message_id: int) -> InboxMessage:
    return get_object_or_404(inbox_of(user), id=message_id)


def consent_history_of(user: Any, *, limit: int = 50) -> list[ConsentChange]:
    return list(ConsentChange.objects.filter(person=user).order_by("-created_at", "-id")[:limit])


def offers_of(user: Any) -> QuerySet[Offer]:
    return Offer.objects.filter(person=user).order_by("-created_at", "-id")


def get_offer_for_user(user: Any, offer_id: int) -> Offer:
    return get_object_or_404(offers_of(user), id=offer_id)


def offer_destination(offer: Offer) -> Any:
    """The region an offer proposes moving to (a resettlement offer), or None."""
    from mobility.reference.models import Region

    code = offer.details.get("destination") if isinstance(offer.details, dict) else None
    return Region.objects.filter(code=code).first() if code else None


def offers_in_scope(user: Any) -> QuerySet[Offer]:
    """Offers in the regions the member of staff works in (administrators: all)."""
    regions = actor_of(user).region_ids()
    qs = Offer.objects.all()
    return qs if regions is None else qs.filter(region_id__in=regions)


def offer_stats(user: Any) -> list[dict[str, Any]]:
    """Offers made, opened and taken up per region and rule, in the caller's regions."""
    from mobility.reference.models import Region

    rows: list[dict[str, Any]] = [
        dict(row)
        for row in offers_in_scope(user)
        .values("region_id", "rule")
        .annotate(
            made=Count("id"),
            opened=Count("id", filter=Q(opened_at__isnull=False)),
            taken_up=Count("id", filter=Q(taken_up_at__isnull=False)),
        )
        .order_by("region_id", "rule")
    ]
    regions = Region.objects.in_bulk([r["region_id"] for r in rows if r["region_id"]])
    for row in rows:
        row["region"] = regions.get(row["region_id"])
    return rows


# --- Background work's health -------------------------------------------------------------------------


def background_health(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """Messages waiting, failed and retried; tasks queued and failed; the last run of each schedule."""
    from django_q.models import Failure, OrmQ, Schedule, Success

    now = now or timezone.now()
    day_ago = now - dt.timedelta(days=1)
    messages = OutboxMessage.objects.aggregate(
        pending=Count("id", filter=Q(status=OutboxMessage.Status.PENDING)),
        failed=Count("id", filter=Q(status=OutboxMessage.Status.FAILED)),
        retried=Count("id", filter=Q(attempts__gt=1)),
        withheld=Count("id", filter=Q(status=OutboxMessage.Status.WITHHELD)),
        sent_today=Count("id", filter=Q(status=OutboxMessage.Status.SENT, sent_at__gte=day_ago)),
    )
    oldest = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).order_by("created_at").first()
    failed_messages = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).order_by("-last_attempt_at", "-id")[
            :50
        ]
    )
    schedules = list(Schedule.objects.order_by("name"))
    last_runs: dict[str, Any] = {}
    for name, stopped in (
        Success.objects.filter(group__in=[s.name for s in schedules])
        .values_list("group", "stopped")
        .order_by("stopped")
    ):
        last_runs[name] = stopped
    failures_by_name: dict[str, Any] = {}
    for name, stopped in (
        Failure.objects.filter(group__in=[s.name for s in schedules])
        .values_list("group", "stopped")
        .order_by("stopped")
    ):
        failures_by_name[name] = stopped
    return {
        "messages": messages,
        "oldest_pending": oldest.created_at if oldest else None,
        "failed_messages": failed_messages,
        "tasks_queued": OrmQ.objects.count(),
        "tasks_failed_today": Failure.objects.filter(stopped__gte=day_ago).count(),
        "recent_failures": list(Failure.objects.order_by("-stopped")[:10]),
        "schedules": [
            {
                "schedule": s,
                "last_success": last_runs.get(s.name),
                "last_failure": failures_by_name.get(s.name),
            }
            for s in schedules
        ],
    }
