"""Benchmark: one proactive-offer run (every rule) over 100,000 job seekers.

    python -m mobility.benchmarks.proactive_offers [--seekers 100000] [--vacancies 2000]

Uses its own database (a temporary SQLite file unless BENCH_DATABASE_URL is set). Creates the
vacancies (each needs four skills of its occupation) and the seekers in bulk: every seeker wants
one of 20 occupations, a third have three of the four skills (one training away), and 30 %
consented to programme offers in their inbox and by email. Then times `offers_run()`: finding
the people, writing the offers and their outbox messages, and queueing the deliveries (the
deliveries themselves are the cluster's work, not timed). Last line:
`offers_s=… offers=… messages=… seekers=…`.
"""

from __future__ import annotations

import argparse
import time

from mobility.benchmarks._setup import start_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=2000)
    args = parser.parse_args()

    start_django("bench-offers-")
    import logging

    from django.utils import timezone

    from matching import services as matching
    from matching.models import Occupation
    from mobility.accounts.models import Organisation, User
    from mobility.accounts.services import Channel, account_create, organisation_create
    from mobility.core.identifiers import make_bin
    from mobility.core.models import OutboxMessage
    from mobility.exchange.models import SeekerProfile, SeekerSkill, Vacancy, VacancySkill
    from mobility.notifications.models import Consent, Offer
    from mobility.notifications.offers import offers_run
    from mobility.reference.models import Region

    logging.disable(logging.INFO)  # django-q2 logs every queued task
    matching.taxonomy_load_project()
    occupations = list(Occupation.objects.order_by("id")[:20])
    regions = list(Region.objects.order_by("code"))
    owner = account_create(
        channel=Channel.ADMINISTRATION, email="bench-owner@example.kz", password="x-Bench-2026"
    ).user
    organisation = organisation_create(
        bin=make_bin(2012, 3, serial=98), name="ТОО «Bench»", region=regions[0], owner=owner
    )
    Organisation.objects.filter(pk=organisation.pk).update(status="verified", verified_at=timezone.now())
    started = time.perf_counter()
    now = timezone.now()
    vacancies = Vacancy.objects.bulk_create(
        [
            Vacancy(
                organisation=organisation,
                occupation=occupations[i % len(occupations)],
                title=f"Vacancy {i}",
                region=regions[i % len(regions)],
                status=Vacancy.Status.PUBLISHED,
                published_at=now,
            )
            for i in range(args.vacancies)
        ],
        batch_size=2000,
    )
    VacancySkill.objects.bulk_create(
        [
            VacancySkill(vacancy=v, name=name, required=True)
            for i, v in enumerate(vacancies)
            for name in (*(f"skill {i % 20}-{k}" for k in range(3)), f"extra {i % 20}-{(i // 20) % 5}")
        ],
        batch_size=5000,
    )
    users = User.objects.bulk_create(
        [
            User(email=f"s{i}@bench.kz", last_name=f"Seeker{i}", first_name="Test")
            for i in range(args.seekers)
        ],
        batch_size=5000,
    )
    profiles = SeekerProfile.objects.bulk_create(
        [SeekerProfile(user=u, region=regions[i % len(regions)]) for i, u in enumerate(users)],
        batch_size=5000,
    )
    through = SeekerProfile.desired_occupations.through
    through.objects.bulk_create(
        [
            through(seekerprofile_id=p.pk, occupation_id=occupations[i % 20].pk)
            for i, p in enumerate(profiles)
        ],
        batch_size=5000,
    )
    SeekerSkill.objects.bulk_create(
        [
            SeekerSkill(profile=p, name=f"skill {i % 20}-{k}")
            for i, p in enumerate(profiles)
            for k in range(3 if i % 3 == 0 else 1)
        ],
        batch_size=5000,
    )
    Consent.objects.bulk_create(
        [
            Consent(person=u, topic="programme_offers", channel=channel, granted=True)
            for i, u in enumerate(users)
            if i % 10 < 3
            for channel in ("inbox", "email")
        ],
        batch_size=5000,
    )
    print(
        f"created {args.seekers} seekers, {args.vacancies} vacancies in {time.perf_counter() - started:.1f} s"
    )

    t0 = time.perf_counter()
    made = offers_run()
    elapsed = time.perf_counter() - t0
    offers = Offer.objects.count()
    messages = OutboxMessage.objects.filter(topic="programme_offers").count()
    print(f"rules: {made}")
    print(f"offers_s={elapsed:.1f} offers={offers} messages={messages} seekers={args.seekers}")


if __name__ == "__main__":
    main()
