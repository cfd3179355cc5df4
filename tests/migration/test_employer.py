"""The employer's side of a B9 visa: domestic candidates first (the evidence is kept), the
offer confirmed by the employer, the reporting duty after the approval."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from matching.models import IscoGroup, Occupation
from migration.models import ReportingDuty, Scheme
from migration.services import applications as services
from migration.services.employer import foreign_opening_open, reporting_duty_report
from migration.states import ApplicationStatus, StepStatus
from mobility.reference.models import Region
from tests.factories import OrganisationMembershipFactory, VacancyFactory
from tests.migration.factories import ForeignApplicantFactory, migration_officer, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def occupation(db):
    group = IscoGroup.objects.create(code="2512", level=4)
    return Occupation.objects.create(uri="test:software-developer", isco_group=group, source="project")


def test_a_b9_visa_with_a_confirmed_offer_ends_in_a_reporting_duty(occupation):
    vacancy = VacancyFactory(occupation=occupation)
    employer = OrganisationMembershipFactory(organisation=vacancy.organisation).user
    stranger = OrganisationMembershipFactory().user
    with pytest.raises(ValidationError):
        foreign_opening_open(vacancy=vacancy, by=stranger)
    opening = foreign_opening_open(vacancy=vacancy, by=employer)
    assert opening.is_open and opening.evidence["window_days"] == 30
    assert opening.matching_seekers == 0 and "ranked" in opening.evidence

    applicant = ForeignApplicantFactory(ethnic_kazakh=False)
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
        occupation=occupation,
        category=version.categories.get(code="valuable-skills"),
        vacancy=vacancy,
    )
    for code in ("passport", "diploma"):
        services.application_document_add(
            application=application, file=pdf(), by=user, requirement=version.documents.get(code=code)
        )
    application = services.application_submit(application=application, consent=True, by=user)
    assert application.status == ApplicationStatus.SUBMITTED
    with pytest.raises(ValidationError):
        services.application_offer_confirm(application=application, by=stranger)
    officer = migration_officer()
    services.application_review_start(application=application, by=officer)
    services.step_record(
        step=application.steps.get(scheme_step__code="documents"), status="passed", by=officer
    )
    services.application_offer_confirm(application=application, by=employer)
    offer_step = application.steps.get(scheme_step__code="offer")
    assert offer_step.status == StepStatus.PASSED
    services.step_record(step=application.steps.get(scheme_step__code="check"), status="passed", by=officer)
    reason = version.reasons.get(code="meets-requirements")
    services.application_decide(
        application=application, outcome="approved", reasons=[reason], text="", by=officer
    )
    duty = ReportingDuty.objects.get(application=application)
    assert (duty.kind, duty.organisation_id, duty.status) == ("started", vacancy.organisation_id, "open")
    assert duty.due_on > timezone.localdate()
    with pytest.raises(ValidationError):
        reporting_duty_report(duty=duty, event_on=timezone.localdate() + dt.timedelta(days=1), by=employer)
    done = reporting_duty_report(duty=duty, event_on=timezone.localdate(), by=employer)
    assert done.status == "done" and done.done_by == employer


def test_a_vacancy_not_open_to_foreigners_cannot_be_the_offer(occupation):
    vacancy = VacancyFactory(occupation=occupation)
    applicant = ForeignApplicantFactory(ethnic_kazakh=False)
    application = services.application_start(
        applicant=applicant,
        scheme=Scheme.objects.get(code="b9-visa"),
        region=Region.objects.get(code="KZ-55"),
        by=applicant.user,
    )
    with pytest.raises(ValidationError) as caught:
        services.application_update(application=application, by=applicant.user, vacancy=vacancy)
    assert "vacancy" in caught.value.message_dict


def test_the_shortage_list_shows_the_exchanges_evidence(occupation, django_assert_num_queries):
    from migration.selectors import shortage_evidence
    from tests.factories import RegistrationFactory

    VacancyFactory.create_batch(2, occupation=occupation)
    registration = RegistrationFactory()
    registration.profile.desired_occupations.add(occupation)
    RegistrationFactory()  # wants nothing in particular
    with django_assert_num_queries(2):
        found = shortage_evidence([occupation.pk])[occupation.pk]
    assert (found.open_vacancies, found.registered_seekers, found.median_days_open) == (2, 1, 0)
