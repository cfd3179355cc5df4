"""The benchmark scripts keep working (tiny sizes; the real figures are in docs/benchmarks.md)."""

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.postgres import database_url

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def _copy_of_the_test_database(suffix: str) -> Iterator[tuple[str, dict[str, str]]]:
    """(the test database's name, a subprocess environment whose BENCH_DATABASE_URL names a
    database the benchmark script may recreate as a copy of it); that copy is dropped at the end."""
    import psycopg
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("the script runs on PostgreSQL only")
    template = connection.settings_dict["NAME"]
    target = f"{template}_{suffix}"
    connections.close_all()  # a template database must have no other session
    # Threads of earlier tests in a long run (the matcher's refresher, live servers) may still
    # hold a session on the test database: end them, as a template copy requires.
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (template,),
        )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env["BENCH_DATABASE_URL"] = database_url(target)
    try:
        yield template, env
    finally:
        with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'.encode())


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
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        # The scripts make their own SQLite database whatever the suite runs on: CI's PostgreSQL
        # pass would repeat the SQLite pass's run (two and a half minutes) to the letter.
        pytest.skip("the page benchmarks run on their own SQLite database: once, in the SQLite pass")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1].startswith(last)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # no open transaction: the test database is copied
def test_the_load_test_runs_at_tiny_scale():
    """The load test end to end on PostgreSQL (a copy of the test database, a few hundred rows,
    one step of 10 users for 10 s): the users sign in, the step's figures parse and no request
    failed. The latency limit is lifted: CI machines are not the benchmark's."""
    import json

    with _copy_of_the_test_database("load") as (template, env):
        command = [
            *(sys.executable, "-m", "mobility.benchmarks.load", "--recreate", "--template", template),
            *("--vacancies", "300", "--seekers", "200", "--steps", "10", "--warmup", "6", "--measure", "10"),
            *("--workers", "2", "--p95-limit", "1000000"),
        ]
        # its own session: on a timeout the runner, gunicorn and locust are stopped together
        runner = subprocess.Popen(  # noqa: S603 - fixed arguments
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = runner.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            os.killpg(runner.pid, signal.SIGKILL)
            stdout, stderr = runner.communicate()
    assert runner.returncode == 0, stdout[-2000:] + stderr[-2000:]
    steps = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    assert len(steps) == 1
    step = steps[0]
    assert step["requests"] > 0 and step["failures"] == 0, step
    assert step["sign_ins"]["failed"] == 0 and not step["errors"]
    assert all(kind["failures"] == 0 for kind in step["kinds"].values())
    assert stdout.strip().splitlines()[-1].startswith("load_best_rps=")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # no open transaction: the test database is copied
def test_the_per_kind_measure_runs_at_tiny_scale(tmp_path):
    """`load_kinds` on PostgreSQL (a copy of the test database, a few hundred rows): every kind
    of the mix answers 200 and the weighted figures print."""
    module = (sys.executable, "-m", "mobility.benchmarks.load_kinds")
    with _copy_of_the_test_database("kinds") as (template, env):
        for args in (
            (
                "prepare",
                "--dir",
                str(tmp_path),
                "--template",
                template,
                "--vacancies",
                "300",
                "--seekers",
                "200",
            ),
            ("measure", "--dir", str(tmp_path), "--repeat", "2"),
        ):
            result = subprocess.run(  # noqa: S603 - fixed arguments
                [*module, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
            )
            assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    assert sum(line.startswith("| ") for line in lines) == 1 + 6  # the header, six kinds
    assert lines[-1].startswith("kinds_weighted_cpu_ms=")


def test_the_national_scale_benchmark_runs_at_tiny_scale_with_forked_workers(tmp_path):
    """`matching.bench.scale` with two encoding workers over batches of 200 (the project's own
    taxonomy, no ESCO): the build runs in the workers, the figures print, an update is seen."""
    import json

    env = {k: v for k, v in os.environ.items() if k != "ESCO_DIR"}
    args = ("--vacancies", "300", "--seekers", "900", "--queries", "5", "--workers", "2", "--batch", "200")
    args += ("--save-dir", str(tmp_path / "artifact"))
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "matching.bench.scale", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["build_workers"] == 2 and report["seekers"] == 900
    assert report["peak_worker_rss_mb"] > 0  # a forked worker encoded
    assert report["peak_build_pss_mb"] > 0 and report["build_seekers_cpu_s"] > 0
    assert report["update_visible"] and report["remove_visible"]
    assert report["seeker_to_top20_vacancies"]["p95_ms"] > 0
    worker = report["web_worker"]  # a fresh process loaded the saved artifact and measured itself
    assert worker["after_load_and_queries"]["Pss"] > 0 and worker["after_taxonomy"]["Rss"] > 0
