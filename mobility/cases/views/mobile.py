"""Mobile groups: offline forms."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mobility.accounts.access import exchange_staff_required
from mobility.accounts.services import Channel
from mobility.cases import selectors, services
from mobility.cases.forms import (
    MobileRegistrationForm,
)
from mobility.core import jsonbody

from ._shared import _scope_centres, _user


@exchange_staff_required
def mobile(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "staff/mobile.html",
        {"centres": _scope_centres(request), "max_age_hours": settings.MOBILE_OFFLINE_MAX_AGE_HOURS},
    )


def mobile_service_worker(request: HttpRequest) -> HttpResponse:
    """Served from /staff/mobile/ so its scope covers the offline pages."""
    from django.contrib.staticfiles import finders

    path = finders.find("js/mobile-sw.js")
    if not path:
        raise Http404
    with open(path, encoding="utf-8") as fh:
        response = HttpResponse(fh.read(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = request.path.rsplit("/", 1)[0] + "/"
    response["Cache-Control"] = "no-cache"
    return response


@exchange_staff_required
@require_POST
def mobile_sync(request: HttpRequest) -> JsonResponse:
    """Receive one entry made offline. Idempotent by the device's key: sending it twice
    applies it once and answers the same both times."""
    try:
        body = jsonbody.loads(request.body or b"{}")
    except RequestDataTooBig:
        return JsonResponse({"error": _("The entry is too large."), "field": "payload"}, status=413)
    except jsonbody.JsonTooDeep:
        return JsonResponse({"error": _("The entry is nested too deeply."), "field": "payload"}, status=400)
    except ValueError:
        return JsonResponse({"error": _("The entry is malformed."), "field": "client_key"}, status=400)
    try:
        client_key = uuid.UUID(str(body.get("client_key")))
        kind = str(body.get("kind"))
        payload = dict(body.get("payload") or {})
    except (ValueError, TypeError, AttributeError):
        return JsonResponse({"error": _("The entry is malformed."), "field": "client_key"}, status=400)
    user = _user(request)
    # The device says whose queue the entry came from; an entry queued under one account is
    # never applied under another (a phone handed over, or a sign-in in another tab).
    queued_by = body.get("queued_by")
    if not isinstance(queued_by, int) or isinstance(queued_by, bool):
        return JsonResponse(
            {"error": _("The entry does not say who made it."), "field": "queued_by"}, status=400
        )
    if queued_by != user.pk:
        return JsonResponse(
            {"error": _("This entry was made by another staff member."), "field": "queued_by"}, status=403
        )

    def apply() -> dict[str, Any]:
        if kind == "note":
            case = selectors.get_case_for_user(user, int(payload.get("case", 0)))
            note = services.note_add(
                case=case, text=str(payload.get("text", "")), kind="visit", by=user, client_key=client_key
            )
            return {"ok": True, "note": note.pk, "case": case.pk}
        if kind == "registration":
            form = MobileRegistrationForm(payload, centres=_scope_centres(request))
            if not form.is_valid():
                raise ValidationError(form.errors.get_json_data())
            data = form.cleaned_data
            desk = services.registration_desk_register(
                by=user,
                centre=data["centre"],
                iin=data["iin"],
                last_name=data["last_name"],
                first_name=data["first_name"],
                region=data["region"],
                kind=data["kind"],
                registered_on=data["registered_on"],
                documents=data["documents"],
                email=data["email"] or None,
                phone=data["phone"],
                channel=Channel.MOBILE_GROUP,
                base_url=request.build_absolute_uri("/"),
            )
            # No code is made offline: the person is not at the device when it syncs. Without
            # email, the centre prints them a code when they come (re-registering gives one).
            return {
                "ok": True,
                "case": desk.case.pk,
                "activation_emailed": bool(desk.activation.emailed_to),
            }
        raise ValidationError({"kind": _("Unknown kind of entry.")})

    try:
        result = services.offline_submit(
            client_key=client_key, kind=kind, payload=payload, by=user, apply=apply
        )
    except Http404:
        return JsonResponse({"error": _("No such case."), "field": "case"}, status=404)
    except PermissionDenied as exc:
        return JsonResponse({"error": str(exc), "field": "queued_by"}, status=403)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return JsonResponse({"error": _("The entry was not accepted."), "fields": errors}, status=400)
    return JsonResponse(result, status=200 if result.get("duplicate") else 201)
