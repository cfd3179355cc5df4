"""factory-boy factories: valid identifiers by construction, one sequence per kind."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from mobility.accounts.models import CentreMembership, Organisation, OrganisationMembership, User
from mobility.core.identifiers import make_bin, make_iin
from mobility.exchange.models import Registration, SeekerProfile, Vacancy
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


# --- Labour exchange -------------------------------------------------------------------------


class SeekerProfileFactory(factory.django.DjangoModelFactory):
    """A job seeker in Pavlodar region; visible profiles carry the consent the DB demands."""

    class Meta:
        model = SeekerProfile

    user = factory.SubFactory(UserFactory)
    region = factory.LazyFunction(lambda: Region.objects.get(code="KZ-55"))
    headline = ""
    visibility = SeekerProfile.Visibility.PUBLIC
    consent_at = factory.LazyAttribute(
        lambda o: None if o.visibility == SeekerProfile.Visibility.HIDDEN else timezone.now()
    )


class VacancyFactory(factory.django.DjangoModelFactory):
    """A published vacancy of a verified organisation in Pavlodar region."""

    class Meta:
        model = Vacancy

    organisation = factory.SubFactory(
        OrganisationFactory,
        status=Organisation.Status.VERIFIED,
        verified_at=factory.LazyFunction(timezone.now),
    )
    title = factory.Sequence(lambda n: f"Vacancy {n}")
    region = factory.LazyFunction(lambda: Region.objects.get(code="KZ-55"))
    salary_min = 150_000
    salary_max = 250_000
    status = Vacancy.Status.PUBLISHED
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status != Vacancy.Status.DRAFT else None
    )


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    profile = factory.SubFactory(SeekerProfileFactory)
    centre = factory.LazyFunction(lambda: Centre.objects.get(code="KZ-55-pavlodar"))
    kind = Registration.Kind.UNEMPLOYED
    registered_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
