"""Demo caseloads: every registered demo job seeker has a case at their centre, many with a
plan (some steps done, some overdue) and a few referrals, so the workspace is not empty."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from mobility.accounts.models import CentreMembership, User
from mobility.cases import services
from mobility.cases.models import Case, PlanStep
from mobility.exchange.models import Registration


@transaction.atomic
def seed_cases(*, rng: random.Random, admin: User) -> None:
    if Case.objects.exists():
        return
    counsellors: dict[int, User] = {}
    for membership in CentreMembership.objects.filter(role=CentreMembership.Role.COUNSELLOR).select_related(
        "user"
    ):
        counsellors.setdefault(membership.centre_id, membership.user)
    today = timezone.localdate()
    registrations = Registration.objects.filter(status=Registration.Status.ACTIVE).select_related(
        "profile__user", "centre"
    )
    for index, registration in enumerate(registrations.order_by("id")):
        counsellor = counsellors.get(registration.centre_id)
        by = counsellor or admin
        case = services.case_open(
            person=registration.profile.user, centre=registration.centre, by=by, counsellor=counsellor
        )
        if index % 3 == 2:
            continue
        steps = [
            {
                "kind": PlanStep.Kind.COUNSELLING,
                "title": "Карьерная консультация",
                "due_on": today + dt.timedelta(days=rng.randrange(1, 10)),
                "owner": "counsellor",
            },
            {
                "kind": PlanStep.Kind.TRAINING,
                "title": "Курсы 1С / цифровая грамотность",
                "due_on": today + dt.timedelta(days=rng.randrange(15, 60)),
                "owner": "seeker",
            },
            {
                "kind": PlanStep.Kind.VACANCY,
                "title": "Отклик на 3 подходящие вакансии",
                "due_on": today + dt.timedelta(days=rng.randrange(5, 30)),
                "owner": "seeker",
            },
        ]
        plan = services.plan_save(
            case=case, goal="Трудоустройство по специальности в течение 3 месяцев", steps=steps, by=by
        )
        if index % 3 == 0:
            services.plan_propose(plan=plan, by=by)
        if index % 4 == 1:
            # An overdue step: the deadline passed without an outcome.
            PlanStep.objects.filter(plan=plan, kind=PlanStep.Kind.COUNSELLING).update(
                due_on=today - dt.timedelta(days=rng.randrange(1, 20))
            )
