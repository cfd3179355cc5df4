"""The database gone mid-request (a failover, a restart, a dropped connection): a 503 that says
"try again shortly", never a 500 with a traceback. Django discards the broken connection when
the request ends (it saw the error) and opens a new one for the next request, after checking
it (`CONN_HEALTH_CHECKS`), so the process recovers without a restart.

API views answer the problem document through `mobility.api.exceptions`; everything else
(pages, and anything under /api/ outside DRF) through this middleware."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string

from mobility.core.request_id import request_id_of

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5
logger = logging.getLogger("mobility.unavailable")


def log_unavailable(request: HttpRequest, exc: BaseException) -> None:
    logger.warning(
        "Database unavailable in %s %s (request %s): %s",
        request.method,
        request.path,
        request_id_of(request),
        type(exc).__name__,
    )


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, DATABASE_UNAVAILABLE):
            return None
        log_unavailable(request, exc)
        if request.path.startswith("/api/"):
            from mobility.api.exceptions import PROBLEM_CONTENT_TYPE, unavailable_body

            response = HttpResponse(
                json.dumps(unavailable_body(request)), status=503, content_type=PROBLEM_CONTENT_TYPE
            )
        else:
            # No request context: the context processors would ask the database again.
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
