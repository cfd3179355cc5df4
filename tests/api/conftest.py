"""A small labour exchange with one object of every kind for every party, and API clients for
every persona and every key (see tests/conftest.py for the personas)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from mobility.api import services as api_services
from mobility.api.models import CENTRE_SCOPES, ORGANISATION_SCOPES
from mobility.exchange import services
from mobility.exchange.models import Application, ApplicationStatus, Registration, SeekerProfile, Vacancy
from tests.factories import (
    RegistrationFactory,
    SeekerProfileFactory,
    VacancyFactory,
    centre,
    region,
)


@pytest.fixture(autouse=True)
def _api_settings(settings):
    """Generous rates (the throttling tests set their own) and a clean throttle cache."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    aigerim_profile: SeekerProfile
    timur_profile: SeekerProfile
    aigerim_registration: Registration
    timur_registration: Registration
    bolat_draft: Vacancy
    bolat_published: Vacancy
    other_draft: Vacancy
    aigerim_application: Application
    timur_application: Application
    objects: dict[str, Any]


@pytest.fixture
def world(aigerim, timur, bolat, bolat_org, other_org, dana, yerlan, marat, admin_user):
    aigerim_profile = SeekerProfileFactory(user=aigerim, headline="Электрик")
    # Timur lives and registered in Shymkent (another region).
    timur_profile = SeekerProfileFactory(user=timur, region=region("KZ-79"), headline="Сварщик")
    aigerim_registration = RegistrationFactory(profile=aigerim_profile, centre=centre("KZ-55-pavlodar"))
    timur_registration = RegistrationFactory(profile=timur_profile, centre=centre("KZ-79-shy-alfarabi"))
    bolat_published = VacancyFactory(organisation=bolat_org, title="Электромонтёр", external_id="B-1")
    bolat_draft = VacancyFactory(
        organisation=bolat_org, title="Черновик", status=Vacancy.Status.DRAFT, external_id="B-2"
    )
    other_published = VacancyFactory(organisation=other_org, title="Сварщик", status=Vacancy.Status.PUBLISHED)
    other_draft = VacancyFactory(organisation=other_org, title="Чужой черновик", status=Vacancy.Status.DRAFT)
    aigerim_application = services.application_create(
        seeker=aigerim_profile, vacancy=bolat_published, status=ApplicationStatus.APPLIED, by=aigerim
    )
    timur_application = services.application_create(
        seeker=timur_profile, vacancy=other_published, status=ApplicationStatus.APPLIED, by=timur
    )
    return World(
        aigerim_profile=aigerim_profile,
        timur_profile=timur_profile,
        aigerim_registration=aigerim_registration,
        timur_registration=timur_registration,
        bolat_draft=bolat_draft,
        bolat_published=bolat_published,
        other_draft=other_draft,
        aigerim_application=aigerim_application,
        timur_application=timur_application,
        objects={"other_published": other_published},
    )


def make_key(*, organisation=None, centre_obj=None, scopes=None, rate: int = 100000) -> str:
    if scopes is None:
        scopes = ORGANISATION_SCOPES if organisation is not None else CENTRE_SCOPES
    _key, secret = api_services.api_key_create(
        name="test",
        scopes=list(scopes),
        by=None,
        organisation=organisation,
        centre=centre_obj,
        rate_per_minute=rate,
    )
    return secret


def client_for(*, user=None, secret: str | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user=user)
    if secret is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def api():
    return client_for


@pytest.fixture
def future_date():
    return timezone.localdate() + dt.timedelta(days=30)


def pytest_terminal_summary(terminalreporter):
    """After a schemathesis run: how many requests each role sent."""
    import sys

    fuzz = sys.modules.get("tests.api.test_fuzz")
    for role, seconds in (getattr(fuzz, "CALLS", None) or {}).items():
        terminalreporter.write_line(f"schemathesis {role}: {len(seconds)} requests, {sum(seconds):.1f} s")
