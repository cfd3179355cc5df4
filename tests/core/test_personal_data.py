"""Personal data (issue #12, item 3): masking, the view log, "download my data", retention;
and the audit coverage and search of item 4 that these pages use."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mobility.cases import services as cases
from mobility.cases.models import Case, CaseNote
from mobility.core.audit import audit_log
from mobility.core.identifiers import IIN_MASK_HELP, mask_iin, mask_passport
from mobility.core.models import AuditEntry, AuditRedaction
from mobility.core.privacy.models import PersonalDataView, Pseudonymisation
from mobility.core.privacy.services import pseudonym_of, retention_run
from mobility.exchange.models import WorkExperience
from tests.factories import RegistrationFactory, SeekerProfileFactory, UserFactory, centre

pytestmark = pytest.mark.django_db

PAVLODAR = "KZ-55-pavlodar"


def _case(person, by):
    profile = SeekerProfileFactory(user=person, region=centre(PAVLODAR).region)
    RegistrationFactory(profile=profile, centre=centre(PAVLODAR))
    return cases.case_open(person=person, centre=centre(PAVLODAR), by=by)


class TestMasking:
    def test_one_rule_for_iins_and_passports(self):
        assert mask_iin("791028302728") == "7910******28"
        assert mask_passport("N12345567") == "******567"
        assert mask_passport("AB123") == "***123"[-len("***123") :] and "AB" not in mask_passport("AB123")

    def test_the_api_schema_says_exactly_what_a_masked_iin_keeps(self):
        from pathlib import Path

        schema = (Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml").read_text()
        assert "first 4 digits (year and month of birth)" in schema
        assert "only the last four digits" not in schema and "middle digits hidden" not in schema
        assert "year and month of birth" in str(IIN_MASK_HELP)

    def test_the_caseload_masks_and_the_case_file_shows_the_full_number(self, client, dana):
        person = UserFactory(first_name="", last_name="", email=None)
        case = _case(person, dana)
        client.force_login(dana)
        caseload = client.get("/en/staff/cases/").content.decode()
        assert mask_iin(person.iin) in caseload and person.iin not in caseload
        assert person.iin in client.get(f"/en/staff/cases/{case.id}/").content.decode()


class TestViewLog:
    def test_opening_a_case_file_is_logged_and_the_person_sees_centre_and_role(self, client, dana, aigerim):
        case = _case(aigerim, dana)
        client.force_login(dana)
        client.get(f"/en/staff/cases/{case.id}/")
        client.get(f"/en/staff/cases/{case.id}/")
        views = list(PersonalDataView.objects.filter(person=aigerim))
        assert len(views) == 2  # one row per view
        assert {(v.record, v.viewer_role, v.centre_id, v.viewer_id) for v in views} == {
            ("case", "counsellor", centre(PAVLODAR).id, dana.id)
        }
        assert not AuditEntry.objects.filter(action__contains="view").exists()  # not the change stream

        client.force_login(aigerim)
        body = client.get("/en/my-data/views/").content.decode()
        assert centre(PAVLODAR).name in body and "Career-centre counsellor" in body and "case file" in body
        assert dana.first_name not in body and str(dana) not in body  # never the staff member's name

    def test_the_row_names_the_membership_the_viewer_reaches_the_record_through(
        self, yerlan, admin_user, bolat, dana, aigerim
    ):
        from mobility.core.privacy.services import personal_data_view_log

        case = _case(aigerim, dana)
        by_manager = personal_data_view_log(
            viewer=yerlan, person=aigerim, record="case", obj=case, centre=case.centre
        )
        assert by_manager is not None
        assert (by_manager.viewer_role, by_manager.centre_id) == ("regional_manager", centre("KZ-55-LMC").id)
        by_admin = personal_data_view_log(viewer=admin_user, person=aigerim, record="case", obj=case)
        assert by_admin is not None and (by_admin.viewer_role, by_admin.centre_id) == ("admin", None)
        assert personal_data_view_log(viewer=bolat, person=aigerim, record="document", obj=case) is None

    def test_people_reading_their_own_data_are_not_logged(self, client, aigerim, dana):
        _case(aigerim, dana)
        client.force_login(aigerim)
        client.get("/en/my-data/")
        assert not PersonalDataView.objects.exists()

    def test_the_list_costs_the_same_queries_for_many_views(
        self, client, aigerim, dana, django_assert_num_queries
    ):
        from mobility.core.privacy.services import personal_data_view_log

        case = _case(aigerim, dana)

        def view() -> None:
            personal_data_view_log(viewer=dana, person=aigerim, record="case", obj=case, centre=case.centre)

        view()
        client.force_login(aigerim)
        client.get("/en/my-data/views/")  # the session's first page also counts the unread badge
        with CaptureQueriesContext(connection) as one:
            client.get("/en/my-data/views/")
        for _ in range(29):
            view()
        with django_assert_num_queries(len(one.captured_queries)):
            response = client.get("/en/my-data/views/")
        assert response.content.decode().count("<tr>") == 31  # header and 30 rows


class TestDownload:
    def test_the_person_downloads_everything_as_json_and_it_is_audited(self, client, aigerim, dana):
        case = _case(aigerim, dana)
        cases.note_add(case=case, text="Shared plan note", by=dana, shared_with_person=True)
        cases.note_add(case=case, text="Internal working note", by=dana)
        client.force_login(aigerim)
        page = client.get("/en/my-data/").content.decode()
        assert "Shared plan note" in page and "Internal working note" not in page
        response = client.post("/en/my-data/")
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        data = json.loads(response.content)
        assert data["account"]["iin"] == aigerim.iin and data["account"]["email"] == aigerim.email
        assert data["cases"][0]["status"] == "open" and len(data["registrations"]) == 1
        assert [n["text"] for n in data["shared_notes"]] == ["Shared plan note"]
        assert {"profile", "applications", "resettlement_applications", "consents", "messages"} <= set(data)
        entry = AuditEntry.objects.get(action="person.data_exported")
        assert entry.actor_id == aigerim.id and "cases" in entry.data["sections"]

    def test_downloads_are_rate_limited(self, client, aigerim, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "data_export": "2/h"}
        client.force_login(aigerim)
        answers = [client.post("/en/my-data/").status_code for _ in range(3)]
        assert answers == [200, 200, 429]
        assert AuditEntry.objects.filter(action="person.data_exported").count() == 2


class TestRetention:
    TODAY = dt.date(2032, 6, 1)  # the run's date: five years after mid-2027 (RETENTION default 5)

    def _closed_case(self, person, by, *, closed_on):
        case = _case(person, by)
        person.seeker_profile.registrations.update(
            status="ended", registered_on=closed_on - dt.timedelta(days=400), ended_on=closed_on
        )
        WorkExperience.objects.create(
            profile=person.seeker_profile,
            title="Сварщик",
            employer_name="ТОО Ромашка",
            started_on=dt.date(2015, 1, 1),
        )
        cases.note_add(case=case, text=f"{person.last_name} came with documents", by=by)
        cases.case_close(case=case, reason="placed", by=by)
        Case.objects.filter(pk=case.pk).update(
            closed_at=dt.datetime.combine(closed_on, dt.time(12), tzinfo=timezone.get_current_timezone())
        )
        return case

    def test_people_past_retention_are_pseudonymised_and_their_audit_rows_kept(self, dana):
        old = UserFactory(first_name="Асель", last_name="Нурланова", email="asel@example.kz")
        recent = UserFactory(first_name="Бауыржан", last_name="Сейтов")
        old_case = self._closed_case(old, dana, closed_on=dt.date(2027, 1, 10))
        self._closed_case(recent, dana, closed_on=dt.date(2031, 1, 10))
        audit_log(
            actor=old,
            action="seeker.profile_updated",
            obj=old.seeker_profile,
            changes={"headline": ["", "Нурланова, welder"]},
            reason="Асель asked",
        )
        rows_before = AuditEntry.objects.count()

        report = retention_run(today=self.TODAY)

        assert report.people == 1 and report.audit_rows > 0 and report.rows["work experience"] == 1
        old.refresh_from_db()
        assert (old.last_name, old.first_name, old.iin) == (pseudonym_of(old.pk), "", None)
        assert old.email == f"{pseudonym_of(old.pk).lower()}@pseudonymised.invalid"
        assert not old.is_active and Pseudonymisation.objects.filter(person=old).exists()
        assert CaseNote.objects.get(case=old_case).text == "[pseudonymised]"
        assert Case.objects.get(pk=old_case.pk).status == "closed"  # statistics stay
        # audit rows are rewritten, never removed; each rewrite is on record
        assert AuditEntry.objects.count() == rows_before + 1  # + person.pseudonymised
        about_old = AuditEntry.objects.filter(actor_id=old.pk).get(action="seeker.profile_updated")
        assert about_old.changes["headline"] == ["[pseudonymised]", "[pseudonymised]"]
        assert "Асель" not in about_old.reason and about_old.actor_label == pseudonym_of(old.pk)
        assert AuditRedaction.objects.filter(entry=about_old).exists()
        assert "Нурланова" not in json.dumps(
            list(AuditEntry.objects.values("changes", "data", "reason", "actor_label"))
        )
        # the other person is not touched
        recent.refresh_from_db()
        assert recent.last_name == "Сейтов" and recent.is_active

    def test_a_second_run_does_nothing_more_and_open_work_keeps_data(self, dana):
        old = UserFactory()
        self._closed_case(old, dana, closed_on=dt.date(2020, 1, 1))
        still_open = UserFactory()
        self._closed_case(still_open, dana, closed_on=dt.date(2020, 1, 1))
        cases.case_open(person=still_open, centre=centre(PAVLODAR), by=dana)  # a new case
        assert retention_run(today=self.TODAY).people == 1
        assert retention_run(today=self.TODAY).people == 0
        still_open.refresh_from_db()
        assert still_open.iin

    def test_the_task_is_scheduled(self):
        from mobility.core.schedules import SCHEDULES

        assert "mobility.core.privacy.tasks.pseudonymise_past_retention" in {job.func for job in SCHEDULES}


class TestAuditCoverage:
    def test_case_notes_are_audited_with_their_sharing(self, dana, aigerim):
        case = _case(aigerim, dana)
        note = cases.note_add(case=case, text="Called", by=dana, shared_with_person=True)
        entry = AuditEntry.objects.get(action="case.note_added")
        assert entry.target == note and entry.actor_id == dana.id
        assert entry.changes == {"text": ["", "Called"], "shared_with_person": [False, True]}

    def test_experience_and_education_edits_are_audited(self, client, aigerim):
        profile = SeekerProfileFactory(user=aigerim)
        client.force_login(aigerim)
        form = {
            "exp-TOTAL_FORMS": "1",
            "exp-INITIAL_FORMS": "0",
            "exp-0-title": "Электрик",
            "exp-0-employer_name": "ТОО А",
            "exp-0-started_on": "2020-01-01",
            "edu-TOTAL_FORMS": "1",
            "edu-INITIAL_FORMS": "0",
            "edu-0-level": "vocational",
            "edu-0-institution": "Колледж",
            "edu-0-year_completed": "2019",
        }
        assert client.post("/en/me/profile/experience/", form).status_code == 302
        entry = AuditEntry.objects.get(action="seeker.background_updated")
        assert entry.target == profile and entry.actor_id == aigerim.id
        assert entry.changes["experience"][0] == [] and "Электрик" in entry.changes["experience"][1][0]
        assert profile.experience.get().title == "Электрик"

    def test_role_changes_in_the_admin_are_audited(self, client, admin_user, dana):
        from mobility.accounts.models import CentreMembership

        client.force_login(admin_user)
        membership = CentreMembership.objects.get(user=dana)
        url = f"/en/admin/accounts/user/{dana.pk}/change/"
        form = {
            "email": dana.email,
            "iin": dana.iin,
            "phone": "",
            "last_name": "Ахметова",
            "first_name": dana.first_name,
            "middle_name": "",
            "language": dana.language,
            "is_active": "on",
            "centre_memberships-TOTAL_FORMS": "1",
            "centre_memberships-INITIAL_FORMS": "1",
            "centre_memberships-0-id": membership.pk,
            "centre_memberships-0-user": dana.pk,
            "centre_memberships-0-centre": membership.centre_id,
            "centre_memberships-0-role": "regional_manager",
            "centre_memberships-0-created_at_0": "2026-01-05",
            "centre_memberships-0-created_at_1": "09:00:00",
        }
        response = client.post(url, form)
        assert response.status_code == 302, re.findall(r"errorlist.*?</ul>", response.content.decode(), re.S)
        edited = AuditEntry.objects.get(action="account.updated")
        assert (
            edited.changes["last_name"] == [dana.last_name, "Ахметова"] and edited.actor_id == admin_user.id
        )
        roles = AuditEntry.objects.get(action="account.roles_changed")
        assert roles.changes["centre_roles"][1] == [f"{membership.centre.code}:regional_manager"]


class TestAuditSearch:
    def test_regional_managers_see_their_region_and_administrators_all(
        self, client, yerlan, dana, marat, admin_user
    ):
        here = _case(UserFactory(), dana)
        there_person = UserFactory()
        there_profile = SeekerProfileFactory(user=there_person, region=centre("KZ-79-shy-alfarabi").region)
        RegistrationFactory(profile=there_profile, centre=centre("KZ-79-shy-alfarabi"))
        there = cases.case_open(person=there_person, centre=centre("KZ-79-shy-alfarabi"), by=marat)
        client.force_login(yerlan)
        body = client.get("/en/staff/audit/?entity=case").content.decode()
        assert f"#{here.pk}<" in body and f"#{there.pk}<" not in body
        client.force_login(admin_user)
        body = client.get("/en/staff/audit/?entity=case").content.decode()
        assert f"#{here.pk}<" in body and f"#{there.pk}<" in body
        client.force_login(dana)
        assert client.get("/en/staff/audit/").status_code == 403

    def test_filters_by_person_action_and_dates(self, client, admin_user, dana, aigerim):
        case = _case(aigerim, dana)
        _case(UserFactory(), dana)
        client.force_login(admin_user)
        body = client.get(f"/en/staff/audit/?iin={aigerim.iin}&action=case.opened").content.decode()
        assert body.count("<tr>") == 2 and f"#{case.pk}<" in body  # the header and the one entry
        today = timezone.localdate()
        empty = client.get(f"/en/staff/audit/?since={today + dt.timedelta(days=1)}").content.decode()
        assert "No entries match." in empty
        refused = client.get(f"/en/staff/audit/?since={today}&until={today - dt.timedelta(days=1)}")
        assert "cannot be before its start" in refused.content.decode()

    def test_the_list_query_count_does_not_grow(self, client, yerlan, dana, django_assert_num_queries):
        for _ in range(3):
            _case(UserFactory(), dana)

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get("/en/staff/audit/").status_code == 200
            return len(ctx.captured_queries)

        client.force_login(yerlan)
        count()  # the session's first page also counts the unread badge
        few = count()
        for _ in range(20):
            _case(UserFactory(), dana)
        with django_assert_num_queries(few):
            client.get("/en/staff/audit/")
