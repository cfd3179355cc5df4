"""Foreign applicants, migration officers and applications for the page and API tests (the
seeded provisional schemes are used as they are)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any, cast

from django.core.files.uploadedfile import SimpleUploadedFile

from migration.models import ForeignApplicant, Scheme
from migration.services import applications as services
from mobility.accounts.models import CentreMembership, User
from mobility.reference.models import Region
from tests.factories import CentreMembershipFactory, UserFactory, centre
from tests.files import PDF

_passports = itertools.count(1)


def applicant(**user: Any) -> ForeignApplicant:
    user.setdefault("language", "en")
    return ForeignApplicant.objects.create(
        user=cast(User, UserFactory(iin=None, **user)),
        citizenship="MN",
        passport_country="MN",
        passport_number=f"E{next(_passports):07d}",
        passport_expires_on=dt.date(2040, 1, 1),
        ethnic_kazakh=True,
    )


def officer(code: str = "KZ-55-LMC", **user: Any) -> Any:
    return CentreMembershipFactory(
        user=UserFactory(**user), centre=centre(code), role=CentreMembership.Role.MIGRATION_OFFICER
    ).user


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def card_application(person: ForeignApplicant, *, region: str = "KZ-55", submit: bool = True) -> Any:
    """An Atameken card application (business abroad) with its documents, submitted."""
    user = person.user
    application = services.application_start(
        applicant=person,
        scheme=Scheme.objects.get(code="atameken-card"),
        region=Region.objects.get(code=region),
        by=user,
    )
    version = application.scheme_version
    services.application_update(
        application=application, by=user, category=version.categories.get(code="business-abroad")
    )
    for document in version.documents.filter(required=True):
        services.application_document_add(
            application=application, file=pdf(f"{document.code}.pdf"), by=user, requirement=document
        )
    if submit:
        return services.application_submit(application=application, consent=True, by=user)
    return application
