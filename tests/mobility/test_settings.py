"""Production settings fail loudly without their secrets and pass the deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(env_extra, *args):
    cleared = {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in cleared}
    env.update(env_extra)
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _run({"DJANGO_ENV": "production", "ALLOWED_HOSTS": "example.kz"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _run({"DJANGO_ENV": "production", "ALLOWED_HOSTS": "example.kz", "SECRET_KEY": "short"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _run({"DJANGO_ENV": "production", "SECRET_KEY": "k" * 60 + "Q9!x"}, "check")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_a_malformed_boolean_is_an_error():
    result = _run({"DEBUG": "maybe"}, "check")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_production_passes_the_deploy_check():
    result = _run(
        {
            "DJANGO_ENV": "production",
            "ALLOWED_HOSTS": "mobility.example.kz",
            "SECRET_KEY": "a9F!kq2#Lm7@Zr4$Tx8%Wp1^Bc6&Yd3*Nh5(Gs0)Jv-Qe=Ou+Ri_Sf~Ul",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_local_defaults_need_nothing():
    result = _run({"DJANGO_ENV": "local"}, "check")
    assert result.returncode == 0, result.stderr
