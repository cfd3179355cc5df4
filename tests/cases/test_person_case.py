"""The person-anchored case (issue #11, items 5 and 7): the file belongs to the person, its
timeline is read per programme, family members are listed in it, moves between centres are
explicit and keep the case and the registration together, and a vacancy referral reaches the
employer only when the person accepts it."""

import datetime as dt

import pytest
from django.utils import timezone

from mobility.accounts.models import CentreMembership
from mobility.cases import selectors, services
from mobility.cases.models import Case, FamilyMember, Referral
from mobility.core.actors import Programme
from mobility.core.audit import audit_log, audit_trail
from mobility.core.identifiers import make_iin
from mobility.exchange import services as exchange
from mobility.exchange.models import Application, SeekerProfile
from tests import files
from tests.factories import (
    CentreMembershipFactory,
    RegistrationFactory,
    SeekerProfileFactory,
    UserFactory,
    VacancyFactory,
    centre,
    region,
)

pytestmark = pytest.mark.django_db

CASE_URL = "/en/staff/cases/{}/"


def _case(at, by, **profile):
    seeker = SeekerProfileFactory(region=centre(at).region, **profile)
    RegistrationFactory(profile=seeker, centre=centre(at))
    return services.case_open(person=seeker.user, centre=centre(at), by=by)


def _desk(client, iin, at):
    return client.post(
        "/en/staff/cases/register/",
        {
            "iin": iin,
            "last_name": "Сейітов",
            "first_name": "Асхат",
            "region": region("KZ-55").id,
            "centre": centre(at).id,
            "kind": "unemployed",
            "registered_on": timezone.localdate().isoformat(),
            "identity_document": files.upload("id.pdf", files.PDF),
        },
    )


class TestCaseBelongsToThePerson:
    def test_a_person_without_a_seeker_profile_has_a_case(self, client, dana):
        # A foreign applicant, or a resettling family's head with no job-seeker profile.
        person = UserFactory(iin=None, first_name="John", last_name="Smith")
        case = services.case_open(person=person, centre=centre("KZ-55-pavlodar"), by=dana)
        assert case.person == person and case.seeker is None
        client.force_login(dana)
        body = client.get(CASE_URL.format(case.id)).content.decode()
        assert "Smith" in body
        assert f"/en/staff/cases/{case.id}/" in client.get("/en/staff/cases/").content.decode()

    def test_one_open_case_per_person_and_a_new_one_after_closing(self, dana):
        person = UserFactory()
        first = services.case_open(person=person, centre=centre("KZ-55-pavlodar"), by=dana)
        assert services.case_open(person=person, centre=centre("KZ-55-pavlodar"), by=dana) == first
        services.case_close(case=first, reason="Уехал", by=dana)
        second = services.case_open(person=person, centre=centre("KZ-55-pavlodar"), by=dana)
        assert second != first and Case.objects.filter(person=person).count() == 2

    def test_the_seeker_profile_is_reached_from_the_case(self, dana):
        case = _case("KZ-55-pavlodar", dana)
        assert case.seeker == SeekerProfile.objects.get(user=case.person)


class TestTimelinePerProgramme:
    @pytest.fixture
    def officer(self, db):
        return CentreMembershipFactory(
            centre=centre("KZ-55-pavlodar"), role=CentreMembership.Role.MIGRATION_OFFICER
        ).user

    def test_each_role_reads_the_programmes_it_works_in(self, dana, yerlan, officer):
        case = _case("KZ-55-pavlodar", dana)
        services.note_add(case=case, text="Консультация по резюме", by=dana)
        services.note_add(case=case, text="Документы на визу", by=officer, programme=Programme.VISA)
        audit_log(actor=officer, action="visa.submitted", obj=case, programme=Programme.VISA)
        services.referral_create(case=case, kind="resettlement", by=dana)

        def read(user):
            return {(i.action, i.reason) for i in selectors.timeline(case, user)}

        counsellor, manager, migration = read(dana), read(yerlan), read(officer)
        assert ("note.consultation", "Консультация по резюме") in counsellor
        assert ("referral.sent", "") in counsellor  # resettlement: a counsellor's programme
        assert not any(a == "visa.submitted" or r == "Документы на визу" for a, r in counsellor)
        assert ("visa.submitted", "") in migration and ("note.consultation", "Документы на визу") in migration
        assert not any(r == "Консультация по резюме" or a == "referral.sent" for a, r in migration)
        assert ("case.opened", "") in migration  # entries about the file itself are for every reader
        assert counsellor | migration <= manager

    def test_plan_moves_are_employment_entries(self, dana, officer):
        case = _case("KZ-55-pavlodar", dana)
        step = {"kind": "counselling", "title": "Резюме", "due_on": dt.date(2027, 2, 3), "owner": "seeker"}
        plan = services.plan_save(case=case, goal="Работа электриком", steps=[step], by=dana)
        services.plan_propose(plan=plan, by=dana)
        proposed = [i for i in selectors.timeline(case, dana) if i.action == "plan.proposed"]
        assert [i.programme for i in proposed] == [Programme.EMPLOYMENT]
        assert not any(i.action == "plan.proposed" for i in selectors.timeline(case, officer))

    def test_the_note_form_offers_only_the_authors_programmes(self, client, dana):
        case = _case("KZ-55-pavlodar", dana)
        client.force_login(dana)
        client.post(
            CASE_URL.format(case.id) + "notes/", {"kind": "consultation", "programme": "visa", "text": "x"}
        )
        assert not case.notes.exists()
        client.post(
            CASE_URL.format(case.id) + "notes/",
            {"kind": "consultation", "programme": "resettlement", "text": "Переезд в Павлодар"},
        )
        assert case.notes.get().programme == Programme.RESETTLEMENT


class TestFamilyMembers:
    IIN = make_iin(dt.date(2015, 3, 8), male=False, serial=41)

    def test_staff_list_and_remove_family_members_audited(self, client, dana):
        case = _case("KZ-55-pavlodar", dana)
        client.force_login(dana)
        data = {"iin": self.IIN, "last_name": "Бекова", "first_name": "Айша", "relation": "child"}
        assert client.post(CASE_URL.format(case.id) + "family/", data).status_code == 302
        member = FamilyMember.objects.get()
        assert member.case == case and member.relation == "child"
        assert "Бекова Айша" in client.get(CASE_URL.format(case.id)).content.decode()
        assert audit_trail(case).filter(action="family.added", to_state="child").exists()
        client.post(CASE_URL.format(case.id) + f"family/{member.id}/remove/")
        assert not FamilyMember.objects.exists()
        assert audit_trail(case).filter(action="family.removed").exists()

    def test_a_wrong_iin_or_a_duplicate_is_refused_with_a_message(self, client, dana):
        case = _case("KZ-55-pavlodar", dana)
        client.force_login(dana)
        bad = self.IIN[:11] + str((int(self.IIN[11]) + 1) % 10)
        data = {"iin": bad, "last_name": "Бекова", "first_name": "Айша", "relation": "child"}
        response = client.post(CASE_URL.format(case.id) + "family/", data, follow=True)
        assert "check digit" in response.content.decode() and not FamilyMember.objects.exists()
        services.family_member_add(
            case=case, iin=self.IIN, last_name="Бекова", first_name="Айша", relation="child", by=dana
        )
        with pytest.raises(Exception, match="already listed"):
            services.family_member_add(
                case=case, iin=self.IIN, last_name="Б", first_name="А", relation="child", by=dana
            )
        with pytest.raises(Exception, match="person the case is about"):
            services.family_member_add(
                case=case, iin=case.person.iin, last_name="Б", first_name="А", relation="spouse", by=dana
            )

    def test_another_districts_counsellor_cannot_touch_the_family(self, client, dana, serik):
        case = _case("KZ-55-pavlodar", dana)
        member = services.family_member_add(
            case=case, iin=self.IIN, last_name="Бекова", first_name="Айша", relation="child", by=dana
        )
        client.force_login(serik)
        data = {
            "iin": make_iin(dt.date(2016, 1, 1), male=True, serial=7),
            "last_name": "X",
            "first_name": "Y",
            "relation": "child",
        }
        assert client.post(CASE_URL.format(case.id) + "family/", data).status_code == 404
        assert client.post(CASE_URL.format(case.id) + f"family/{member.id}/remove/").status_code == 404
        assert FamilyMember.objects.count() == 1


class TestCrossDistrictMoves:
    def test_reassigning_never_hides_the_case_from_its_new_counsellor(self, client, dana, serik):
        case = _case("KZ-55-pavlodar", dana)
        client.force_login(dana)
        client.post(CASE_URL.format(case.id) + "reassign/", {"counsellor": serik.id, "reason": "x"})
        case.refresh_from_db()
        client.force_login(case.counsellor)
        assert client.get(CASE_URL.format(case.id)).status_code == 200

    def test_only_staff_who_will_still_see_the_case_are_offered(self, dana, serik, yerlan, marat):
        case = _case("KZ-55-pavlodar", dana)
        offered = set(selectors.counsellors_for(case))
        assert dana in offered and yerlan in offered
        assert serik not in offered and marat not in offered
        with pytest.raises(Exception, match="transfer"):
            services.case_reassign(case=case, counsellor=serik, by=dana)

    def test_a_transfer_hands_the_case_and_the_registration_to_the_new_centre(self, client, dana, serik):
        case = _case("KZ-55-pavlodar", dana)
        client.force_login(dana)
        response = client.post(
            CASE_URL.format(case.id) + "transfer/",
            {"centre": centre("KZ-55-ekibastuz").id, "reason": "Переехал в Экибастуз"},
        )
        assert response["Location"] == "/en/staff/cases/"
        case.refresh_from_db()
        assert case.centre == centre("KZ-55-ekibastuz") and case.counsellor is None
        assert case.seeker.registrations.get(status="active").centre == case.centre
        entry = audit_trail(case).get(action="case.transferred")
        assert (entry.from_state, entry.to_state, entry.reason) == (
            "KZ-55-pavlodar",
            "KZ-55-ekibastuz",
            "Переехал в Экибастуз",
        )
        assert client.get(CASE_URL.format(case.id)).status_code == 404
        client.force_login(serik)
        assert client.get(CASE_URL.format(case.id)).status_code == 200

    def test_a_transfer_needs_a_reason(self, dana):
        case = _case("KZ-55-pavlodar", dana)
        with pytest.raises(Exception, match="Say why"):
            services.case_transfer(case=case, to_centre=centre("KZ-55-ekibastuz"), by=dana, reason=" ")

    def test_re_registering_elsewhere_moves_the_case_with_the_registration(self, client, dana, serik):
        case = _case("KZ-55-pavlodar", dana)
        exchange.registration_end(registration=case.seeker.registrations.get(), reason="Уехал", by=dana)
        client.force_login(serik)
        response = _desk(client, case.person.iin, "KZ-55-ekibastuz")
        assert response["Location"] == CASE_URL.format(case.id)
        case.refresh_from_db()
        assert case.seeker.registrations.get(status="active").centre == case.centre
        assert case.centre == centre("KZ-55-ekibastuz")
        assert client.get(response["Location"]).status_code == 200
        assert audit_trail(case).filter(action="case.transferred", reason="re-registered").exists()

    def test_a_case_opened_elsewhere_takes_the_registration_along(self, dana, serik):
        # The other order: registered at one centre, the case opened by another.
        seeker = SeekerProfileFactory()
        RegistrationFactory(profile=seeker, centre=centre("KZ-55-ekibastuz"))
        case = services.case_open(person=seeker.user, centre=centre("KZ-55-pavlodar"), by=dana)
        assert seeker.registrations.get(status="active").centre == case.centre

    def test_a_referral_to_another_region_moves_both(self, dana, marat):
        case = _case("KZ-55-pavlodar", dana)
        services.referral_create(
            case=case, kind="other_region", target_centre=centre("KZ-59-petropavl"), by=dana
        )
        case.refresh_from_db()
        assert case.centre == centre("KZ-59-petropavl")
        assert case.seeker.registrations.get(status="active").centre == case.centre


class TestReferralsWithConsent:
    def test_the_employer_learns_nothing_of_a_hidden_seeker_before_consent(
        self, client, dana, bolat, bolat_org
    ):
        case = _case("KZ-55-pavlodar", dana, visibility=SeekerProfile.Visibility.HIDDEN)
        vacancy = VacancyFactory(organisation=bolat_org)
        services.referral_create(case=case, kind="vacancy", vacancy=vacancy, by=dana)
        client.force_login(bolat)
        body = client.get(f"/en/employer/vacancies/{vacancy.id}/pipeline/").content.decode()
        assert case.person.last_name not in body and case.person.email not in body
        assert not Application.objects.filter(vacancy=vacancy).exists()
        # No application exists, so no surface (pages, API, webhooks) can show one.

    def test_the_person_accepts_in_the_portal_and_then_the_employer_sees_them(
        self, client, dana, bolat, bolat_org
    ):
        case = _case("KZ-55-pavlodar", dana, visibility=SeekerProfile.Visibility.HIDDEN)
        vacancy = VacancyFactory(organisation=bolat_org, title="Сварщик")
        referral = services.referral_create(
            case=case, kind="vacancy", vacancy=vacancy, by=dana, note="Опыт 5 лет"
        )
        client.force_login(dana)
        assert "Waiting for the person" in client.get(CASE_URL.format(case.id)).content.decode()
        client.force_login(case.person)
        page = client.get("/en/me/applications/").content.decode()
        assert "Сварщик" in page and "Accept and apply" in page
        client.post(f"/en/me/referrals/{referral.id}/accept/")
        referral.refresh_from_db()
        assert referral.status == Referral.Status.ACCEPTED and referral.answered_at
        application = referral.application
        assert application.status == "applied" and application.contacts_shared
        assert audit_trail(case).filter(action="referral.accepted").exists()
        client.force_login(bolat)
        body = client.get(f"/en/employer/vacancies/{vacancy.id}/pipeline/").content.decode()
        assert case.person.last_name in body

    def test_declining_is_recorded_and_the_employer_never_hears_of_it(self, client, dana, bolat_org):
        case = _case("KZ-55-pavlodar", dana)
        vacancy = VacancyFactory(organisation=bolat_org)
        referral = services.referral_create(case=case, kind="vacancy", vacancy=vacancy, by=dana)
        client.force_login(case.person)
        client.post(f"/en/me/referrals/{referral.id}/decline/", {"reason": "Далеко ездить"})
        referral.refresh_from_db()
        assert referral.status == Referral.Status.DECLINED and referral.outcome == "Далеко ездить"
        assert not Application.objects.exists()
        assert audit_trail(case).filter(action="referral.declined", reason="Далеко ездить").exists()
        assert "Далеко" not in client.get("/en/me/applications/").content.decode()  # answered: gone

    def test_only_the_person_referred_answers(self, client, dana, timur, bolat_org):
        case = _case("KZ-55-pavlodar", dana)
        referral = services.referral_create(
            case=case, kind="vacancy", vacancy=VacancyFactory(organisation=bolat_org), by=dana
        )
        SeekerProfileFactory(user=timur)
        client.force_login(timur)
        assert client.post(f"/en/me/referrals/{referral.id}/accept/").status_code == 404
        with pytest.raises(Exception, match="Only the person referred"):
            services.referral_accept(referral=referral, by=timur)
        with pytest.raises(Exception, match="accepts a vacancy referral themselves"):
            services.referral_record_outcome(referral=referral, status="accepted", outcome="", by=dana)
        referral.refresh_from_db()
        assert referral.status == Referral.Status.SENT and not Application.objects.exists()

    def test_a_person_without_a_seeker_profile_cannot_be_referred_to_a_vacancy(self, client, dana, bolat_org):
        case = services.case_open(person=UserFactory(), centre=centre("KZ-55-pavlodar"), by=dana)
        vacancy = VacancyFactory(organisation=bolat_org)
        client.force_login(dana)
        response = client.post(
            CASE_URL.format(case.id) + "referrals/", {"kind": "vacancy", "vacancy": vacancy.id}, follow=True
        )
        assert "no job-seeker profile" in response.content.decode()
        assert not Referral.objects.exists()

    def test_the_same_vacancy_is_not_proposed_twice_while_waiting(self, dana, bolat_org):
        case = _case("KZ-55-pavlodar", dana)
        vacancy = VacancyFactory(organisation=bolat_org)
        services.referral_create(case=case, kind="vacancy", vacancy=vacancy, by=dana)
        with pytest.raises(Exception, match="not yet answered"):
            services.referral_create(case=case, kind="vacancy", vacancy=vacancy, by=dana)


def test_the_timeline_names_centres_people_and_reasons_in_words(client, dana, serik, yerlan):
    case = _case("KZ-55-pavlodar", dana)
    services.case_reassign(case=case, counsellor=yerlan, by=dana)
    exchange.registration_end(registration=case.seeker.registrations.get(), reason="Уехал", by=dana)
    client.force_login(serik)
    _desk(client, case.person.iin, "KZ-55-ekibastuz")
    items = {i.action: i for i in selectors.timeline(case, yerlan)}
    moved = items["case.transferred"]
    assert (moved.from_state, moved.to_state) == (
        centre("KZ-55-pavlodar").name,
        centre("KZ-55-ekibastuz").name,
    )
    assert moved.reason == "registered again at another centre"
    assert items["case.reassigned"].to_state == yerlan.get_full_name()
    body = client.get(CASE_URL.format(case.id)).content.decode()
    assert "registered again at another centre" in body and "re-registered" not in body


def test_the_person_is_told_of_a_referral_in_their_language(dana, bolat_org):
    from mobility.core.models import OutboxMessage
    from mobility.core.outbox import render_message

    case = _case("KZ-55-pavlodar", dana)
    case.person.language = "en"
    case.person.save()
    vacancy = VacancyFactory(organisation=bolat_org, title="Welder")
    referral = services.referral_create(case=case, kind="vacancy", vacancy=vacancy, by=dana, note="5 years")
    message = OutboxMessage.objects.get(key=f"referral.proposed:{referral.pk}")
    assert message.person == case.person
    subject, body, _html = render_message(message)
    assert "Welder" in subject and bolat_org.name in body and "5 years" in body
    assert "does not know about you yet" in body
