"""Static checks that CI runs besides ruff and mypy (issue #12, item 9): every dependency has an
upper bound, so an incompatible major release never arrives unannounced; ruff's security rules
stay selected; `make lint` runs `pip check`."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
UPPER = ("<", "<=", "==", "~=", "===")


def _requirements() -> list[str]:
    project = PYPROJECT["project"]
    extras = [r for group in project.get("optional-dependencies", {}).values() for r in group]
    return [*PYPROJECT["build-system"]["requires"], *project["dependencies"], *extras]


def test_every_dependency_has_an_upper_bound():
    unbounded = [
        text
        for text in _requirements()
        if not any(spec.operator in UPPER for spec in Requirement(text).specifier)
    ]
    assert unbounded == [], f"add an upper bound to: {unbounded}"


def test_ruff_security_rules_are_selected():
    assert "S" in PYPROJECT["tool"]["ruff"]["lint"]["select"]


def test_make_lint_checks_installed_requirements():
    lint = (ROOT / "Makefile").read_text().split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "pip check" in lint


def test_every_silenced_security_finding_says_why():
    """ruff's security rules (S, flake8-bandit) are fixed or silenced with a reason:
    `# noqa: S603 - fixed arguments`. A bare `# noqa: S...` hides a finding without review."""
    import re

    bare = re.compile(r"#\s*noqa:\s*S\d+(?:\s*,\s*[A-Z]+\d+)*\s*$")
    found = []
    for path in ROOT.rglob("*.py"):
        if any(part in {".venv", "build", "migrations", "node_modules"} for part in path.parts):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if bare.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert found == [], f"give a reason after ` - `: {found}"


def test_ci_runs_the_static_checks_and_the_suite_on_postgresql():
    """`make test` runs `make lint` (pip check, ruff, mypy, migrations) first; CI runs it, then the
    whole suite again on PostgreSQL, where the fault, backup/restore, worker-kill and fuzz tests
    run (they skip on SQLite)."""
    makefile = (ROOT / "Makefile").read_text()
    assert "\ntest: lint\n" in makefile
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
    # the whole suite (no -m, no path), on both cores as `make test` runs it
    assert 'DATABASE_URL="postgres://' in ci and ".venv/bin/pytest -n auto --maxprocesses=8\n" in ci
    assert "-n $(TEST_JOBS) --maxprocesses=8" in makefile
    for postgres_only in (
        "tests/ops/test_faults.py",
        "tests/ops/test_backup_restore.py",
        "tests/notifications/test_sigkill.py",
        "tests/api/test_fuzz.py",
    ):
        assert "pytest.mark.postgres" in (ROOT / postgres_only).read_text(), postgres_only
