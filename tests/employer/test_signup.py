"""Organisation sign-up: a valid BIN registers a pending organisation with its first
representative as owner; an invalid one is refused with the precise reason; branches name
their head office."""

import pytest
from django.core import mail

from mobility.accounts.models import Organisation, OrganisationMembership, User
from mobility.core.audit import audit_trail
from mobility.core.identifiers import make_bin
from tests.factories import OrganisationFactory, region

pytestmark = pytest.mark.django_db

VALID_BIN = make_bin(2019, 4, serial=777)


def _data(**overrides):
    data = {
        "last_name": "Сейітов",
        "first_name": "Асхат",
        "email": "askhat@firm.kz",
        "phone": "+7 701 000 11 22",
        "bin": VALID_BIN,
        "name": "ТОО «Жаңа Құрылыс»",
        "head_office_bin": "",
        "region": region("KZ-55").id,
        "sector": "Construction",
        "address": "Павлодар, ул. Лермонтова 1",
        "org_phone": "+7 7182 00 00 00",
        "org_email": "info@firm.kz",
        "website": "firm.kz",
    }
    data.update(overrides)
    return data


def _wrong_check_digit(bin_):
    return bin_[:11] + str((int(bin_[11]) + 1) % 10)


class TestVisitorSignUp:
    def test_a_valid_bin_registers_a_pending_organisation_and_its_owner(
        self, client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/en/employer/signup/", _data())
        organisation = Organisation.objects.get(bin=VALID_BIN)
        assert response.status_code == 302
        assert response["Location"] == "/en/accounts/signup/sent/"
        assert organisation.status == Organisation.Status.PENDING
        assert organisation.website == "https://firm.kz"
        owner = User.objects.get(email="askhat@firm.kz")
        assert not owner.has_usable_password()
        assert owner.language == "en"
        membership = OrganisationMembership.objects.get(organisation=organisation)
        assert (membership.user, membership.role) == (owner, OrganisationMembership.Role.OWNER)
        assert [e.action for e in audit_trail(organisation)] == ["organisation.created"]
        # The owner sets a password through the mailed link and lands on the employer home,
        # where the centre's verification is announced.
        assert mail.outbox[0].to == ["askhat@firm.kz"]
        link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/activate/" in line)
        form = client.get(link[link.index("/en/") :], follow=True)
        done = client.post(
            form.redirect_chain[-1][0],
            {"new_password1": "Qaz-2026-strong", "new_password2": "Qaz-2026-strong"},
        )
        assert done["Location"] == "/en/employer/"
        page = client.get(f"/en/employer/organisations/{organisation.id}/").content.decode()
        assert "Waiting for verification" in page

    def test_a_wrong_check_digit_is_refused_with_a_clear_message(self, client):
        response = client.post("/en/employer/signup/", _data(bin=_wrong_check_digit(VALID_BIN)))
        assert response.status_code == 200
        assert "wrong check digit" in response.content.decode()
        assert not Organisation.objects.exists()
        assert not User.objects.filter(email="askhat@firm.kz").exists()

    @pytest.mark.parametrize(
        ("bin_", "message"),
        [
            ("12345", "exactly 12 digits"),
            ("19047000777" + "0", "entity type"),
            ("190449007770", "head office, branch"),
            ("191340000000", "registration month"),
        ],
    )
    def test_each_bin_rule_has_its_own_message(self, client, bin_, message):
        body = client.post("/en/employer/signup/", _data(bin=bin_)).content.decode()
        assert message in body
        assert not Organisation.objects.exists()

    def test_spaces_in_the_bin_are_ignored(self, client):
        spaced = f"{VALID_BIN[:4]} {VALID_BIN[4:8]} {VALID_BIN[8:]}"
        assert client.post("/en/employer/signup/", _data(bin=spaced)).status_code == 302
        assert Organisation.objects.filter(bin=VALID_BIN).exists()

    def test_a_bin_already_registered_is_refused_at_the_address_given(
        self, client, bolat_org, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/en/employer/signup/", _data(bin=bolat_org.bin))
        # The page says what it says to everyone; the reason goes to the email the visitor gave.
        assert (response.status_code, response["Location"]) == (302, "/en/accounts/signup/sent/")
        assert not User.objects.filter(email="askhat@firm.kz").exists()
        assert [m.to for m in mail.outbox] == [["askhat@firm.kz"]]
        assert "already registered" in mail.outbox[0].body

    def test_a_signed_in_person_sees_the_bin_refused_beside_the_field(self, client, aigerim, bolat_org):
        client.force_login(aigerim)
        body = client.post("/en/employer/signup/", _data(bin=bolat_org.bin)).content.decode()
        assert "already registered" in body

    def test_retrying_a_bin_tells_nothing_about_the_first_email(self, client, aigerim):
        """A stranger who signs up with someone's email, then retries the same BIN (or names it as a
        head office), gets the same pages whether that email had an account or not."""

        def pages(email, serial):
            bin_ = make_bin(2019, 5, serial=serial)
            branch = make_bin(2020, 5, attribute="1", serial=serial + 1)
            return [
                (r.status_code, r.get("Location"))
                for r in (
                    client.post("/en/employer/signup/", _data(email=email, bin=bin_)),
                    client.post("/en/employer/signup/", _data(email="x@stranger.kz", bin=bin_)),
                    client.post(
                        "/en/employer/signup/",
                        _data(email="x@stranger.kz", bin=branch, head_office_bin=bin_),
                    ),
                )
            ]

        assert pages("new-person@firm.kz", 801) == pages(aigerim.email, 811)

    def test_an_email_already_used_gets_the_same_answer_and_a_message_at_that_address(
        self, client, aigerim, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            known = client.post("/en/employer/signup/", _data(email=aigerim.email))
        assert (known.status_code, known["Location"]) == (302, "/en/accounts/signup/sent/")
        assert not Organisation.objects.exists()
        assert [m.to for m in mail.outbox] == [[aigerim.email]]
        assert "ТОО «Жаңа Құрылыс»" in mail.outbox[0].body

    def test_nothing_is_created_when_the_organisation_fails(self, client):
        """The account and the organisation are one transaction."""
        head = make_bin(2019, 4, attribute="1", serial=778)
        client.post("/en/employer/signup/", _data(bin=head))  # a branch without a head office
        assert not User.objects.filter(email="askhat@firm.kz").exists()


class TestBranches:
    def test_a_branch_names_its_registered_head_office(self, client, bolat, bolat_org):
        branch_bin = make_bin(2020, 2, attribute="1", serial=901)
        client.force_login(bolat)
        response = client.post(
            "/en/employer/signup/",
            {**_data(bin=branch_bin, head_office_bin=bolat_org.bin, name="Филиал в Экибастузе")},
        )
        assert response.status_code == 302
        branch = Organisation.objects.get(bin=branch_bin)
        assert branch.head_office == bolat_org
        # The head office's representatives see their branches.
        assert branch.name in client.get("/en/employer/").content.decode()

    def test_a_branch_without_a_head_office_is_refused(self, client):
        branch_bin = make_bin(2020, 2, attribute="1", serial=902)
        body = client.post("/en/employer/signup/", _data(bin=branch_bin)).content.decode()
        assert "must give the BIN of its head office" in body

    def test_the_head_office_must_be_registered(self, client, django_capture_on_commit_callbacks):
        branch_bin = make_bin(2020, 2, attribute="1", serial=903)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/en/employer/signup/", _data(bin=branch_bin, head_office_bin=make_bin(2010, 1, serial=5))
            )
        assert "must register first" in mail.outbox[0].body
        assert not Organisation.objects.filter(bin=branch_bin).exists()

    def test_a_head_office_has_no_head_office(self, client, bolat_org):
        body = client.post("/en/employer/signup/", _data(head_office_bin=bolat_org.bin)).content.decode()
        assert "Only a branch" in body
        assert not Organisation.objects.filter(bin=VALID_BIN).exists()

    def test_a_branch_cannot_be_a_head_office(self, client, aigerim):
        head = OrganisationFactory()
        branch = OrganisationFactory(bin=make_bin(2020, 3, attribute="1", serial=905), head_office=head)
        client.force_login(aigerim)
        body = client.post(
            "/en/employer/signup/",
            _data(bin=make_bin(2021, 3, attribute="1", serial=906), head_office_bin=branch.bin),
        ).content.decode()
        assert "belongs to a branch" in body


def test_a_signed_in_person_registers_without_account_fields(client, aigerim):
    client.force_login(aigerim)
    page = client.get("/en/employer/signup/").content.decode()
    assert 'name="email"' not in page
    response = client.post("/en/employer/signup/", _data())
    assert response.status_code == 302
    organisation = Organisation.objects.get(bin=VALID_BIN)
    assert organisation.memberships.get().user == aigerim
    # Now an employer representative: the employer pages open.
    assert client.get("/en/employer/").status_code == 200


def test_the_sign_up_page_is_translatable(client):
    for lang in ("kk", "ru", "en"):
        page = client.get(f"/{lang}/employer/signup/")
        assert page.status_code == 200
        assert f'lang="{lang}"' in page.content.decode()
    assert not mail.outbox
