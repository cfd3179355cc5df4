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
