"""The load test (issue #12, item 8): locust, headless and bounded in time, against gunicorn and
PostgreSQL on 127.0.0.1, with 20,000 published vacancies and 10,000 registered job seekers.

    createdb -h 127.0.0.1 -U postgres load_bench
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/load_bench \\
    REDIS_URL=redis://127.0.0.1:6379/5 \\
        nice -n 10 .venv/bin/python -m mobility.benchmarks.load --recreate \\
        --workers 3 --steps 20,40,60,80,100,120 --warmup 20 --measure 60

What it does:

1. (`--recreate`) drops and creates the database named in BENCH_DATABASE_URL, migrates it;
2. seeds in bulk, from the project taxonomy: `--vacancies` published vacancies (titles and
   descriptions in ru, kk or en, 3–6 required skills linked to the taxonomy, any region) across
   40 verified employers; `--seekers` job seekers with accounts, profiles, skills and wanted
   occupations, each registered at a career centre of their region with an open case file and a
   three-step plan (a quarter of them at the Pavlodar centre, whose counsellors the staff users
   are); a verified employer (the candidates page) and an organisation API key (reads and
   upserts by `external_id`); counsellors with a confirmed authenticator (TOTP device);
3. publishes the matcher's index with the rebuild service (`matching.services.index_rebuild`);
4. starts gunicorn (`gunicorn.conf.py`, `DEBUG=false`, the Redis cache of REDIS_URL, database
   connections kept 10 minutes as in production) on 127.0.0.1; no django-q2 cluster: nothing in
   the mix needs one (the webhook fan-out has no subscribers here);
5. runs `locust -f mobility/benchmarks/locustfile.py --headless`, bounded in time: its load
   shape stops after the last step (and the runner kills it at a deadline); the shape steps the
   number of users (each user does about `--user-rate` requests a second; the users
   sign in through the real pages first, staff with a TOTP code). Each step: users added, then
   `--warmup` seconds (sign-ins, workers loading the index) not counted, then `--measure`
   seconds counted;
6. prints one JSON line per step (achieved requests per second, p50/p95/p99 overall and per
   request kind, failures, load average, CPU seconds per request of gunicorn and of the
   database's backends, locust's own CPU) and a table, then the best step: the highest rate with
   p95 under `--p95-limit` ms and no failure.

`--workers 2,3,4` repeats the steps for each gunicorn worker count (same database). Rate limits
are raised for the run (the API's per-key and per-user rates, the second-factor form's per-address
budget: every user comes from 127.0.0.1), as the API fuzz does: the run measures the service, not
the throttle. Last line: `load_best_rps=… p50_ms=… p95_ms=… p99_ms=… users=… workers=…`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from mobility.benchmarks._setup import ROOT, free_port, gunicorn_start, start_django

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
PASSWORD = "Load-Bench-2026!"  # every benchmark account's password (a throwaway database)
PAVLODAR = "KZ-55-pavlodar"


def _database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The load test needs PostgreSQL: set BENCH_DATABASE_URL=postgres://…/<name>")
    return url


def _recreate(url: str, template: str = "") -> None:
    """Drop and create the benchmark database (never the lead's or a server's own), empty or as a
    copy of `template` (an already migrated database: the CI run copies the test database
    instead of migrating, which takes minutes on a busy machine)."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if name in {"", "postgres", "template0", "template1", "test", template}:
        raise SystemExit(f"refusing to recreate the database {name!r}")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())
        connection.execute(f'CREATE DATABASE "{name}"{copy}'.encode())


# --- Seeding ---------------------------------------------------------------------------------


def seed(*, vacancies: int, seekers: int, staff: int, rng: random.Random) -> dict[str, Any]:  # noqa: C901
    """Fill the database in bulk and return what the locust users need (the "world")."""
    from django.apps import apps
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp.util import random_hex

    from matching import services as matching
    from matching.models import Occupation, Skill
    from mobility.accounts.models import CentreMembership, Organisation, User
    from mobility.accounts.services import (
        Channel,
        account_create,
        centre_membership_grant,
        organisation_create,
    )
    from mobility.api import services as api_services
    from mobility.api.models import ORGANISATION_SCOPES
    from mobility.cases.models import Case, EmploymentPlan, PlanStep
    from mobility.core.identifiers import make_bin, make_iin
    from mobility.demo.exchange import _describe, _labels, _starter
    from mobility.exchange.models import Registration, SeekerProfile, SeekerSkill, Vacancy, VacancySkill
    from mobility.reference.loader import load_reference
    from mobility.reference.models import Centre, Region

    load_reference(apps)  # a migrated database has it; a copied test database may have been emptied
    matching.taxonomy_load_project()
    data = _starter()
    skills = {s["key"]: s for s in data["skills"]}
    occupations = data["occupations"]
    occupation_ids = {o.uri: o.pk for o in Occupation.objects.all()}
    skill_ids = {s.uri: s.pk for s in Skill.objects.all()}

    def occupation_id(occ: dict[str, Any]) -> int:
        return occupation_ids[occ.get("esco_uri") or f"project:occupation:{occ['key']}"]

    def skill_id(key: str) -> int | None:
        return skill_ids.get(skills[key].get("esco_uri") or f"project:skill:{key}")

    regions = list(Region.objects.order_by("code"))
    pavlodar = Centre.objects.get(code=PAVLODAR)
    centres: dict[int, list[int]] = {}
    for centre_id, region_id in Centre.objects.filter(kind=Centre.Kind.DISTRICT).values_list(
        "id", "region_id"
    ):
        centres.setdefault(region_id, []).append(centre_id)
    hashed = make_password(PASSWORD)
    now = timezone.now()
    today = timezone.localdate()

    # Employers: 40 verified organisations; the first is the benchmark's employer (candidates
    # page), the second the partner system writing through the API.
    owners = User.objects.bulk_create(
        [
            User(email=f"employer{i}@load.kz", password=hashed, first_name="Employer", last_name=str(i))
            for i in range(40)
        ]
    )
    organisations = []
    for i, owner in enumerate(owners):
        organisations.append(
            organisation_create(
                bin=make_bin(2010 + i % 10, 1 + i % 12, serial=500 + i * 7),
                name=f"ТОО «Нагрузка {i}»",
                region=regions[i % len(regions)],
                owner=owner,
            )
        )
    Organisation.objects.filter(pk__in=[o.pk for o in organisations]).update(
        status=Organisation.Status.VERIFIED, verified_at=now
    )
    employer_org, api_org = organisations[0], organisations[1]

    rows: list[Vacancy] = []
    named: list[list[tuple[str, int | None]]] = []
    for index in range(vacancies):
        occ = rng.choice(occupations)
        lang = rng.choices(["ru", "kk", "en"], weights=[60, 30, 10])[0]
        keys = occ["essential"][: rng.randint(3, 6)]
        names = [(_labels(skills[k], lang)[0], skill_id(k)) for k in keys]
        organisation = organisations[index % len(organisations)]
        low = rng.randrange(150_000, 450_000, 5000)
        rows.append(
            Vacancy(
                organisation=organisation,
                external_id=f"HR-{index}" if organisation is api_org else None,
                occupation_id=occupation_id(occ),
                title=rng.choice(_labels(occ, lang)[:3]),
                description=_describe(occ, lang, [n for n, _ in names]),
                region=rng.choice(regions),
                salary_min=low,
                salary_max=low + rng.randrange(20_000, 200_000, 5000),
                schedule=rng.choice(["full_day", "full_day", "shift", "rotation"]),
                housing_offered=rng.random() < 0.2,
                open_to_resettlers=rng.random() < 0.85,
                status=Vacancy.Status.PUBLISHED,
                published_at=now - dt.timedelta(hours=rng.randrange(1, 24 * 60)),
            )
        )
        named.append(names)
    created = Vacancy.objects.bulk_create(rows, batch_size=2000)
    VacancySkill.objects.bulk_create(
        [
            VacancySkill(vacancy=v, name=name, skill_id=sid, required=True)
            for v, names in zip(created, named, strict=True)
            for name, sid in dict(names).items()
        ],
        batch_size=5000,
    )

    # Job seekers: accounts that sign in with their email, registered at a centre of their region
    # (a quarter at Pavlodar's), each with an open case and a three-step plan.
    pavlodar_region = pavlodar.region
    languages = ["kk"] * 10 + ["ru"] * 9 + ["en"]
    users = User.objects.bulk_create(
        [
            User(
                email=f"s{i}@load.kz",
                password=hashed,
                iin=make_iin(dt.date(1970, 1, 1) + dt.timedelta(days=i), male=i % 2 == 0, serial=4242),
                first_name="Seeker",
                last_name=f"N{i}",
                language=rng.choice(languages),
            )
            for i in range(seekers)
        ],
        batch_size=5000,
    )
    homes = [pavlodar_region if i % 4 == 0 else rng.choice(regions) for i in range(seekers)]
    profiles = SeekerProfile.objects.bulk_create(
        [
            SeekerProfile(
                user=u,
                region=home,
                headline="",
                visibility=rng.choices(["public", "anonymous", "hidden"], weights=[70, 20, 10])[0],
                consent_at=now,
                will_relocate=rng.random() < 0.45,
                expected_salary=rng.randrange(150_000, 500_000, 10_000),
                languages=["kk", "ru"] if u.language == "kk" else ["ru"],
            )
            for u, home in zip(users, homes, strict=True)
        ],
        batch_size=5000,
    )
    wanted = SeekerProfile.desired_occupations.through
    wanted_rows, skill_rows, registrations = [], [], []
    for i, (profile, user, home) in enumerate(zip(profiles, users, homes, strict=True)):
        chosen = rng.sample(occupations, rng.choice([1, 1, 2]))
        profile.headline = _labels(chosen[0], user.language)[0][:200]
        wanted_rows += [wanted(seekerprofile_id=profile.pk, occupation_id=occupation_id(o)) for o in chosen]
        own = chosen[0]["essential"]
        lang = user.language if rng.random() < 0.75 else rng.choice(["ru", "kk", "en"])
        have = rng.sample(own, max(1, round(len(own) * rng.uniform(0.4, 1.0))))
        skill_rows += [
            SeekerSkill(profile_id=profile.pk, name=name, skill_id=skill_id(k))
            for k, name in {k: _labels(skills[k], lang)[0] for k in have}.items()
        ]
        centre = pavlodar.pk if i % 4 == 0 else rng.choice(centres[home.pk])
        registrations.append(
            Registration(
                profile_id=profile.pk,
                centre_id=centre,
                kind=rng.choice(["job_seeker", "unemployed"]),
                registered_on=today - dt.timedelta(days=rng.randrange(1, 400)),
            )
        )
    SeekerProfile.objects.bulk_update(profiles, ["headline"], batch_size=5000)
    wanted.objects.bulk_create(wanted_rows, batch_size=5000)
    SeekerSkill.objects.bulk_create(skill_rows, batch_size=5000, ignore_conflicts=True)
    Registration.objects.bulk_create(registrations, batch_size=5000)

    counsellors = []
    for k in range(staff):
        user = account_create(
            channel=Channel.ADMINISTRATION,
            email=f"counsellor{k}@load.kz",
            password=PASSWORD,
            first_name="Counsellor",
            last_name=str(k),
            language="ru",
        ).user
        centre_membership_grant(user=user, centre=pavlodar, role=CentreMembership.Role.COUNSELLOR, by=None)
        device = TOTPDevice.objects.create(
            user=user, name="authenticator", key=random_hex(20), confirmed=True
        )
        counsellors.append((user, device))
    cases = Case.objects.bulk_create(
        [
            Case(
                person=u,
                centre_id=r.centre_id,
                counsellor=counsellors[i % len(counsellors)][0] if r.centre_id == pavlodar.pk else None,
            )
            for i, (u, r) in enumerate(zip(users, registrations, strict=True))
        ],
        batch_size=5000,
    )
    due = [today + dt.timedelta(days=rng.randrange(-20, 60)) for _ in cases]
    plans = EmploymentPlan.objects.bulk_create(
        [
            EmploymentPlan(case=c, goal="Трудоустройство", next_due_on=d)
            for c, d in zip(cases, due, strict=True)
        ],
        batch_size=5000,
    )
    PlanStep.objects.bulk_create(
        [
            PlanStep(
                plan=plan, kind="counselling", title=f"Шаг {k + 1}", due_on=first + dt.timedelta(days=14 * k)
            )
            for plan, first in zip(plans, due, strict=True)
            for k in range(3)
        ],
        batch_size=5000,
    )

    api_key = api_services.api_key_create(
        name="load test",
        scopes=list(ORGANISATION_SCOPES),
        by=None,
        organisation=api_org,
        rate_per_minute=1_000_000,
    )[1]
    published = [v.pk for v in created]
    queries = {
        lang: sorted(
            {_labels(o, lang)[0] for o in occupations} | {_labels(skills[k], lang)[0] for k in skills}
        )
        for lang in ("kk", "ru", "en")
    }
    return {
        "password": PASSWORD,
        "seekers": [u.email for u in users],
        "seeker_languages": {u.email: u.language for u in users},
        "employer": owners[0].email,
        "employer_vacancies": [v.pk for v in created if v.organisation_id == employer_org.pk],
        "staff": [{"email": u.email, "key": d.key} for u, d in counsellors],
        "api_key": api_key,
        "api_external_ids": [v.external_id for v in created if v.organisation_id == api_org.pk],
        "vacancies": rng.sample(published, min(len(published), 5000)),
        "regions": [r.code for r in regions],
        "queries": queries,
    }


# --- Serving and driving ------------------------------------------------------------------------


def _serve(port: int, workdir: Path, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = {
        "GUNICORN_THREADS": str(threads),
        "DB_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
        "RATE_LIMIT_TWO_FACTOR": "100000/15m",  # every locust user comes from 127.0.0.1
    }
    return gunicorn_start(port=port, logs=workdir, name=f"{workers}w", workers=workers, env=env)


def _drive(
    *, port: int, workdir: Path, world: Path, server_pid: int, database: str, args: argparse.Namespace
) -> list[dict[str, Any]]:
    out = workdir / f"steps-{server_pid}.jsonl"
    steps = [int(s) for s in args.steps.split(",") if s]
    total = len(steps) * (args.warmup + args.measure)
    env = {
        **os.environ,
        "LOAD_WORLD": str(world),
        "LOAD_OUT": str(out),
        "LOAD_STEPS": args.steps,
        "LOAD_WARMUP": str(args.warmup),
        "LOAD_MEASURE": str(args.measure),
        "LOAD_SPAWN_RATE": str(args.spawn_rate),
        "LOAD_USER_RATE": str(args.user_rate),
        "LOAD_SERVER_PID": str(server_pid),
        "LOAD_DB_NAME": database,
    }
    command = [
        str(Path(sys.executable).with_name("locust")),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        f"http://127.0.0.1:{port}",
        "--stop-timeout",
        "10",
        "--loglevel",
        "WARNING",
        "--only-summary",
    ]
    with (workdir / f"locust-{server_pid}.log").open("w") as log:
        # The load shape stops locust after the last step (locust ignores --run-time when a shape
        # is given); the deadline bounds a run that hangs all the same.
        result = subprocess.run(  # noqa: S603 - fixed arguments
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=total + 300
        )
    figures = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    if result.returncode not in (0, 1) or len(figures) != len(steps):
        tail = (workdir / f"locust-{server_pid}.log").read_text()[-3000:]
        raise SystemExit(f"locust ended with {result.returncode} after {len(figures)} steps:\n{tail}")
    return figures


def _row(step: dict[str, Any]) -> str:
    cells = [
        step["workers"],
        step["users"],
        f"{step['rps']:.1f}",
        *(f"{step[k]:.0f}" for k in ("p50_ms", "p95_ms", "p99_ms")),
        step["requests"],
        step["failures"],
        f"{step['server_cpu_ms_per_request']:.1f}",
        f"{step['db_cpu_ms_per_request']:.1f}",
        f"{step['locust_cpu_share']:.2f}",
        f"{step['load_average']:.2f}",
    ]
    return "| " + " | ".join(str(c) for c in cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--vacancies", type=int, default=20_000)
    parser.add_argument("--seekers", type=int, default=10_000)
    parser.add_argument("--steps", default="20,40,60,80,100,120", help="users per step (multiples of 10)")
    parser.add_argument("--warmup", type=int, default=20, help="seconds after each step's users are added")
    parser.add_argument("--measure", type=int, default=60, help="seconds counted per step")
    parser.add_argument("--spawn-rate", type=float, default=10.0, help="users added per second")
    parser.add_argument("--user-rate", type=float, default=1.0, help="requests per second per user")
    parser.add_argument("--workers", default="3", help="gunicorn workers; a comma list runs each")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--p95-limit", type=float, default=300.0, help="ms")
    parser.add_argument("--recreate", action="store_true", help="drop and create the benchmark database")
    parser.add_argument("--template", default="", help="with --recreate: copy this migrated database")
    parser.add_argument("--keep", action="store_true", help="keep the working folder (logs, world)")
    parser.add_argument(
        "--reuse",
        default="",
        help="a working folder kept by an earlier run (--keep) on the same database: skip the seeding "
        "(the index is rebuilt), e.g. seed on a busy machine and measure later on a quiet one",
    )
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    steps = [int(s) for s in args.steps.split(",") if s]
    if not steps or any(s <= 0 or s % 10 for s in steps):
        parser.error("--steps: positive multiples of 10 (the mix has ten shares)")

    url = _database_url()
    reuse = Path(args.reuse) if args.reuse else None
    if reuse and (args.recreate or not (reuse / "world.json").exists()):
        parser.error("--reuse: a folder kept by an earlier run (--keep), without --recreate")
    if args.recreate:
        _recreate(url, args.template)
    workdir = start_django("load-", reuse)
    from django.db import connection

    staff = max(steps) // 10 + 2  # one counsellor per staff user: a TOTP code is good once
    world_file = workdir / "world.json"
    if reuse:
        world = json.loads(world_file.read_text())
        if len(world["staff"]) < staff:
            parser.error(f"--reuse: the kept world has {len(world['staff'])} counsellors, {staff} needed")
        print(f"reusing the database and world of {reuse}", flush=True)
    else:
        started = time.perf_counter()
        rng = random.Random(args.seed)
        world = seed(vacancies=args.vacancies, seekers=args.seekers, staff=staff, rng=rng)
        print(
            f"seeded {args.vacancies} vacancies, {args.seekers} seekers, {staff} counsellors "
            f"in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        world_file.write_text(json.dumps(world))
    from matching import services as matching

    started = time.perf_counter()
    report = matching.index_rebuild()
    print(
        f"index rebuild: {time.perf_counter() - started:.1f} s "
        f"({report['vacancies']} vacancies, {report['seekers']} seekers)",
        flush=True,
    )
    database = str(connection.settings_dict["NAME"])
    connection.close()

    results: list[dict[str, Any]] = []
    for workers in [int(w) for w in args.workers.split(",") if w]:
        port = free_port()
        server = _serve(port, workdir, workers, args.threads)
        try:
            figures = _drive(
                port=port,
                workdir=workdir,
                world=world_file,
                server_pid=server.pid,
                database=database,
                args=args,
            )
        finally:
            server.terminate()
            server.wait(timeout=60)
        for step in figures:
            step["workers"] = workers
            step["threads"] = args.threads
            print(json.dumps(step, ensure_ascii=False), flush=True)
        results += figures

    print(
        "| workers | users | req/s | p50 ms | p95 ms | p99 ms | requests | failures "
        "| gunicorn CPU ms/req | PostgreSQL CPU ms/req | locust CPU (cores) | load avg |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for step in results:
        print(_row(step))
    good = [s for s in results if s["p95_ms"] < args.p95_limit and s["failures"] == 0 and s["requests"] > 0]
    kept = args.keep or reuse is not None  # a reused folder is never removed
    print(f"working folder: {workdir}" if kept else "working folder: removed", flush=True)
    if not kept:
        shutil.rmtree(workdir, ignore_errors=True)
    if not good:
        print("load_best_rps=0 (no step kept p95 under the limit without failures)")
        sys.exit(1)
    best = max(good, key=lambda s: s["rps"])
    print(
        f"load_best_rps={best['rps']:.1f} p50_ms={best['p50_ms']:.0f} p95_ms={best['p95_ms']:.0f} "
        f"p99_ms={best['p99_ms']:.0f} users={best['users']} workers={best['workers']} "
        f"failures={sum(s['failures'] for s in results)}"
    )


if __name__ == "__main__":
    main()
