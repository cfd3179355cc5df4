"""Demo employers' self-service: a recruiter colleague, hiring boards with moves and notes,
requests to the centre (one waiting, one answered), and one more organisation waiting in the
Pavlodar verification queue.

Deterministic (its own seeded RNG, ordered queries) and idempotent (natural keys and a guard),
so running `seed_demo` twice changes nothing. Called from `mobility.demo.seed()`.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, cast

from django.db import transaction
from django.db.models import Count, Q

from mobility.accounts.models import Organisation, OrganisationMembership, User
from mobility.core.identifiers import make_bin
from mobility.employer import services
from mobility.employer.models import CentreRequest
from mobility.exchange import services as exchange
from mobility.exchange.models import Application, SeekerProfile, Vacancy
from mobility.reference.models import Region

PENDING_BIN = make_bin(2024, 10, serial=7712)
RECRUITER_EMAIL = "aruzhan@demo.kz"
PENDING_OWNER_EMAIL = "nurlan@demo.kz"


def _candidates_for(vacancy: Vacancy, limit: int) -> list[SeekerProfile]:
    """Visible seekers sharing the most taxonomy skills with a vacancy (a stand-in for the
    matcher, which the demo does not build just to seed)."""
    skill_ids = [s for s in vacancy.skills.values_list("skill_id", flat=True) if s]
    taken = Application.objects.filter(vacancy=vacancy).values("seeker_id")
    return list(
        SeekerProfile.objects.exclude(visibility=SeekerProfile.Visibility.HIDDEN)
        .exclude(id__in=taken)
        .annotate(
            shared=Count(
                "skills",
                filter=Q(skills__skill_id__in=skill_ids),
                distinct=True,
            )
        )
        .filter(shared__gt=0)
        .order_by("-shared", "id")[:limit]
    )


@transaction.atomic
def seed_employers(*, person: Any, admin: User) -> list[tuple[str, str, str]]:
    """Returns (role, name, login) rows for the printed list. `person(...)` makes a demo user."""
    rng = random.Random(6006)  # noqa: S311 - deterministic demo data, not security
    owner = User.objects.filter(email="bolat@demo.kz").first()
    organisation = (
        Organisation.objects.filter(memberships__user=owner, status=Organisation.Status.VERIFIED).first()
        if owner
        else None
    )
    recruiter = person(
        email=RECRUITER_EMAIL,
        first="Аружан",
        last="Серікбаев",
        male=False,
        birth=dt.date(1992, 9, 1),
        serial=2201,
    )
    pending_owner = person(
        email=PENDING_OWNER_EMAIL,
        first="Нұрлан",
        last="Әбенов",
        male=True,
        birth=dt.date(1979, 2, 17),
        serial=2202,
    )
    pending = Organisation.objects.filter(bin=PENDING_BIN).first()
    if pending is None:
        # Signed in, the sign-up always registers the organisation.
        pending = cast(
            Organisation,
            services.employer_sign_up(
                user=pending_owner,
                bin=PENDING_BIN,
                name="ТОО «Екібастұз Көмір Сервис»",
                region=Region.objects.get(code="KZ-55"),
                sector="Mining and energy",
                address="Екібастұз, Мәшһүр Жүсіп к-сі 60",
                phone="+7 7187 34 00 00",
            ),
        )
    rows = [("employer (waiting for verification)", f"{pending_owner} — {pending.name}", PENDING_OWNER_EMAIL)]
    if organisation is None or owner is None:
        return rows
    if not OrganisationMembership.objects.filter(user=recruiter, organisation=organisation).exists():
        invitation, _token = services.invitation_create(
            organisation=organisation,
            email=RECRUITER_EMAIL,
            role=OrganisationMembership.Role.RECRUITER,
            by=owner,
        )
        services.invitation_accept(invitation=invitation, user=recruiter)
    rows.append(("employer (recruiter)", f"{recruiter} — {organisation.name}", RECRUITER_EMAIL))
    if CentreRequest.objects.exists():  # the boards and requests below are made once
        return rows

    vacancies = list(
        Vacancy.objects.filter(organisation=organisation, status=Vacancy.Status.PUBLISHED).order_by("id")[:3]
    )
    notes = [
        "Сильный опыт, позвонить до пятницы.",
        "Готов(а) к переезду, уточнить сроки.",
        "Тәжірибесі жақсы, сұхбатқа шақыру.",
        "Ожидания по зарплате выше вилки.",
    ]
    for index, vacancy in enumerate(vacancies):
        people = _candidates_for(vacancy, limit=5)
        for position, profile in enumerate(people):
            if position % 2 == 0:
                application = services.candidate_invite(
                    vacancy=vacancy,
                    profile=profile,
                    by=recruiter,
                    message="Приглашаем откликнуться на вакансию.",
                )
                if position == 0:
                    application = exchange.application_transition(
                        application=application, to="applied", by=profile.user, reason="invitation_accepted"
                    )
            else:
                application = exchange.application_create(
                    seeker=profile,
                    vacancy=vacancy,
                    status="applied",
                    by=profile.user,
                    cover_note="Прошу рассмотреть.",
                )
            steps = {0: ["shortlisted", "interview"], 1: ["shortlisted"], 3: ["rejected"]}.get(position, [])
            if index == 0 and position == 0:
                steps = ["shortlisted", "interview", "offer"]
            for step in steps:
                reason = "Не подходит по опыту" if step == "rejected" else ""
                services.application_move(application=application, to=step, by=recruiter, reason=reason)
            if rng.random() < 0.6:
                services.application_note_add(application=application, by=recruiter, text=rng.choice(notes))

    first = vacancies[0] if vacancies else None
    if first is not None:
        services.centre_request_create(
            organisation=organisation,
            by=owner,
            kind=CentreRequest.Kind.CANDIDATE_SELECTION,
            vacancy=first,
            message="Просим подобрать двух кандидатов, готовых выйти в течение месяца.",
        )
    answered = services.centre_request_create(
        organisation=organisation,
        by=recruiter,
        kind=CentreRequest.Kind.TRAINING,
        message="Нужно обучение по охране труда для 12 новых сотрудников.",
    )
    dana = User.objects.filter(email="dana@demo.kz").first() or admin
    services.centre_request_take(request=answered, by=dana)
    services.centre_request_answer(
        request=answered,
        by=dana,
        notify=False,
        answer=(
            "Курс по охране труда проходит в колледже 12–16 числа; записали 12 человек, программа приложена."
        ),
    )
    return rows
