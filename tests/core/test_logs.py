"""JSON log lines carry the request id the answer carries (issue #12, operations)."""

from __future__ import annotations

import io
import json
import logging

import pytest

from mobility.core.logs import JsonFormatter, RequestIdFilter


@pytest.fixture
def json_lines():
    """What the production handler writes, for the loggers the service uses."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_a_logged_answer_carries_the_request_id(client, db, json_lines):
    response = client.get("/api/v1/vacancies/999999/", HTTP_X_REQUEST_ID="partner-42.a")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "partner-42.a"
    lines = [line for line in json_lines() if line["logger"] == "django.request"]
    assert lines, "Django logs every 4xx answer"
    assert lines[-1]["request_id"] == "partner-42.a"
    assert lines[-1]["level"] == "WARNING"
    assert lines[-1]["path"] == "/api/v1/vacancies/999999/"
    assert lines[-1]["status_code"] == 404


def test_lines_logged_while_serving_carry_the_request_id(rf, json_lines):
    from mobility.core.request_id import RequestIdMiddleware

    def view(request):
        logging.getLogger("mobility.test").info("inside", extra={"seeker": 7})
        from django.http import HttpResponse

        return HttpResponse("ok")

    RequestIdMiddleware(view)(rf.get("/", HTTP_X_REQUEST_ID="abc"))
    logging.getLogger("mobility.test").warning("outside")
    inside, outside = [line for line in json_lines() if line["logger"] == "mobility.test"]
    assert inside["request_id"] == "abc" and inside["seeker"] == 7 and inside["message"] == "inside"
    assert outside["request_id"] == "-"


def test_a_traceback_is_one_json_line(json_lines):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("mobility.test").exception("failed")
    (line,) = [line for line in json_lines() if line["logger"] == "mobility.test"]
    assert line["level"] == "ERROR" and "ValueError: boom" in line["exception"]
