import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mobility.accounts.models import Organisation, User
from mobility.accounts.services import Channel, account_create, organisation_create, organisation_set_status
from mobility.core.audit import audit_trail
from mobility.core.identifiers import make_bin
from tests.factories import UserFactory, region

pytestmark = pytest.mark.django_db


class TestSignIn:
    def test_by_email_in_any_case(self, client, aigerim):
        response = client.post(
            "/en/accounts/login/", {"username": "AIGERIM@example.kz", "password": "pass-2026"}
        )
        assert response.status_code == 302
        assert response["Location"] == "/en/accounts/me/"

    def test_by_iin(self, client, aigerim):
        response = client.post("/en/accounts/login/", {"username": aigerim.iin, "password": "pass-2026"})
        assert response.status_code == 302

    def test_a_wrong_password_is_refused_with_a_clear_message(self, client, aigerim):
        response = client.post("/en/accounts/login/", {"username": aigerim.iin, "password": "nope"})
        assert response.status_code == 200
        assert "do not match an account" in response.content.decode()

    def test_the_message_is_translated(self, client, aigerim):
        response = client.post("/ru/accounts/login/", {"username": "x@example.kz", "password": "nope"})
        assert "не подходят" in response.content.decode()

    def test_an_inactive_account_cannot_sign_in(self, client):
        user = UserFactory(is_active=False)
        response = client.post("/en/accounts/login/", {"username": user.email, "password": "pass-2026"})
        assert response.status_code == 200

    def test_sign_out_is_a_post(self, client, aigerim):
        client.force_login(aigerim)
        assert client.post("/en/accounts/logout/").status_code == 302
        assert client.get("/en/accounts/me/").status_code == 302


def user_create(**kwargs):
    return account_create(channel=Channel.ADMINISTRATION, **kwargs).user


class TestUsers:
    def test_a_foreign_applicant_needs_no_iin(self):
        user = account_create(
            channel=Channel.FOREIGN_APPLICANT, email="john@example.com", password="x-2026-long"
        ).user
        assert user.iin is None

    def test_email_or_iin_is_required(self):
        with pytest.raises(ValidationError):
            user_create(email=None, password="x-2026-long")

    def test_the_database_refuses_a_person_without_email_or_iin(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.bulk_create([User(email=None, iin=None)])

    def test_an_existing_email_whatever_the_case_returns_that_account(self, aigerim):
        result = account_create(channel=Channel.SELF_SIGN_UP, email="Aigerim@Example.kz")
        assert (result.user, result.created) == (aigerim, False)
        assert User.objects.filter(email__iexact="aigerim@example.kz").count() == 1

    def test_an_invalid_iin_is_refused(self):
        with pytest.raises(ValidationError) as info:
            user_create(email="a@example.kz", password="x-2026-long", iin="791028302729")
        assert "iin" in info.value.message_dict


class TestOrganisations:
    def test_the_first_representative_becomes_owner_and_it_is_audited(self, aigerim):
        org = organisation_create(
            bin=make_bin(2015, 3, serial=11), name="ТОО «Тест»", region=region("KZ-55"), owner=aigerim
        )
        assert org.status == Organisation.Status.PENDING
        assert org.memberships.get().role == "owner"
        assert audit_trail(org).get().action == "organisation.created"

    def test_a_branch_needs_its_head_office(self, aigerim):
        with pytest.raises(ValidationError) as info:
            organisation_create(
                bin=make_bin(2015, 3, attribute="1", serial=12),
                name="Филиал",
                region=region("KZ-55"),
                owner=aigerim,
            )
        assert "head_office" in info.value.message_dict

    def test_a_branch_belongs_to_its_head_office(self, aigerim):
        head = organisation_create(
            bin=make_bin(2015, 3, serial=13), name="Head", region=region("KZ-55"), owner=aigerim
        )
        branch = organisation_create(
            bin=make_bin(2016, 4, attribute="1", serial=14),
            name="Branch",
            region=region("KZ-10"),
            owner=aigerim,
            head_office=head,
        )
        assert list(head.branches.all()) == [branch]

    def test_an_invalid_bin_is_refused(self, aigerim):
        with pytest.raises(ValidationError):
            organisation_create(bin="081340012010", name="X", region=region("KZ-55"), owner=aigerim)

    def test_verification_and_refusal_are_audited_with_reasons(self, aigerim, admin_user):
        org = organisation_create(
            bin=make_bin(2015, 3, serial=15), name="X", region=region("KZ-55"), owner=aigerim
        )
        with pytest.raises(ValidationError):
            organisation_set_status(organisation=org, status=Organisation.Status.REFUSED, by=admin_user)
        organisation_set_status(organisation=org, status="refused", by=admin_user, reason="BIN not found")
        org = organisation_set_status(organisation=org, status="verified", by=admin_user)
        assert org.verified_at is not None
        latest = audit_trail(org).first()
        assert (latest.actor, latest.from_state, latest.to_state) == (admin_user, "refused", "verified")

    def test_a_verified_organisation_without_a_date_is_refused_by_the_database(self):
        from tests.factories import OrganisationFactory

        with pytest.raises(IntegrityError), transaction.atomic():
            OrganisationFactory(status=Organisation.Status.VERIFIED, verified_at=None)
