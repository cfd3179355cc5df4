"""Colleagues join an organisation through a signed, expiring link sent by an owner."""

import datetime as dt

import pytest
from django.core import mail, signing
from django.utils import timezone

from mobility.accounts.models import OrganisationMembership, User
from mobility.employer import services
from mobility.employer.models import OrganisationInvitation
from tests.factories import OrganisationMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _invite(client, owner, organisation, email="zhanna@firm.kz", role="recruiter", capture=None):
    client.force_login(owner)
    if capture is not None:
        with capture(execute=True):
            return client.post(
                f"/en/employer/organisations/{organisation.id}/invite/", {"email": email, "role": role}
            )
    return client.post(
        f"/en/employer/organisations/{organisation.id}/invite/", {"email": email, "role": role}
    )


def _link_from_mail():
    line = next(line for line in mail.outbox[-1].body.splitlines() if "/employer/join/" in line)
    return line[line.index("/en/") :]


class TestInvite:
    def test_a_new_colleague_creates_an_account_and_joins(
        self, client, bolat, bolat_org, django_capture_on_commit_callbacks
    ):
        response = _invite(client, bolat, bolat_org, capture=django_capture_on_commit_callbacks)
        assert response.status_code == 200 and "/employer/join/" in response.content.decode()
        assert mail.outbox[0].to == ["zhanna@firm.kz"]
        link = _link_from_mail()
        client.logout()
        assert "Create your account" in client.get(link).content.decode()
        response = client.post(
            link,
            {
                "last_name": "Омарова",
                "first_name": "Жанна",
                "password1": "Qaz-2026-strong",
                "password2": "Qaz-2026-strong",
            },
        )
        assert response["Location"] == f"/en/employer/organisations/{bolat_org.id}/"
        zhanna = User.objects.get(email="zhanna@firm.kz")
        membership = OrganisationMembership.objects.get(user=zhanna, organisation=bolat_org)
        assert membership.role == OrganisationMembership.Role.RECRUITER
        assert client.get("/en/employer/").status_code == 200  # signed in as Zhanna
        # The link works once.
        assert client.get(link).status_code == 400

    def test_an_existing_account_signs_in_and_accepts(self, client, bolat, bolat_org, aigerim):
        _invite(client, bolat, bolat_org, email=aigerim.email.upper())
        invitation = OrganisationInvitation.objects.get()
        link = f"/en/employer/join/{services.invitation_token(invitation)}/"
        client.logout()
        assert "Sign in to accept" in client.get(link).content.decode()
        client.force_login(aigerim)
        client.post(link)
        assert OrganisationMembership.objects.filter(user=aigerim, organisation=bolat_org).exists()

    def test_someone_else_signed_in_cannot_use_the_link(self, client, bolat, bolat_org, timur):
        _invite(client, bolat, bolat_org)
        link = f"/en/employer/join/{services.invitation_token(OrganisationInvitation.objects.get())}/"
        client.force_login(timur)
        response = client.post(link, follow=True)
        assert "was sent to zhanna@firm.kz" in response.content.decode()
        assert not OrganisationMembership.objects.filter(user=timur).exists()

    def test_a_forged_link_is_refused(self, client):
        assert client.get("/en/employer/join/not-a-token/").status_code == 400

    def test_an_expired_invitation_is_refused(self, client, bolat, bolat_org):
        _invite(client, bolat, bolat_org)
        invitation = OrganisationInvitation.objects.get()
        token = services.invitation_token(invitation)
        OrganisationInvitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - dt.timedelta(minutes=1)
        )
        assert "expired" in client.get(f"/en/employer/join/{token}/").content.decode()

    def test_an_old_signature_is_refused(self, client, bolat, bolat_org, monkeypatch):
        _invite(client, bolat, bolat_org)
        token = services.invitation_token(OrganisationInvitation.objects.get())
        real = signing.loads
        monkeypatch.setattr(signing, "loads", lambda *a, **k: real(*a, **{**k, "max_age": -1}))
        assert client.get(f"/en/employer/join/{token}/").status_code == 400

    def test_a_withdrawn_invitation_is_refused(self, client, bolat, bolat_org):
        _invite(client, bolat, bolat_org)
        invitation = OrganisationInvitation.objects.get()
        client.post(f"/en/employer/organisations/{bolat_org.id}/invitations/{invitation.id}/revoke/")
        token = services.invitation_token(invitation)
        assert "withdrawn" in client.get(f"/en/employer/join/{token}/").content.decode()

    def test_a_second_invitation_replaces_the_first(self, client, bolat, bolat_org):
        _invite(client, bolat, bolat_org)
        _invite(client, bolat, bolat_org, role="owner")
        pending = [i for i in OrganisationInvitation.objects.all() if i.is_pending]
        assert [i.role for i in pending] == ["owner"]

    def test_a_member_is_not_invited_twice(self, client, bolat, bolat_org):
        body = _invite(client, bolat, bolat_org, email=bolat.email).content.decode()
        assert "already represents" in body

    def test_a_recruiter_may_not_invite(self, client, bolat_org):
        recruiter = OrganisationMembershipFactory(
            organisation=bolat_org, role=OrganisationMembership.Role.RECRUITER
        ).user
        response = _invite(client, recruiter, bolat_org)
        assert response.status_code == 403
        assert not OrganisationInvitation.objects.exists()

    def test_another_organisations_owner_gets_404(self, client, bolat, other_org):
        assert _invite(client, bolat, other_org).status_code == 404


class TestMembers:
    def test_the_owner_removes_a_recruiter(self, client, bolat, bolat_org):
        recruiter = OrganisationMembershipFactory(
            organisation=bolat_org, role=OrganisationMembership.Role.RECRUITER
        )
        client.force_login(bolat)
        client.post(f"/en/employer/organisations/{bolat_org.id}/members/{recruiter.id}/remove/")
        assert not OrganisationMembership.objects.filter(pk=recruiter.pk).exists()

    def test_the_last_owner_stays(self, client, bolat, bolat_org):
        own = OrganisationMembership.objects.get(user=bolat)
        client.force_login(bolat)
        response = client.post(
            f"/en/employer/organisations/{bolat_org.id}/members/{own.id}/remove/", follow=True
        )
        assert "at least one owner" in response.content.decode()
        assert OrganisationMembership.objects.filter(pk=own.pk).exists()

    def test_another_organisations_member_is_not_found(self, client, bolat, bolat_org, other_org):
        stranger = other_org.memberships.get()
        client.force_login(bolat)
        response = client.post(f"/en/employer/organisations/{bolat_org.id}/members/{stranger.id}/remove/")
        assert response.status_code == 404
        assert OrganisationMembership.objects.filter(pk=stranger.pk).exists()

    def test_an_invitation_of_another_organisation_is_not_found(self, client, bolat, bolat_org, other_org):
        invitation, _token = services.invitation_create(
            organisation=other_org, email="x@y.kz", role="recruiter", by=other_org.memberships.get().user
        )
        client.force_login(bolat)
        url = f"/en/employer/organisations/{bolat_org.id}/invitations/{invitation.id}/revoke/"
        assert client.post(url).status_code == 404
        invitation.refresh_from_db()
        assert invitation.revoked_at is None


def test_the_invitation_mail_speaks_the_inviters_language(bolat_org, django_capture_on_commit_callbacks):
    owner = UserFactory(language="ru")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            organisation=bolat_org,
            email="new@firm.kz",
            role="recruiter",
            by=owner,
            accept_url=lambda token: f"https://example.kz/ru/employer/join/{token}/",
        )
    assert "https://example.kz/ru/employer/join/" in mail.outbox[0].body
