"""Every API error as `application/problem+json` (RFC 9457).

    {"type": "tag:mobility.kz,2026:problem/validation", "title": "Invalid request", "status": 400,
     "detail": "…", "instance": "/api/v1/vacancies/", "code": "invalid",
     "errors": [{"field": "salary_max", "pointer": "#/salary_max", "detail": "…", "code": "invalid"}]}

The services' Django `ValidationError`s (the same rules as the web forms) become 400 problems
with the invalid fields named, exactly like the serializers' own errors; when every one of them
is a conflict with what exists (a unique field taken, an open application already there: codes
in `CONFLICT_CODES`), or the database refuses a duplicate, the answer is 409. A body over
`DATA_UPLOAD_MAX_MEMORY_SIZE` is 413. Anything unexpected is a 500 problem that says nothing
internal, only a `request_id` to find the details in the log (whatever `DEBUG` says).
"""

from __future__ import annotations

import logging
import unicodedata
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler, set_rollback

from mobility.core.request_id import request_id_of
from mobility.core.unavailable import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS, log_unavailable

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "tag:mobility.kz,2026:problem/"
# Codes of validation errors that mean "this collides with what exists": Django's own for unique
# fields and constraints, and the services' explicit "conflict".
CONFLICT_CODES = frozenset({"unique", "unique_together", "conflict"})

logger = logging.getLogger("mobility.api")


class Conflict(exceptions.ValidationError):
    """A validation error that is a conflict with the current state (409), fields named."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self) -> None:
        super().__init__(
            _("The request body is larger than %(limit)s bytes.")
            % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
        )


class ServiceUnavailable(exceptions.APIException):
    """The database went away mid-request (mobility.core.unavailable): try again shortly."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "unavailable"

    def __init__(self) -> None:
        super().__init__(_("The service is briefly unavailable. Try again in a few seconds."))
        self.wait = RETRY_AFTER_SECONDS  # DRF sends it as Retry-After


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
    413: gettext_noop("Request too large"),
    415: gettext_noop("Unsupported media type"),
    422: gettext_noop("Unprocessable request"),
    429: gettext_noop("Too many requests"),
    500: gettext_noop("Server error"),
    503: gettext_noop("Service unavailable"),
}


def _codes(exc: DjangoValidationError) -> set[str | None]:
    errors = (
        [e for errors in exc.error_dict.values() for e in errors]
        if hasattr(exc, "error_dict")
        else exc.error_list
    )
    return {e.code for e in errors}


def is_unique_violation(exc: IntegrityError) -> bool:
    """The database refused a duplicate (a concurrent write won the race)."""
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(exc)


def _translate(exc: Exception) -> Exception:
    """Django's and the database's exceptions as the API exceptions they amount to."""
    if isinstance(exc, DjangoValidationError):
        detail = as_serializer_error(exc)
        codes = _codes(exc)
        conflict = bool(codes) and codes <= CONFLICT_CODES
        return Conflict(detail) if conflict else exceptions.ValidationError(detail)
    if isinstance(exc, IntegrityError) and is_unique_violation(exc):
        return Conflict(_("This conflicts with a record that already exists."))
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, DATABASE_UNAVAILABLE):
        return ServiceUnavailable()
    return exc


def _printable(value: Any) -> Any:
    """Echoed input (a field name, an invalid choice) without NUL, other control characters
    or lone surrogates, which no database or careful client wants to store."""
    if isinstance(value, str):
        return "".join("\ufffd" if unicodedata.category(c) in ("Cc", "Cs") else c for c in value)
    if isinstance(value, dict):
        return {_printable(k): _printable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable(v) for v in value]
    return value


def server_error_body(request: Any) -> dict[str, Any]:
    """A 500 problem: the request id to quote, nothing else about what went wrong."""
    body = problem(
        500,
        code="server_error",
        title=_(TITLES[500]),
        detail=_("Something went wrong on our side. Quote the request id if you report it."),
        instance=getattr(request, "path", ""),
    )
    body["request_id"] = request_id_of(request)
    return body


def unavailable_body(request: Any) -> dict[str, Any]:
    """A 503 problem (the database went away): try again; the request id to quote."""
    body = problem(
        503,
        code="unavailable",
        title=_(TITLES[503]),
        detail=_("The service is briefly unavailable. Try again in a few seconds."),
        instance=getattr(request, "path", ""),
    )
    body["request_id"] = request_id_of(request)
    return body


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DATABASE_UNAVAILABLE) and context.get("request") is not None:
        log_unavailable(context["request"], exc)
    exc = _translate(exc)
    response = exception_handler(exc, context)
    request = context.get("request")
    if response is None:
        set_rollback()
        body = server_error_body(request)
        logger.error(
            "Unhandled error in %s %s (request %s)",
            getattr(request, "method", ""),
            getattr(request, "path", ""),
            body["request_id"],
            exc_info=exc,
        )
        return Response(body, status=500, content_type=PROBLEM_CONTENT_TYPE)
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
        kind = "conflict" if isinstance(exc, Conflict) else "validation"
        body = problem(status_code, code=kind, title=title, detail=detail, instance=instance)
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
        if isinstance(exc, ServiceUnavailable):
            body["request_id"] = request_id_of(request)
    response.data = _printable(body)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
