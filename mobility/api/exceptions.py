"""Every API error as `application/problem+json` (RFC 9457).

    {"type": "tag:mobility.kz,2026:problem/validation", "title": "Invalid request", "status": 400,
     "detail": "…", "instance": "/api/v1/vacancies/", "code": "invalid",
     "errors": [{"field": "salary_max", "pointer": "#/salary_max", "detail": "…", "code": "invalid"}]}

The services' Django `ValidationError`s (the same rules as the web forms) become 400 problems
with the invalid fields named, exactly like the serializers' own errors.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "tag:mobility.kz,2026:problem/"


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"

    def __init__(self) -> None:
        super().__init__(_("This Idempotency-Key was already used for a different request; use a new key."))


def _flatten(detail: Any, path: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """[{field, pointer, detail, code}] from DRF's nested error details."""
    if isinstance(detail, dict):
        if set(detail) == {"message", "code"}:
            return [_entry(path, detail["message"], detail["code"])]
        out: list[dict[str, Any]] = []
        for key, value in detail.items():
            key = str(key)
            if key in ("non_field_errors", "__all__"):
                out += _flatten(value, path)
            else:
                out += _flatten(value, (*path, *key.split("/")))
        return out
    if isinstance(detail, list):
        out = []
        for index, value in enumerate(detail):
            if isinstance(value, dict | list) and not (
                isinstance(value, dict) and set(value) == {"message", "code"}
            ):
                out += _flatten(value, (*path, str(index)))
            else:
                out += _flatten(value, path)
        return out
    return [_entry(path, str(detail), getattr(detail, "code", "invalid"))]


def _entry(path: tuple[str, ...], message: str, code: str) -> dict[str, Any]:
    return {
        "field": "/".join(path) or None,
        "pointer": "#/" + "/".join(path) if path else "#",
        "detail": str(message),
        "code": code,
    }


def problem(status_code: int, *, code: str, title: str, detail: str, instance: str = "") -> dict[str, Any]:
    return {
        "type": TYPE_BASE + code,
        "title": title,
        "status": status_code,
        "detail": detail,
        "instance": instance,
        "code": code,
    }


TITLES = {
    400: gettext_noop("Invalid request"),
    401: gettext_noop("Authentication needed"),
    403: gettext_noop("Not allowed"),
    404: gettext_noop("Not found"),
    405: gettext_noop("Method not allowed"),
    406: gettext_noop("Not acceptable"),
    409: gettext_noop("Conflict"),
    415: gettext_noop("Unsupported media type"),
    422: gettext_noop("Unprocessable request"),
    429: gettext_noop("Too many requests"),
}


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    instance = request.path if request is not None else ""
    status_code = response.status_code
    code = getattr(exc, "default_code", "error")
    full: Any
    if isinstance(exc, exceptions.APIException):
        full = exc.get_full_details()
    elif status_code == 404:  # Http404, converted by DRF: say nothing about what was looked for
        full = {"message": _("Not found."), "code": "not_found"}
    else:  # Django's PermissionDenied, converted by DRF
        full = {"message": str(response.data.get("detail", "")), "code": "permission_denied"}
    title = _(TITLES.get(status_code, gettext_noop("Error")))
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(full)
        fields = sorted({e["field"] for e in errors if e["field"]})
        detail = (
            _("These fields are invalid: %(fields)s.") % {"fields": ", ".join(fields)}
            if fields
            else "; ".join(e["detail"] for e in errors)
        )
        body = problem(status_code, code="validation", title=title, detail=detail, instance=instance)
        body["errors"] = errors
    else:
        if isinstance(full, dict) and "code" in full:
            code = full["code"]
            detail = str(full.get("message", ""))
        else:
            detail = str(response.data.get("detail", "")) if isinstance(response.data, dict) else ""
        body = problem(status_code, code=str(code), title=title, detail=detail, instance=instance)
        wait = getattr(exc, "wait", None)
        if isinstance(exc, exceptions.Throttled) and wait is not None:
            body["retry_after"] = int(wait + 0.999)
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
