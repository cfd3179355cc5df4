from __future__ import annotations

import datetime as dt

import pytest

from mobility.accounts.models import CentreMembership
from tests.factories import (
    CentreMembershipFactory,
    RegistrationFactory,
    SeekerProfileFactory,
    UserFactory,
    centre,
    region,
)


@pytest.fixture
def aliya(db):
    """Programme finance officer of Pavlodar region (for the akimat)."""
    return CentreMembershipFactory(
        user=UserFactory(email="aliya@example.kz", first_name="Әлия"),
        centre=centre("KZ-55-LMC"),
        role=CentreMembership.Role.PROGRAMME_FINANCE,
    ).user


@pytest.fixture
def asel(db):
    """A job seeker registered as unemployed in Shymkent (Al-Farabi district) since September."""
    profile = SeekerProfileFactory(
        user=UserFactory(email="asel@example.kz", first_name="Асель", last_name="Нұрова"),
        region=region("KZ-79"),
    )
    RegistrationFactory(
        profile=profile, centre=centre("KZ-79-shy-alfarabi"), registered_on=dt.date(2026, 9, 1)
    )
    return profile.user
