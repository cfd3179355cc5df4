"""After the decision (issue #14, item 9): holders on the job-seeker portal, what the matcher shows
them and whom employers see, the employer's reports (started, left) with working-day deadlines,
reminders and overdue, and the daily job that voids cards on citizenship."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from matching.models import Occupation
from migration.models import Application, Card, ForeignOpening, ReportingDuty, Scheme
from migration.services import applications as services
from migration.services.cards import card_check, card_revoke, foreign_applicant_citizenship_record
from migration.services.employer import domestic_evidence, foreign_opening_open, reporting_duty_report
from migration.services.holders import holder_profile_start
from migration.states import CardStatus, StepStatus
from mobility.core.calendar import add_working_days
from mobility.core.models import AuditEntry, OutboxMessage
from mobility.core.schedules import SCHEDULES
from mobility.employer.selectors import ranked_candidates
from mobility.exchange import services as exchange
from mobility.exchange.models import SeekerProfile
from mobility.exchange.selectors import vacancies_for_me
from mobility.notifications.consent import consent_set
from mobility.notifications.reminders import REMINDER_RULES, reminders_run
from mobility.reference.models import Region
from tests.factories import (
    OrganisationMembershipFactory,
    RegistrationFactory,
    SeekerProfileFactory,
    VacancyFactory,
)
from tests.migration.factories import (
    ForeignApplicantFactory,
    migration_officer,
    pdf,
    submitted_card_application,
)

pytestmark = pytest.mark.django_db


def _approve(application: Application, officer) -> Application:
    services.application_review_start(application=application, by=officer)
    for step in application.steps.filter(status=StepStatus.PENDING).exclude(scheme_step__kind="decision"):
        if step.scheme_step.kind == "employer_confirmation":
            continue
        services.step_record(step=step, status=StepStatus.PASSED, by=officer)
    reason = application.scheme_version.reasons.get(code="meets-requirements")
    services.application_decide(
        application=application, outcome="approved", reasons=[reason], text="", by=officer
    )
    return Application.objects.get(pk=application.pk)


def b9_holder(vacancy, employer, officer, *, last_name="Nurova") -> Application:
    """A B9 visa approved on an offer for `vacancy`, confirmed by its employer."""
    applicant: Any = ForeignApplicantFactory(ethnic_kazakh=False, user__last_name=last_name)
    user = applicant.user
    application = services.application_start(
        applicant=applicant,
        scheme=Scheme.objects.get(code="b9-visa"),
        region=Region.objects.get(code="KZ-55"),
        by=user,
    )
    version = application.scheme_version
    services.application_update(
        application=application,
        by=user,
        field="it",
        occupation=vacancy.occupation or Occupation.objects.filter(isco_group__code="2411").first(),
        category=version.categories.get(code="valuable-skills"),
        vacancy=vacancy,
    )
    for code in ("passport", "diploma"):
        services.application_document_add(
            application=application, file=pdf(), by=user, requirement=version.documents.get(code=code)
        )
    application = services.application_submit(application=application, consent=True, by=user)
    services.application_offer_confirm(application=application, by=employer)
    return _approve(application, officer)


def card_holder(officer, *, last_name="Bekova") -> Application:
    """An Atameken card (free access to work) approved."""
    applicant: Any = ForeignApplicantFactory(ethnic_kazakh=True, user__last_name=last_name)
    return _approve(submitted_card_application(applicant), officer)


def _on_portal(application: Application) -> SeekerProfile:
    profile = holder_profile_start(card=application.card, by=application.applicant.user)
    exchange.profile_update(
        profile=profile,
        by=profile.user,
        headline="Бухгалтер",
        visibility=SeekerProfile.Visibility.PUBLIC,
    )
    exchange.profile_set_skills(profile=profile, skills=[("1С:Бухгалтерия", 3)], by=profile.user)
    return profile


@pytest.fixture
def jobs(project_taxonomy):
    """Two accountant vacancies in Pavlodar; the first is open to foreign specialists."""
    opened, closed = (VacancyFactory(title="Бухгалтер") for _ in range(2))
    for vacancy in (opened, closed):
        exchange.vacancy_update(vacancy=vacancy, by=None, required_skills=["1С:Бухгалтерия"])
    employer = OrganisationMembershipFactory(organisation=opened.organisation).user
    foreign_opening_open(vacancy=opened, by=employer)
    return opened, closed, employer


class TestThePortal:
    def test_a_card_holder_joins_the_portal_through_the_one_profile_path(self, client):
        officer = migration_officer()
        application = card_holder(officer)
        user = application.applicant.user
        client.force_login(user)
        page = client.get(f"/en/foreign/me/{application.pk}/").content.decode()
        assert "Look for work on the job-seeker portal" in page
        answer = client.post(f"/en/foreign/me/{application.pk}/job-seeker/")
        assert answer.status_code == 302 and answer["Location"] == "/en/me/profile/basics/"
        profile = SeekerProfile.objects.get(user=user)
        assert profile.visibility == SeekerProfile.Visibility.HIDDEN  # until they choose to be seen
        assert profile.region == application.centre.region
        actions = set(AuditEntry.objects.filter(actor=user).values_list("action", flat=True))
        assert {"seeker.profile_created", "foreign_holder.joined_portal"} <= actions
        client.post(f"/en/foreign/me/{application.pk}/job-seeker/")
        assert SeekerProfile.objects.filter(user=user).count() == 1
        assert "Vacancies for me" in client.get(f"/en/foreign/me/{application.pk}/").content.decode()

    def test_only_the_holder_of_a_card_in_force_joins(self, client):
        officer = migration_officer()
        application = card_holder(officer)
        other = ForeignApplicantFactory()
        client.force_login(other.user)
        assert client.post(f"/en/foreign/me/{application.pk}/job-seeker/").status_code == 404
        with pytest.raises(ValidationError):
            holder_profile_start(card=application.card, by=other.user)
        card_revoke(card=application.card, reason="false information", by=officer)
        with pytest.raises(ValidationError):
            holder_profile_start(card=Card.objects.get(pk=application.card.pk), by=application.applicant.user)
        assert not SeekerProfile.objects.filter(user=application.applicant.user).exists()


class TestWhoSeesWhat:
    def test_a_sponsored_holder_is_ranked_only_over_vacancies_open_to_foreign_specialists(self, jobs):
        opened, closed, employer = jobs
        officer = migration_officer()
        visa = _on_portal(b9_holder(opened, employer, officer))
        card = _on_portal(card_holder(officer))
        assert [r.vacancy.pk for r in vacancies_for_me(visa)] == [opened.pk]
        assert {r.vacancy.pk for r in vacancies_for_me(card)} == {opened.pk, closed.pk}  # free to work
        # A holder who becomes a citizen is not a foreign specialist any more.
        foreign_applicant_citizenship_record(
            applicant=visa.user.foreign_applicant,
            citizenship="KZ",
            acquired_on=timezone.localdate(),
            evidence="ID card 012345678",
            by=officer,
        )
        assert {r.vacancy.pk for r in vacancies_for_me(visa)} == {opened.pk, closed.pk}

    def test_employers_see_sponsored_holders_only_for_vacancies_open_to_them(self, jobs):
        opened, closed, employer = jobs
        officer = migration_officer()
        visa = _on_portal(b9_holder(opened, employer, officer))
        card = _on_portal(card_holder(officer))
        for_opened = {c.profile.pk: c for c in ranked_candidates(opened)}
        for_closed = {c.profile.pk: c for c in ranked_candidates(closed)}
        assert {visa.pk, card.pk} <= set(for_opened)
        assert for_opened[visa.pk].foreign_specialist and for_opened[card.pk].foreign_specialist
        assert visa.pk not in for_closed and card.pk in for_closed
        # The API's candidates follow the same rule.
        from rest_framework.test import APIClient

        for vacancy, member in (
            (opened, employer),
            (closed, OrganisationMembershipFactory(organisation=closed.organisation).user),
        ):
            api = APIClient()
            api.force_authenticate(member)
            rows = api.get(f"/api/v1/vacancies/{vacancy.pk}/candidates/").json()["results"]
            assert (visa.pk in {r["seeker"] for r in rows}) is (vacancy == opened)
            assert card.pk in {r["seeker"] for r in rows}

    def test_domestic_first_counts_registered_seekers_at_home_and_keeps_them(self, client, jobs):
        """The evidence before the flag: the matcher's ranked list without people who could only
        take a vacancy open to foreign specialists, and who of them was registered in 30 days."""
        opened, closed, employer = jobs
        officer = migration_officer()
        visa = _on_portal(b9_holder(opened, employer, officer))
        local = SeekerProfileFactory(headline="Бухгалтер")
        exchange.profile_set_skills(profile=local, skills=[("1С:Бухгалтерия", 3)], by=local.user)
        RegistrationFactory(profile=local)
        evidence = domestic_evidence(closed)
        ranked = {row["seeker"]: row for row in evidence["ranked"]}
        assert local.pk in ranked and visa.pk not in ranked and ranked[local.pk]["registered"]
        assert (evidence["registered_seekers"], evidence["window_days"]) == (1, 30)
        member = OrganisationMembershipFactory(organisation=closed.organisation).user
        client.force_login(member)
        page = client.get(f"/en/foreign/employer/vacancies/{closed.pk}/").content.decode()
        assert "Registered job seekers among them in the last 30 days" in page
        client.post(f"/en/foreign/employer/vacancies/{closed.pk}/", {"action": "open"})
        kept = ForeignOpening.objects.get(vacancy=closed).evidence
        assert kept["registered_seekers"] == 1 and [r["seeker"] for r in kept["ranked"]] == list(ranked)
        assert (
            "Evidence kept with the vacancy"
            in client.get(f"/en/foreign/employer/vacancies/{closed.pk}/").content.decode()
        )


@pytest.fixture
def sponsored(occupation_2512):
    vacancy = VacancyFactory(occupation=occupation_2512)
    employer = OrganisationMembershipFactory(organisation=vacancy.organisation).user
    foreign_opening_open(vacancy=vacancy, by=employer)
    officer = migration_officer()
    return b9_holder(vacancy, employer, officer), employer, officer


@pytest.fixture
def occupation_2512(db):
    from matching.models import IscoGroup

    group, _ = IscoGroup.objects.get_or_create(code="2512", defaults={"level": 4})
    occupation, _ = Occupation.objects.get_or_create(
        uri="test:software-developer", defaults={"isco_group": group, "source": "project"}
    )
    return occupation


class TestReports:
    def test_started_then_left_with_working_day_deadlines(self, sponsored):
        application, employer, officer = sponsored
        today = timezone.localdate()
        days = application.scheme_version.employer_report_working_days
        started = ReportingDuty.objects.get(application=application, kind="started")
        assert started.due_on == add_working_days(today, days)
        reporting_duty_report(duty=started, event_on=today, by=employer)
        left = ReportingDuty.objects.get(application=application, kind="left")
        card = application.card
        assert (left.status, left.due_on) == ("open", add_working_days(card.valid_until, days))
        # Revoked: the report that the specialist left is due from the revocation.
        card_revoke(card=card, reason="false information", by=officer)
        left.refresh_from_db()
        assert left.due_on == add_working_days(today, days)
        assert AuditEntry.objects.filter(action="foreign_reporting.deadline_moved").exists()
        with pytest.raises(ValidationError) as caught:
            reporting_duty_report(duty=left, event_on=today - dt.timedelta(days=1), by=employer)
        assert "event_on" in caught.value.message_dict
        assert reporting_duty_report(duty=left, event_on=today, by=employer).status == "done"

    def test_reminders_and_overdue_on_the_employers_page(self, client, sponsored):
        application, employer, _officer = sponsored
        consent_set(person=employer, choices=[("reminders", "inbox", True)], source="page")
        assert {"foreign_reporting", "foreign_overdue", "foreign_card_expiry"} <= set(REMINDER_RULES)
        duty = ReportingDuty.objects.get(application=application, kind="started")
        today = timezone.localdate()
        assert reminders_run(today=duty.due_on - dt.timedelta(days=10), rules=["foreign_reporting"]) == {
            "foreign_reporting": 0
        }
        assert reminders_run(today=duty.due_on - dt.timedelta(days=1), rules=["foreign_reporting"]) == {
            "foreign_reporting": 1
        }
        message = OutboxMessage.objects.filter(person=employer, template="reminder_foreign_reporting").first()
        assert message is not None
        # Run again the same day: nobody is reminded twice.
        reminders_run(today=duty.due_on - dt.timedelta(days=1), rules=["foreign_reporting"])
        assert OutboxMessage.objects.filter(
            person=employer, template="reminder_foreign_reporting"
        ).count() == (
            OutboxMessage.objects.filter(person=employer, template="reminder_foreign_reporting")
            .values("channel")
            .distinct()
            .count()
        )
        ReportingDuty.objects.filter(pk=duty.pk).update(due_on=today - dt.timedelta(days=1))
        client.force_login(employer)
        page = client.get("/en/foreign/employer/offers/").content.decode()
        assert 'class="overdue"' in page and "Overdue" in page

    def test_officers_hear_of_overdue_deadlines_and_holders_of_cards_ending(self):
        officer = migration_officer()
        consent_set(person=officer, choices=[("reminders", "inbox", True)], source="page")
        application = card_holder(officer)
        late = ForeignApplicantFactory()
        pending = submitted_card_application(late)
        assert pending.due_on is not None
        counts = reminders_run(today=pending.due_on + dt.timedelta(days=1), rules=["foreign_overdue"])
        assert counts == {"foreign_overdue": 1}
        assert OutboxMessage.objects.filter(person=officer, template="reminder_foreign_overdue").exists()
        card = application.card
        assert reminders_run(
            today=card.valid_until - dt.timedelta(days=30), rules=["foreign_card_expiry"]
        ) == {"foreign_card_expiry": 1}
        assert reminders_run(
            today=card.valid_until - dt.timedelta(days=29), rules=["foreign_card_expiry"]
        ) == {"foreign_card_expiry": 0}


class TestSchedules:
    def test_the_daily_job_voids_cards_of_holders_recorded_as_citizens(self):
        from migration.tasks import void_cards_on_citizenship

        assert "migration.tasks.void_cards_on_citizenship" in {job.func for job in SCHEDULES}
        officer = migration_officer()
        application = card_holder(officer, last_name="Akhmet")
        card = application.card
        assert card_check(number=card.number, holder_name=card.holder_name).status == "valid"
        assert void_cards_on_citizenship() == 0
        # Citizenship recorded outside the service (an import): the daily job catches it.
        type(application.applicant).objects.filter(pk=application.applicant_id).update(citizenship="KZ")
        assert void_cards_on_citizenship() == 1
        card.refresh_from_db()
        assert card.status == CardStatus.REVOKED and card.revoke_reason == "citizenship"
        assert card_check(number=card.number, holder_name=card.holder_name).status == "void"
        assert void_cards_on_citizenship() == 0


class TestDashboard:
    def test_approvals_count_against_the_targets_and_open_cases_against_their_deadlines(self, sponsored):
        from migration.web.dashboards import foreign_dashboard

        _visa, _employer, officer = sponsored  # an approved B9 visa in IT: a specialist
        card_holder(officer)  # an Atameken card: not counted towards the programme's targets
        late = submitted_card_application(ForeignApplicantFactory())
        Application.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
        board = foreign_dashboard(officer)
        assert {t["key"]: (t["approved"], t["target"]) for t in board["targets"]} == {
            "scientists": (0, 100),
            "specialists": (1, 100),
        }
        assert board["age_bands"][0] == {"days": "0–7", "count": 1, "overdue": 1}
        by_scheme = {row["scheme_version__scheme__code"]: row for row in board["by_scheme"]}
        assert (by_scheme["atameken-card"]["approved"], by_scheme["atameken-card"]["overdue"]) == (1, 1)
        assert by_scheme["b9-visa"]["approved"] == 1
