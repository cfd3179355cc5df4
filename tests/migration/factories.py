"""Foreign-specialist personas and objects for tests (the seeded provisional schemes are used as
they are)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from migration.models import ForeignApplicant, Scheme
from migration.services import applications as services
from mobility.accounts.models import CentreMembership
from mobility.reference.models import Region
from tests.factories import CentreMembershipFactory, UserFactory, centre
from tests.files import PDF


class ForeignApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForeignApplicant

    user = factory.SubFactory(UserFactory, iin=None, language="en", first_name="Aliya", last_name="Nurova")
    citizenship = "MN"
    passport_country = "MN"
    passport_number = factory.Sequence(lambda n: f"E{n:07d}")
    passport_expires_on = dt.date(2040, 1, 1)
    ethnic_kazakh = True


def migration_officer(code: str = "KZ-55-LMC", **user: Any) -> Any:
    """A migration officer at a regional centre (Pavlodar's by default)."""
    return CentreMembershipFactory(
        user=UserFactory(**user), centre=centre(code), role=CentreMembership.Role.MIGRATION_OFFICER
    ).user


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def submitted_card_application(applicant: ForeignApplicant, *, region: str = "KZ-55") -> Any:
    """An Atameken card application in the business-abroad category, with its documents, submitted."""
    scheme = Scheme.objects.get(code="atameken-card")
    user = applicant.user
    application = services.application_start(
        applicant=applicant, scheme=scheme, region=Region.objects.get(code=region), by=user
    )
    version = application.scheme_version
    services.application_update(
        application=application, by=user, category=version.categories.get(code="business-abroad")
    )
    for code in ("passport", "origin"):
        services.application_document_add(
            application=application,
            file=pdf(f"{code}.pdf"),
            by=user,
            requirement=version.documents.get(code=code),
        )
    return services.application_submit(application=application, consent=True, by=user)
