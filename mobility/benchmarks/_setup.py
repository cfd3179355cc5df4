"""What every page benchmark does first: its own database and index folder, Django set up,
migrations applied."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What a benchmark's server allows: every client comes from 127.0.0.1, and the run measures the
# service, not its throttles.
UNTHROTTLED = {"API_RATE_ANON": "1000000/minute", "API_RATE_USER": "1000000/minute"}


def start_django(prefix: str, workdir: Path | None = None) -> Path:
    """A fresh SQLite file in a temporary folder (or BENCH_DATABASE_URL), migrated. `workdir`
    reuses a kept working folder (its index folder, and its SQLite file if there is one)."""
    workdir = workdir or Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}"
    )
    os.environ["MATCHING_INDEX_DIR"] = str(workdir / "index")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobility.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    print(f"database: {connection.vendor}", flush=True)
    call_command("migrate", verbosity=0)
    return workdir


def percentiles(timings: list[float]) -> tuple[float, float]:
    """Median and 95th percentile of request times."""
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def gunicorn_start(
    *, port: int, logs: Path, name: str, workers: int, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """gunicorn with the project's `gunicorn.conf.py`, production-like (`DEBUG=false`), on
    127.0.0.1:`port`, its logs as `logs/access-<name>.log` and `logs/error-<name>.log`; returns
    once `/healthz` answers (SystemExit after two minutes)."""
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "mobility.wsgi",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(logs / f"access-{name}.log"),
            "--error-logfile",
            str(logs / f"error-{name}.log"),
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "WEB_CONCURRENCY": str(workers),
            **UNTHROTTLED,
            **(env or {}),
        },
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):  # noqa: S310 - local
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer on port {port}; see {logs / f'error-{name}.log'}")
