"""Each role reaches only what it may: 403 for pages of another role, 404 for objects
outside one's scope, a sign-in redirect for anonymous visitors."""

import pytest

from mobility.reference.models import Centre
from tests.factories import centre

pytestmark = pytest.mark.django_db


def _get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("url", ["/en/employer/", "/en/staff/", "/en/accounts/me/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


class TestEmployerPages:
    def test_a_seeker_may_not_use_them(self, client, aigerim):
        assert _get(client, aigerim, "/en/employer/").status_code == 403

    def test_a_counsellor_may_not_use_them(self, client, dana):
        assert _get(client, dana, "/en/employer/").status_code == 403

    def test_the_owner_sees_own_organisation(self, client, bolat, bolat_org):
        response = _get(client, bolat, f"/en/employer/organisations/{bolat_org.id}/")
        assert response.status_code == 200
        assert bolat_org.bin in response.content.decode()

    def test_another_organisation_is_not_found(self, client, bolat, other_org):
        assert _get(client, bolat, f"/en/employer/organisations/{other_org.id}/").status_code == 404

    def test_a_missing_organisation_looks_the_same(self, client, bolat):
        assert _get(client, bolat, "/en/employer/organisations/999999/").status_code == 404

    def test_the_list_shows_only_own_organisations(self, client, bolat, bolat_org, other_org):
        body = _get(client, bolat, "/en/employer/").content.decode()
        assert bolat_org.bin in body
        assert other_org.bin not in body


class TestStaffPages:
    def test_a_seeker_may_not_use_them(self, client, aigerim):
        assert _get(client, aigerim, "/en/staff/").status_code == 403

    def test_an_employer_may_not_use_them(self, client, bolat):
        assert _get(client, bolat, "/en/staff/").status_code == 403

    def test_a_counsellor_sees_own_centre(self, client, dana):
        own = centre("KZ-55-pavlodar")
        assert _get(client, dana, f"/en/staff/centres/{own.id}/").status_code == 200

    def test_a_counsellor_cannot_see_another_district(self, client, dana):
        other = centre("KZ-55-ekibastuz")
        assert _get(client, dana, f"/en/staff/centres/{other.id}/").status_code == 404

    def test_a_counsellor_cannot_see_another_region(self, client, dana):
        other = centre("KZ-79-shy-alfarabi")
        assert _get(client, dana, f"/en/staff/centres/{other.id}/").status_code == 404

    def test_a_regional_manager_sees_every_centre_of_the_region(self, client, yerlan):
        client.force_login(yerlan)
        for c in Centre.objects.filter(region__code="KZ-55"):
            assert client.get(f"/en/staff/centres/{c.id}/").status_code == 200

    def test_a_regional_manager_sees_no_other_region(self, client, yerlan):
        client.force_login(yerlan)
        for c in Centre.objects.exclude(region__code="KZ-55"):
            assert client.get(f"/en/staff/centres/{c.id}/").status_code == 404

    def test_an_administrator_sees_all(self, client, admin_user):
        other = centre("KZ-79-shy-alfarabi")
        assert _get(client, admin_user, f"/en/staff/centres/{other.id}/").status_code == 200

    def test_the_staff_home_lists_only_centres_in_scope(self, client, yerlan):
        body = _get(client, yerlan, "/en/staff/").content.decode()
        assert "Pavlodar city" in body
        assert "Shymkent" not in body

    @pytest.mark.parametrize("extra", [0, 30])
    def test_the_staff_home_query_count_is_constant(
        self, client, admin_user, django_assert_num_queries, extra
    ):
        region = centre("KZ-55-LMC").region
        for i in range(extra):
            Centre.objects.create(
                code=f"mobile-{i}",
                kind=Centre.Kind.MOBILE_GROUP,
                region=region,
                parent=centre("KZ-55-LMC"),
                name_kk=f"Топ {i}",
                name_ru=f"Группа {i}",
                name_en=f"Group {i}",
            )
        client.force_login(admin_user)
        with django_assert_num_queries(8):  # + the unread badge, counted on a first page
            assert client.get("/en/staff/").status_code == 200


def test_one_account_can_hold_several_roles(client, dana, bolat_org):
    from tests.factories import OrganisationMembershipFactory

    OrganisationMembershipFactory(user=dana, organisation=bolat_org)
    client.force_login(dana)
    assert client.get("/en/staff/").status_code == 200
    assert client.get("/en/employer/").status_code == 200
    body = client.get("/en/accounts/me/").content.decode()
    assert "Career-centre counsellor" in body
    assert bolat_org.name in body
