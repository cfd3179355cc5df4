"""The centre's verification queue: staff of the organisation's region verify or refuse
(with a reason the employer reads); decisions are audited and mailed to the owners."""

import pytest
from django.core import mail

from mobility.accounts.models import CentreMembership, Organisation
from mobility.core.audit import audit_trail
from tests.factories import (
    CentreMembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    UserFactory,
    centre,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(db):
    organisation = OrganisationFactory(name="ТОО «Ожидающая»", region=region("KZ-55"))
    OrganisationMembershipFactory(
        organisation=organisation, user=UserFactory(email="owner@pending.kz", language="ru")
    )
    return organisation


@pytest.fixture
def shymkent_pending(db):
    return OrganisationFactory(name="ТОО «Шымкентская»", region=region("KZ-79"))


class TestQueue:
    def test_staff_see_the_pending_organisations_of_their_region(
        self, client, dana, pending, shymkent_pending
    ):
        client.force_login(dana)
        body = client.get("/en/staff/verification/").content.decode()
        assert pending.name in body
        assert shymkent_pending.name not in body

    def test_another_regions_organisation_is_not_found(self, client, marat, pending):
        client.force_login(marat)
        assert client.get(f"/en/staff/verification/{pending.id}/").status_code == 404
        response = client.post(f"/en/staff/verification/{pending.id}/", {"decision": "verify"})
        assert response.status_code == 404
        pending.refresh_from_db()
        assert pending.status == Organisation.Status.PENDING

    def test_the_administrator_sees_every_region(self, client, admin_user, pending, shymkent_pending):
        client.force_login(admin_user)
        body = client.get("/en/staff/verification/").content.decode()
        assert pending.name in body and shymkent_pending.name in body

    def test_a_regional_manager_verifies_too(self, client, yerlan, pending):
        client.force_login(yerlan)
        assert client.get(f"/en/staff/verification/{pending.id}/").status_code == 200

    def test_a_migration_officer_may_not_verify(self, client, pending):
        officer = CentreMembershipFactory(
            centre=centre("KZ-55-LMC"), role=CentreMembership.Role.MIGRATION_OFFICER
        ).user
        client.force_login(officer)
        assert client.get("/en/staff/verification/").status_code == 403
        assert client.get(f"/en/staff/verification/{pending.id}/").status_code == 403

    @pytest.mark.parametrize("persona", ["aigerim", "bolat"])
    def test_seekers_and_employers_may_not_use_it(self, client, request, persona, pending):
        client.force_login(request.getfixturevalue(persona))
        assert client.get("/en/staff/verification/").status_code == 403
        assert client.post(f"/en/staff/verification/{pending.id}/", {"decision": "verify"}).status_code == 403

    def test_the_detail_explains_the_bin(self, client, dana, pending):
        client.force_login(dana)
        body = client.get(f"/en/staff/verification/{pending.id}/").content.decode()
        assert "resident legal entity" in body.lower() and "head office" in body
        assert "owner@pending.kz" in body

    @pytest.mark.parametrize("rows", [3, 30])
    def test_query_count_is_constant(self, client, dana, django_assert_num_queries, rows):
        for _ in range(rows):
            OrganisationFactory(region=region("KZ-55"))
        client.force_login(dana)
        with django_assert_num_queries(7):  # + the unread badge, counted on a first page
            assert client.get("/en/staff/verification/").status_code == 200


class TestDecision:
    def test_verify(self, client, dana, pending, django_capture_on_commit_callbacks):
        client.force_login(dana)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/en/staff/verification/{pending.id}/", {"decision": "verify"})
        assert response.status_code == 302
        pending.refresh_from_db()
        assert pending.status == Organisation.Status.VERIFIED and pending.verified_at is not None
        entry = audit_trail(pending).first()
        assert (entry.action, entry.actor, entry.to_state) == (
            "organisation.status_changed",
            dana,
            "verified",
        )
        assert mail.outbox[0].to == ["owner@pending.kz"]
        assert "верифицировал" in mail.outbox[0].body or pending.name in mail.outbox[0].body

    def test_a_refusal_needs_a_reason(self, client, dana, pending):
        client.force_login(dana)
        body = client.post(f"/en/staff/verification/{pending.id}/", {"decision": "refuse"}).content.decode()
        assert "Say why" in body
        pending.refresh_from_db()
        assert pending.status == Organisation.Status.PENDING

    def test_refuse_then_the_owner_corrects_and_asks_again(self, client, dana, pending):
        client.force_login(dana)
        client.post(
            f"/en/staff/verification/{pending.id}/",
            {"decision": "refuse", "reason": "The legal name does not match the register."},
        )
        pending.refresh_from_db()
        assert pending.status == Organisation.Status.REFUSED
        owner = pending.memberships.get().user
        client.force_login(owner)
        page = client.get(f"/en/employer/organisations/{pending.id}/").content.decode()
        assert "The legal name does not match the register." in page
        client.post(
            f"/en/employer/organisations/{pending.id}/edit/",
            {"name": "ТОО «Ожидающая-2»", "region": region("KZ-55").id, "sector": "Trade"},
        )
        client.post(f"/en/employer/organisations/{pending.id}/verify-again/")
        pending.refresh_from_db()
        assert (pending.name, pending.status) == ("ТОО «Ожидающая-2»", Organisation.Status.PENDING)
        assert [e.action for e in audit_trail(pending)][:3] == [
            "organisation.status_changed",
            "organisation.updated",
            "organisation.status_changed",
        ]

    def test_only_a_waiting_organisation_is_decided(self, client, dana, bolat_org):
        client.force_login(dana)
        client.post(f"/en/staff/verification/{bolat_org.id}/", {"decision": "refuse", "reason": "x"})
        bolat_org.refresh_from_db()
        assert bolat_org.status == Organisation.Status.VERIFIED


def test_a_verified_organisation_keeps_its_legal_name(client, bolat, bolat_org):
    client.force_login(bolat)
    client.post(
        f"/en/employer/organisations/{bolat_org.id}/edit/",
        {"name": "Другое имя", "region": region("KZ-71").id, "sector": "Energy", "phone": "+7 7182 11 22 33"},
    )
    bolat_org.refresh_from_db()
    assert bolat_org.name != "Другое имя" and bolat_org.region.code == "KZ-55"
    assert bolat_org.phone == "+7 7182 11 22 33"
