"""Resettlement factories: an application already at a given state (rows as the services leave
them), for the tests of later steps and of concurrency. The steps themselves are tested through
the services."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from mobility.cases.models import Case
from mobility.reference.models import Centre, Region
from mobility.resettlement.models import ApplicationEvent, ApplicationMember, ResettlementApplication
from tests.factories import UserFactory


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    person = factory.SubFactory(UserFactory)
    centre = factory.LazyFunction(lambda: Centre.objects.get(code="KZ-79-shy-alfarabi"))


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A resettler family of one from Shymkent to Pavlodar, checked by the regional centre."""

    class Meta:
        model = ResettlementApplication
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    person = factory.LazyAttribute(lambda o: o.case.person)
    centre = factory.LazyAttribute(lambda o: o.case.centre)
    category = "resettler"
    year = 2026
    rules_on = dt.date(2026, 3, 2)
    origin_region = factory.LazyFunction(lambda: Region.objects.get(code="KZ-79"))
    destination_region = factory.LazyFunction(lambda: Region.objects.get(code="KZ-55"))
    settlement_type = "urban"
    consent_at = factory.LazyFunction(timezone.now)
    status = "checked"
    forward_due_on = dt.date(2026, 3, 3)

    @factory.post_generation
    def family(self, create, extracted, **kwargs):
        """`family=n`: n people moving, the head included (extra members get made-up valid IINs)."""
        if not create:
            return
        size = extracted or 1
        ApplicationMember.objects.create(
            application=self,
            iin=self.person.iin,
            last_name=self.person.last_name,
            first_name="Head",
            relation="head",
        )
        for n in range(1, size):
            ApplicationMember.objects.create(
                application=self,
                iin=UserFactory.build().iin,
                last_name=self.person.last_name,
                first_name=f"Child {n}",
                relation="child",
            )
        path = ["", "submitted", "forwarded", "checked", "included"]
        steps = path[: path.index(self.status) + 1]
        for source, target in zip(steps, steps[1:], strict=False):
            ApplicationEvent.objects.create(application=self, from_status=source, to_status=target)


def included(**kwargs) -> ResettlementApplication:
    """An application included in the quota (quota_persons set as the inclusion does)."""
    application: ResettlementApplication = ApplicationFactory.create(status="included", **kwargs)
    application.quota_persons = application.members.count()
    application.save(update_fields=["quota_persons"])
    return application
