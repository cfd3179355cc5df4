"""In the admin, requests to the centre are visible to the staff of their region; internal
notes and invitations to administrators only."""

import pytest

from mobility.employer import services
from tests.factories import OrganisationFactory, OrganisationMembershipFactory, region

pytestmark = pytest.mark.django_db


def test_staff_see_their_regions_requests(client, dana, bolat, bolat_org):
    mine = services.centre_request_create(
        organisation=bolat_org, by=bolat, kind="training", message="Павлодар"
    )
    south = OrganisationFactory(region=region("KZ-79"))
    owner = OrganisationMembershipFactory(organisation=south).user
    theirs = services.centre_request_create(organisation=south, by=owner, kind="training", message="Шымкент")
    client.force_login(dana)
    body = client.get("/en/admin/employer/centrerequest/").content.decode()
    assert f"/employer/centrerequest/{mine.id}/" in body
    assert f"/employer/centrerequest/{theirs.id}/" not in body


def test_notes_and_invitations_are_for_administrators(client, dana, admin_user):
    client.force_login(dana)
    assert client.get("/en/admin/employer/applicationnote/").status_code == 403
    assert client.get("/en/admin/employer/organisationinvitation/").status_code == 403
    client.force_login(admin_user)
    assert client.get("/en/admin/employer/applicationnote/").status_code == 200
    assert client.get("/en/admin/employer/organisationinvitation/").status_code == 200
