"""Documents attached to a resettlement application (issue #13, item 5): the receiving region's
manager and programme finance officer download them, though the family lives in another region
(the kernel's one rule, `mobility.core.documents.access`); staff of other centres and regions get
404 like anyone else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mobility.accounts.models import CentreMembership
from mobility.core.documents.access import documents_visible_to
from mobility.reference.models import ReceivingSettlement
from mobility.resettlement import services
from mobility.resettlement.portal_views import application_documents
from tests.factories import CentreMembershipFactory, centre, region
from tests.files import PDF


@pytest.fixture
def application_with_passport(asel):
    """Asel (Shymkent) applies to Pavlodar with her passport attached."""
    return services.application_submit(
        person=asel,
        category="resettler",
        destination_region=region("KZ-55"),
        destination_settlement=ReceivingSettlement.objects.filter(
            region__code="KZ-55", status="published", year=timezone.localdate().year
        ).first(),
        settlement_type="urban",
        by=asel,
        consent=True,
        permanent_registration_since=dt.date(2020, 1, 1),
        documents=[("identity", SimpleUploadedFile("passport.pdf", PDF, content_type="application/pdf"))],
    )


@pytest.fixture
def north_manager(db):
    return CentreMembershipFactory(
        centre=centre("KZ-59-LMC"), role=CentreMembership.Role.REGIONAL_MANAGER
    ).user


@pytest.mark.django_db
def test_the_receiving_region_downloads_the_applications_documents(
    client, application_with_passport, asel, marat, yerlan, aliya, dana, north_manager
):
    document = application_documents(application_with_passport).get()
    url = f"/documents/{document.public_id}/"
    expected = {
        asel: 200,  # the owner
        marat: 200,  # the career centre of origin (Shymkent), which forwards
        yerlan: 200,  # Pavlodar's regional manager: the destination
        aliya: 200,  # Pavlodar's programme finance officer: the destination
        dana: 404,  # a counsellor in Pavlodar city: neither origin nor destination
        north_manager: 404,  # another receiving region
    }
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(url).status_code == status, user.email


@pytest.mark.django_db
def test_only_documents_attached_to_the_application(application_with_passport, asel, aliya):
    """The finance officer sees the application's documents, not the family's other files."""
    from mobility.core.documents.services import document_upload

    other = document_upload(
        file=SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf"), kind="cv", owner=asel, by=asel
    )
    visible = set(documents_visible_to(aliya).values_list("pk", flat=True))
    assert application_documents(application_with_passport).get().pk in visible
    assert other.pk not in visible
