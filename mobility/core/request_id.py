"""A request id for every request: the one our reverse proxy sent in `X-Request-ID` (when it is
a plain token), otherwise a new one. It is echoed in the response's `X-Request-ID`, quoted in
500 answers and written in the error log, so a report can be matched with its log lines."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase

from mobility.core.logs import current_request_id

HEADER = "X-Request-ID"
ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def request_id_of(request: Any) -> str:
    """The request's id (a new one for a request that did not pass the middleware)."""
    rid = getattr(request, "request_id", None)
    if not rid:
        rid = uuid.uuid4().hex
        try:
            request.request_id = rid
        except AttributeError:  # pragma: no cover - a request object that takes no attributes
            pass
    return str(rid)


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        sent = request.headers.get(HEADER, "")
        request.request_id = sent if ACCEPTED.fullmatch(sent) else uuid.uuid4().hex  # type: ignore[attr-defined]
        token = current_request_id.set(request.request_id)  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request.request_id  # type: ignore[attr-defined]
        return response
