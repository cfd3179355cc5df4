"""factory-boy factories: valid identifiers by construction, one sequence per kind."""

from __future__ import annotations

import datetime as dt

import factory

from mobility.accounts.models import CentreMembership, Organisation, OrganisationMembership, User
from mobility.core.identifiers import make_bin, make_iin
from mobility.reference.models import Centre, Region


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.kz")
    iin = factory.Sequence(
        lambda n: make_iin(dt.date(1990, 1, 1) + dt.timedelta(days=n), male=n % 2 == 0, serial=n)
    )
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    language = "kk"
    password = factory.PostGenerationMethodCall("set_password", "pass-2026")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def centre(code: str) -> Centre:
    return Centre.objects.get(code=code)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    bin = factory.Sequence(lambda n: make_bin(2010 + n % 10, 1 + n % 12, serial=n * 7))
    name = factory.Sequence(lambda n: f"ТОО «Компания {n}»")
    region = factory.LazyFunction(lambda: Region.objects.get(code="KZ-55"))
    status = Organisation.Status.PENDING


class OrganisationMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = OrganisationMembership.Role.OWNER


class CentreMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CentreMembership

    user = factory.SubFactory(UserFactory)
    centre = factory.LazyFunction(lambda: Centre.objects.get(code="KZ-55-pavlodar"))
    role = CentreMembership.Role.COUNSELLOR
