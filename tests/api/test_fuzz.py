"""Schemathesis, in process, against the served schema: generated requests per operation (25 by
default, `API_FUZZ_EXAMPLES` to change) for an anonymous caller and for every role and kind of
key; no 5xx, and every answer conforms to the schema (status code, content type, headers, body).
This is CI's reduced run: `mobility.benchmarks.api_fuzz` is the full one (gunicorn, `--checks
all`, 150 examples per operation and caller; figures in docs/benchmarks.md).

PostgreSQL only (CI runs it once, in its PostgreSQL pass): it is the production database, and
it is the one that refuses what SQLite forgives (NUL bytes, integer overflow, strict types).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mobility.api import services as api_services
from tests.api.conftest import make_key
from tests.factories import centre

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# One persona per role (the BOLA matrix in test_bola.py covers the other parties of each role).
ROLES = [
    "anonymous",
    "aigerim",  # job seeker
    "bolat",  # employer
    "dana",  # counsellor
    "yerlan",  # regional manager
    "admin",
    "key_organisation",  # an organisation's API key, every scope
    "key_centre",  # a centre's API key, every scope
]
CALLS: dict[str, list[float]] = {}  # role → seconds of each request (tests/api/conftest.py reports them)


@pytest.fixture
def _in_process(db, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the schemathesis run is for PostgreSQL (CI runs it once, in its PostgreSQL pass)")
    # Throttle counters in process memory: the run is about the API, not about Redis latency.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # As Django's own test client does: keep the test's connection (and its transaction) open.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def credentials(world, aigerim, bolat, dana, yerlan, admin_user, bolat_org):
    people = {"aigerim": aigerim, "bolat": bolat, "dana": dana, "yerlan": yerlan, "admin": admin_user}
    out: dict[str, str | None] = {"anonymous": None}
    for name, user in people.items():
        out[name] = api_services.personal_token_create(user=user, name="fuzz", second_factor=True)[1]
    out["key_organisation"] = make_key(organisation=bolat_org)
    out["key_centre"] = make_key(centre_obj=centre("KZ-55-pavlodar"))
    return out


# The committed schema, which test_schema.py keeps identical to the generated one.
schema = schemathesis.openapi.from_path(str(Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"))
schema.app = get_wsgi_application()


@pytest.mark.postgres
@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("API_FUZZ_EXAMPLES", "25")),
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(_in_process, case, credentials):
    """Every generated request is sent once for each role (so each role gets as many examples
    per operation)."""
    for role in ROLES:
        secret = credentials[role]
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        started = time.monotonic()
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except Exception as exc:
            exc.add_note(f"as {role}")
            raise
        CALLS.setdefault(role, []).append(time.monotonic() - started)
