"""Benchmark: one proactive-offer run (every rule) over 100,000 job seekers.

    python -m mobility.benchmarks.proactive_offers [--seekers 100000] [--vacancies 10000]

Uses its own database (a temporary SQLite file unless BENCH_DATABASE_URL is set, e.g. a
PostgreSQL URL). Fills it in bulk with data shaped like the exchange's, built from the project
taxonomy (62 occupations with their essential skills, labels in kk, ru and en; the reference
regions, centres and this year's resettlement quotas from the migrations):

- vacancies: one occupation each, 3–6 of its essential skills required (named in the employer's
  language, linked to the taxonomy skill as the services do), in any region, 85 % open to
  resettlers;
- seekers: in any region, in kk (50 %), ru (45 %) or en; 1–3 wanted occupations; 40–100 % of the
  first occupation's essential skills (a quarter named in another language than the vacancies
  use); 45 % registered at a career centre of their region; 10 % name regions they would move
  to; 30 % consented to programme offers in their inbox and by email, a third of those by SMS too.

Then times `offers_run()`: every rule (skill gap, resettlement) finds its people, the offers and
their outbox messages are written and the deliveries queued (one task per 100 messages; the
deliveries are the cluster's work and not timed). Last line:
`offers_s=… cpu_s=… offers=… messages=… seekers=… vacancies=…` (cpu_s: the process's own CPU
time for the run, SQLite included; on a shared machine the wall time offers_s is longer).
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter

from mobility.benchmarks._setup import start_django


def main() -> None:  # noqa: C901 - one straight script
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="print the run's cProfile top 25")
    args = parser.parse_args()

    start_django("bench-offers-")
    import logging

    from django.utils import timezone

    from matching import services as matching
    from matching.models import Occupation, Skill
    from mobility.accounts.models import Organisation, User
    from mobility.accounts.services import Channel, account_create, organisation_create
    from mobility.core.identifiers import make_bin
    from mobility.core.models import OutboxMessage
    from mobility.demo.exchange import _labels, _starter
    from mobility.exchange.models import Registration, SeekerProfile, SeekerSkill, Vacancy, VacancySkill
    from mobility.notifications.models import Consent, Offer
    from mobility.notifications.offers import offers_run
    from mobility.reference.models import Centre, Region

    logging.disable(logging.INFO)  # django-q2 logs every queued task
    rng = random.Random(100_000)  # noqa: S311 - benchmark data
    matching.taxonomy_load_project()
    data = _starter()
    skills = {s["key"]: s for s in data["skills"]}
    occupations = data["occupations"]
    occupation_ids = {o.uri: o.pk for o in Occupation.objects.all()}
    skill_ids = {s.uri: s.pk for s in Skill.objects.all()}

    def occupation_id(occ: dict) -> int:
        return occupation_ids[occ.get("esco_uri") or f"project:occupation:{occ['key']}"]

    def skill_id(key: str) -> int | None:
        item = skills[key]
        return skill_ids.get(item.get("esco_uri") or f"project:skill:{key}")

    regions = list(Region.objects.order_by("code"))
    centres: dict[int, list[int]] = {}
    for centre_id, region_id in Centre.objects.values_list("id", "region_id"):
        centres.setdefault(region_id, []).append(centre_id)
    owner = account_create(
        channel=Channel.ADMINISTRATION, email="bench-owner@example.kz", password="x-Bench-2026"
    ).user
    organisation = organisation_create(
        bin=make_bin(2012, 3, serial=98), name="ТОО «Bench»", region=regions[0], owner=owner
    )
    Organisation.objects.filter(pk=organisation.pk).update(status="verified", verified_at=timezone.now())

    started = time.perf_counter()
    now = timezone.now()
    vacancy_rows = []
    vacancy_skills: list[list[tuple[str, int | None]]] = []
    for _ in range(args.vacancies):
        occ = rng.choice(occupations)
        lang = rng.choice(["ru", "ru", "kk", "en"])
        keys = occ["essential"][: rng.randint(3, 6)]
        vacancy_rows.append(
            Vacancy(
                organisation=organisation,
                occupation_id=occupation_id(occ),
                title=rng.choice(_labels(occ, lang)[:3]),
                region=rng.choice(regions),
                salary_min=200_000,
                salary_max=400_000,
                status=Vacancy.Status.PUBLISHED,
                open_to_resettlers=rng.random() < 0.85,
                published_at=now,
            )
        )
        vacancy_skills.append([(_labels(skills[k], lang)[0], skill_id(k)) for k in keys])
    vacancies = Vacancy.objects.bulk_create(vacancy_rows, batch_size=2000)
    VacancySkill.objects.bulk_create(
        [
            VacancySkill(vacancy=v, name=name, skill_id=sid, required=True)
            for v, named in zip(vacancies, vacancy_skills, strict=True)
            for name, sid in dict(named).items()
        ],
        batch_size=5000,
    )

    languages = ["kk"] * 10 + ["ru"] * 9 + ["en"]
    users = User.objects.bulk_create(
        [
            User(
                email=f"s{i}@bench.kz",
                last_name=f"Seeker{i}",
                first_name="Test",
                language=rng.choice(languages),
                phone=f"+7701{i:07d}" if i % 10 == 0 else "",
            )
            for i in range(args.seekers)
        ],
        batch_size=5000,
    )
    homes = [rng.choice(regions) for _ in users]
    profiles = SeekerProfile.objects.bulk_create(
        [SeekerProfile(user=u, region=home) for u, home in zip(users, homes, strict=True)],
        batch_size=5000,
    )
    wanted_through = SeekerProfile.desired_occupations.through
    regions_through = SeekerProfile.desired_regions.through
    wanted_rows, skill_rows, registrations, desired_rows = [], [], [], []
    for profile, user, home in zip(profiles, users, homes, strict=True):
        chosen = rng.sample(occupations, rng.choice([1, 1, 2, 3]))
        wanted_rows += [
            wanted_through(seekerprofile_id=profile.pk, occupation_id=occupation_id(o)) for o in chosen
        ]
        own = chosen[0]["essential"]
        lang = user.language if rng.random() < 0.75 else rng.choice(["ru", "kk", "en"])
        have = rng.sample(own, max(1, round(len(own) * rng.uniform(0.4, 1.0))))
        skill_rows += [
            SeekerSkill(profile_id=profile.pk, name=name, skill_id=skill_id(k))
            for k, name in {k: _labels(skills[k], lang)[0] for k in have}.items()
        ]
        if rng.random() < 0.45:
            registrations.append(
                Registration(
                    profile_id=profile.pk,
                    centre_id=rng.choice(centres[home.pk]),
                    kind=rng.choice(["job_seeker", "unemployed"]),
                    registered_on=now.date(),
                )
            )
        if rng.random() < 0.10:
            desired_rows += [
                regions_through(seekerprofile_id=profile.pk, region_id=r.pk)
                for r in rng.sample(regions, rng.randint(1, 2))
            ]
    wanted_through.objects.bulk_create(wanted_rows, batch_size=5000)
    SeekerSkill.objects.bulk_create(skill_rows, batch_size=5000, ignore_conflicts=True)
    Registration.objects.bulk_create(registrations, batch_size=5000)
    regions_through.objects.bulk_create(desired_rows, batch_size=5000, ignore_conflicts=True)
    Consent.objects.bulk_create(
        [
            Consent(person=u, topic="programme_offers", channel=channel, granted=True)
            for i, u in enumerate(users)
            if i % 10 < 3
            for channel in (("inbox", "email", "sms") if i % 10 == 0 else ("inbox", "email"))
        ],
        batch_size=5000,
    )
    print(
        f"created {args.seekers} seekers ({len(registrations)} registered), {args.vacancies} vacancies "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t0, cpu0 = time.perf_counter(), time.process_time()
    made = offers_run()
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    offers = Offer.objects.count()
    messages = Counter(
        OutboxMessage.objects.filter(topic="programme_offers").values_list("channel", flat=True)
    )
    print(f"rules: {made}; messages by channel: {dict(messages)}")
    print(
        f"offers_s={elapsed:.1f} cpu_s={cpu:.1f} offers={offers} messages={sum(messages.values())} "
        f"seekers={args.seekers} vacancies={args.vacancies}"
    )


if __name__ == "__main__":
    main()
