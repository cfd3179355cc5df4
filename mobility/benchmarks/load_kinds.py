"""The load test's request kinds one at a time (issue #12, item 8): CPU per request of each kind
of the locust mix, measured in one process with Django's test client on a database seeded by the
load test's own seeding (`mobility.benchmarks.load.seed`) and its matcher index.

    # once: (re)create the database, migrate, seed, rebuild the index into --dir
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test_perf \\
        nice -n 5 .venv/bin/python -m mobility.benchmarks.load_kinds prepare \\
        --dir /tmp/load-kinds --vacancies 5000 --seekers 2500
    # then, as often as needed (A/B: run it on each branch against the same database):
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test_perf \\
        .venv/bin/python -m mobility.benchmarks.load_kinds measure --dir /tmp/load-kinds --repeat 6

`measure` signs in (`force_login`; the second factor counted as given) the users of the mix and
requests each kind `--repeat` times after one warm-up request, with the same URLs the locust
users build (`mobility.benchmarks.locustfile`): a search with a taxonomy word, "Vacancies for
me", a vacancy page, an employer's ranked candidates, a counsellor's caseload, an API read. Per
kind it prints the median wall time (includes the database), the process CPU per request
(`time.process_time`: the Python side only, far less sensitive to a busy machine than the wall
time), the CPU of the PostgreSQL backend serving it (from /proc, clock ticks of 10 ms averaged
over the requests) and the number of queries. Last line: `kinds_weighted_cpu_ms=…
database_cpu_ms=…`, weighted by the mix.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

# Share of each kind in the locust mix (the API's upserts are left out: writes, not measured here).
SHARES = {
    "search": 0.40,
    "for me": 0.20,
    "vacancy page": 0.10,
    "candidates": 0.10,
    "caseload": 0.10,
    "api read": 0.07,
}


def _django(workdir: Path) -> None:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Set BENCH_DATABASE_URL=postgres://…/<name> (the load test's database)")
    os.environ["DATABASE_URL"] = url
    os.environ["MATCHING_INDEX_DIR"] = str(workdir / "index")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobility.settings")
    # as the load test's gunicorn: no debug, its rate limits raised, Django's test client's host
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("DB_CONN_MAX_AGE", "600")  # one backend for the run, as in production
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("API_RATE_ANON", "1000000/minute")
    os.environ.setdefault("API_RATE_USER", "1000000/minute")
    import django

    django.setup()


def prepare(args: argparse.Namespace) -> None:
    """Recreate, migrate and seed the database; rebuild the index; write the world file."""
    from mobility.benchmarks.load import _recreate, seed

    workdir = Path(args.dir)
    workdir.mkdir(parents=True, exist_ok=True)
    _recreate(os.environ.get("BENCH_DATABASE_URL", ""), args.template)
    _django(workdir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    world = seed(vacancies=args.vacancies, seekers=args.seekers, staff=4, rng=random.Random(args.seed))
    print(f"seeded in {time.perf_counter() - started:.1f} s", flush=True)
    from matching import services as matching

    started = time.perf_counter()
    matching.index_rebuild()
    print(f"index rebuilt in {time.perf_counter() - started:.1f} s", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, as autovacuum would gather them in time
    (workdir / "world.json").write_text(json.dumps(world))


def _urls(world: dict[str, Any], rng: random.Random, repeat: int) -> dict[str, list[tuple[str, str]]]:
    """(who, url) per kind: the URLs the locust users build, drawn with a fixed seed."""
    seekers = world["seekers"][:repeat]
    lang = {s: world["seeker_languages"].get(s, "ru") for s in seekers}
    staff = world["staff"][0]["email"]
    return {
        "search": [
            (s, f"/{lang[s]}/vacancies/?{urlencode({'q': rng.choice(world['queries'][lang[s]])})}")
            for s in seekers
        ],
        "for me": [(s, f"/{lang[s]}/me/for-me/") for s in seekers],
        "vacancy page": [(s, f"/{lang[s]}/vacancies/{rng.choice(world['vacancies'])}/") for s in seekers],
        "candidates": [
            (
                world["employer"],
                f"/ru/employer/vacancies/{rng.choice(world['employer_vacancies'])}/candidates/",
            )
            for _ in seekers
        ],
        "caseload": [(staff, f"/ru/staff/cases/?page={1 + k % 3}") for k in range(len(seekers))],
        "api read": [
            ("", f"/api/v1/vacancies/?region={rng.choice(world['regions'])}&page_size=20") for _ in seekers
        ],
    }


def _backend_cpu(pid: int) -> float:
    """CPU seconds used so far by the PostgreSQL backend serving this process (from /proc: the
    database runs on the same machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(args: argparse.Namespace) -> None:
    """Request each kind after a warm-up; print wall, CPU and queries per request."""
    workdir = Path(args.dir)
    _django(workdir)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mobility.accounts import twofactor
    from mobility.accounts.models import User

    # the counsellors' TOTP step is not what is measured: their session counts as verified
    twofactor.second_factor_satisfied = lambda request: True

    world = json.loads((workdir / "world.json").read_text())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])
    clients: dict[str, Client] = {}

    def client_for(email: str) -> Client:
        if email not in clients:
            client = Client(HTTP_AUTHORIZATION=f"Bearer {world['api_key']}") if not email else Client()
            if email:
                client.force_login(User.objects.get(email=email))
            clients[email] = client
        return clients[email]

    kinds = args.kinds.split(",") if args.kinds else list(SHARES)
    urls = _urls(world, random.Random(args.seed), args.repeat)
    weighted, weighted_database = 0.0, 0.0
    print("| kind | share | wall, median ms | process CPU ms/request | PostgreSQL CPU ms/request | queries |")
    print("|---|---|---|---|---|---|")
    for kind in kinds:
        plan = urls[kind]
        who, first = plan[0]
        answer = client_for(who).get(first)  # warm-up: caches, the index loaded
        if answer.status_code != 200:
            raise SystemExit(f"{kind}: {first} answered {answer.status_code}")
        walls: list[float] = []
        cpus: list[float] = []
        queries: list[int] = []
        database = _backend_cpu(backend)
        for who, url in plan:
            client = client_for(who)
            with CaptureQueriesContext(connection) as captured:
                wall, cpu = time.perf_counter(), time.process_time()
                answer = client.get(url)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            if answer.status_code != 200:
                raise SystemExit(f"{kind}: {url} answered {answer.status_code}")
            queries.append(len(captured.captured_queries))
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            if int(cursor.fetchone()[0]) != backend:
                raise SystemExit("the database connection was replaced: the backend's CPU is not comparable")
        database_ms = 1000 * (_backend_cpu(backend) - database) / len(plan)
        cpu_ms = 1000 * statistics.mean(cpus)
        weighted += SHARES[kind] * cpu_ms
        weighted_database += SHARES[kind] * database_ms
        print(
            f"| {kind} | {SHARES[kind]:.0%} | {1000 * statistics.median(walls):,.0f} "
            f"| {cpu_ms:,.0f} | {database_ms:,.0f} "
            f"| {statistics.median(queries):.0f} |",
            flush=True,
        )
    share = sum(SHARES[k] for k in kinds)
    print(
        f"kinds_weighted_cpu_ms={weighted / share:.1f} database_cpu_ms={weighted_database / share:.1f} "
        f"load_avg={os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare", help="recreate, migrate, seed, rebuild the index")
    p.add_argument("--dir", required=True, help="folder for the index and the world file")
    p.add_argument("--vacancies", type=int, default=5000)
    p.add_argument("--seekers", type=int, default=2500)
    p.add_argument("--template", default="", help="copy this migrated database instead of an empty one")
    p.add_argument("--seed", type=int, default=12)
    m = sub.add_parser("measure", help="CPU per request of each kind")
    m.add_argument("--dir", required=True)
    m.add_argument("--repeat", type=int, default=6)
    m.add_argument("--kinds", default="", help="comma list of kinds (default: all)")
    m.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    prepare(args) if args.command == "prepare" else measure(args)


if __name__ == "__main__":
    main()
