"""Benchmark: the officers' what-if, re-scoring the points pool under a draft questionnaire.

    python -m mobility.benchmarks.foreign_whatif [--applications 10000] [--repeat 3]

Uses its own database (a temporary SQLite file unless BENCH_DATABASE_URL is set). Creates the
pooled points applications in bulk with random answers scored under the seeded 2026 questionnaire,
drafts a 2027 version with other weights and a 410 pass mark, then times `what_if` end to end (the
pool read in one query, the pure re-scoring, the crossing lists). Last line:
`whatif_best_s=… whatif_worst_s=… applications=… crossing_up=… crossing_down=…`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time

from mobility.benchmarks._setup import start_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    start_django("bench-foreign-")
    from django.utils import timezone

    from migration import rules, scoring
    from migration.models import Application, ForeignApplicant
    from migration.services.rules import questionnaire_draft
    from migration.services.whatif import what_if
    from migration.states import ApplicationStatus
    from mobility.accounts.models import User
    from mobility.cases.models import Case
    from mobility.reference.models import Centre

    rng = random.Random(2026)
    today = timezone.localdate()
    questionnaire = rules.questionnaire_on("points-pilot", on=today)
    table = rules.scoring_table(questionnaire)
    version = rules.scheme_version_on("points-pilot", on=today)
    centre = Centre.objects.get(code="KZ-55-LMC")
    started = time.perf_counter()
    n = args.applications
    users = User.objects.bulk_create(
        [User(email=f"f{i}@bench.kz", last_name=f"Applicant{i}", first_name="Test") for i in range(n)],
        batch_size=2000,
    )
    applicants = ForeignApplicant.objects.bulk_create(
        [
            ForeignApplicant(
                user=u,
                citizenship="IN",
                passport_country="IN",
                passport_number=f"B{i:08d}",
                passport_expires_on=dt.date(2036, 1, 1),
            )
            for i, u in enumerate(users)
        ],
        batch_size=2000,
    )
    cases = Case.objects.bulk_create([Case(person=u, centre=centre) for u in users], batch_size=2000)
    now = timezone.now()
    rows = []
    for i, (applicant, case) in enumerate(zip(applicants, cases, strict=True)):
        answers = {c.code: rng.choice(list(c.options)) for c in table.criteria}
        scored = scoring.score(table, answers)
        rows.append(
            Application(
                number=f"PR-B-{i:07d}",
                applicant=applicant,
                case=case,
                centre=centre,
                scheme_version=version,
                field=rng.choice(["science", "it", "health", "education"]),
                status=ApplicationStatus.POOLED,
                questionnaire=questionnaire,
                answers=answers,
                score=scored.total,
                score_breakdown=scored.points,
                submitted_at=now - dt.timedelta(minutes=i),
            )
        )
    Application.objects.bulk_create(rows, batch_size=2000)
    draft = questionnaire_draft(
        source=questionnaire, version="bench-2027", valid_from=dt.date(2027, 1, 1), by=None
    )
    draft.pass_mark = 410
    draft.save(update_fields=["pass_mark"])
    for criterion in draft.criteria.all():
        for option in criterion.options.all():
            option.points = max(0, option.points + rng.choice([-10, 0, 10, 20]))
            option.save(update_fields=["points"])
    print(f"setup_s={time.perf_counter() - started:.1f}", flush=True)

    times = []
    for _ in range(max(args.repeat, 1)):
        t0 = time.perf_counter()
        result = what_if(version="bench-2027")
        times.append(time.perf_counter() - t0)
    assert result.scored == n, (result.scored, n)
    print(
        f"whatif_best_s={min(times):.3f} whatif_worst_s={max(times):.3f} applications={n} "
        f"crossing_up={len(result.crossing_up)} crossing_down={len(result.crossing_down)}",
        flush=True,
    )


if __name__ == "__main__":
    main()
