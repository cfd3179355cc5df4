"""The benchmark scripts keep working (tiny sizes; the real figures are in docs/benchmarks.md)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("module", "args", "last"),
    [
        ("mobility.benchmarks.portal_for_me", ["--vacancies", "60", "--requests", "2"], "p50_ms="),
        ("mobility.benchmarks.workspace", ["--seekers", "40", "--requests", "2"], "caseload_p50_ms="),
        ("mobility.benchmarks.foreign_whatif", ["--applications", "50", "--repeat", "1"], "whatif_best_s="),
        ("mobility.benchmarks.proactive_offers", ["--seekers", "60", "--vacancies", "400"], "offers_s="),
    ],
)
def test_page_benchmarks_run(module, args, last):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1].startswith(last)
