"""What every API operation shares: authentication, scopes, throttling, ETags on reads, and the
Idempotency-Key contract on POSTs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.db import transaction
from django.http import HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from mobility.api import services
from mobility.api.exceptions import PROBLEM_CONTENT_TYPE, IdempotencyKeyReused
from mobility.api.filters import refuse_empty_parameters
from mobility.api.principal import Caller, caller_of

F = TypeVar("F", bound=Callable[..., Any])

IDEMPOTENCY_HEADER = "Idempotency-Key"


class ApiView(GenericAPIView):
    """One operation. Subclasses set `required_scope` for collections and writes."""

    required_scope: str | None = None

    def caller(self) -> Caller:
        return caller_of(self.request)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttling
        refuse_empty_parameters(request)

    def get_serializer_class(self) -> Any:
        """For OPTIONS (DRF's metadata): the operation's input, else its output."""
        return getattr(self, "InputSerializer", None) or getattr(self, "OutputSerializer", None) or Serializer

    def finalize_response(  # type: ignore[override]
        self, request: Request, response: Any, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Vary"] = "Accept, Accept-Language, Authorization, Cookie"
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and isinstance(response, Response)
        ):
            response.render()
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:40] + '"'
            response["ETag"] = etag
            response["Cache-Control"] = "private, no-cache"
            wanted = request.headers.get("If-None-Match", "")
            tags = {t.strip().removeprefix("W/") for t in wanted.split(",") if t.strip()}
            if etag in tags or "*" in tags:
                not_modified = HttpResponse(status=304)
                for header in ("ETag", "Vary", "Cache-Control"):
                    not_modified[header] = response[header]
                return not_modified
        return response


def _fingerprint(request: Request) -> str:
    try:
        body = json.dumps(request.data, sort_keys=True, default=str)
    except (TypeError, ValueError):
        body = repr(request.data)
    raw = "\n".join([request.method or "", request.path, request.META.get("QUERY_STRING", ""), body])
    return hashlib.sha256(raw.encode()).hexdigest()


def idempotent(method: F) -> F:
    """A POST sent again with the same `Idempotency-Key` (per client) gets the first answer,
    and does nothing twice. The key is claimed in the same transaction as the work, so
    concurrent retries wait for the first and then read its answer."""

    @wraps(method)
    def wrapper(self: ApiView, request: Request, *args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is None:
            return method(self, request, *args, **kwargs)
        if not (1 <= len(key) <= 255) or not key.isprintable() or not key.isascii():
            raise ValidationError(
                {IDEMPOTENCY_HEADER: [_("Use 1 to 255 printable ASCII characters, for example a UUID.")]}
            )
        caller = caller_of(request)
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            record = services.idempotency_begin(
                client=caller.client_id,
                key=key,
                method=request.method or "POST",
                path=request.path,
                fingerprint=fingerprint,
            )
            if record.status_code is not None or record.fingerprint != fingerprint:
                if record.fingerprint != fingerprint:
                    raise IdempotencyKeyReused()
                headers = {"Idempotent-Replayed": "true"}
                if record.location:
                    headers["Location"] = record.location
                return Response(
                    record.body,
                    status=record.status_code,
                    headers=headers,
                    content_type=record.content_type or None,
                )
            try:
                response = method(self, request, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - DRF turns API errors into answers; others re-raise
                response = self.handle_exception(exc)
            if response.status_code >= 500:
                transaction.set_rollback(True)
                return response
            services.idempotency_finish(
                record=record,
                status_code=response.status_code,
                body=response.data,
                content_type=PROBLEM_CONTENT_TYPE
                if getattr(response, "content_type", None) == PROBLEM_CONTENT_TYPE
                else "",
                location=response.get("Location", ""),
            )
            return response

    return wrapper  # type: ignore[return-value]


# --- Several operations on one URL ----------------------------------------------------------------


def _placeholder(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:  # pragma: no cover
    raise NotImplementedError


class _Router(APIView):
    """Sends each method to its own operation class (one class per operation, one URL per
    resource). The schema generator sees the operation classes (see `expand_routes`)."""

    route_views: dict[str, Any] = {}  # noqa: RUF012

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        method = (request.method or "").lower()
        view = self.route_views.get("get" if method == "head" else method)
        if view is not None:
            return view(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


def route(**operations: type[ApiView]) -> Callable[..., Any]:
    attrs: dict[str, Any] = {method: _placeholder for method in operations}
    attrs["route_views"] = {method: view.as_view() for method, view in operations.items()}
    name = "Route" + "".join(view.__name__ for view in operations.values())
    router: Any = type(name, (_Router,), attrs)
    return router.as_view()


def expand_routes(
    endpoints: list[tuple[str, str, str, Any]], **kwargs: Any
) -> list[tuple[str, str, str, Any]]:
    """drf-spectacular preprocessing hook: document the operation classes behind a route."""
    expanded = []
    for path, regex, method, callback in endpoints:
        views = getattr(callback.cls, "route_views", None)
        if views:
            callback = views[method.lower()]
        expanded.append((path, regex, method, callback))
    return expanded


class UnknownPathApi(APIView):
    """Any other path under /api/v1/: a 404 problem document, not the site's HTML page."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []
    schema = None  # not an operation

    def _missing(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise NotFound()

    get = post = put = patch = delete = _missing
