"""The OpenAPI schema is generated, valid, and committed: `docs/openapi.yaml` must match what the
code generates (regenerate with the command in the failure message)."""

from __future__ import annotations

from pathlib import Path

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
