"""Benchmark: the caseload and dashboard pages with 10,000 job seekers in one centre.

    python -m mobility.benchmarks.workspace [--seekers 10000] [--requests 30]

Uses its own database (a temporary SQLite file unless BENCH_DATABASE_URL is set), creates the
seekers with registrations, case files and three-step plans (a share of them overdue) in bulk,
then times both pages as the server renders them (Django test client, no network) and counts
their queries. Last line:
`caseload_p50_ms=… caseload_p95_ms=… dashboard_p50_ms=… dashboard_p95_ms=… seekers=…`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from mobility.benchmarks._setup import percentiles, start_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    start_django("bench-workspace-")
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from mobility.accounts.models import CentreMembership, User
    from mobility.accounts.services import Channel, account_create, centre_membership_grant
    from mobility.cases.models import Case, EmploymentPlan, PlanStep
    from mobility.core.identifiers import make_iin
    from mobility.exchange.models import Registration, SeekerProfile, SeekerSkill
    from mobility.reference.models import Centre

    centre = Centre.objects.get(code="KZ-55-pavlodar")
    dana = account_create(
        channel=Channel.ADMINISTRATION, email="bench-dana@example.kz", password="x-Bench-2026"
    ).user
    centre_membership_grant(user=dana, centre=centre, role=CentreMembership.Role.COUNSELLOR, by=None)
    today = timezone.localdate()
    started = time.perf_counter()
    users = User.objects.bulk_create(
        [
            User(
                email=f"s{i}@bench.kz",
                iin=make_iin(
                    dt.date(1970, 1, 1) + dt.timedelta(days=i % 15000),
                    male=i % 2 == 0,
                    serial=i % 9000 + i // 15000,
                ),
                last_name=f"Seeker{i}",
                first_name="Test",
            )
            for i in range(args.seekers)
        ],
        batch_size=2000,
    )
    profiles = SeekerProfile.objects.bulk_create(
        [SeekerProfile(user=u, region=centre.region, headline="Бухгалтер") for u in users], batch_size=2000
    )
    SeekerSkill.objects.bulk_create(
        [SeekerSkill(profile=p, name=name) for p in profiles for name in ("1С:Бухгалтерия", "Excel")],
        batch_size=5000,
    )
    Registration.objects.bulk_create(
        [
            Registration(
                profile=p, centre=centre, kind="unemployed", registered_on=today - dt.timedelta(days=30)
            )
            for p in profiles
        ],
        batch_size=2000,
    )
    cases = Case.objects.bulk_create(
        [Case(person=u, centre=centre, counsellor=dana) for u in users], batch_size=2000
    )
    plans = EmploymentPlan.objects.bulk_create(
        [EmploymentPlan(case=c, goal="Работа") for c in cases], batch_size=2000
    )
    PlanStep.objects.bulk_create(
        [
            PlanStep(
                plan=plan,
                kind="counselling",
                title=f"Шаг {k}",
                due_on=today + dt.timedelta(days=(k * 7) - (3 if i % 5 == 0 else 0) * 10),
            )
            for i, plan in enumerate(plans)
            for k in range(3)
        ],
        batch_size=5000,
    )
    print(
        f"created {len(users)} seekers with cases and plans in {time.perf_counter() - started:.1f} s",
        flush=True,
    )

    setup_test_environment()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(dana)
    # Staff need a second factor (mobility.accounts.twofactor): the session proves an
    # authenticator as a verified sign-in would, so the figures are the pages' own.
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=dana, name="benchmark", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    results = {}
    for name, url in (("caseload", "/en/staff/cases/"), ("dashboard", "/en/staff/dashboard/")):
        assert client.get(url).status_code == 200  # warm-up
        queries: list[str] = []

        def count(execute, sql, params, many, context, seen=queries):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url)
        timings = []
        for _ in range(args.requests):
            t0 = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        p50, p95 = percentiles(timings)
        results[name] = (p50, p95)
        print(f"{name}: p50={p50:.1f} ms p95={p95:.1f} ms queries={len(queries)}", flush=True)
    print(
        f"caseload_p50_ms={results['caseload'][0]:.1f} caseload_p95_ms={results['caseload'][1]:.1f} "
        f"dashboard_p50_ms={results['dashboard'][0]:.1f} dashboard_p95_ms={results['dashboard'][1]:.1f} "
        f"seekers={args.seekers}"
    )


if __name__ == "__main__":
    main()
