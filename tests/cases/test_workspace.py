"""The career-centre workspace: desk, plans, referrals, caseload, dashboards, offline sync,
and the scoping rules (a district sees its own cases; a region sees its districts')."""

import datetime as dt
import json
import uuid

import pytest
from django.utils import timezone, translation

from mobility.cases import services
from mobility.cases.models import Case, CaseNote, EmploymentPlan, OfflineSubmission, PlanStep, Referral
from mobility.core.audit import audit_trail
from mobility.core.documents.models import Document
from mobility.core.identifiers import make_iin
from mobility.exchange import services as exchange
from mobility.exchange.models import Application, Registration
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


def _case(at, by, **profile):
    seeker = SeekerProfileFactory(region=centre(at).region, **profile)
    RegistrationFactory(profile=seeker, centre=centre(at))
    return services.case_open(person=seeker.user, centre=centre(at), by=by)


def _steps(n=3):
    today = timezone.localdate()
    kinds = [PlanStep.Kind.COUNSELLING, PlanStep.Kind.TRAINING, PlanStep.Kind.VACANCY]
    return [
        {
            "kind": kinds[i % 3],
            "title": f"Step {i + 1}",
            "due_on": today + dt.timedelta(days=7 * (i + 1)),
            "owner": "seeker",
        }
        for i in range(n)
    ]


class TestRegistrationDesk:
    def _post(self, client, **overrides):
        data = {
            "iin": make_iin(dt.date(1988, 2, 14), male=True, serial=555),
            "last_name": "Сейітов",
            "first_name": "Асхат",
            "email": "",
            "phone": "+77011112233",
            "region": region("KZ-55").id,
            "centre": centre("KZ-55-pavlodar").id,
            "kind": "unemployed",
            "registered_on": timezone.localdate().isoformat(),
            "identity_document": files.upload("удостоверение.pdf", files.PDF),
            "status_documents": [
                files.upload("address.png", files.png()),
                files.upload("diploma.jpg", files.JPEG),
            ],
        }
        data.update(overrides)
        data = {k: v for k, v in data.items() if v is not None}
        return client.post("/en/staff/cases/register/", data)

    def test_registers_a_new_person_and_opens_the_case(self, client, dana):
        client.force_login(dana)
        response = self._post(client)
        case = Case.objects.get()
        # Without email: the activation letter to print, then the case.
        assert response.status_code == 200
        assert "data-activation-code" in response.content.decode()
        assert f"/en/staff/cases/{case.id}/" in response.content.decode()
        assert case.counsellor == dana
        registration = case.seeker.registrations.get()
        assert case.person.iin == make_iin(dt.date(1988, 2, 14), male=True, serial=555)
        assert registration.status == Registration.Status.ACTIVE

    def test_the_documents_are_uploaded_and_attached_to_the_registration(self, client, dana, documents_dir):
        client.force_login(dana)
        self._post(client)
        case = Case.objects.get()
        registration = case.seeker.registrations.get()
        documents = {d.original_name: d for d in Document.objects.all()}
        assert {name: d.kind for name, d in documents.items()} == {
            "удостоверение.pdf": Document.Kind.IDENTITY,
            "address.png": Document.Kind.STATUS,
            "diploma.jpg": Document.Kind.STATUS,
        }
        assert all(
            d.owner == case.seeker.user and d.uploaded_by == dana and d.attached_to == registration
            for d in documents.values()
        )
        assert len([p for p in documents_dir.rglob("*") if p.is_file()]) == 3
        page = client.get(f"/en/staff/cases/{case.id}/").content.decode()
        identity = documents["удостоверение.pdf"]
        assert f"/documents/{identity.public_id}/" in page
        download = client.get(f"/documents/{identity.public_id}/")
        assert download.status_code == 200 and b"".join(download.streaming_content) == files.PDF
        # The person finds their own documents in the portal.
        client.force_login(case.seeker.user)
        assert f"/documents/{identity.public_id}/" in client.get("/en/me/seeker/").content.decode()
        assert client.get(f"/documents/{identity.public_id}/").status_code == 200

    def test_the_identity_document_is_required(self, client, dana):
        client.force_login(dana)
        response = self._post(client, identity_document=None)
        assert "Upload the identity document before registering a person." in response.content.decode()
        assert not Case.objects.exists()

    def test_a_png_renamed_pdf_is_refused_beside_the_field_and_nothing_is_stored(
        self, client, dana, documents_dir
    ):
        client.force_login(dana)
        with translation.override("en"):
            response = self._post(client, identity_document=files.upload("passport.pdf", files.png()))
        assert response.status_code == 200
        page = response.content.decode()
        assert "named “.pdf” but it is a PNG image" in page
        assert 'id="id_identity_document_error"' in page
        assert not Case.objects.exists() and not Document.objects.exists()
        assert not [p for p in documents_dir.rglob("*") if p.is_file()]

    def test_an_executable_among_the_other_documents_is_refused(self, client, dana, documents_dir):
        client.force_login(dana)
        response = self._post(client, status_documents=[files.upload("scan.pdf", files.ELF)])
        assert 'id="id_status_documents_error"' in response.content.decode()
        assert not Case.objects.exists() and not Document.objects.exists()
        assert not [p for p in documents_dir.rglob("*") if p.is_file()]

    def test_an_invalid_iin_is_refused(self, client, dana):
        client.force_login(dana)
        iin = make_iin(dt.date(1988, 2, 14), male=True, serial=555)
        response = self._post(client, iin=iin[:11] + str((int(iin[11]) + 1) % 10))
        assert response.status_code == 200 and "wrong check digit" in response.content.decode()
        assert not Case.objects.exists()

    def test_a_centre_outside_the_scope_cannot_be_chosen(self, client, dana):
        client.force_login(dana)
        response = self._post(client, centre=centre("KZ-79-shy-alfarabi").id)
        assert response.status_code == 200
        assert not Case.objects.exists()


class TestScoping:
    def test_a_counsellor_cannot_see_or_change_another_districts_case(self, client, dana, serik):
        theirs = _case("KZ-55-ekibastuz", serik)
        client.force_login(dana)
        assert client.get(f"/en/staff/cases/{theirs.id}/").status_code == 404
        assert (
            client.post(
                f"/en/staff/cases/{theirs.id}/notes/", {"kind": "consultation", "text": "x"}
            ).status_code
            == 404
        )
        assert client.get(f"/en/staff/cases/{theirs.id}/plan/").status_code == 404
        assert not CaseNote.objects.exists()
        assert f"/en/staff/cases/{theirs.id}/" not in client.get("/en/staff/cases/").content.decode()

    def test_a_regional_manager_sees_every_case_of_the_region_and_none_elsewhere(
        self, client, yerlan, dana, serik, marat
    ):
        ours = [_case("KZ-55-pavlodar", dana), _case("KZ-55-ekibastuz", serik)]
        elsewhere = _case("KZ-79-shy-alfarabi", marat)
        client.force_login(yerlan)
        for case in ours:
            assert client.get(f"/en/staff/cases/{case.id}/").status_code == 200
        assert client.get(f"/en/staff/cases/{elsewhere.id}/").status_code == 404
        body = client.get("/en/staff/cases/").content.decode()
        assert all(f"/en/staff/cases/{c.id}/" in body for c in ours)
        assert f"/en/staff/cases/{elsewhere.id}/" not in body

    def test_a_referral_of_another_region_is_not_found(self, client, dana, marat):
        case = _case("KZ-79-shy-alfarabi", marat)
        referral = services.referral_create(case=case, kind="training", by=marat, provider="Колледж")
        client.force_login(dana)
        assert (
            client.post(f"/en/staff/referrals/{referral.id}/outcome/", {"status": "completed"}).status_code
            == 404
        )

    def test_seekers_and_employers_cannot_use_the_workspace(self, client, aigerim, bolat):
        for user in (aigerim, bolat):
            client.force_login(user)
            assert client.get("/en/staff/cases/").status_code == 403
            assert client.get("/en/staff/dashboard/").status_code == 403


class TestPlans:
    def test_draft_propose_confirm_and_revisions(self, client, dana):
        case = _case("KZ-55-pavlodar", dana)
        plan = services.plan_save(case=case, goal="Работа бухгалтером", steps=_steps(), by=dana)
        assert plan.steps.count() == 3 and plan.status == EmploymentPlan.Status.DRAFT
        services.plan_propose(plan=plan, by=dana)
        seeker_user = case.person
        client.force_login(seeker_user)
        assert "Step 1" in client.get("/en/me/plan/").content.decode()
        client.post("/en/me/plan/")
        plan.refresh_from_db()
        assert plan.status == EmploymentPlan.Status.AGREED and plan.agreed_at
        # A change to an agreed plan goes back to draft as a new revision; the old one is kept.
        steps = [
            {"id": s.id, **{k: getattr(s, k) for k in ("kind", "title", "due_on", "owner")}}
            for s in plan.steps.all()
        ]
        plan = services.plan_save(case=case, goal="Работа бухгалтером в Павлодаре", steps=steps[:2], by=dana)
        assert plan.revision == 3 and plan.status == "draft" and plan.steps.count() == 2
        assert list(plan.revisions.values_list("number", flat=True)) == [3, 2, 1]
        assert plan.revisions.get(number=2).snapshot["status"] == "agreed"

    def test_another_seeker_cannot_confirm(self, dana, timur):
        case = _case("KZ-55-pavlodar", dana)
        plan = services.plan_propose(
            plan=services.plan_save(case=case, goal="g", steps=_steps(), by=dana), by=dana
        )
        with pytest.raises(Exception, match="Only the job seeker"):
            services.plan_confirm(plan=plan, by=timur)

    def test_the_web_form_saves_and_proposes(self, client, dana):
        case = _case("KZ-55-pavlodar", dana)
        client.force_login(dana)
        today = timezone.localdate()
        data = {
            "goal": "Найти работу",
            "reason": "",
            "propose": "1",
            "steps-TOTAL_FORMS": "3",
            "steps-INITIAL_FORMS": "0",
            "steps-MIN_NUM_FORMS": "1",
            "steps-MAX_NUM_FORMS": "30",
        }
        for i, kind in enumerate(["counselling", "training", "vacancy"]):
            data.update(
                {
                    f"steps-{i}-kind": kind,
                    f"steps-{i}-title": f"Шаг {i}",
                    f"steps-{i}-due_on": (today + dt.timedelta(days=i + 1)).isoformat(),
                    f"steps-{i}-owner": "seeker",
                }
            )
        assert client.post(f"/en/staff/cases/{case.id}/plan/", data).status_code == 302
        assert case.plan.status == EmploymentPlan.Status.PROPOSED
        assert case.plan.steps.count() == 3

    def test_a_new_step_cannot_be_in_the_past(self, dana):
        case = _case("KZ-55-pavlodar", dana)
        steps = _steps(1)
        steps[0]["due_on"] = timezone.localdate() - dt.timedelta(days=1)
        with pytest.raises(Exception, match="past"):
            services.plan_save(case=case, goal="g", steps=steps, by=dana)


class TestReferrals:
    def test_a_refused_referral_comes_back_open_with_what_was_typed(self, client, dana, bolat_org):
        case = _case("KZ-55-pavlodar", dana)
        draft = VacancyFactory(organisation=bolat_org, status="draft")
        client.force_login(dana)
        url = f"/en/staff/cases/{case.id}/referrals/"
        note = "Позвонить работодателю в понедельник"
        for vacancy, message in (
            ("", "Give the number of the vacancy."),
            (str(draft.id), "no published vacancy"),
        ):
            response = client.post(url, {"kind": "vacancy", "vacancy": vacancy, "note": note})
            assert response.status_code == 200  # the page again, not a redirect that drops the form
            body = response.content.decode()
            form = body[body.index('<details class="card" open><summary>New referral') :]
            assert f"{note}</textarea>" in form
            errors = form[form.index('id="id_vacancy_error"') :]
            assert message in errors[: errors.index("</ul>")]
            assert 'aria-describedby="id_vacancy_error"' in form
        assert not Referral.objects.filter(case=case).exists()
        # A referral that goes through closes the form again.
        vacancy = VacancyFactory(organisation=bolat_org)
        done = client.post(url, {"kind": "vacancy", "vacancy": vacancy.id, "note": note})
        assert done.status_code == 302 and Referral.objects.filter(case=case).count() == 1
        assert '<details class="card"><summary>New referral' in client.get(done["Location"]).content.decode()

    def test_a_refused_note_keeps_what_was_typed(self, client, dana):
        case = _case("KZ-55-pavlodar", dana)
        client.force_login(dana)
        text = "x" * 5001  # over the limit
        response = client.post(
            f"/en/staff/cases/{case.id}/notes/",
            {"kind": "consultation", "programme": "employment", "text": text},
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert f"{text}</textarea>" in body and 'id="id_text_error"' in body
        assert not CaseNote.objects.filter(case=case).exists()

    def test_a_vacancy_referral_lands_in_the_employers_pipeline_once_accepted(self, dana, bolat_org):
        case = _case("KZ-55-pavlodar", dana)
        vacancy = VacancyFactory(organisation=bolat_org)
        referral = services.referral_create(
            case=case, kind="vacancy", vacancy=vacancy, by=dana, note="Рекомендую"
        )
        assert not Application.objects.filter(vacancy=vacancy).exists()
        referral = services.referral_accept(referral=referral, by=case.person)
        application = Application.objects.get(vacancy=vacancy)
        assert referral.application == application
        assert application.status == "applied" and application.cover_note == "Рекомендую"

    def test_a_referral_to_another_region_moves_the_case(self, dana):
        case = _case("KZ-55-pavlodar", dana)
        services.referral_create(
            case=case, kind="other_region", target_centre=centre("KZ-59-petropavl"), by=dana
        )
        case.refresh_from_db()
        assert case.centre == centre("KZ-59-petropavl") and case.counsellor is None

    def test_abroad_needs_the_employer_or_agency(self, dana):
        case = _case("KZ-55-pavlodar", dana)
        with pytest.raises(Exception, match="foreign employer"):
            services.referral_create(case=case, kind="abroad", by=dana)

    def test_outcome_is_recorded_and_audited(self, client, dana):
        case = _case("KZ-55-pavlodar", dana)
        referral = services.referral_create(case=case, kind="training", by=dana, provider="Колледж")
        client.force_login(dana)
        client.post(
            f"/en/staff/referrals/{referral.id}/outcome/", {"status": "completed", "outcome": "Certificate"}
        )
        referral.refresh_from_db()
        assert referral.status == Referral.Status.COMPLETED
        assert audit_trail(case).filter(action="referral.outcome", to_state="completed").exists()


class TestCaseload:
    def test_overdue_cases_come_first(self, client, dana):
        calm = _case("KZ-55-pavlodar", dana)
        late = _case("KZ-55-pavlodar", dana)
        for case in (calm, late):
            services.plan_save(case=case, goal="g", steps=_steps(), by=dana)
        PlanStep.objects.filter(plan__case=late).update(due_on=timezone.localdate() - dt.timedelta(days=3))
        services.plan_refresh_deadline(late.plan)
        client.force_login(dana)
        body = client.get("/en/staff/cases/").content.decode()
        assert body.index(f"/en/staff/cases/{late.id}/") < body.index(f"/en/staff/cases/{calm.id}/")

    @pytest.mark.parametrize("rows", [5, 50])
    def test_query_count_is_constant(self, client, dana, django_assert_num_queries, rows):
        for _ in range(rows):
            services.plan_save(case=_case("KZ-55-pavlodar", dana), goal="g", steps=_steps(), by=dana)
        client.force_login(dana)
        with django_assert_num_queries(9):  # + the unread badge, counted on a first page
            assert client.get("/en/staff/cases/").status_code == 200

    def test_reassign_within_the_centre_and_to_the_regional_manager(self, client, dana, yerlan, serik, marat):
        colleague = CentreMembershipFactory(centre=centre("KZ-55-pavlodar")).user
        case = _case("KZ-55-pavlodar", dana)
        client.force_login(dana)
        client.post(f"/en/staff/cases/{case.id}/reassign/", {"counsellor": colleague.id, "reason": "отпуск"})
        case.refresh_from_db()
        assert case.counsellor == colleague
        client.post(f"/en/staff/cases/{case.id}/reassign/", {"counsellor": yerlan.id})
        case.refresh_from_db()
        assert case.counsellor == yerlan
        for stranger in (serik, marat):  # another district's or region's counsellor is not offered
            client.post(f"/en/staff/cases/{case.id}/reassign/", {"counsellor": stranger.id})
            case.refresh_from_db()
            assert case.counsellor == yerlan


class TestDashboard:
    def test_counts_placements_and_plans(self, client, dana, bolat, bolat_org):
        case = _case("KZ-55-pavlodar", dana)
        services.plan_save(case=case, goal="g", steps=_steps(), by=dana)
        vacancy = VacancyFactory(organisation=bolat_org)
        referral = services.referral_create(case=case, kind="vacancy", vacancy=vacancy, by=dana)
        application = services.referral_accept(referral=referral, by=case.person).application
        for status in ("offer", "hired"):
            application = exchange.application_transition(application=application, to=status, by=bolat)
        client.force_login(dana)
        body = client.get("/en/staff/dashboard/").content.decode()
        assert 'data-kpi="placements">1<' in body
        assert 'data-kpi="referrals">1<' in body
        assert '<svg viewBox="0 0 100 140"' in body  # one month, one bar: the chart is that wide
        csv_body = client.get("/en/staff/dashboard/?format=csv").content.decode()
        assert "Placements,1" in csv_body

    @pytest.mark.parametrize("rows", [5, 50])
    def test_query_count_is_constant(self, client, dana, django_assert_num_queries, rows):
        for _ in range(rows):
            _case("KZ-55-pavlodar", dana)
        client.force_login(dana)
        with django_assert_num_queries(15):  # + the unread badge, counted on a first page
            assert client.get("/en/staff/dashboard/").status_code == 200


class TestOfflineSync:
    def test_the_same_entry_sent_twice_is_applied_once(self, client, dana):
        case = _case("KZ-55-pavlodar", dana)
        client.force_login(dana)
        entry = {
            "client_key": str(uuid.uuid4()),
            "kind": "note",
            "payload": {"case": case.id, "text": "Визит в аул"},
            "queued_by": dana.pk,
        }
        first = client.post("/en/staff/mobile/sync/", json.dumps(entry), content_type="application/json")
        second = client.post("/en/staff/mobile/sync/", json.dumps(entry), content_type="application/json")
        assert first.status_code == 201 and second.status_code == 200 and second.json()["duplicate"]
        assert CaseNote.objects.filter(case=case).count() == 1

    def test_a_registration_made_offline(self, client, dana):
        client.force_login(dana)
        payload = {
            "iin": make_iin(dt.date(1979, 10, 28), male=True, serial=3027),
            "last_name": "Ахметов",
            "first_name": "Ерлан",
            "region": region("KZ-55").id,
            "centre": centre("KZ-55-pavlodar").id,
            "kind": "job_seeker",
            "registered_on": timezone.localdate().isoformat(),
            "documents": ["id_card"],
        }
        entry = {
            "client_key": str(uuid.uuid4()),
            "kind": "registration",
            "payload": payload,
            "queued_by": dana.pk,
        }
        for _ in range(3):
            client.post("/en/staff/mobile/sync/", json.dumps(entry), content_type="application/json")
        assert Case.objects.count() == 1
        # The record of the entry keeps no personal data: the registration itself holds it.
        kept = OfflineSubmission.objects.get().payload
        assert kept["kind"] == "job_seeker" and not {"iin", "last_name", "first_name"} & set(kept)

    def test_bad_entries_get_a_clear_error(self, client, dana):
        client.force_login(dana)
        response = client.post("/en/staff/mobile/sync/", "{}", content_type="application/json")
        assert response.status_code == 400 and response.json()["field"] == "client_key"
        entry = {
            "client_key": str(uuid.uuid4()),
            "kind": "note",
            "payload": {"case": 999999, "text": "x"},
            "queued_by": dana.pk,
        }
        assert (
            client.post(
                "/en/staff/mobile/sync/", json.dumps(entry), content_type="application/json"
            ).status_code
            == 404
        )

    def test_another_districts_case_cannot_be_written_offline(self, client, dana, serik):
        theirs = _case("KZ-55-ekibastuz", serik)
        client.force_login(dana)
        entry = {
            "client_key": str(uuid.uuid4()),
            "kind": "note",
            "payload": {"case": theirs.id, "text": "x"},
            "queued_by": dana.pk,
        }
        assert (
            client.post(
                "/en/staff/mobile/sync/", json.dumps(entry), content_type="application/json"
            ).status_code
            == 404
        )
        assert not CaseNote.objects.exists()

    def _note(self, case, author_id):
        return {
            "client_key": str(uuid.uuid4()),
            "kind": "note",
            "payload": {"case": case.id, "text": "Визит"},
            "queued_by": author_id,
        }

    def test_an_entry_says_who_queued_it(self, client, dana):
        case = _case("KZ-55-pavlodar", dana)
        client.force_login(dana)
        entry = self._note(case, dana.pk)
        del entry["queued_by"]
        response = client.post("/en/staff/mobile/sync/", json.dumps(entry), content_type="application/json")
        assert response.status_code == 400 and response.json()["field"] == "queued_by"
        assert not CaseNote.objects.exists()

    def test_an_entry_queued_by_someone_else_is_never_applied(self, client, dana):
        case = _case("KZ-55-pavlodar", dana)
        colleague = CentreMembershipFactory(centre=centre("KZ-55-pavlodar")).user
        client.force_login(colleague)  # the phone changed hands; Dana's queue was left on it
        entry = self._note(case, dana.pk)
        response = client.post("/en/staff/mobile/sync/", json.dumps(entry), content_type="application/json")
        assert response.status_code == 403 and response.json()["field"] == "queued_by"
        assert not CaseNote.objects.exists()

    def test_a_key_already_used_by_someone_else_is_refused(self, client, dana):
        case = _case("KZ-55-pavlodar", dana)
        client.force_login(dana)
        entry = self._note(case, dana.pk)
        assert (
            client.post(
                "/en/staff/mobile/sync/", json.dumps(entry), content_type="application/json"
            ).status_code
            == 201
        )
        colleague = CentreMembershipFactory(centre=centre("KZ-55-pavlodar")).user
        client.force_login(colleague)  # replays Dana's key under their own name
        replay = {**entry, "queued_by": colleague.pk}
        response = client.post("/en/staff/mobile/sync/", json.dumps(replay), content_type="application/json")
        assert response.status_code == 403 and "note" not in response.json()
        assert CaseNote.objects.count() == 1


def test_the_timeline_shows_who_did_what(client, dana):
    case = _case("KZ-55-pavlodar", dana)
    services.plan_save(case=case, goal="g", steps=_steps(), by=dana)
    services.note_add(case=case, text="Первая встреча", by=dana)
    client.force_login(dana)
    body = client.get(f"/en/staff/cases/{case.id}/").content.decode()
    assert "employment plan saved" in body and "Первая встреча" in body and "case opened" in body
    assert "plan.saved" not in body and "case.opened" not in body  # codes are shown in words
    assert dana.get_full_name() in body


def test_a_foreign_user_without_membership_is_refused(client):
    client.force_login(UserFactory())
    assert client.get("/en/staff/mobile/").status_code == 403
