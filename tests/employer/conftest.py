"""Employer fixtures on top of the personas (tests/conftest.py): Bolat's verified organisation
with a published accountant vacancy, another organisation's draft, and three job seekers who
chose each of the three visibilities."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mobility.exchange import services as exchange
from mobility.exchange.models import SeekerProfile, Vacancy
from tests.factories import SeekerProfileFactory, UserFactory, region

ACCOUNTANT_SKILLS = ["1С:Бухгалтерия", "налоговая отчётность", "составление финансовой отчётности"]


def make_vacancy(organisation, by, *, title="Бухгалтер", publish=True, skills=ACCOUNTANT_SKILLS, **extra):
    data = {
        "title": title,
        "region": region("KZ-55"),
        "salary_min": 250_000,
        "salary_max": 400_000,
        "expires_on": timezone.localdate() + dt.timedelta(days=30),
    }
    data.update(extra)
    return exchange.vacancy_create(
        organisation=organisation, by=by, required_skills=skills, publish=publish, **data
    )


def make_seeker(
    user=None, *, visibility=SeekerProfile.Visibility.PUBLIC, headline="Бухгалтер", skills=None, **extra
):
    profile = SeekerProfileFactory(
        user=user or UserFactory(), headline=headline, visibility=visibility, **extra
    )
    exchange.profile_set_skills(
        profile=profile, skills=[(s, 3) for s in (skills or ACCOUNTANT_SKILLS[:2])], by=profile.user
    )
    return profile


@pytest.fixture
def vacancy(bolat_org, bolat):
    return make_vacancy(bolat_org, bolat)


@pytest.fixture
def other_member(other_org):
    return other_org.memberships.get().user


@pytest.fixture
def other_draft(other_org, other_member):
    return make_vacancy(other_org, other_member, title="Секретный черновик", publish=False)


@pytest.fixture
def other_vacancy(other_org, other_member):
    from mobility.accounts.models import Organisation

    Organisation.objects.filter(pk=other_org.pk).update(status="verified", verified_at=timezone.now())
    other_org.refresh_from_db()
    return make_vacancy(other_org, other_member, title="Бухгалтер (другая)")


@pytest.fixture
def public_seeker(aigerim):
    return make_seeker(aigerim)


@pytest.fixture
def anonymous_seeker(timur):
    return make_seeker(
        timur, visibility=SeekerProfile.Visibility.ANONYMOUS, region=region("KZ-79"), will_relocate=True
    )


@pytest.fixture
def hidden_seeker(db):
    return make_seeker(
        UserFactory(first_name="Скрытый", last_name="Человек"), visibility=SeekerProfile.Visibility.HIDDEN
    )


__all__ = ["Vacancy"]
