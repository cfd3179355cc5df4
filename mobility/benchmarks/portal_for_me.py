"""Benchmark: "Vacancies for me" at the server with 20,000 published vacancies.

    python -m mobility.benchmarks.portal_for_me [--vacancies 20000] [--requests 50]

Uses its own database (a temporary SQLite file unless BENCH_DATABASE_URL is set, e.g. a
PostgreSQL URL), fills it with realistic vacancies built from the project taxonomy,
publishes the matcher's index, then times the page as the web server renders it (Django's
test client: middleware, view, ranking, hydration and template included; no network).
Prints one line per figure and, last, `p50_ms=… p95_ms=… requests=… vacancies=…`.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from mobility.benchmarks._setup import percentiles, start_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vacancies", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    start_django("bench-portal-")
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from matching import services as matching
    from matching.models import Occupation
    from mobility.accounts.models import Organisation
    from mobility.accounts.services import Channel, account_create, organisation_create
    from mobility.core.identifiers import make_bin, make_iin
    from mobility.demo.exchange import _describe, _labels, _starter
    from mobility.exchange.models import SeekerProfile, Vacancy, VacancySkill
    from mobility.exchange.services import profile_create, profile_set_skills
    from mobility.reference.models import Region

    matching.taxonomy_load_project()
    rng = random.Random(20000)  # noqa: S311 - benchmark data
    owner = account_create(
        channel=Channel.ADMINISTRATION, email="bench-owner@example.kz", password="x-Bench-2026"
    ).user
    organisation = organisation_create(
        bin=make_bin(2012, 3, serial=99),
        name="ТОО «Bench»",
        region=Region.objects.get(code="KZ-55"),
        owner=owner,
    )
    Organisation.objects.filter(pk=organisation.pk).update(status="verified", verified_at=timezone.now())
    data = _starter()
    skills = {s["key"]: s for s in data["skills"]}
    occupations = data["occupations"]
    occ_by_uri = {o.uri: o for o in Occupation.objects.all()}
    regions = list(Region.objects.all())
    started = time.perf_counter()
    batch: list[Vacancy] = []
    skill_rows: list[tuple[int, list[str]]] = []
    now = timezone.now()
    for index in range(args.vacancies):
        occ = occupations[index % len(occupations)]
        lang = rng.choice(["ru", "kk", "en"])
        required = [rng.choice(_labels(skills[k], lang)[:2]) for k in occ["essential"][: rng.randint(3, 6)]]
        batch.append(
            Vacancy(
                organisation=organisation,
                title=rng.choice(_labels(occ, lang)[:3]),
                description=_describe(occ, lang, required),
                occupation=occ_by_uri.get(occ.get("esco_uri") or f"project:occupation:{occ['key']}"),
                region=rng.choice(regions),
                salary_min=200_000,
                salary_max=400_000,
                status=Vacancy.Status.PUBLISHED,
                published_at=now,
            )
        )
        skill_rows.append((index, required))
    created = Vacancy.objects.bulk_create(batch, batch_size=2000)
    VacancySkill.objects.bulk_create(
        [
            VacancySkill(vacancy=created[i], name=name, required=True)
            for i, names in skill_rows
            for name in dict.fromkeys(names)
        ],
        batch_size=5000,
    )
    print(f"vacancies created: {len(created)} in {time.perf_counter() - started:.1f} s", flush=True)

    seeker_user = account_create(
        channel=Channel.ADMINISTRATION,
        email="bench-seeker@example.kz",
        password="x-Bench-2026",
        iin=make_iin(timezone.localdate().replace(year=1990), male=True, serial=7),
    ).user
    profile = profile_create(
        user=seeker_user,
        region=Region.objects.get(code="KZ-79"),
        headline="Бухгалтер",
        visibility=SeekerProfile.Visibility.PUBLIC,
        will_relocate=True,
    )
    profile_set_skills(
        profile=profile, skills=[("1С:Бухгалтерия", 3), ("налоговая отчётность", 2)], by=seeker_user
    )

    started = time.perf_counter()
    report = matching.index_rebuild()
    print(
        f"index rebuild: {time.perf_counter() - started:.1f} s ({report['vacancies']} vacancies)", flush=True
    )

    setup_test_environment()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(seeker_user)
    response = client.get("/en/me/for-me/")  # first request: loads the artifact
    assert response.status_code == 200, response.status_code
    timings = []
    for _ in range(args.requests):
        t0 = time.perf_counter()
        response = client.get("/en/me/for-me/")
        timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    p50, p95 = percentiles(timings)
    print(f"p50_ms={p50:.1f} p95_ms={p95:.1f} requests={len(timings)} vacancies={len(created)}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
