import pytest

from tests.factories import CentreMembershipFactory, UserFactory, centre

pytestmark = pytest.mark.django_db


def test_centre_staff_can_open_the_admin_without_the_is_staff_flag(client, dana):
    client.force_login(dana)
    assert client.get("/en/admin/").status_code == 200
    assert client.get("/en/admin/reference/region/?q=Pavlodar").status_code == 200


def test_seekers_and_employers_cannot(client, aigerim, bolat):
    for user in (aigerim, bolat):
        client.force_login(user)
        assert client.get("/en/admin/").status_code == 302  # to the admin login


def test_a_counsellor_may_look_but_not_change_reference_data(client, dana):
    client.force_login(dana)
    region = centre("KZ-55-pavlodar").region
    response = client.post(f"/en/admin/reference/region/{region.id}/change/", {"code": "KZ-99"})
    assert response.status_code == 403


def test_a_regional_manager_sees_only_staff_of_the_region(client, yerlan, dana, marat, aigerim):
    client.force_login(yerlan)
    body = client.get("/en/admin/accounts/user/").content.decode()
    assert dana.email in body
    assert marat.email not in body
    assert aigerim.email not in body
    assert client.get(f"/en/admin/accounts/user/{marat.id}/change/").status_code == 302  # not found → index


def test_a_regional_manager_can_edit_a_centre_of_the_region_only(client, yerlan):
    client.force_login(yerlan)
    own = centre("KZ-55-ekibastuz")
    other = centre("KZ-79-shy-alfarabi")
    assert client.get(f"/en/admin/reference/centre/{own.id}/change/").status_code == 200
    assert client.get(f"/en/admin/reference/centre/{other.id}/change/").status_code == 302


def test_admin_user_search_and_filters_work(client, admin_user):
    CentreMembershipFactory(user=UserFactory(last_name="Жақсыбекова"), centre=centre("KZ-55-pavlodar"))
    client.force_login(admin_user)
    body = client.get(
        "/en/admin/accounts/user/?q=Жақсыбекова&centre_memberships__role=counsellor"
    ).content.decode()
    assert "Жақсыбекова" in body


def test_iins_are_masked_in_the_user_list(client, admin_user, dana):
    client.force_login(admin_user)
    body = client.get("/en/admin/accounts/user/").content.decode()
    assert dana.iin not in body
    assert dana.masked_iin in body


def test_the_audit_trail_cannot_be_edited(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/en/admin/core/auditentry/add/").status_code == 403
