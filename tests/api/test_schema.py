"""The OpenAPI schema is generated, valid, and committed: `docs/openapi.yaml` must match what the
code generates (regenerate with the command in the failure message)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
REGENERATE = ".venv/bin/python manage.py spectacular --lang en --validate --file docs/openapi.yaml"


def test_committed_schema_matches_the_code(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--lang", "en", "--validate", "--fail-on-warn", "--file", str(generated))
    message = f"The API changed: run `{REGENERATE}` and commit it."
    assert generated.read_text() == COMMITTED.read_text(), message


def test_every_operation_documents_problem_answers():
    import yaml

    schema = yaml.safe_load(COMMITTED.read_text())
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for code in ("400", "401", "404", "429"):
                content = operation["responses"][code]["content"]
                assert "application/problem+json" in content, (method, path, code)
            if method == "post":
                names = {p["name"] for p in operation["parameters"]}
                assert "Idempotency-Key" in names, path


def _no_nul_strings(schema):
    """(where, schema) of every string the schema says refuses NUL."""
    from mobility.api.schema import NO_NUL_PATTERN

    found = []

    def walk(where, node):
        if isinstance(node, dict):
            if node.get("pattern") == NO_NUL_PATTERN:
                found.append((where, node))
            for key, value in node.items():
                walk(f"{where}.{key}", value)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(f"{where}[{i}]", value)

    walk("", schema)
    return found


def test_text_inputs_declare_that_they_refuse_nul():
    """Every text field of a request body and every text filter refuses NUL (Django's and DRF's
    `ProhibitNullCharactersValidator`): the schema says so with a pattern, and keeps the
    fields' own patterns."""
    import yaml

    schema = yaml.safe_load(COMMITTED.read_text())
    where = {w for w, _node in _no_nul_strings(schema)}
    components = schema["components"]["schemas"]
    title = components["VacancyCreateInputRequest"]["properties"]["title"]
    assert title["pattern"] == "^[^\\x00]+$"
    cover_note = components["ApplicationCreateInputRequest"]["properties"]["cover_note"]
    # it takes an empty string: oneOf the pattern or empty, and "" matches only the second
    assert cover_note["oneOf"][0]["pattern"] == "^[^\\x00]+$" and cover_note["oneOf"][1]["maxLength"] == 0
    assert any("/api/v1/vacancies/" in w and "parameters" in w for w in where)
    assert "^KZ-\\d{2}$" in COMMITTED.read_text()  # a field's own pattern is kept
    assert not any("responses" in w for w in where)  # inputs only


@pytest.mark.django_db
def test_every_text_filter_declared_so_refuses_nul(admin_user):
    """The server does what the schema says: each query parameter declared without NUL answers
    400 to one (as the administrator, who may call every operation)."""
    import yaml
    from rest_framework.test import APIClient

    schema = yaml.safe_load(COMMITTED.read_text())
    client = APIClient()
    client.force_authenticate(admin_user)
    checked = 0
    for path, item in schema["paths"].items():
        operation = item.get("get")
        if operation is None or "{" in path:
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and parameter["schema"].get("pattern") == "^[^\\x00]+$":
                answer = client.get(path, {parameter["name"]: "ab\x00c"})
                assert answer.status_code == 400, (path, parameter["name"], answer.status_code)
                checked += 1
    assert checked >= 5, checked
