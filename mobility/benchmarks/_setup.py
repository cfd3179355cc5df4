"""What every page benchmark does first: its own database and index folder, Django set up,
migrations applied."""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path


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
