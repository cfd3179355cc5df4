"""A history for the demo's dashboards: hires spread over the last 18 months, so the placement
chart has something to draw. Made through the services, as a year and a half of work would
have; only the dates are then set back, as the months really passed."""

from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.utils import timezone

from mobility.accounts.models import OrganisationMembership
from mobility.cases.models import Case
from mobility.employer import services as employer
from mobility.exchange import services as exchange
from mobility.exchange.models import Application, ApplicationStatus, SeekerProfile, Vacancy

MONTHS = 18
HIRES = 36
PATH = ["shortlisted", "interview", "offer", "hired"]


def seed_history(*, rng: random.Random) -> int:
    """Hire people with open cases into published vacancies (not the first employer's: its board
    is the one the demo shows), one to three a month over the last 18 months. Returns the hires."""
    if Application.objects.filter(status=ApplicationStatus.HIRED).exists():
        return 0
    members = {
        m.organisation_id: m.user
        for m in OrganisationMembership.objects.select_related("user").order_by("-id")
    }
    vacancies = list(
        Vacancy.objects.filter(status=Vacancy.Status.PUBLISHED, organisation_id__in=members)
        .exclude(organisation__memberships__user__email="bolat@demo.kz")
        .order_by("id")
    )
    open_cases = Case.objects.filter(status=Case.Status.OPEN)
    pavlodar = set(open_cases.filter(centre__region__code="KZ-55").values_list("person_id", flat=True))
    people = list(
        SeekerProfile.objects.filter(user__in=open_cases.values("person"))
        .exclude(applications__isnull=False)
        .order_by("id")
    )
    rng.shuffle(people)
    # The demo's staff work in Pavlodar region: their people's hires first, the rest after.
    people.sort(key=lambda p: p.user_id not in pavlodar)
    now = timezone.now()
    hired = 0
    done: list[int] = []
    for profile in people:
        if hired >= HIRES or not vacancies:
            break
        vacancy = rng.choice(vacancies)
        recruiter = members[vacancy.organisation_id]
        try:
            application = exchange.application_create(
                seeker=profile, vacancy=vacancy, status=ApplicationStatus.APPLIED, by=profile.user
            )
            for step in PATH:
                application = employer.application_move(application=application, to=step, by=recruiter)
        except ValidationError:
            continue
        done.append(application.pk)
        hired += 1
        vacancy.refresh_from_db()
        if vacancy.status != Vacancy.Status.PUBLISHED:
            vacancies.remove(vacancy)
    # Spread over the months in a shuffled order, so each region's hires span the period.
    rng.shuffle(done)
    for index, pk in enumerate(done):
        when = now - dt.timedelta(days=int(index * 30.4 * MONTHS / max(len(done), 1)) + rng.randrange(0, 20))
        Application.objects.filter(pk=pk).update(created_at=when - dt.timedelta(days=21), updated_at=when)
    return hired
