"""The workflow mechanism (`mobility/core/workflow.py`) and the application table it declares:
one table of moves that the portal, the employer board and the API all ask, and on PostgreSQL
an application's status that cannot disagree with its history.

Aigerim is the job seeker, Bolat the verified employer, Dana the Pavlodar counsellor.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone, translation

from mobility.core.models import AuditEntry
from mobility.core.workflow import (
    EMPLOYER,
    SEEKER,
    STAFF,
    MoveForbidden,
    Workflow,
    move,
    transition,
)
from mobility.employer import services as employer_services
from mobility.employer.forms import MOVE_CHOICES
from mobility.exchange import services
from mobility.exchange.models import (
    APPLICATION_WORKFLOW,
    VACANCY_WORKFLOW,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Vacancy,
)
from mobility.exchange.sides import application_sides
from tests.api.conftest import client_for
from tests.factories import RegistrationFactory, SeekerProfileFactory, VacancyFactory, centre

pytestmark = pytest.mark.django_db

STATUSES = list(ApplicationStatus.values)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def seeker(aigerim):
    return SeekerProfileFactory(user=aigerim, headline="Бухгалтер")


@pytest.fixture
def vacancy(bolat_org, bolat):
    return VacancyFactory(organisation=bolat_org, created_by=bolat, title="Бухгалтер")


def applied(seeker, vacancy, aigerim) -> Application:
    return services.application_create(seeker=seeker, vacancy=vacancy, status="applied", by=aigerim)


def walk_to(application: Application, status: str, *, seeker_user, employer_user) -> Application:
    """Bring an application to `status` through the service, as the right side each step."""
    path = {
        "applied": [],
        "shortlisted": ["shortlisted"],
        "interview": ["interview"],
        "offer": ["offer"],
    }[status]
    for step in path:
        application = services.application_transition(application=application, to=step, by=employer_user)
    return application


# --- The declaration --------------------------------------------------------------------------


def test_a_declaration_refuses_unknown_states_sides_and_twins():
    with pytest.raises(ValueError, match="unknown state"):
        Workflow(name="x", states=ApplicationStatus, moves=(move("applied", "promoted", EMPLOYER),))
    with pytest.raises(ValueError, match="known sides"):
        move("applied", "offer", "janitor")
    with pytest.raises(ValueError, match="twice"):
        Workflow(
            name="x",
            states=ApplicationStatus,
            moves=(move("applied", "offer", EMPLOYER), move("applied", "offer", SEEKER)),
        )


def test_questions_the_table_answers():
    assert APPLICATION_WORKFLOW.targets_from("invited", SEEKER) == ["applied", "withdrawn"]
    assert APPLICATION_WORKFLOW.targets_from("invited", EMPLOYER) == ["rejected"]
    assert APPLICATION_WORKFLOW.targets_from("offer", {SEEKER, EMPLOYER}) == [
        "hired",
        "rejected",
        "withdrawn",
    ]
    assert APPLICATION_WORKFLOW.targets_from("hired", {SEEKER, EMPLOYER, STAFF}) == []
    assert APPLICATION_WORKFLOW.may("offer", "hired", EMPLOYER)
    assert not APPLICATION_WORKFLOW.may("offer", "hired", SEEKER)
    # A staff role is a staff side: a counsellor refers a person (the start "applied").
    assert APPLICATION_WORKFLOW.targets_from("", "counsellor") == ["applied"]


def test_a_move_refused_names_the_status_field_in_the_readers_language():
    with pytest.raises(MoveForbidden) as forbidden:
        APPLICATION_WORKFLOW.check("offer", "hired", SEEKER)
    assert forbidden.value.message_dict == {
        "status": ["Your side of the application cannot make this change."]
    }
    with pytest.raises(ValidationError) as refused:
        APPLICATION_WORKFLOW.check("applied", "hired", EMPLOYER)
    assert refused.value.message_dict == {"status": ["An application cannot go from “Applied” to “Hired”."]}
    with translation.override("ru"), pytest.raises(ValidationError) as in_russian:
        APPLICATION_WORKFLOW.check("applied", "hired", EMPLOYER)
    assert "Applied" not in in_russian.value.message_dict["status"][0]


def test_the_history_constraint_is_derived_from_the_table():
    constraint = next(
        c for c in ApplicationEvent._meta.constraints if c.name == "application_transition_allowed"
    )
    assert constraint.condition == APPLICATION_WORKFLOW.check_constraint_q("from_status", "to_status")


def test_transition_writes_state_history_and_audit_in_one_go(seeker, vacancy, aigerim, bolat):
    application = applied(seeker, vacancy, aigerim)

    moved = transition(
        application,
        workflow=APPLICATION_WORKFLOW,
        to="shortlisted",
        side=EMPLOYER,
        by=bolat,
        event_model=ApplicationEvent,
        event_fk="application",
    )

    assert Application.objects.get(pk=application.pk).status == moved.status == "shortlisted"
    assert list(application.events.values_list("from_status", "to_status")) == [
        ("", "applied"),
        ("applied", "shortlisted"),
    ]
    entry = AuditEntry.objects.filter(action="application.status_changed").get()
    assert (entry.actor, entry.from_state, entry.to_state) == (bolat, "applied", "shortlisted")


def test_a_refused_transition_writes_nothing(seeker, vacancy, aigerim, bolat):
    application = applied(seeker, vacancy, aigerim)

    with pytest.raises(ValidationError):
        transition(
            application,
            workflow=APPLICATION_WORKFLOW,
            to="hired",
            side=EMPLOYER,
            by=bolat,
            event_model=ApplicationEvent,
            event_fk="application",
        )

    assert Application.objects.get(pk=application.pk).status == "applied"
    assert application.events.count() == 1
    assert not AuditEntry.objects.filter(action="application.status_changed").exists()


# --- Who is which side ------------------------------------------------------------------------


def test_sides_of_an_application(seeker, vacancy, aigerim, bolat, timur, dana, bolat_org):
    application = applied(seeker, vacancy, aigerim)
    assert application_sides(aigerim, application) == {SEEKER}
    assert application_sides(bolat, application) == {EMPLOYER}
    assert application_sides(timur, application) == frozenset()
    # A counsellor is staff for people registered at their centre, nobody else.
    assert application_sides(dana, application) == frozenset()
    RegistrationFactory(profile=seeker, centre=centre("KZ-55-pavlodar"))
    assert application_sides(dana, application) == {STAFF, "counsellor"}
    # An organisation the centre has not verified (or has refused) is no employer side.
    for status in ("pending", "refused"):
        bolat_org.status, bolat_org.verified_at = status, None
        bolat_org.save()
        application.vacancy.organisation.refresh_from_db()
        assert application_sides(bolat, application) == frozenset()
    bolat_org.status, bolat_org.verified_at = "verified", timezone.now()
    bolat_org.save()
    application.vacancy.organisation.refresh_from_db()
    assert application_sides(bolat, application) == {EMPLOYER}


def test_an_api_key_is_the_employer_side_of_its_own_organisation_only(
    seeker, vacancy, aigerim, bolat_org, other_org
):
    from mobility.api.models import Scope
    from tests.api.conftest import make_key

    application = applied(seeker, vacancy, aigerim)
    for organisation, expected in ((bolat_org, {EMPLOYER}), (other_org, set())):
        secret = make_key(
            organisation=organisation, scopes=[Scope.APPLICATIONS_READ, Scope.APPLICATIONS_WRITE]
        )
        response = client_for(secret=secret).post(
            f"/api/v1/applications/{application.id}/transition/", {"to": "shortlisted"}, format="json"
        )
        if expected:
            assert response.status_code == 200, response.content
        else:
            assert response.status_code in (403, 404)
    assert Application.objects.get(pk=application.pk).status == "shortlisted"


# --- One table, every surface -----------------------------------------------------------------


def test_the_employer_board_offers_exactly_the_employer_moves(client, seeker, vacancy, aigerim, bolat):
    assert [code for code, _label in MOVE_CHOICES] == APPLICATION_WORKFLOW.targets_of(EMPLOYER)
    application = applied(seeker, vacancy, aigerim)
    client.force_login(bolat)
    for status in ("applied", "shortlisted", "interview", "offer"):
        application = walk_to(application, status, seeker_user=aigerim, employer_user=bolat)
        board = client.get(f"/en/employer/vacancies/{vacancy.id}/pipeline/")
        assert board.context["moves"][status] == APPLICATION_WORKFLOW.targets_from(status, EMPLOYER)
        page = client.get(f"/en/employer/applications/{application.id}/")
        assert [code for code, _l in page.context["moves"]] == APPLICATION_WORKFLOW.targets_from(
            status, EMPLOYER
        )


def test_an_unverified_employer_is_offered_no_move_and_cannot_make_one(
    client, seeker, vacancy, aigerim, bolat
):
    application = applied(seeker, vacancy, aigerim)
    vacancy.organisation.status, vacancy.organisation.verified_at = "pending", None
    vacancy.organisation.save()
    client.force_login(bolat)

    # The board itself is refused before verification (issue #11: no candidate anywhere).
    board = client.get(f"/en/employer/vacancies/{vacancy.id}/pipeline/")
    assert board.status_code == 403
    client.post(f"/en/employer/applications/{application.id}/move/", {"to": "shortlisted"})
    client.post(
        f"/en/employer/vacancies/{vacancy.id}/pipeline/bulk/",
        {"applications": [application.id], "to": "shortlisted"},
    )
    api = client_for(user=bolat).post(
        f"/api/v1/applications/{application.id}/transition/", {"to": "shortlisted"}, format="json"
    )

    assert api.status_code in (403, 404)
    assert Application.objects.get(pk=application.pk).status == "applied"


def test_the_portal_offers_exactly_the_seeker_moves(client, seeker, vacancy, aigerim, bolat):
    invited = services.application_create(seeker=seeker, vacancy=vacancy, status="invited", by=bolat)
    client.force_login(aigerim)
    page = client.get("/en/me/applications/")
    actions = next(a.actions for a in page.context["applications"] if a.pk == invited.pk)
    assert actions == ["accept", "decline"]
    targets = {"accept": "applied", "decline": "withdrawn", "withdraw": "withdrawn"}
    assert sorted({targets[a] for a in actions}) == APPLICATION_WORKFLOW.targets_from("invited", SEEKER)

    client.post(f"/en/me/applications/{invited.id}/accept/")
    invited.refresh_from_db()
    assert invited.status == "applied"
    for status in ("applied", "shortlisted", "interview", "offer"):
        application = walk_to(invited, status, seeker_user=aigerim, employer_user=bolat)
        page = client.get("/en/me/applications/")
        actions = next(a.actions for a in page.context["applications"] if a.pk == application.pk)
        assert [targets[a] for a in actions] == APPLICATION_WORKFLOW.targets_from(status, SEEKER)


@pytest.mark.parametrize("target", ["hired", "offer", "shortlisted"])
def test_a_seeker_cannot_move_to_hired_through_any_surface(client, seeker, vacancy, aigerim, bolat, target):
    application = applied(seeker, vacancy, aigerim)
    application = walk_to(
        application, "offer" if target == "hired" else "applied", seeker_user=aigerim, employer_user=bolat
    )
    before = application.status
    client.force_login(aigerim)

    # The portal has no such button; the employer pages are not the seeker's; the API says 403.
    for action in ("hire", target):
        client.post(f"/en/me/applications/{application.id}/{action}/")
    assert client.post(f"/en/employer/applications/{application.id}/move/", {"to": target}).status_code in (
        403,
        404,
    )
    response = client_for(user=aigerim).post(
        f"/api/v1/applications/{application.id}/transition/", {"to": target}, format="json"
    )
    assert response.status_code == 403
    with pytest.raises(ValidationError):
        services.application_transition(application=application, to=target, by=aigerim)
    with pytest.raises(ValidationError):
        employer_services.application_move(application=application, to=target, by=aigerim)

    assert Application.objects.get(pk=application.pk).status == before


def test_history_shows_labels_and_translated_reasons(client, seeker, vacancy, aigerim, bolat):
    invited = services.application_create(seeker=seeker, vacancy=vacancy, status="invited", by=bolat)
    client.force_login(aigerim)
    client.post(f"/en/me/applications/{invited.id}/accept/")

    assert list(invited.events.values_list("reason", flat=True)) == ["", "invitation_accepted"]
    body = client.get("/ru/me/applications/").content.decode()
    assert "invitation_accepted" not in body
    event = invited.events.last()
    with translation.override("en"):
        assert (event.from_label, event.to_label, event.reason_label) == (
            "Invited",
            "Applied",
            "Invitation accepted",
        )


# --- Vacancies ----------------------------------------------------------------------------------


def test_vacancy_moves_come_from_the_table(vacancy, bolat):
    assert VACANCY_WORKFLOW.targets_from("published", EMPLOYER) == ["paused", "closed"]
    services.vacancy_set_status(vacancy=vacancy, status="paused", by=bolat)
    with pytest.raises(MoveForbidden):
        services.vacancy_set_status(vacancy=vacancy, status="published", by=None, side="system")
    assert Vacancy.objects.get(pk=vacancy.pk).status == "paused"


# --- PostgreSQL: the status follows its history -----------------------------------------------


def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the status-follows-history trigger is PostgreSQL's")


@pytest.mark.postgres
def test_a_raw_status_update_that_contradicts_history_fails(seeker, vacancy, aigerim):
    _postgres_only()
    application = applied(seeker, vacancy, aigerim)

    with pytest.raises(DatabaseError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(status="hired")

    assert Application.objects.get(pk=application.pk).status == "applied"


@pytest.mark.postgres
def test_an_event_for_another_move_does_not_license_the_update(seeker, vacancy, aigerim, bolat):
    _postgres_only()
    application = applied(seeker, vacancy, aigerim)
    ApplicationEvent.objects.create(application=application, from_status="applied", to_status="shortlisted")

    with pytest.raises(DatabaseError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(status="offer")


@pytest.mark.postgres
def test_the_services_still_move_applications_on_postgres(seeker, vacancy, aigerim, bolat):
    _postgres_only()
    application = applied(seeker, vacancy, aigerim)
    for step in ("shortlisted", "interview", "offer", "hired"):
        application = services.application_transition(application=application, to=step, by=bolat)

    assert Application.objects.get(pk=application.pk).status == "hired"
    assert application.events.count() == 5


@pytest.mark.postgres
def test_an_event_with_a_disallowed_pair_is_refused_on_postgres(seeker, vacancy, aigerim):
    _postgres_only()
    application = applied(seeker, vacancy, aigerim)

    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationEvent.objects.create(application=application, from_status="applied", to_status="hired")


# --- Organisation verification, centre requests, plans -----------------------------------------


def test_organisation_verification_follows_its_table(bolat_org, bolat, admin_user):
    from mobility.accounts.services import organisation_set_status
    from mobility.accounts.workflows import ORGANISATION_WORKFLOW
    from mobility.employer import services as employer

    assert ORGANISATION_WORKFLOW.targets_from("pending", STAFF) == ["verified", "refused"]
    assert ORGANISATION_WORKFLOW.targets_from("refused", EMPLOYER) == ["pending"]
    # A verified organisation is not decided on again; an owner does not verify their own.
    with pytest.raises(ValidationError):
        employer.organisation_decide(organisation=bolat_org, verify=True, by=admin_user)
    bolat_org.status, bolat_org.verified_at = "pending", None
    bolat_org.save()
    with pytest.raises(MoveForbidden):
        organisation_set_status(organisation=bolat_org, status="verified", by=bolat, side=EMPLOYER)
    with pytest.raises(ValidationError) as no_reason:
        employer.organisation_decide(organisation=bolat_org, verify=False, by=admin_user)
    assert "reason" in no_reason.value.message_dict
    refused = employer.organisation_decide(organisation=bolat_org, verify=False, by=admin_user, reason="BIN")
    assert (refused.status, refused.status_reason, refused.verified_at) == ("refused", "BIN", None)
    again = employer.organisation_request_verification(organisation=refused, by=bolat)
    assert again.status == "pending"
    entry = AuditEntry.objects.filter(action="organisation.status_changed").order_by("-id").first()
    assert (entry.actor, entry.from_state, entry.to_state) == (bolat, "refused", "pending")


def test_centre_requests_follow_their_table(bolat_org, bolat, dana):
    from mobility.employer import services as employer
    from mobility.employer.models import CentreRequest
    from mobility.employer.workflows import CENTRE_REQUEST_WORKFLOW

    assert CENTRE_REQUEST_WORKFLOW.targets_from("submitted", STAFF) == ["in_progress", "answered"]
    assert CENTRE_REQUEST_WORKFLOW.targets_from("submitted", EMPLOYER) == ["cancelled"]
    request = employer.centre_request_create(
        organisation=bolat_org, by=bolat, kind=CentreRequest.Kind.TRAINING, message="Обучение"
    )
    taken = employer.centre_request_take(request=request, by=dana)
    assert (taken.status, taken.handled_by) == ("in_progress", dana)
    answered = employer.centre_request_answer(request=taken, by=dana, answer="Курсы в мае")
    assert (answered.status, answered.answer) == ("answered", "Курсы в мае")
    with pytest.raises(ValidationError, match="already closed"):
        employer.centre_request_cancel(request=answered, by=bolat)
    assert [
        e.action for e in AuditEntry.objects.order_by("id") if e.action.startswith("centre_request.")
    ] == [
        "centre_request.created",
        "centre_request.taken",
        "centre_request.answered",
    ]


def test_a_plan_is_proposed_by_staff_and_agreed_only_by_its_seeker(dana, timur):
    from mobility.cases import services as cases
    from mobility.cases.workflows import PLAN_WORKFLOW

    assert PLAN_WORKFLOW.targets_from("draft", "counsellor") == ["proposed", "closed"]
    assert PLAN_WORKFLOW.targets_from("proposed", SEEKER) == ["agreed"]
    profile = SeekerProfileFactory(region=centre("KZ-55-pavlodar").region)
    RegistrationFactory(profile=profile, centre=centre("KZ-55-pavlodar"))
    case = cases.case_open(person=profile.user, centre=centre("KZ-55-pavlodar"), by=dana)
    step = {"kind": "counselling", "title": "Встреча", "due_on": timezone.localdate(), "owner": "seeker"}
    plan = cases.plan_save(case=case, goal="Работа", steps=[step], by=dana)
    with pytest.raises(ValidationError):
        cases.plan_confirm(plan=plan, by=profile.user)  # a draft is not waiting for them
    plan = cases.plan_propose(plan=plan, by=dana)
    for somebody_else in (dana, timur):
        with pytest.raises(ValidationError, match="Only the job seeker"):
            cases.plan_confirm(plan=plan, by=somebody_else)
    agreed = cases.plan_confirm(plan=plan, by=profile.user)
    assert (agreed.status, agreed.revision) == ("agreed", 2)
    assert agreed.agreed_at is not None
    assert AuditEntry.objects.filter(action="plan.agreed", actor=profile.user).exists()


def test_a_reason_the_system_stored_is_shown_translated(client, vacancy, bolat):
    services.vacancy_set_status(vacancy=vacancy, status="closed", by=None, side="system", reason="expired")
    client.force_login(bolat)

    body = client.get(f"/en/employer/vacancies/{vacancy.id}/").content.decode()

    assert "The closing date has passed" in body
    assert "(expired)" not in body


@pytest.mark.parametrize("source", [s for s in STATUSES if APPLICATION_WORKFLOW.targets_from(s)])
def test_the_api_allows_exactly_the_table(seeker, bolat_org, aigerim, bolat, source):
    """Every target from `source`, asked by each side through the API: 200 exactly for the
    targets the table gives that side."""
    for side, user in ((EMPLOYER, bolat), (SEEKER, aigerim)):
        allowed = APPLICATION_WORKFLOW.targets_from(source, side)
        for target in STATUSES:
            vacancy = VacancyFactory(organisation=bolat_org, positions=1)
            application = Application.objects.create(seeker=seeker, vacancy=vacancy, status=source)
            response = client_for(user=user).post(
                f"/api/v1/applications/{application.id}/transition/",
                {"to": target, "reason": "why"},
                format="json",
            )
            assert (response.status_code == 200) == (target in allowed), (
                side,
                source,
                target,
                response.content,
            )
