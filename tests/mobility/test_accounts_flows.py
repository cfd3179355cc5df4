"""One way to create an account, and a way in for everyone (issue #11, item 6).

People registered at the desk or by a mobile group activate their account from a link or a
code; sign-up and password reset answer the same whether or not an account exists, and write
only to the contact on record; after signing in each person lands where their work is.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from mobility.accounts.models import ActivationCode, CentreMembership, User
from mobility.accounts.services import Channel, account_create
from mobility.accounts.tokens import CODE_MAX_ATTEMPTS
from mobility.cases.models import Case
from mobility.core.identifiers import make_iin
from mobility.core.models import AuditEntry
from tests import files
from tests.factories import CentreMembershipFactory, SeekerProfileFactory, UserFactory, centre, region
from tests.two_factor import enrol, prove

pytestmark = pytest.mark.django_db

IIN = make_iin(dt.date(1988, 2, 14), male=True, serial=555)
PASSWORD = "Qaz-2026-strong"


def _desk(client, **overrides):
    data = {
        "iin": IIN,
        "last_name": "Сейітов",
        "first_name": "Асхат",
        "email": "",
        "phone": "+77011112233",
        "region": region("KZ-55").id,
        "centre": centre("KZ-55-pavlodar").id,
        "kind": "unemployed",
        "registered_on": timezone.localdate().isoformat(),
        "identity_document": files.upload("id-card.pdf", files.PDF),
    }
    data.update(overrides)
    return client.post("/en/staff/cases/register/", data)


def _link(message, marker="/accounts/activate/"):
    line = next(line for line in message.body.splitlines() if marker in line)
    return line[line.index("/", line.index("//") + 2) :]


def _set_password(client, link, password=PASSWORD):
    form = client.get(link, follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    return client.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def _code(response):
    return re.search(r"data-activation-code>([A-Z0-9]{8})<", response.content.decode()).group(1)


class TestDeskRegisteredPeopleGetIn:
    def test_with_email_the_link_sets_the_password_and_they_sign_in(
        self, client, dana, django_capture_on_commit_callbacks
    ):
        client.force_login(dana)
        with django_capture_on_commit_callbacks(execute=True):
            response = _desk(client, email="askhat@example.kz")
        case = Case.objects.get()
        assert response["Location"] == f"/en/staff/cases/{case.id}/"
        page = client.get(response["Location"]).content.decode()
        assert "A link to set their password was sent to askhat@example.kz" in page
        assert [m.to for m in mail.outbox] == [["askhat@example.kz"]]
        person = User.objects.get(iin=IIN)
        assert not person.has_usable_password()
        link = _link(mail.outbox[0])
        assert link.startswith(f"/{dana.language}/")  # in the person's language (the desk's)
        visitor = type(client)()
        done = _set_password(visitor, link.replace(f"/{dana.language}/", "/en/", 1))
        assert done["Location"] == "/en/me/for-me/"
        assert visitor.get("/en/me/for-me/").status_code == 200
        # The link worked once.
        again = type(client)().get(link.replace(f"/{dana.language}/", "/en/", 1), follow=True)
        assert "no longer valid" in again.content.decode()
        # From now on: sign in with the IIN.
        fresh = type(client)()
        signed = fresh.post("/en/accounts/login/", {"username": IIN, "password": PASSWORD})
        assert signed["Location"] == "/en/me/for-me/"
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        assert {"account.created", "account.activation_sent", "account.activated"} <= actions
        created = AuditEntry.objects.get(action="account.created")
        assert created.data == {"channel": "desk"} and created.actor == dana

    def test_without_email_a_printable_code_lets_them_in_once(self, client, dana):
        client.force_login(dana)
        response = _desk(client)
        assert response.status_code == 200
        code = _code(response)
        assert ActivationCode.objects.get().digest != code  # only a digest is kept
        assert not mail.outbox
        visitor = type(client)()
        data = {"iin": IIN, "code": code.lower(), "new_password1": PASSWORD, "new_password2": PASSWORD}
        done = visitor.post("/en/accounts/activate/", data)
        assert done["Location"] == "/en/me/for-me/"
        assert User.objects.get(iin=IIN).check_password(PASSWORD)
        again = type(client)().post(
            "/en/accounts/activate/",
            {**data, "new_password1": "Other-2026-pass", "new_password2": "Other-2026-pass"},
        )
        assert again.status_code == 200 and "do not match a valid activation code" in again.content.decode()

    def test_an_expired_code_is_refused(self, client, dana):
        client.force_login(dana)
        code = _code(_desk(client))
        ActivationCode.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
        data = {"iin": IIN, "code": code, "new_password1": PASSWORD, "new_password2": PASSWORD}
        response = type(client)().post("/en/accounts/activate/", data)
        assert "do not match a valid activation code" in response.content.decode()
        assert not User.objects.get(iin=IIN).has_usable_password()

    def test_wrong_codes_use_up_the_code(self, client, dana):
        client.force_login(dana)
        code = _code(_desk(client))
        visitor = type(client)()
        data = {"iin": IIN, "new_password1": PASSWORD, "new_password2": PASSWORD}
        for _attempt in range(CODE_MAX_ATTEMPTS):
            visitor.post("/en/accounts/activate/", {**data, "code": "AAAAAAAA"})
        response = visitor.post("/en/accounts/activate/", {**data, "code": code})
        assert "do not match a valid activation code" in response.content.decode()

    def test_an_expired_link_is_refused(self, client, dana, django_capture_on_commit_callbacks, monkeypatch):
        client.force_login(dana)
        with django_capture_on_commit_callbacks(execute=True):
            _desk(client, email="askhat@example.kz")
        from mobility.accounts.tokens import activation_token_generator

        later = dt.datetime.now() + dt.timedelta(days=15)  # noqa: DTZ005 - Django's token clock is naive
        monkeypatch.setattr(activation_token_generator, "_now", lambda: later)
        page = type(client)().get(_link(mail.outbox[0]).replace(f"/{dana.language}/", "/en/", 1), follow=True)
        assert "no longer valid" in page.content.decode()

    def test_re_registering_reuses_the_account_and_gives_a_new_code(self, client, dana):
        from mobility.exchange.models import Registration
        from mobility.exchange.services import registration_end

        client.force_login(dana)
        first = _code(_desk(client))
        registration_end(registration=Registration.objects.get(), reason="Moved away", by=dana)
        second = _code(_desk(client, kind="job_seeker"))
        assert first != second
        assert User.objects.filter(iin=IIN).count() == 1
        assert ActivationCode.objects.filter(used_at__isnull=True).count() == 1

    def test_a_lost_letter_is_printed_again_from_the_case_and_the_old_code_stops_working(self, client, dana):
        client.force_login(dana)
        first = _code(_desk(client))
        case = Case.objects.get()
        assert "Print a new activation code" in client.get(f"/en/staff/cases/{case.id}/").content.decode()
        second = _code(client.post(f"/en/staff/cases/{case.id}/activation/"))
        data = {"iin": IIN, "new_password1": PASSWORD, "new_password2": PASSWORD}
        visitor = type(client)()
        refused = visitor.post("/en/accounts/activate/", {**data, "code": first})
        assert "do not match a valid activation code" in refused.content.decode()
        assert visitor.post("/en/accounts/activate/", {**data, "code": second}).status_code == 302

    def test_another_districts_counsellor_cannot_renew_the_activation(self, client, dana, serik):
        client.force_login(dana)
        _desk(client)
        case = Case.objects.get()
        client.force_login(serik)
        assert client.post(f"/en/staff/cases/{case.id}/activation/").status_code == 404
        assert ActivationCode.objects.count() == 1

    def test_an_activated_person_re_registered_gets_no_code(self, client, dana, aigerim):
        client.force_login(dana)
        response = _desk(client, iin=aigerim.iin)
        assert response.status_code == 302
        assert not ActivationCode.objects.exists()
        assert User.objects.filter(iin=aigerim.iin).count() == 1

    def test_an_email_of_another_account_is_refused_beside_the_field(self, client, dana, aigerim):
        client.force_login(dana)
        response = _desk(client, email=aigerim.email)
        assert response.status_code == 200
        assert "belongs to another person" in response.content.decode()
        assert not Case.objects.exists()

    def test_a_mobile_group_entry_creates_the_account_and_mails_the_link(
        self, client, dana, django_capture_on_commit_callbacks
    ):
        client.force_login(dana)
        payload = {
            "iin": IIN,
            "last_name": "Сейітов",
            "first_name": "Асхат",
            "email": "askhat@example.kz",
            "phone": "",
            "region": region("KZ-55").id,
            "centre": centre("KZ-55-pavlodar").id,
            "kind": "unemployed",
            "registered_on": timezone.localdate().isoformat(),
            "documents": ["id_card"],
        }
        body = {
            "client_key": str(uuid.uuid4()),
            "kind": "registration",
            "payload": payload,
            "queued_by": dana.pk,
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/en/staff/mobile/sync/", json.dumps(body), content_type="application/json"
            )
        assert response.status_code == 201 and response.json()["activation_emailed"] is True
        assert AuditEntry.objects.get(action="account.created").data == {"channel": "mobile_group"}
        assert [m.to for m in mail.outbox] == [["askhat@example.kz"]]
        assert "/accounts/activate/" in mail.outbox[0].body


class TestPasswordReset:
    def _ask(self, client, login, capture):
        with capture(execute=True):
            return client.post("/en/accounts/password/reset/", {"login": login})

    def test_a_desk_registered_person_gets_the_activation_link(
        self, client, django_capture_on_commit_callbacks
    ):
        person = account_create(channel=Channel.DESK, iin=IIN, email="askhat@example.kz").user
        response = self._ask(client, IIN, django_capture_on_commit_callbacks)
        assert response["Location"] == "/en/accounts/password/reset/sent/"
        assert [m.to for m in mail.outbox] == [["askhat@example.kz"]]
        done = _set_password(client, _link(mail.outbox[0]))
        assert done.status_code == 302
        person.refresh_from_db()
        assert person.check_password(PASSWORD)

    def test_a_person_with_a_password_gets_the_reset_link(
        self, client, timur, django_capture_on_commit_callbacks
    ):
        self._ask(client, timur.email, django_capture_on_commit_callbacks)
        assert mail.outbox[0].to == [timur.email]
        assert "/ru/accounts/password/reset/" in mail.outbox[0].body  # Timur reads Russian

    def test_an_unknown_login_gets_the_same_answer_and_nothing_is_sent(
        self, client, timur, django_capture_on_commit_callbacks
    ):
        known = self._ask(client, timur.iin, django_capture_on_commit_callbacks)
        unknown = self._ask(
            client, make_iin(dt.date(1970, 1, 1), male=True, serial=9), django_capture_on_commit_callbacks
        )
        assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
        assert len(mail.outbox) == 1


class TestSignUpIsNeutral:
    def _data(self, **overrides):
        data = {
            "iin": IIN,
            "last_name": "Сейітов",
            "first_name": "Асхат",
            "email": "askhat@example.kz",
            "phone": "",
            "region": region("KZ-55").id,
        }
        data.update(overrides)
        return data

    def _page(self, client, response):
        """The page a visitor sees after signing up, without the CSRF token and nonce."""
        page = client.get(response["Location"]).content.decode()
        return re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]*"', "", page)

    def test_an_existing_iin_gets_the_same_answer_and_the_claim_goes_to_the_recorded_address(
        self, client, aigerim, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            new = client.post("/en/accounts/signup/", self._data())
        new_page = self._page(client, new)
        mail.outbox.clear()
        stranger = type(client)()
        with django_capture_on_commit_callbacks(execute=True):
            existing = stranger.post(
                "/en/accounts/signup/", self._data(iin=aigerim.iin, email="stranger@example.kz")
            )
        assert (existing.status_code, existing["Location"]) == (new.status_code, new["Location"])
        assert self._page(stranger, existing) == new_page
        # Only Aigerim's recorded address hears of it, with her way back in.
        assert [m.to for m in mail.outbox] == [[aigerim.email]]
        assert "/accounts/password/reset/" in mail.outbox[0].body
        assert not User.objects.filter(email="stranger@example.kz").exists()
        aigerim.refresh_from_db()
        assert aigerim.check_password("pass-2026")  # nothing changed

    def test_an_existing_email_gets_the_same_answer(
        self, client, aigerim, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/en/accounts/signup/", self._data(email=aigerim.email.upper()))
        assert response["Location"] == "/en/accounts/signup/sent/"
        assert [m.to for m in mail.outbox] == [[aigerim.email]]
        assert User.objects.filter(iin=IIN).exists() is False

    def test_a_desk_registered_person_signing_up_is_led_to_activate(
        self, client, django_capture_on_commit_callbacks
    ):
        account_create(channel=Channel.DESK, iin=IIN, email="askhat@example.kz")
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/en/accounts/signup/", self._data(email="other@example.kz"))
        assert [m.to for m in mail.outbox] == [["askhat@example.kz"]]
        done = _set_password(client, _link(mail.outbox[0]))
        assert done.status_code == 302
        assert User.objects.get(iin=IIN).check_password(PASSWORD)

    def test_a_person_without_email_on_record_is_sent_nothing(
        self, client, django_capture_on_commit_callbacks
    ):
        account_create(channel=Channel.DESK, iin=IIN)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/en/accounts/signup/", self._data())
        assert response["Location"] == "/en/accounts/signup/sent/"
        assert not mail.outbox
        assert User.objects.get(iin=IIN).email is None


class TestLanding:
    def _sign_in(self, client, user, **extra):
        return client.post("/en/accounts/login/", {"username": user.email, "password": "pass-2026", **extra})

    def test_a_seeker_lands_on_vacancies_for_me(self, client, aigerim):
        SeekerProfileFactory(user=aigerim)
        assert self._sign_in(client, aigerim)["Location"] == "/en/me/for-me/"

    def test_an_employer_lands_on_their_home(self, client, bolat):
        assert self._sign_in(client, bolat)["Location"] == "/en/employer/"

    def test_staff_land_on_the_caseload(self, client, dana):
        assert self._sign_in(client, dana)["Location"] == "/en/staff/cases/"

    def test_a_migration_officer_lands_on_a_page_they_may_open(self, client):
        officer = CentreMembershipFactory(role=CentreMembership.Role.MIGRATION_OFFICER).user
        key_hex, _codes = enrol(officer)
        target = self._sign_in(client, officer)["Location"]
        assert target == "/en/foreign/officer/"  # their queue of visa and card applications
        prove(client, key_hex)  # staff pass the second factor first (tests/mobility/test_two_factor.py)
        assert client.get(target).status_code == 200

    def test_an_administrator_lands_on_the_admin(self, client, admin_user):
        response = client.post("/en/accounts/login/", {"username": admin_user.email, "password": "pass-2026"})
        assert response["Location"] == "/en/admin/"

    def test_a_person_without_a_role_lands_on_their_account(self, client):
        assert self._sign_in(client, UserFactory())["Location"] == "/en/accounts/me/"

    def test_several_roles_land_on_the_last_one_used(self, client, bolat):
        SeekerProfileFactory(user=bolat)
        assert self._sign_in(client, bolat)["Location"] == "/en/employer/"
        client.get("/en/me/for-me/")
        client.post("/en/accounts/logout/")
        assert self._sign_in(client, bolat)["Location"] == "/en/me/for-me/"
        client.get("/en/employer/")
        client.post("/en/accounts/logout/")
        assert self._sign_in(client, bolat)["Location"] == "/en/employer/"

    def test_a_safe_next_wins_and_an_unsafe_one_is_ignored(self, client, dana):
        assert self._sign_in(client, dana, next="/en/staff/dashboard/")["Location"] == "/en/staff/dashboard/"
        client.post("/en/accounts/logout/")
        assert self._sign_in(client, dana, next="https://evil.example/")["Location"] == "/en/staff/cases/"


class TestAccountCreate:
    def test_every_channel_is_audited(self, dana):
        result = account_create(channel=Channel.DESK, by=dana, iin=IIN, first_name="Асхат")
        entry = AuditEntry.objects.get(action="account.created")
        assert result.created and entry.actor == dana and entry.data == {"channel": "desk"}

    def test_an_unknown_channel_is_a_programming_error(self):
        with pytest.raises(ValueError):
            account_create(channel="telepathy", iin=IIN)

    def test_a_phone_is_kept_in_one_format(self):
        user = account_create(channel=Channel.DESK, iin=IIN, phone="+7 (701) 111-22-33").user
        assert user.phone == "+77011112233"


INLINE = {"centre_memberships-TOTAL_FORMS": "0", "centre_memberships-INITIAL_FORMS": "0"}


class TestAdministratorsCreateAccountsTheSameWay:
    def test_a_person_added_in_the_admin_without_a_password_gets_the_activation_link(
        self, client, admin_user, django_capture_on_commit_callbacks
    ):
        client.force_login(admin_user)
        data = {
            "email": "new.staff@example.kz",
            "iin": IIN,
            "last_name": "Сейітов",
            "first_name": "Асхат",
            "language": "en",
            "usable_password": "false",
            **INLINE,
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/en/admin/accounts/user/add/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        person = User.objects.get(email="new.staff@example.kz")
        created = AuditEntry.objects.get(action="account.created")
        assert created.data == {"channel": "administration"} and created.actor == admin_user
        assert [m.to for m in mail.outbox] == [["new.staff@example.kz"]]
        assert _set_password(type(client)(), _link(mail.outbox[0])).status_code == 302
        person.refresh_from_db()
        assert person.check_password(PASSWORD)

    def test_a_person_added_with_a_password_can_sign_in(self, client, admin_user):
        client.force_login(admin_user)
        data = {
            "email": "with.password@example.kz",
            "iin": "",
            "last_name": "Омаров",
            "first_name": "Тимур",
            "language": "ru",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
            **INLINE,
        }
        assert client.post("/en/admin/accounts/user/add/", data).status_code == 302
        assert User.objects.get(email="with.password@example.kz").check_password(PASSWORD)
        assert not mail.outbox
