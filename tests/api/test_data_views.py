"""Every view of a person's full record by staff is logged (issue #12, item 3), through the API as
on the pages: one rule (`mobility.core.privacy.services.personal_data_view_log`), and the person's
"who viewed my data" page names the centre, the role and how (pages, API, the centre's system)."""

from __future__ import annotations

import pytest

from mobility.api.models import ApiKey
from mobility.core.privacy.models import PersonalDataView
from tests.api.conftest import client_for, make_key
from tests.factories import centre

pytestmark = pytest.mark.django_db

PAVLODAR = "KZ-55-pavlodar"


def test_a_centre_key_reading_a_profile_is_logged_as_its_centre_and_shown(client, world, aigerim):
    secret = make_key(centre_obj=centre(PAVLODAR))
    response = client_for(secret=secret).get(f"/api/v1/seekers/{world.aigerim_profile.id}/")
    assert response.status_code == 200, response.content
    view = PersonalDataView.objects.get(person=aigerim)
    key = ApiKey.objects.get()
    assert (view.record, view.channel, view.viewer_role, view.centre_id) == (
        "seeker_profile",
        "api_key",
        "counsellor",
        centre(PAVLODAR).id,
    )
    assert view.api_key_prefix == key.prefix and view.object_id == str(world.aigerim_profile.id)

    client.force_login(aigerim)
    body = client.get("/en/my-data/views/").content.decode()
    assert centre(PAVLODAR).name in body
    assert "the centre&#x27;s information system (API key)" in body and "job-seeker profile" in body


def test_staff_through_the_api_are_logged_like_on_the_pages(world, dana, aigerim):
    response = client_for(user=dana).get(f"/api/v1/seekers/{world.aigerim_profile.id}/")
    assert response.status_code == 200, response.content
    view = PersonalDataView.objects.get(person=aigerim)
    assert (view.viewer_id, view.viewer_role, view.channel, view.api_key_prefix) == (
        dana.id,
        "counsellor",
        "api",
        "",
    )
    client_for(user=dana).get(f"/api/v1/seekers/{world.aigerim_profile.id}/")
    assert PersonalDataView.objects.filter(person=aigerim).count() == 2  # one row per view


def test_own_reads_and_refused_reads_are_not_logged(world, aigerim, bolat_org):
    assert client_for(user=aigerim).get(f"/api/v1/seekers/{world.aigerim_profile.id}/").status_code == 200
    assert client_for(user=aigerim).get("/api/v1/seekers/me/").status_code == 200
    organisation_key = client_for(secret=make_key(organisation=bolat_org))
    assert organisation_key.get(f"/api/v1/seekers/{world.aigerim_profile.id}/").status_code in (403, 404)
    other_centre = client_for(secret=make_key(centre_obj=centre("KZ-79-shy-alfarabi")))
    assert other_centre.get(f"/api/v1/seekers/{world.aigerim_profile.id}/").status_code == 404
    assert not PersonalDataView.objects.exists()
