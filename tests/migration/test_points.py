"""The points pilot end to end through the services: scored under the 2026 questionnaire, kept
when the 2027 rules are published; invitation rounds (ties, determinism); the officers' what-if;
the decision letter."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from matching.models import IscoGroup, Occupation
from migration import rules
from migration.models import Application, Card, Questionnaire, Scheme, SchemeVersion
from migration.services import applications as services
from migration.services.letters import decision_letter_pdf
from migration.services.rounds import round_create, round_invited_ids, round_preview, round_publish, round_run
from migration.services.rules import questionnaire_draft, scheme_version_draft
from migration.services.whatif import what_if
from migration.states import ApplicationStatus, StepStatus
from mobility.cases.services import case_open
from mobility.core.pdf import render_pdf
from mobility.reference.models import Region
from mobility.reference.services import rule_publish
from tests.factories import centre
from tests.migration.factories import ForeignApplicantFactory, migration_officer, pdf
from tests.migration.test_self_assessment import EXACTLY_400

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(db):
    return migration_officer(email="asel@example.kz")


@pytest.fixture
def second_officer(db):
    return migration_officer(email="nurlan@example.kz")


@pytest.fixture
def occupation(db):
    group = IscoGroup.objects.create(code="2511", level=4)
    return Occupation.objects.create(uri="test:systems-analyst", isco_group=group, source="project")


def _points_application(occupation, answers=EXACTLY_400, field="it"):
    applicant = ForeignApplicantFactory(ethnic_kazakh=False, citizenship="IN", passport_country="IN")
    user = applicant.user
    application = services.application_start(
        applicant=applicant,
        scheme=Scheme.objects.get(code="points-pilot"),
        region=Region.objects.get(code="KZ-55"),
        by=user,
    )
    version = application.scheme_version
    services.application_update(
        application=application,
        by=user,
        field=field,
        occupation=occupation,
        category=version.categories.get(code="permanent-residence"),
        answers=answers,
    )
    for code in ("passport", "consent"):
        services.application_document_add(
            application=application,
            file=pdf(f"{code}.pdf"),
            by=user,
            requirement=version.documents.get(code=code),
        )
    return services.application_submit(application=application, consent=True, by=user)


def test_a_points_application_is_scored_tested_pooled_invited_and_approved(occupation, officer):
    application = _points_application(occupation)
    assert (application.score, application.questionnaire.version) == (400, "points-2026")
    assert application.score_breakdown["age"] == 100
    assert application.status == ApplicationStatus.SUBMITTED
    questionnaire_step = application.steps.get(scheme_step__kind="questionnaire")
    assert questionnaire_step.status == StepStatus.PASSED
    # A failed sitting (29% listening) leaves the test open for a retake.
    services.language_test_record(
        application=application,
        listening_percent=29,
        reading_percent=80,
        taken_on=timezone.localdate(),
        by=officer,
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    services.language_test_record(
        application=application,
        listening_percent=30,
        reading_percent=30,
        taken_on=timezone.localdate(),
        by=officer,
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.POOLED
    assert (
        application.steps.get(scheme_step__kind="inter_agency_check").started_on is None
    )  # waits for a round
    round = round_run(
        round=round_create(
            scheme=application.scheme_version.scheme, places=1, by=officer, centre=centre("KZ-55-LMC")
        ),
        by=officer,
    )
    assert round_invited_ids(round) == [application.pk]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INVITED
    check = application.steps.get(scheme_step__kind="inter_agency_check")
    assert check.started_on == timezone.localdate() and check.due_on is not None
    services.application_review_start(application=application, by=officer)
    for kind in ("inter_agency_check", "interview", "home_consent"):
        services.step_record(
            step=application.steps.get(scheme_step__kind=kind), status=StepStatus.PASSED, by=officer
        )
    reason = application.scheme_version.reasons.get(code="meets-requirements")
    decision = services.application_decide(
        application=application, outcome="approved", reasons=[reason], text="", by=officer
    )
    assert (decision.score, decision.questionnaire.version, decision.scheme_version.version) == (
        400,
        "points-2026",
        "points-2026",
    )
    assert Card.objects.get(application=application).number.startswith("PR")


def test_the_2026_score_version_and_decision_stay_when_2027_rules_are_published(
    occupation, officer, admin_user
):
    application = _points_application(occupation)
    refusal = application.scheme_version.reasons.get(code="below-pass-mark")
    decision = services.application_decide(
        application=application, outcome="refused", reasons=[refusal], text="", by=officer
    )
    q2026 = application.questionnaire
    v2026 = application.scheme_version
    draft_q = questionnaire_draft(
        source=q2026, version="points-2027", valid_from=dt.date(2027, 1, 1), by=admin_user
    )
    age = draft_q.criteria.get(code="age").options.get(code="25-34")
    age.points = 150
    age.save()
    draft_v = scheme_version_draft(
        source=v2026, version="points-2027", valid_from=dt.date(2027, 1, 1), by=admin_user
    )
    # A draft changes nothing in force.
    assert rules.questionnaire_on("points-pilot", on=dt.date(2027, 2, 1)).version == "points-2026"
    assert rule_publish(version="points-2027", by=admin_user) == 2
    application.refresh_from_db()
    decision.refresh_from_db()
    q2026.refresh_from_db()
    assert (application.score, application.questionnaire_id, application.scheme_version_id) == (
        400,
        q2026.pk,
        v2026.pk,
    )
    assert (decision.score, decision.questionnaire_id, decision.scheme_version_id, decision.outcome) == (
        400,
        q2026.pk,
        v2026.pk,
        "refused",
    )
    assert application.status == ApplicationStatus.REFUSED
    assert q2026.valid_to == dt.date(2026, 12, 31)
    assert rules.questionnaire_on("points-pilot", on=dt.date(2026, 12, 31)).pk == q2026.pk
    assert rules.questionnaire_on("points-pilot", on=dt.date(2027, 1, 1)).pk == draft_q.pk
    assert rules.scheme_version_on("points-pilot", on=dt.date(2027, 1, 1)).pk == draft_v.pk
    assert Questionnaire.objects.get(pk=draft_q.pk).is_published
    assert SchemeVersion.objects.get(pk=draft_v.pk).steps.count() == v2026.steps.count()


def _pooled(occupation, score: int, submitted_at: dt.datetime, field: str = "it") -> Application:
    """A pooled application with a given score (the pool a round reads; the scoring itself is
    tested above and in test_scoring)."""
    applicant: Any = ForeignApplicantFactory(ethnic_kazakh=False)
    version = rules.scheme_version_on("points-pilot", on=timezone.localdate())
    lmc = centre("KZ-55-LMC")
    return Application.objects.create(
        number=f"PR-T-{score}-{submitted_at:%d%H}-{applicant.pk}",
        applicant=applicant,
        case=case_open(person=applicant.user, centre=lmc, by=applicant.user),
        centre=lmc,
        scheme_version=version,
        field=field,
        occupation=occupation,
        status=ApplicationStatus.POOLED,
        questionnaire=rules.questionnaire_on("points-pilot", on=timezone.localdate()),
        answers=EXACTLY_400,
        score=score,
        submitted_at=submitted_at,
    )


def test_rounds_break_ties_by_earlier_submission_and_repeat_exactly(occupation, admin_user):
    at = lambda day: dt.datetime(2026, 11, day, 10, tzinfo=dt.UTC)  # noqa: E731
    top = _pooled(occupation, 520, at(20))
    late_tie = _pooled(occupation, 450, at(18))
    early_tie = _pooled(occupation, 450, at(10))
    _pooled(occupation, 430, at(1))
    _pooled(occupation, 600, at(1), field="health")  # another field: not in this round
    scheme = Scheme.objects.get(code="points-pilot")
    round = round_create(scheme=scheme, places=2, field="it", by=admin_user)
    preview = round_preview(round=round)
    assert [c.id for c in preview.invited] == [top.pk, early_tie.pk]
    assert round_preview(round=round) == preview
    run = round_run(round=round, by=admin_user)
    assert round_invited_ids(run) == [top.pk, early_tie.pk]
    assert (run.cut_off_score, run.invited_count, run.pool_size) == (450, 2, 4)
    again = round_run(round=run, by=admin_user)  # a round runs once: the same invitations
    assert round_invited_ids(again) == [top.pk, early_tie.pk]
    late_tie.refresh_from_db()
    assert late_tie.status == ApplicationStatus.POOLED
    round_publish(round=run, by=admin_user)
    from rest_framework.test import APIClient

    body = APIClient().get("/api/v1/foreign/rounds/").json()
    assert [(r["field"], r["places"], r["invited"], r["cut_off_score"]) for r in body] == [("it", 2, 2, 450)]


def test_officers_run_rounds_of_their_centre_only(officer):
    scheme = Scheme.objects.get(code="points-pilot")
    with pytest.raises(ValidationError):
        round_create(scheme=scheme, places=5, by=officer)  # a national round
    round_create(scheme=scheme, places=5, by=officer, centre=centre("KZ-55-LMC"))
    with pytest.raises(ValidationError):
        round_create(scheme=scheme, places=5, by=officer, centre=centre("KZ-75-LMC"))


def test_what_if_lists_who_would_cross_the_pass_mark(occupation, admin_user, officer):
    now = timezone.now()
    at_400 = _pooled(occupation, 400, now)
    below = _pooled(occupation, 395, now)
    below.answers = {**EXACTLY_400, "adaptability": "studied"}
    below.save()
    q2026 = rules.questionnaire_on("points-pilot", on=timezone.localdate())
    draft = questionnaire_draft(
        source=q2026, version="what-if-2027", valid_from=dt.date(2027, 1, 1), by=admin_user
    )
    studied = draft.criteria.get(code="adaptability").options.get(code="studied")
    studied.points = 30  # the 395 becomes 400
    studied.save()
    worked = draft.criteria.get(code="adaptability").options.get(code="worked")
    worked.points = 20  # the 400 becomes 390
    worked.save()
    result = what_if(version="what-if-2027", by=officer)
    assert result.crossing_up == [(below.pk, 395, 400)]
    assert result.crossing_down == [(at_400.pk, 400, 390)]
    assert (result.passing_now, result.passing_then) == (1, 1)
    assert rules.questionnaire_on("points-pilot", on=dt.date(2027, 2, 1)).pk == q2026.pk  # nothing published
    with pytest.raises(ValidationError):
        what_if(version="no-such-draft")


@pytest.mark.parametrize(
    ("language", "appeal_heading"), [("en", "How to appeal"), ("ru", None), ("kk", None)]
)
def test_the_decision_letter_names_the_rules_and_the_appeal_path(
    occupation, officer, monkeypatch, language, appeal_heading
):
    from migration.services import letters

    captured = {}

    def spy(**kwargs):
        captured.update(kwargs)
        return render_pdf(**kwargs)

    monkeypatch.setattr(letters, "render_pdf", spy)
    application = _points_application(occupation)
    refusal = application.scheme_version.reasons.get(code="below-pass-mark")
    decision = services.application_decide(
        application=application, outcome="refused", reasons=[refusal], text="", by=officer
    )
    content = decision_letter_pdf(decision=decision, language=language)
    assert content.startswith(b"%PDF-")
    assert f"/Lang ({language})".encode() in content
    assert captured["language"] == language
    rows = dict(captured["sections"][0].rows)
    assert "points-2026" in rows.values()
    assert application.number in captured["title"]
    appeal = captured["sections"][-1]
    if appeal_heading:
        assert appeal.heading == appeal_heading
    assert str(application.scheme_version.appeal_review_working_days) in appeal.paragraphs[0]
