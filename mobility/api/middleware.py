"""Under `/api/` every error is a problem document, even one Django answers before any API view
runs (a host it does not serve, a body over the limit read by a middleware, an exception in a
middleware, with or without `DEBUG`): the HTML page is replaced, and a 500 says nothing
internal, only the request id."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _

from mobility.api.exceptions import PROBLEM_CONTENT_TYPE, TITLES, problem, server_error_body

API_PREFIX = "/api/"


class ApiProblemMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            not request.path.startswith(API_PREFIX)
            or response.status_code < 400
            or response.get("Content-Type", "") == PROBLEM_CONTENT_TYPE
        ):
            return response
        if response.status_code >= 500:
            body = server_error_body(request)
        else:
            code = response.status_code
            body = problem(
                code,
                code="bad_request" if code == 400 else "error",
                title=_(TITLES.get(code, TITLES[400])),
                detail=_("The request was refused before it reached the API."),
                instance=request.path,
            )
        replaced = HttpResponse(
            json.dumps(body), status=response.status_code, content_type=PROBLEM_CONTENT_TYPE
        )
        for header, value in response.items():
            if header.lower() not in ("content-type", "content-length"):
                replaced[header] = value
        return replaced
