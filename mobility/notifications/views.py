"""Thin views: the inbox, the notification settings, one-click withdrawal, offers, the staff's
offer figures and background-work health, and the SMS gateway's inbound webhook."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from mobility.accounts.access import admin_required, exchange_staff_required
from mobility.core.models import OutboxMessage
from mobility.core.outbox import outbox_retry_failed
from mobility.notifications import selectors, services
from mobility.notifications.consent import consent_set, consents_of
from mobility.notifications.forms import AlertPreferenceForm, ConsentForm
from mobility.notifications.links import read_withdraw_token
from mobility.notifications.models import ConsentSource
from mobility.notifications.offers import take_up_url
from mobility.notifications.topics import Channel, Topic


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.inbox_mark_read(person=request.user)  # type: ignore[arg-type]
        return redirect("notifications:inbox")
    selectors.unread_count_refresh(request.user.pk)  # type: ignore[arg-type]
    page = Paginator(selectors.inbox_of(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
def inbox_message(request: HttpRequest, message_id: int) -> HttpResponse:
    message = selectors.get_inbox_message_for_user(request.user, message_id)
    services.inbox_mark_read(person=request.user, message=message)  # type: ignore[arg-type]
    return render(request, "notifications/inbox_message.html", {"message": message})


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    current = consents_of(user)
    pref = services.alert_preference_of(user)
    consent_form = ConsentForm(request.POST or None, current=current, prefix="consent")
    alert_form = AlertPreferenceForm(request.POST or None, instance=pref, prefix="alerts")
    if request.method == "POST" and consent_form.is_valid() and alert_form.is_valid():
        choices = consent_form.choices()
        consent_set(person=user, choices=choices, source=ConsentSource.PAGE)  # type: ignore[arg-type]
        services.alert_preference_save(person=user, **alert_form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {
            "consent_form": consent_form,
            "alert_form": alert_form,
            "channels": Channel,
            "history": selectors.consent_history_of(user),
            "needs_phone": not getattr(user, "phone", ""),
        },
    )


@csrf_exempt  # the token is the credential; RFC 8058 mail programs POST here without a form
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link withdraws and one button; POST withdraws (a mail scanner that
    follows links withdraws nothing). A mail program's one-click unsubscribe POSTs directly."""
    data = read_withdraw_token(token)
    if data is None or data["t"] not in Topic.values or data["c"] not in Channel.values:
        return render(request, "notifications/withdraw.html", {"invalid": True}, status=404)
    context = {"topic": Topic(data["t"]), "channel": Channel(data["c"]), "done": False}
    if request.method == "POST":
        source = ConsentSource.EMAIL_CLIENT if "List-Unsubscribe" in request.POST else ConsentSource.LINK
        if not services.consent_withdraw_by_link(
            person_id=data["p"], topic=data["t"], channel=data["c"], source=source
        ):
            return render(request, "notifications/withdraw.html", {"invalid": True}, status=404)
        context["done"] = True
    return render(request, "notifications/withdraw.html", context)


@login_required
def offer(request: HttpRequest, offer_id: int) -> HttpResponse:
    found = selectors.get_offer_for_user(request.user, offer_id)
    next_url = take_up_url(found)  # the prefilled application, for offers that have one
    if request.method == "POST":
        services.offer_take_up(offer=found, by=request.user)  # type: ignore[arg-type]
        if next_url:
            return redirect(next_url)
        messages.success(request, _("Thank you. Your career centre will contact you about it."))
        return redirect("notifications:offer", offer_id=found.pk)
    services.offer_open(offer=found)
    return render(
        request,
        "notifications/offer.html",
        {"offer": found, "take_up_url": next_url, "destination": selectors.offer_destination(found)},
    )


@exchange_staff_required
def staff_offers(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/staff_offers.html", {"rows": selectors.offer_stats(request.user)})


@admin_required
def staff_health(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/staff_health.html", selectors.background_health())


@admin_required
@require_POST
def staff_health_retry(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("message") if i.isdigit()]
    failed = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED)
    if ids:
        failed = failed.filter(pk__in=ids)
    count = outbox_retry_failed(messages=list(failed), by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("%(count)d messages will be sent again.") % {"count": count})
    return redirect("staff:background_health")


# --- The SMS gateway's inbound webhook ------------------------------------------------------------

SIGNATURE_HEADER = "X-Signature"
TIMESTAMP_HEADER = "X-Timestamp"
MAX_SKEW_SECONDS = 300


def sms_signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<raw body>", hex: what the gateway sends in X-Signature."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


@csrf_exempt
@require_POST
def sms_inbound(request: HttpRequest) -> HttpResponse:
    """A reply to one of our SMS: `{"from": "+7701…", "text": "STOP"}`, signed with the shared
    secret. STOP withdraws SMS for that number; anything else is acknowledged and ignored."""
    secret = settings.SMS_WEBHOOK_SECRET
    timestamp = request.headers.get(TIMESTAMP_HEADER, "")
    given = request.headers.get(SIGNATURE_HEADER, "").removeprefix("sha256=")
    if (
        not secret
        or not timestamp.isdigit()
        or abs(time.time() - int(timestamp)) > MAX_SKEW_SECONDS
        or not hmac.compare_digest(given, sms_signature(secret, timestamp, request.body))
    ):
        return JsonResponse({"detail": "bad signature"}, status=403)
    try:
        payload = json.loads(request.body)
        sender, text = str(payload["from"]), str(payload["text"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": "expected JSON with 'from' and 'text'"}, status=400)
    withdrawn = services.sms_inbound_receive(sender=sender, text=text)
    return JsonResponse({"withdrawn": withdrawn})
