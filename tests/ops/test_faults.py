"""Fault tests on PostgreSQL (issue #12, item 7): the database connection dropped mid-request
(its backend terminated with pg_terminate_backend from another connection, as a failover or a
restart does) answers a clean 503 — a problem document under /api/, a page elsewhere — and the
next request succeeds on the same running server, without a restart (Django drops the broken
connection; CONN_HEALTH_CHECKS checks a kept one before reuse)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import psycopg
import pytest
from django.db import connection, connections

from mobility.api import selectors as api_selectors
from mobility.reference import selectors as reference_selectors
from tests.factories import VacancyFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _terminate_own_backend() -> None:
    """From another connection, end the server process behind this thread's connection."""
    s = connection.settings_dict
    pid = connection.connection.info.backend_pid
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    url = f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    with psycopg.connect(url, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.fixture
def kept_connections():
    """Connections kept between requests, as in production (DB_CONN_MAX_AGE=60), so the next
    request meets the broken one unless Django drops or checks it."""
    if connection.vendor != "postgresql":
        pytest.skip("the fault tests drop PostgreSQL connections")
    settings_dict = connections.settings["default"]
    before = (settings_dict["CONN_MAX_AGE"], settings_dict["CONN_HEALTH_CHECKS"])
    settings_dict["CONN_MAX_AGE"], settings_dict["CONN_HEALTH_CHECKS"] = 600, True
    yield
    settings_dict["CONN_MAX_AGE"], settings_dict["CONN_HEALTH_CHECKS"] = before


def _dropping_once(monkeypatch, module, name):
    """The selector `module.name` ends its connection the first time it is called, then runs."""
    original = getattr(module, name)
    calls = {"n": 0}

    def dropping(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            with connection.cursor() as cursor:  # the request's own connection is open and alive
                cursor.execute("SELECT 1")
            _terminate_own_backend()
        result = original(*args, **kwargs)
        return list(result) if calls["n"] == 1 else result  # evaluate now, on the dead connection

    monkeypatch.setattr(module, name, dropping)
    return calls


def _get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - the test's live server
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the live server
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_api_answers_503_problem_when_the_connection_drops_then_recovers(
    live_server, kept_connections, monkeypatch
):
    VacancyFactory(title="Welder")
    calls = _dropping_once(monkeypatch, api_selectors, "vacancies_visible")
    url = f"{live_server.url}/api/v1/vacancies/"

    status, headers, body = _get(url, **{"X-Request-ID": "drop-1"})
    assert calls["n"] == 1
    assert status == 503, body
    assert headers["Content-Type"] == "application/problem+json"
    assert headers["Retry-After"] == "5"
    problem = json.loads(body)
    assert problem["code"] == "unavailable" and problem["status"] == 503
    assert problem["request_id"] == "drop-1"
    assert "terminat" not in body and "psycopg" not in body  # nothing internal

    status, _headers, body = _get(url)
    assert status == 200, body
    assert [v["title"] for v in json.loads(body)["results"]] == ["Welder"]


def test_a_page_answers_503_when_the_connection_drops_then_recovers(
    live_server, kept_connections, monkeypatch
):
    calls = _dropping_once(monkeypatch, reference_selectors, "region_list")
    url = f"{live_server.url}/en/regions/"

    status, headers, body = _get(url)
    assert calls["n"] == 1
    assert status == 503, body[:500]
    assert headers["Content-Type"].startswith("text/html")
    assert "Service temporarily unavailable" in body and "Traceback" not in body

    status, _headers, body = _get(url)
    assert status == 200
    assert calls["n"] == 2  # the page read the regions again, on a new connection
