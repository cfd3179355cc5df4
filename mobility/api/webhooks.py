"""Webhooks for partners: events from the audit trail, signed deliveries, retries, replay.

Every state change already writes an audit entry in its own transaction (docs/style.md §13), so
the audit trail is the outbox: `webhooks_fan_out` turns new entries into deliveries for the
endpoints that want them, whichever surface made the change (API, employer pages, staff, tasks).
Nothing is hooked into save() or signals.

Each delivery is a POST of JSON with these headers:

    Mobility-Event: vacancy.published
    Mobility-Delivery: 42
    Mobility-Signature: t=1767225600,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>

A receiver checks the signature and the timestamp (reject old ones) and answers 2xx. Anything
else is retried with back-off (1 min, 5 min, 30 min, 2 h, 12 h), then the delivery is marked
failed. Every attempt is logged; any delivery can be replayed. Delivery is at least once:
receivers drop repeats by `Mobility-Delivery` (a replay has its own id and `replay_of`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.accounts.models import Organisation, User
from mobility.api.models import (
    CENTRE_EVENTS,
    ORGANISATION_EVENTS,
    WebhookAttempt,
    WebhookCursor,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from mobility.core.audit import audit_log
from mobility.core.models import AuditEntry
from mobility.reference.models import Centre

logger = logging.getLogger(__name__)

BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
TIMEOUT_SECONDS = 10
FAN_OUT_BATCH = 1000
DELIVER_TASK = "mobility.api.tasks.deliver_webhook"


# --- Endpoints ------------------------------------------------------------------------------------


@transaction.atomic
def webhook_endpoint_create(
    *,
    url: str,
    events: Sequence[str],
    by: User | None,
    organisation: Organisation | None = None,
    centre: Centre | None = None,
) -> WebhookEndpoint:
    """An endpoint of one organisation (its vacancies and applications) or of one centre (the
    resettlement decisions on the applications it works on)."""
    if (organisation is None) == (centre is None):
        raise ValidationError({"organisation": _("Choose either an organisation or a centre.")})
    offered = ORGANISATION_EVENTS if organisation is not None else CENTRE_EVENTS
    wrong = [e for e in events if e not in offered]
    if wrong or not events:
        raise ValidationError({"events": _("Choose events from the list.")})
    allow_http = getattr(settings, "API_WEBHOOKS_ALLOW_HTTP", settings.DEBUG)
    if not url.startswith("https://") and not (allow_http and url.startswith("http://")):
        raise ValidationError({"url": _("Webhook addresses must use HTTPS.")})
    endpoint = WebhookEndpoint(
        organisation=organisation,
        centre=centre,
        url=url,
        events=sorted(set(events)),
        secret="whsec_" + secrets.token_urlsafe(32),
    )
    endpoint.full_clean()
    endpoint.save()
    audit_log(actor=by, action="webhook_endpoint.created", obj=endpoint, data={"url": url})
    return endpoint


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


# --- From the audit trail to deliveries ----------------------------------------------------------


@dataclass(frozen=True)
class _Event:
    entry: AuditEntry
    event: str
    data: dict[str, Any]
    organisation_id: int | None = None  # heard by the organisation's endpoints
    application: Any = None  # a resettlement application: heard by the centres that follow it


def _events_for(entries: list[AuditEntry]) -> list[_Event]:
    """The events partners hear about, from the entries that make them."""
    from mobility.exchange.models import Application, Vacancy

    vacancy_ids = [int(e.target_id) for e in entries if e.action == "vacancy.status_changed"]
    application_ids = [
        int(e.target_id) for e in entries if e.action in ("application.created", "application.status_changed")
    ]
    vacancies = Vacancy.objects.in_bulk(vacancy_ids)
    applications = Application.objects.select_related("vacancy").in_bulk(application_ids)
    out = []
    for entry in entries:
        if entry.action == "vacancy.status_changed":
            vacancy = vacancies.get(int(entry.target_id))
            event = {"published": WebhookEvent.VACANCY_PUBLISHED, "closed": WebhookEvent.VACANCY_CLOSED}.get(
                entry.to_state
            )
            if vacancy is None or event is None:
                continue
            data = {
                "vacancy": {"id": vacancy.pk, "external_id": vacancy.external_id, "title": vacancy.title},
                "from": entry.from_state,
                "to": entry.to_state,
            }
            out.append(_Event(entry, str(event), data, organisation_id=vacancy.organisation_id))
        elif entry.action in ("application.created", "application.status_changed"):
            application = applications.get(int(entry.target_id))
            if application is None:
                continue
            data = {
                "application": {
                    "id": application.pk,
                    "vacancy": application.vacancy_id,
                    "vacancy_external_id": application.vacancy.external_id,
                    "seeker": application.seeker_id,
                },
                "from": entry.from_state,
                "to": entry.to_state,
            }
            out.append(
                _Event(
                    entry,
                    str(WebhookEvent.APPLICATION_STATUS_CHANGED),
                    data,
                    organisation_id=application.vacancy.organisation_id,
                )
            )
    return out + _resettlement_events(entries)


# Audit actions of resettlement decisions → the event partners hear (docs/api.md, "Webhooks").
RESETTLEMENT_ACTIONS = {
    "resettlement_application.forwarded": WebhookEvent.RESETTLEMENT_FORWARDED,
    "resettlement_application.included": WebhookEvent.RESETTLEMENT_INCLUDED,
    "resettlement_application.refused": WebhookEvent.RESETTLEMENT_REFUSED,
}
CERTIFICATE_ACTIONS = {
    "certificate.issued": WebhookEvent.CERTIFICATE_ISSUED,
    "certificate.revoked": WebhookEvent.CERTIFICATE_REVOKED,
    "certificate.paid": WebhookEvent.CERTIFICATE_PAID,
}


def _resettlement_events(entries: list[AuditEntry]) -> list[_Event]:
    """Decisions on resettlement applications and certificates: no names, no IINs; what a
    centre's system needs to find the file in its own records."""
    from mobility.resettlement.models import Certificate, ResettlementApplication

    application_ids = [int(e.target_id) for e in entries if e.action in RESETTLEMENT_ACTIONS]
    certificate_ids = [int(e.target_id) for e in entries if e.action in CERTIFICATE_ACTIONS]
    if not application_ids and not certificate_ids:
        return []
    certificates = Certificate.objects.in_bulk(certificate_ids)
    applications = ResettlementApplication.objects.select_related("centre", "destination_region").in_bulk(
        application_ids + [c.application_id for c in certificates.values()]
    )
    out = []
    for entry in entries:
        certificate = None
        if entry.action in RESETTLEMENT_ACTIONS:
            event = RESETTLEMENT_ACTIONS[entry.action]
            application = applications.get(int(entry.target_id))
        elif entry.action in CERTIFICATE_ACTIONS:
            event = CERTIFICATE_ACTIONS[entry.action]
            certificate = certificates.get(int(entry.target_id))
            application = applications.get(certificate.application_id) if certificate else None
        else:
            continue
        if application is None:
            continue
        data: dict[str, Any] = {
            "application": {
                "id": application.pk,
                "category": application.category,
                "year": application.year,
                "origin_centre": application.centre.code,
                "destination_region": application.destination_region.code,
            },
            "from": entry.from_state,
            "to": entry.to_state,
            "reason": entry.reason,
        }
        if certificate is not None:
            data["certificate"] = {
                "id": certificate.pk,
                "number": certificate.number,
                "purpose": certificate.purpose,
                "amount": certificate.amount,
                "valid_until": certificate.valid_until.isoformat(),
            }
        out.append(_Event(entry, str(event), data, application=application))
    return out


FAN_OUT_ACTIONS = (
    "vacancy.status_changed",
    "application.created",
    "application.status_changed",
    *RESETTLEMENT_ACTIONS,
    *CERTIFICATE_ACTIONS,
)


_XID_WRAP = 1 << 32


def _widen(xid: int, next_xact: int) -> int:
    """A 32-bit transaction id (what `pg_stat_activity` shows) as the 64-bit one it is (what
    `pg_current_xact_id()` wrote), taken as the nearest to `next_xact`: a transaction running
    before it (a few ids below, maybe across a wrap of the low 32 bits) or one that got its id
    since (a few above)."""
    offset = (xid - next_xact) % _XID_WRAP
    return next_xact + (offset - _XID_WRAP if offset >= _XID_WRAP // 2 else offset)


def _committed_horizon() -> tuple[int, int | None] | None:
    """On PostgreSQL, (horizon, own): every audit entry written by a transaction below the
    horizon has committed (or never will), so reading up to it never passes an entry that
    becomes visible later; `own` is this transaction's id, if it has one. None elsewhere
    (SQLite has one writer at a time, so ids are in commit order).

    The horizon is the oldest transaction still running *in this database* (only those write
    its audit entries): the cluster-wide `pg_snapshot_xmin` would let a long transaction in
    any other database of the server (a report, a dump, another service) hold every delivery
    back. When this session may not see every session of the database (`pg_stat_activity`
    hides other roles' transactions without `pg_read_all_stats`), it falls back to the
    cluster-wide one: slower, never wrong."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as db:
        db.execute(
            "SELECT pg_snapshot_xmin(s)::text::bigint, pg_snapshot_xmax(s)::text::bigint,"
            " pg_current_xact_id_if_assigned()::text::bigint FROM pg_current_snapshot() AS s"
        )
        cluster_horizon, next_xact, own = db.fetchone()
        # After the snapshot above: a transaction missing from this list either had finished or
        # had no id yet (so its id is at least `next_xact`). Statistics are cached per transaction.
        db.execute("SELECT pg_stat_clear_snapshot()")
        db.execute(
            "SELECT coalesce(bool_and(usesysid IS NULL OR pg_has_role(usesysid, 'USAGE')"
            "   OR pg_has_role('pg_read_all_stats', 'USAGE')), true),"
            " array_remove(array_agg(backend_xid::text::bigint), NULL),"
            " ARRAY(SELECT transaction::text::bigint FROM pg_prepared_xacts"
            "       WHERE database = current_database())"
            " FROM pg_stat_activity WHERE datname = current_database()"
        )
        sees_all, running, prepared = db.fetchone()
    if sees_all:
        horizon = min([int(next_xact)] + [_widen(int(x), int(next_xact)) for x in [*running, *prepared]])
    else:
        horizon = int(cluster_horizon)
    return horizon, (int(own) if own is not None else None)


def _unread(cursor: WebhookCursor, horizon: tuple[int, int | None] | None) -> QuerySet[AuditEntry]:
    """Entries after the cursor in (transaction, id) order, only from finished transactions."""
    if horizon is None:
        return AuditEntry.objects.filter(id__gt=cursor.last_audit_id).order_by("id")
    after_cursor = Q(xact__gt=cursor.last_xact) | Q(xact=cursor.last_xact, id__gt=cursor.last_audit_id)
    return AuditEntry.objects.filter(after_cursor, xact__lt=horizon[0]).order_by("xact", "id")


def webhooks_fan_out() -> list[int]:
    """Turn new audit entries into deliveries; returns the ids of the new deliveries.

    The cursor is (writing transaction, id), not the id alone: ids are taken at insert and
    transactions commit in any order, so an entry with a lower id can become visible after the
    cursor passed it. Reading only below the oldest running transaction, in transaction order,
    never skips one (a long transaction delays deliveries; it never loses them). Entries this
    transaction wrote itself are visible to it and are delivered now too, without moving the
    cursor: read again later, the one-delivery-per-endpoint-and-entry constraint absorbs them.
    """
    with transaction.atomic():
        cursor, _created = WebhookCursor.objects.select_for_update().get_or_create(pk=1)
        horizon = _committed_horizon()
        unread = _unread(cursor, horizon)
        finished = list(unread.filter(action__in=FAN_OUT_ACTIONS)[:FAN_OUT_BATCH])
        own: list[AuditEntry] = []
        if horizon is not None and horizon[1] is not None:
            own = list(AuditEntry.objects.filter(xact=horizon[1], action__in=FAN_OUT_ACTIONS).order_by("id"))
        if finished:
            cursor.last_xact, cursor.last_audit_id = finished[-1].xact or 0, finished[-1].pk
        else:
            # Skip past unrelated entries cheaply next time.
            latest = unread.reverse().values_list("xact", "id").first()
            if latest is not None:
                cursor.last_xact, cursor.last_audit_id = latest[0] or 0, latest[1]
        cursor.save(update_fields=["last_xact", "last_audit_id"])
        entries = finished + own  # a running transaction (own) is never below the horizon
        if not entries:
            return []
        events = _events_for(entries)
        started = timezone.now()
        rows = []
        for item, endpoint in _recipients(events):
            if item.event not in endpoint.events:
                continue
            payload = {
                "event": item.event,
                "occurred_at": item.entry.created_at.isoformat(),
                "data": item.data,
            }
            rows.append(
                WebhookDelivery(
                    endpoint=endpoint,
                    event=item.event,
                    audit_entry_id=item.entry.pk,
                    payload=payload,
                    next_attempt_at=timezone.now(),
                )
            )
        created = WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
        ids = (
            list(
                WebhookDelivery.objects.filter(
                    audit_entry_id__in=[e.pk for e in entries],
                    replay_of__isnull=True,
                    attempts=0,
                    created_at__gte=started,
                )
                .order_by("id")
                .values_list("id", flat=True)
            )
            if created
            else []
        )
    for delivery_id in ids:
        _enqueue(delivery_id)
    return ids


def _recipients(events: list[_Event]) -> list[tuple[_Event, WebhookEndpoint]]:
    """Each event with the active endpoints that hear it: an organisation's for its vacancies and
    applications; a centre's for the resettlement applications it follows
    (`resettlement.selectors.centre_follows_application`)."""
    from mobility.resettlement.selectors import centre_follows_application

    organisations = {e.organisation_id for e in events if e.organisation_id is not None}
    by_organisation: dict[int, list[WebhookEndpoint]] = {}
    for endpoint in WebhookEndpoint.objects.filter(organisation_id__in=organisations, is_active=True):
        by_organisation.setdefault(endpoint.organisation_id, []).append(endpoint)  # type: ignore[arg-type]
    centre_endpoints: list[WebhookEndpoint] = []
    if any(e.application is not None for e in events):
        centre_endpoints = list(
            WebhookEndpoint.objects.filter(centre__isnull=False, is_active=True).select_related("centre")
        )
    out = []
    for item in events:
        if item.organisation_id is not None:
            out += [(item, endpoint) for endpoint in by_organisation.get(item.organisation_id, [])]
        if item.application is not None:
            out += [
                (item, endpoint)
                for endpoint in centre_endpoints
                if centre_follows_application(endpoint.centre, item.application)
            ]
    return out


def _enqueue(delivery_id: int, *, at: dt.datetime | None = None) -> None:
    from django_q.models import Schedule
    from django_q.tasks import async_task, schedule

    if at is None:
        async_task(DELIVER_TASK, delivery_id)
    else:
        schedule(
            DELIVER_TASK,
            delivery_id,
            name=f"webhook delivery {delivery_id} attempt at {at.isoformat()}",
            schedule_type=Schedule.ONCE,
            next_run=at,
            repeats=1,
        )


# --- Delivering ------------------------------------------------------------------------------------


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - http(s) only
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - http(s) only
            return int(response.status), ""
    except urllib.error.HTTPError as exc:
        return int(exc.code), ""
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, str(exc)[:500]


def webhook_deliver(*, delivery_id: int) -> WebhookDelivery | None:
    """One attempt. The HTTP call happens outside any transaction; the outcome is recorded
    under a row lock. Returns None when there is nothing to do (delivered, failed, gone)."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if (
        delivery is None
        or delivery.status != WebhookDelivery.Status.PENDING
        or not delivery.endpoint.is_active
    ):
        return None
    body = json.dumps(
        {"id": delivery.pk, "replay_of": delivery.replay_of_id, **delivery.payload},
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
    ).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "mobility-webhooks/1",
        "Mobility-Event": delivery.event,
        "Mobility-Delivery": str(delivery.pk),
        "Mobility-Signature": sign(delivery.endpoint.secret, timestamp, body),
    }
    started = time.monotonic()
    status_code, error = _post(delivery.endpoint.url, body, headers)
    elapsed = int((time.monotonic() - started) * 1000)
    retry_at = None
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.status != WebhookDelivery.Status.PENDING:
            return delivery
        WebhookAttempt.objects.create(
            delivery=delivery, status_code=status_code, error=error, duration_ms=elapsed
        )
        delivery.attempts += 1
        if status_code is not None and 200 <= status_code < 300:
            delivery.status = WebhookDelivery.Status.SUCCEEDED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.next_attempt_at = None
        else:
            retry_at = timezone.now() + BACKOFF[delivery.attempts - 1]
            delivery.next_attempt_at = retry_at
        delivery.save(update_fields=["attempts", "status", "delivered_at", "next_attempt_at"])
        if retry_at is not None:
            transaction.on_commit(lambda: _enqueue(delivery_id, at=retry_at))
    return delivery


def webhooks_deliver_due() -> int:
    """A sweep for deliveries whose scheduled retry was lost (a crashed worker)."""
    due = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at__lte=timezone.now() - dt.timedelta(minutes=5),
    ).values_list("id", flat=True)[:500]
    count = 0
    for delivery_id in due:
        if webhook_deliver(delivery_id=delivery_id) is not None:
            count += 1
    return count


@transaction.atomic
def webhook_replay(*, delivery: WebhookDelivery, by: User | None) -> WebhookDelivery:
    """Send a delivery again, as a new delivery (its own id, `replay_of` the original)."""
    replay = WebhookDelivery.objects.create(
        endpoint=delivery.endpoint,
        event=delivery.event,
        payload=delivery.payload,
        audit_entry_id=delivery.audit_entry_id,
        replay_of=delivery,
        next_attempt_at=timezone.now(),
    )
    audit_log(actor=by, action="webhook_delivery.replayed", obj=delivery, data={"replay": replay.pk})
    transaction.on_commit(lambda: _enqueue(replay.pk))
    return replay
