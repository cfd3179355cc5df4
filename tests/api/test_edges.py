"""Strict API edges (issue #12, item 1): each finding reproduced from the outside.

Crafted cursors, deeply nested JSON, oversized bodies, unexpected exceptions, conflicts,
fields a write cannot set, empty or malformed parameters, the client address behind proxies:
every answer a problem document (`application/problem+json`) that names what is wrong."""

from __future__ import annotations

import base64
import json
import uuid
from pathlib import Path

import pytest
from django.test import Client

from mobility.api.pagination import Cursor
from mobility.exchange.models import Vacancy
from tests.api.conftest import client_for

PROBLEM = "application/problem+json"


def _cursor(raw: str) -> str:
    return base64.b64encode(raw.encode()).decode()


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == PROBLEM, response["Content-Type"]
    body = response.json()
    assert body["status"] == status
    return body


def _fields(body: dict) -> set[str]:
    return {e["field"] for e in body.get("errors", []) if e["field"]}


# --- Cursors --------------------------------------------------------------------------------------


CRAFTED = ["p=abc", "p=1e400", "p=%00", "p=99999999999999999999999", "o=-1", "r=x", "p=1&o=1e400"]


@pytest.mark.parametrize("raw", CRAFTED)
def test_a_crafted_vacancy_cursor_is_a_400_naming_the_cursor(world, raw):
    response = client_for().get("/api/v1/vacancies/", {"cursor": _cursor(raw)})
    assert _fields(_problem(response, 400)) == {"cursor"}


@pytest.mark.parametrize("raw", ["p=abc", "p=not-a-date", "p=%00"])
def test_a_crafted_cursor_on_a_date_ordering_is_a_400(world, raw):
    response = client_for().get("/api/v1/vacancies/", {"cursor": _cursor(raw), "ordering": "-updated_at"})
    assert _fields(_problem(response, 400)) == {"cursor"}


@pytest.mark.parametrize("raw", ["p=abc", "p=1e400", "p=%00"])
def test_a_crafted_application_cursor_is_a_400(world, aigerim, raw):
    response = client_for(user=aigerim).get("/api/v1/applications/", {"cursor": _cursor(raw)})
    assert _fields(_problem(response, 400)) == {"cursor"}


@pytest.mark.parametrize("value", ["", "!!!", "%%%", "cD1h"])
def test_a_cursor_that_is_not_base64_or_empty_is_a_400(world, value):
    response = client_for().get(f"/api/v1/vacancies/?cursor={value}")
    assert _fields(_problem(response, 400)) == {"cursor"}


def test_genuine_cursors_still_page_through(world):
    client = client_for()
    first = client.get("/api/v1/vacancies/?page_size=1&ordering=-updated_at")
    assert first.status_code == 200
    second = client.get(first.json()["next"])
    assert second.status_code == 200
    assert second.json()["results"][0]["id"] != first.json()["results"][0]["id"]


# --- Parameters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query,field",
    [
        ("updated_since=", "updated_since"),
        ("updated_since=yesterday", "updated_since"),
        # PostgreSQL refuses offsets past ±15:59 (was a 500 found by the schemathesis run)
        ("updated_since=4812-01-01T00:00:00-18:47", "updated_since"),
        ("updated_since=2026-01-01T00:00:00-18:47", "updated_since"),
        ("updated_since=2026-01-01T00:00:00%2B14:01", "updated_since"),
        ("updated_since=4812-01-01T00:00:00Z", "updated_since"),
        ("updated_since=1899-12-31T23:59:59Z", "updated_since"),
        ("updated_since=2026-02-30T00:00:00Z", "updated_since"),
        ("page_size=-1", "page_size"),
        ("page_size=0", "page_size"),
        ("page_size=abc", "page_size"),
        ("page_size=201", "page_size"),
        ("page_size=", "page_size"),
        ("ordering=salary", "ordering"),
        ("ordering=", "ordering"),
        ("status=", "status"),
        ("region=", "region"),
        ("q=", "q"),
        ("housing=maybe", "housing"),
        ("organisation=1e400", "organisation"),
        ("organisation=1.5", "organisation"),
    ],
)
def test_empty_or_malformed_parameters_are_refused_by_name(world, query, field):
    response = client_for().get(f"/api/v1/vacancies/?{query}")
    assert _fields(_problem(response, 400)) == {field}


def test_well_formed_parameters_are_accepted(world):
    response = client_for().get(
        "/api/v1/vacancies/?page_size=200&ordering=-updated_at&housing=true&updated_since=2020-01-01T00:00:00Z"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "value",
    ["2026-01-01T00:00:00%2B14:00", "2026-01-01T00:00:00-12:00", "1900-01-01T00:00Z", "2026-03-01T09:00"],
)
def test_datetime_parameters_within_the_range_are_accepted(world, value):
    response = client_for().get(f"/api/v1/vacancies/?updated_since={value}")
    assert response.status_code == 200, response.content


def test_datetime_parameters_in_the_schema_declare_the_range():
    import yaml

    from mobility.api.filters import DATETIME_PATTERN

    schema = yaml.safe_load((Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml").read_text())
    formats = [
        parameter["schema"]
        for item in schema["paths"].values()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if parameter["schema"].get("format") == "date-time"
    ]
    assert formats and all(schema_.get("pattern") == DATETIME_PATTERN for schema_ in formats)


@pytest.mark.parametrize(
    "url,field",
    [
        ("/api/v1/vacancies/?status=published&status=closed", "status"),
        ("/api/v1/vacancies/?page_size=5&page_size=6", "page_size"),
        # found by the schemathesis run: the last value was taken and the others ignored
        ("/api/v1/reference/occupations/?q=welder&q=x", "q"),
        ("/api/v1/reference/skills/?q=welding&limit=5&limit=500", "limit"),
    ],
)
def test_a_parameter_given_twice_is_refused_by_name(world, url, field):
    assert _fields(_problem(client_for().get(url), 400)) == {field}


def test_empty_parameters_are_refused_on_other_lists(world, dana):
    response = client_for(user=dana).get("/api/v1/registrations/?status=")
    assert _fields(_problem(response, 400)) == {"status"}
    response = client_for(user=dana).get("/api/v1/seekers/?page_size=-1")
    assert _fields(_problem(response, 400)) == {"page_size"}


# --- Deeply nested JSON and body size -------------------------------------------------------------


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_deeply_nested_json_is_a_400_on_every_write(world, bolat, aigerim, depth):
    employer, seeker = client_for(user=bolat), client_for(user=aigerim)
    for client, method, url in [
        (employer, "post", "/api/v1/vacancies/"),
        (employer, "post", "/api/v1/vacancies/bulk/"),
        (employer, "patch", f"/api/v1/vacancies/{world.bolat_draft.id}/"),
        (employer, "post", f"/api/v1/vacancies/{world.bolat_draft.id}/status/"),
        (seeker, "post", "/api/v1/applications/"),
    ]:
        response = getattr(client, method)(url, _nested(depth), content_type="application/json")
        body = _problem(response, 400)
        assert body["code"] == "json_too_deep", (url, body)


def test_json_at_the_nesting_limit_is_parsed(world, bolat):
    deep: object = "x"
    for _ in range(31):
        deep = [deep]
    response = client_for(user=bolat).post(
        "/api/v1/vacancies/", {"title": deep, "region": "KZ-55"}, format="json"
    )
    body = _problem(response, 400)
    assert body["code"] == "validation" and _fields(body) == {"title"}


def test_deeply_nested_json_is_refused_by_the_mobile_sync(dana):
    client = Client()
    client.force_login(dana)
    body = f'{{"client_key": "{uuid.uuid4()}", "kind": "note", "payload": {_nested(1000)}}}'
    response = client.post("/en/staff/mobile/sync/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "payload"


def test_a_body_over_the_limit_is_a_413_problem(world, bolat, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"title": "x" * 2000, "region": "KZ-55"})
    response = client_for(user=bolat).post("/api/v1/vacancies/", body, content_type="application/json")
    body = _problem(response, 413)
    assert body["code"] == "too_large"
    assert "1000" in body["detail"]


def test_a_body_over_the_limit_is_a_413_on_the_mobile_sync(dana, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = Client()
    client.force_login(dana)
    body = json.dumps({"client_key": str(uuid.uuid4()), "kind": "note", "payload": {"text": "x" * 2000}})
    response = client.post("/en/staff/mobile/sync/", body, content_type="application/json")
    assert response.status_code == 413


# --- Unexpected errors ----------------------------------------------------------------------------


@pytest.fixture
def broken_vacancy_list(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("postgres://secret@db.internal/mobility is down")

    monkeypatch.setattr("mobility.api.selectors.vacancies_visible", explode)


@pytest.mark.parametrize("debug", [False, True])
def test_an_unexpected_error_is_a_500_problem_with_a_request_id_and_nothing_internal(
    world, broken_vacancy_list, settings, debug, caplog
):
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/vacancies/")
    body = _problem(response, 500)
    assert body["code"] == "server_error"
    assert body["request_id"] == response["X-Request-ID"]
    assert "postgres" not in response.content.decode() and "RuntimeError" not in response.content.decode()
    # The details are in the log, under the same request id.
    assert any(body["request_id"] in record.getMessage() for record in caplog.records)


def test_the_request_id_of_a_trusted_proxy_is_kept(world):
    response = client_for().get("/api/v1/vacancies/", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"
    response = client_for().get("/api/v1/vacancies/", HTTP_X_REQUEST_ID="<script>" * 20)
    assert response["X-Request-ID"] != "<script>" * 20


def test_an_html_error_from_outside_the_api_views_becomes_a_problem(world, settings):
    """Django answers a host it does not serve with its own 400 page, before any view."""
    settings.ALLOWED_HOSTS = ["mobility.example.kz"]
    response = Client().get("/api/v1/vacancies/", HTTP_HOST="evil.example.com")
    _problem(response, 400)


@pytest.mark.parametrize(
    "method,url,status",
    [
        ("put", "/api/v1/vacancies/", 405),
        ("delete", "/api/v1/applications/", 405),
        ("post", "/api/v1/reference/regions/", 405),
    ],
)
def test_method_not_allowed_is_a_problem_with_allow(world, bolat, method, url, status):
    response = getattr(client_for(user=bolat), method)(url)
    _problem(response, status)
    assert response["Allow"]


def test_unsupported_media_type_is_a_415_problem(world, bolat):
    response = client_for(user=bolat).post("/api/v1/vacancies/", "title=x", content_type="text/plain")
    _problem(response, 415)


# --- Conflicts ------------------------------------------------------------------------------------


def test_a_duplicate_application_is_a_409(world, aigerim):
    response = client_for(user=aigerim).post(
        "/api/v1/applications/", {"vacancy": world.bolat_published.id}, format="json"
    )
    body = _problem(response, 409)
    assert body["code"] == "conflict"


def test_an_existing_external_id_is_a_409(world, bolat):
    client = client_for(user=bolat)
    response = client.post(
        "/api/v1/vacancies/", {"title": "Ещё", "region": "KZ-55", "external_id": "B-1"}, format="json"
    )
    body = _problem(response, 409)
    assert body["code"] == "conflict"
    assert Vacancy.objects.filter(external_id="B-1").count() == 1
    response = client.patch(
        f"/api/v1/vacancies/{world.bolat_draft.id}/", {"external_id": "B-1"}, format="json"
    )
    _problem(response, 409)


def test_a_duplicate_refused_by_the_database_is_a_409(world, bolat, monkeypatch):
    """Two requests racing past the service's checks: the unique constraint decides."""
    from django.db import IntegrityError

    def lose_the_race(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: exchange_vacancy.organisation_id, external_id")

    monkeypatch.setattr("mobility.exchange.services.vacancy_create", lose_the_race)
    response = client_for(user=bolat).post(
        "/api/v1/vacancies/", {"title": "Ещё", "region": "KZ-55", "external_id": "B-9"}, format="json"
    )
    assert _problem(response, 409)["code"] == "conflict"


def test_a_plain_validation_error_stays_a_400(world, bolat):
    response = client_for(user=bolat).post(
        "/api/v1/vacancies/", {"title": "Ещё", "region": "KZ-55", "salary_min": 1}, format="json"
    )
    _problem(response, 400)


# --- Fields a write cannot set --------------------------------------------------------------------


def test_patching_the_status_is_refused_naming_it(world, bolat):
    url = f"/api/v1/vacancies/{world.bolat_published.id}/"
    response = client_for(user=bolat).patch(url, {"status": "closed"}, format="json")
    body = _problem(response, 400)
    assert _fields(body) == {"status"}
    assert Vacancy.objects.get(pk=world.bolat_published.pk).status == Vacancy.Status.PUBLISHED


def test_unknown_and_read_only_fields_are_refused_naming_them(world, bolat, aigerim):
    employer = client_for(user=bolat)
    response = employer.post(
        "/api/v1/vacancies/", {"title": "Новая", "region": "KZ-55", "id": 5, "salary": 1}, format="json"
    )
    assert _fields(_problem(response, 400)) == {"id", "salary"}
    response = employer.post(
        "/api/v1/vacancies/bulk/",
        {"vacancies": [{"external_id": "N-1", "title": "Новая", "region": "KZ-55", "created_at": "x"}]},
        format="json",
    )
    assert _fields(_problem(response, 400)) == {"vacancies/0/created_at"}
    response = employer.post(
        f"/api/v1/vacancies/{world.bolat_draft.id}/status/",
        {"status": "paused", "when": "now"},
        format="json",
    )
    assert _fields(_problem(response, 400)) == {"when"}
    response = client_for(user=aigerim).post(
        "/api/v1/applications/", {"vacancy": world.other_draft.id, "status": "hired"}, format="json"
    )
    assert _fields(_problem(response, 400)) == {"status"}


def test_every_input_serializer_refuses_unknown_fields():
    """A new write operation gets the rule by inheriting it; this finds one that does not."""
    from mobility.api import base
    from mobility.api.serializers import StrictSerializer

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    import mobility.api.apis.applications  # noqa: F401
    import mobility.api.apis.people  # noqa: F401
    import mobility.api.apis.vacancies  # noqa: F401

    writes = [
        view
        for view in subclasses(base.ApiView)
        if any(hasattr(view, m) for m in ("post", "patch", "put")) and hasattr(view, "InputSerializer")
    ]
    assert len(writes) >= 5
    for view in writes:
        assert issubclass(view.InputSerializer, StrictSerializer), view


# --- Trusted proxies ------------------------------------------------------------------------------


def test_rotating_x_forwarded_for_does_not_reset_the_anonymous_budget(world, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}
    statuses = [
        client_for().get("/api/v1/reference/regions/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_a_spoofed_address_does_not_spend_someone_elses_budget(world, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1/minute"}}
    victim = client_for().get("/api/v1/reference/regions/", REMOTE_ADDR="192.0.2.10")
    assert victim.status_code == 200
    attacker = client_for().get(
        "/api/v1/reference/regions/", REMOTE_ADDR="192.0.2.66", HTTP_X_FORWARDED_FOR="192.0.2.99"
    )
    assert attacker.status_code == 200
    # The attacker named 192.0.2.99; the owner of that address still has a budget.
    owner = client_for().get("/api/v1/reference/regions/", REMOTE_ADDR="192.0.2.99")
    assert owner.status_code == 200


def test_behind_one_trusted_proxy_the_address_it_appended_counts(world, settings):
    settings.NUM_PROXIES = 1
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "NUM_PROXIES": 1,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute"},
    }
    proxy = "10.0.0.1"

    def call(forwarded: str) -> int:
        return (
            client_for()
            .get("/api/v1/reference/regions/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded)
            .status_code
        )

    assert call("198.51.100.7") == 200
    # The client prepends a fake address: the proxy's own entry (last) still counts.
    assert call("203.0.113.1, 198.51.100.7") == 429
    assert call("198.51.100.8") == 200


# --- The schema declares the limits ---------------------------------------------------------------


def test_the_schema_declares_the_limits_the_server_enforces():
    from pathlib import Path

    import yaml

    schema = yaml.safe_load((Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml").read_text())
    operation = schema["paths"]["/api/v1/vacancies/"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["page_size"]["schema"]["maximum"] == Cursor.max_page_size
    assert params["page_size"]["schema"]["minimum"] == 1
    assert params["cursor"]["schema"]["minLength"] == 1
    assert params["q"]["schema"]["maxLength"] == 200
    for name, param in params.items():
        if param["in"] == "query" and param["schema"].get("type") == "string":
            assert param["schema"].get("minLength") == 1, name
    create = schema["paths"]["/api/v1/vacancies/"]["post"]
    assert create["requestBody"]["x-max-body-bytes"] > 0
    assert create["requestBody"]["x-max-json-depth"] == 32
    assert "413" in create["responses"] and "409" in create["responses"]
    assert "500" in operation["responses"]
    title = schema["components"]["schemas"]["VacancyCreateInputRequest"]["properties"]["title"]
    assert title["maxLength"] == 200
    assert schema["components"]["schemas"]["VacancyCreateInputRequest"]["additionalProperties"] is False


def test_unknown_field_names_are_echoed_without_control_characters(world, bolat):
    """The answer is stored for Idempotency-Key retries; PostgreSQL refuses NUL in JSON."""
    response = client_for(user=bolat).post(
        "/api/v1/vacancies/",
        '{"title": "x", "region": "KZ-55", "a\\u0000b": 1, "\\ud8e1": 2, "' + "k" * 500 + '": 3}',
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="nul-in-a-name",
    )
    body = _problem(response, 400)
    assert _fields(body) == {"a\ufffdb", "\ufffd", "k" * 100}
    assert "\\u0000" not in response.content.decode()
