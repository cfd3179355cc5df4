"""Applications, steps, decisions, appeals and cards through the services: working-day deadlines,
overdue steps, the second-officer appeal rule, card validity and revocation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from migration import selectors
from migration.access import get_application_for_user
from migration.models import Application, Card, Decision
from migration.services import applications as services
from migration.services.appeals import appeal_decide, appeal_lodge
from migration.services.cards import card_check, cards_revoke_on_citizenship
from migration.states import AppealStatus, ApplicationStatus, StepStatus
from mobility.core.models import AuditEntry
from mobility.core.workflow import MoveForbidden
from mobility.reference.models import CalendarDay
from tests.migration.factories import ForeignApplicantFactory, migration_officer, submitted_card_application

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2026, 12, 11)


@pytest.fixture
def calendar_week():
    """Mon 14 to Sun 20 December 2026: Wednesday 16 a holiday, Saturday 19 a transferred working day."""
    CalendarDay.objects.filter(date__range=(dt.date(2026, 12, 12), dt.date(2026, 12, 31))).delete()
    CalendarDay.objects.create(
        date=dt.date(2026, 12, 16),
        kind=CalendarDay.Kind.HOLIDAY,
        name_kk="Т",
        name_ru="Н",
        name_en="Independence Day",
    )
    CalendarDay.objects.create(
        date=dt.date(2026, 12, 19),
        kind=CalendarDay.Kind.TRANSFER_WORKING,
        name_kk="Ж",
        name_ru="Р",
        name_en="Working day (transfer)",
    )


@pytest.fixture
def on_day(monkeypatch):
    def set_day(day: dt.date) -> None:
        monkeypatch.setattr(services, "_today", lambda: day)

    return set_day


@pytest.fixture
def officer(db):
    return migration_officer(email="asel@example.kz", first_name="Асель")


@pytest.fixture
def second_officer(db):
    return migration_officer(email="nurlan@example.kz", first_name="Нұрлан")


@pytest.fixture
def far_officer(db):
    return migration_officer("KZ-75-LMC", email="far@example.kz")


def _approve(application: Application, officer) -> Decision:
    services.application_review_start(application=application, by=officer)
    for step in application.steps.filter(status=StepStatus.PENDING).exclude(scheme_step__kind="decision"):
        services.step_record(step=step, status=StepStatus.PASSED, by=officer)
    reason = application.scheme_version.reasons.get(code="meets-requirements")
    return services.application_decide(
        application=application, outcome="approved", reasons=[reason], text="", by=officer
    )


def test_deadlines_count_working_days_across_a_weekend_a_holiday_and_a_transfer(calendar_week, on_day):
    on_day(FRIDAY)
    application = submitted_card_application(ForeignApplicantFactory())
    # Five working days after Friday 11: Mon 14, Tue 15, (Wed 16 holiday), Thu 17, Fri 18, Sat 19 (transfer).
    assert application.due_on == dt.date(2026, 12, 19)
    documents, decision = application.steps.order_by("order")
    assert (documents.started_on, documents.due_on) == (FRIDAY, dt.date(2026, 12, 17))
    assert decision.started_on is None  # starts when the document check is done
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at is not None


def test_next_step_starts_when_the_previous_is_done(calendar_week, on_day, officer):
    on_day(FRIDAY)
    application = submitted_card_application(ForeignApplicantFactory())
    services.application_review_start(application=application, by=officer)
    on_day(dt.date(2026, 12, 17))
    documents = application.steps.get(scheme_step__code="documents")
    services.step_record(step=documents, status=StepStatus.PASSED, by=officer, note="")
    decision = application.steps.get(scheme_step__code="decision")
    # Two working days after Thursday 17: Fri 18, Sat 19 (transfer).
    assert (decision.started_on, decision.due_on) == (dt.date(2026, 12, 17), dt.date(2026, 12, 19))


def test_an_overdue_step_shows_in_the_queue(on_day, officer, django_assert_max_num_queries):
    today = timezone.localdate()
    on_day(today - dt.timedelta(days=60))
    late = submitted_card_application(ForeignApplicantFactory())
    on_day(today)
    fresh = submitted_card_application(ForeignApplicantFactory())
    with django_assert_max_num_queries(4):  # the actor (3) and the queue
        queue = list(selectors.officer_queue(officer))
    assert [a.pk for a in queue] == [late.pk, fresh.pk]  # the earliest deadline first
    assert [a.pk for a in selectors.officer_queue(officer, overdue=True)] == [late.pk]
    assert queue[0].is_overdue
    late_step = late.steps.get(scheme_step__code="documents")
    assert late_step.is_overdue
    assert list(selectors.overdue_steps(officer)) == [late_step]


def test_officers_see_only_their_regions_applications(officer, far_officer):
    application = submitted_card_application(ForeignApplicantFactory())
    other = ForeignApplicantFactory()
    assert get_application_for_user(officer, application.pk) == application
    assert get_application_for_user(application.applicant.user, application.pk) == application
    for outsider in (far_officer, other.user):
        with pytest.raises(Http404):
            get_application_for_user(outsider, application.pk)
    step = application.steps.get(scheme_step__code="documents")
    with pytest.raises(ValidationError):
        services.step_record(step=step, status=StepStatus.PASSED, by=far_officer)
    with pytest.raises(ValidationError):
        services.application_review_start(application=application, by=far_officer)


def test_approval_issues_a_card_valid_ten_years(officer):
    application = submitted_card_application(ForeignApplicantFactory(passport_expires_on=dt.date(2045, 6, 1)))
    decision = _approve(application, officer)
    card = Card.objects.get(application=application)
    today = card.issued_on
    assert card.valid_until == today.replace(year=today.year + 10) - dt.timedelta(days=1)
    assert decision.scheme_version == application.scheme_version
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert card_check(number=card.number, holder_name="aliya nurova").status == "valid"
    assert card_check(number=card.number, holder_name="NUROVA ALIYA").status == "valid"
    assert card_check(number=card.number, holder_name="Someone Else").status == "unknown"
    assert card_check(number=card.number, holder_name="Nurova Aliya", on=card.valid_until).status == "valid"
    later = card.valid_until + dt.timedelta(days=1)
    assert card_check(number=card.number, holder_name="Nurova Aliya", on=later).status == "expired"


def test_card_validity_is_cut_to_the_passport_expiry(officer):
    expiry = dt.date(2029, 3, 31)
    application = submitted_card_application(ForeignApplicantFactory(passport_expires_on=expiry))
    _approve(application, officer)
    assert Card.objects.get(application=application).valid_until == expiry


def test_a_card_revoked_on_citizenship_is_void(officer):
    applicant = ForeignApplicantFactory()
    application = submitted_card_application(applicant)
    _approve(application, officer)
    card = Card.objects.get(application=application)
    revoked = cards_revoke_on_citizenship(applicant=applicant, by=officer)
    assert [c.pk for c in revoked] == [card.pk]
    assert card_check(number=card.number, holder_name="Nurova Aliya").status == "void"
    entry = AuditEntry.objects.filter(action="foreign_card.revoked").get()
    assert (entry.from_state, entry.to_state, entry.reason) == ("active", "revoked", "citizenship")


def test_recording_citizenship_voids_the_card_at_once_and_the_sweep_has_nothing_left(officer):
    """The officer's record (date and evidence) voids the card in the same transaction, through
    the service the daily sweep uses; the record is audited with old and new values."""
    from migration.services.cards import cards_void_on_citizenship_sweep, foreign_applicant_citizenship_record

    applicant = ForeignApplicantFactory(citizenship="CN")
    application = submitted_card_application(applicant)
    _approve(application, officer)
    card = Card.objects.get(application=application)
    today = timezone.localdate()
    for given, field in (
        ({"acquired_on": None, "evidence": "ID 012345678"}, "acquired_on"),
        ({"acquired_on": today + dt.timedelta(days=1), "evidence": "ID 012345678"}, "acquired_on"),
        ({"acquired_on": today, "evidence": "  "}, "evidence"),
    ):
        with pytest.raises(ValidationError) as refused:
            foreign_applicant_citizenship_record(applicant=applicant, citizenship="KZ", by=officer, **given)
        assert set(refused.value.message_dict) == {field}
    card.refresh_from_db()
    assert card.status == "active"

    recorded = foreign_applicant_citizenship_record(
        applicant=applicant,
        citizenship="kz",
        acquired_on=today - dt.timedelta(days=3),
        evidence="ID card 012345678",
        by=officer,
    )
    assert (recorded.citizenship, recorded.citizenship_acquired_on) == ("KZ", today - dt.timedelta(days=3))
    card.refresh_from_db()
    assert (card.status, card.revoke_reason) == ("revoked", "citizenship")
    assert card_check(number=card.number, holder_name="Nurova Aliya").status == "void"
    entry = AuditEntry.objects.get(action="foreign_applicant.citizenship_changed")
    assert entry.actor_id == officer.pk
    assert entry.changes["citizenship"] == ["CN", "KZ"]
    assert entry.changes["citizenship_acquired_on"] == [None, (today - dt.timedelta(days=3)).isoformat()]
    assert entry.changes["citizenship_evidence"] == ["", "ID card 012345678"]
    revoked = AuditEntry.objects.get(action="foreign_card.revoked")
    assert (revoked.actor_id, revoked.reason) == (officer.pk, "citizenship")
    assert cards_void_on_citizenship_sweep() == 0


def test_the_sweep_voids_cards_of_holders_recorded_as_citizens_elsewhere(officer):
    """The daily job: a holder whose citizenship came in another way (an import, the admin)."""
    from migration.models import ForeignApplicant
    from migration.services.cards import cards_void_on_citizenship_sweep

    applicant = ForeignApplicantFactory()
    application = submitted_card_application(applicant)
    _approve(application, officer)
    ForeignApplicant.objects.filter(pk=applicant.pk).update(citizenship="KZ")
    assert cards_void_on_citizenship_sweep() == 1
    assert Card.objects.get(application=application).status == "revoked"


def test_approval_needs_every_step(officer):
    application = submitted_card_application(ForeignApplicantFactory())
    services.application_review_start(application=application, by=officer)
    reason = application.scheme_version.reasons.get(code="meets-requirements")
    with pytest.raises(ValidationError):
        services.application_decide(
            application=application, outcome="approved", reasons=[reason], text="", by=officer
        )


def test_a_refusal_needs_a_reason_of_the_scheme(officer):
    application = submitted_card_application(ForeignApplicantFactory())
    approve_reason = application.scheme_version.reasons.get(code="meets-requirements")
    with pytest.raises(ValidationError) as caught:
        services.application_decide(
            application=application, outcome="refused", reasons=[approve_reason], text="", by=officer
        )
    assert "reasons" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.application_decide(
            application=application, outcome="refused", reasons=[], text="x", by=officer
        )


def _refuse(application: Application, officer) -> Decision:
    reason = application.scheme_version.reasons.get(code="documents-incomplete")
    return services.application_decide(
        application=application,
        outcome="refused",
        reasons=[reason],
        text="The origin document is unreadable.",
        by=officer,
    )


def test_an_appeal_is_decided_by_a_second_officer_never_the_first(officer, second_officer):
    application = submitted_card_application(ForeignApplicantFactory())
    refusal = _refuse(application, officer)
    assert refusal.appeal_until is not None
    appeal = appeal_lodge(
        application=application, grounds="A clearer scan is attached.", by=application.applicant.user
    )
    assert appeal.status == AppealStatus.LODGED
    grant = application.scheme_version.reasons.get(code="meets-requirements")
    with pytest.raises(MoveForbidden):
        appeal_decide(
            appeal=appeal, outcome="granted", reasons=[grant], text="I changed my mind.", by=officer
        )
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.LODGED
    decision = appeal_decide(
        appeal=appeal, outcome="granted", reasons=[grant], text="The new scan is valid.", by=second_officer
    )
    appeal.refresh_from_db()
    application.refresh_from_db()
    assert (appeal.status, appeal.decided_by) == (AppealStatus.GRANTED, second_officer)
    assert application.status == ApplicationStatus.APPROVED
    assert decision.appeal == appeal and decision.decided_by == second_officer
    assert Card.objects.filter(application=application).exists()
    assert list(application.events.values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
        "refused",
        "approved",
    ]


def test_the_applicant_appeals_once_and_only_their_own(officer, second_officer):
    application = submitted_card_application(ForeignApplicantFactory())
    _refuse(application, officer)
    stranger = ForeignApplicantFactory()
    with pytest.raises(ValidationError):
        appeal_lodge(application=application, grounds="Let me in.", by=stranger.user)
    appeal = appeal_lodge(
        application=application, grounds="Please look again.", by=application.applicant.user
    )
    refuse = application.scheme_version.reasons.get(code="documents-incomplete")
    appeal_decide(
        appeal=appeal,
        outcome="dismissed",
        reasons=[refuse],
        text="The scan is still unreadable.",
        by=second_officer,
    )
    with pytest.raises(ValidationError):
        appeal_lodge(application=application, grounds="Again.", by=application.applicant.user)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED


def test_an_appeal_after_the_period_is_refused(officer, on_day):
    on_day(timezone.localdate() - dt.timedelta(days=90))
    application = submitted_card_application(ForeignApplicantFactory())
    _refuse(application, officer)  # the period (20 working days) ended weeks ago
    with pytest.raises(ValidationError):
        appeal_lodge(application=application, grounds="Late.", by=application.applicant.user)


def test_a_card_scheme_is_for_ethnic_kazakhs_only():
    from migration.models import Scheme
    from mobility.reference.models import Region

    applicant = ForeignApplicantFactory(ethnic_kazakh=False)
    with pytest.raises(ValidationError):
        services.application_start(
            applicant=applicant,
            scheme=Scheme.objects.get(code="atameken-card"),
            region=Region.objects.get(code="KZ-55"),
            by=applicant.user,
        )


def test_submission_needs_consent_and_the_required_documents():
    from migration.models import Scheme
    from mobility.reference.models import Region

    applicant = ForeignApplicantFactory()
    application = services.application_start(
        applicant=applicant,
        scheme=Scheme.objects.get(code="atameken-card"),
        region=Region.objects.get(code="KZ-55"),
        by=applicant.user,
    )
    with pytest.raises(ValidationError) as no_consent:
        services.application_submit(application=application, consent=False, by=applicant.user)
    assert "consent" in no_consent.value.message_dict
    with pytest.raises(ValidationError) as incomplete:
        services.application_submit(application=application, consent=True, by=applicant.user)
    assert {"category", "documents"} <= set(incomplete.value.message_dict)


def test_documents_reach_the_regions_officers_and_nobody_else(officer, far_officer):
    from mobility.core.documents.access import get_document_for_user

    application = submitted_card_application(ForeignApplicantFactory())
    document = application.documents.first().document
    assert get_document_for_user(officer, document.public_id) == document
    assert get_document_for_user(application.applicant.user, document.public_id) == document
    for outsider in (far_officer, ForeignApplicantFactory().user):
        with pytest.raises(Http404):
            get_document_for_user(outsider, document.public_id)
