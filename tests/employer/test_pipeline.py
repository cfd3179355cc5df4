"""The hiring board: applicants and invited candidates together, moves with reasons, bulk
moves, internal notes, full history; a hire closes the loop."""

import re

import pytest

from matching.models import MatchFeedback
from mobility.core.audit import audit_trail
from mobility.employer.models import ApplicationNote
from mobility.exchange import services as exchange
from mobility.exchange.models import Application, ApplicationStatus, Registration, Vacancy
from tests.employer.conftest import make_seeker
from tests.factories import RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applied(vacancy, public_seeker):
    return exchange.application_create(
        seeker=public_seeker, vacancy=vacancy, status="applied", by=public_seeker.user, cover_note="Сәлем!"
    )


@pytest.fixture
def invited(vacancy, anonymous_seeker, bolat):
    return exchange.application_create(seeker=anonymous_seeker, vacancy=vacancy, status="invited", by=bolat)


def _move(client, application, to, reason=""):
    return client.post(f"/en/employer/applications/{application.id}/move/", {"to": to, "reason": reason})


class TestBoard:
    def test_applicants_and_invited_on_one_board(self, client, bolat, vacancy, applied, invited):
        client.force_login(bolat)
        body = client.get(f"/en/employer/vacancies/{vacancy.id}/pipeline/").content.decode()
        applied_col = body[body.index('id="col-applied"') : body.index('id="col-shortlisted"')]
        invited_col = body[body.index('id="col-invited"') : body.index('id="col-applied"')]
        assert applied.seeker.user.get_full_name() in applied_col
        assert f"Candidate {invited.seeker.pk}" in invited_col
        assert invited.seeker.user.get_full_name() not in body
        assert "2 candidates on the board." in body

    def test_the_board_offers_only_the_employers_moves(self, client, bolat, vacancy, applied, invited):
        client.force_login(bolat)
        body = client.get(f"/en/employer/vacancies/{vacancy.id}/pipeline/").content.decode()
        card = body[body.index(f'id="application-{invited.id}"') :]
        card = card[: card.index("</li>")]
        assert (
            'value="rejected"' in card and 'value="applied"' not in card and 'value="withdrawn"' not in card
        )


class TestMoves:
    def test_all_the_way_to_hired_closes_the_loop(self, client, bolat, vacancy, applied):
        registration = RegistrationFactory(profile=applied.seeker)
        client.force_login(bolat)
        for step in ("shortlisted", "interview", "offer"):
            _move(client, applied, step)
        _move(client, applied, "hired", "Принят с 1 декабря")
        applied.refresh_from_db()
        vacancy.refresh_from_db()
        registration.refresh_from_db()
        assert applied.status == ApplicationStatus.HIRED
        assert vacancy.positions_filled == 1 and vacancy.status == Vacancy.Status.CLOSED
        assert registration.status == Registration.Status.ENDED
        assert MatchFeedback.objects.filter(event="hired", seeker=applied.seeker, vacancy=vacancy).exists()
        # The seeker sees it in "my applications".
        client.force_login(applied.seeker.user)
        mine = client.get("/en/me/applications/").content.decode()
        assert "Hired" in mine and "Принят с 1 декабря" in mine

    def test_a_rejection_needs_a_reason(self, client, bolat, applied):
        client.force_login(bolat)
        body = client.post(
            f"/en/employer/applications/{applied.id}/move/", {"to": "rejected"}, follow=True
        ).content.decode()
        assert "Say why" in body
        applied.refresh_from_db()
        assert applied.status == "applied"

    def test_the_employer_cannot_accept_for_the_seeker(self, client, bolat, invited):
        client.force_login(bolat)
        for target in ("applied", "withdrawn"):
            _move(client, invited, target)
        invited.refresh_from_db()
        assert invited.status == "invited"

    def test_a_move_the_state_machine_forbids_is_explained(self, client, bolat, invited):
        client.force_login(bolat)
        body = client.post(
            f"/en/employer/applications/{invited.id}/move/", {"to": "hired"}, follow=True
        ).content.decode()
        assert "cannot go from" in body
        invited.refresh_from_db()
        assert invited.status == "invited"

    def test_bulk_moves_report_what_was_refused(self, client, bolat, vacancy, applied, invited):
        third = exchange.application_create(
            seeker=make_seeker(UserFactory()), vacancy=vacancy, status="applied", by=bolat
        )
        client.force_login(bolat)
        response = client.post(
            f"/en/employer/vacancies/{vacancy.id}/pipeline/bulk/",
            {
                "applications": [applied.id, invited.id, third.id],
                "to": "shortlisted",
                "reason": "Сильные резюме",
            },
            follow=True,
        )
        body = response.content.decode()
        assert "2 candidates moved" in body and "1 candidates were not moved" in body
        statuses = dict(Application.objects.values_list("id", "status"))
        assert statuses == {applied.id: "shortlisted", invited.id: "invited", third.id: "shortlisted"}

    def test_bulk_rejection_with_a_reason(self, client, bolat, vacancy, applied, invited):
        client.force_login(bolat)
        client.post(
            f"/en/employer/vacancies/{vacancy.id}/pipeline/bulk/",
            {"applications": [applied.id, invited.id], "to": "rejected", "reason": "Вакансия закрыта"},
        )
        assert set(Application.objects.values_list("status", flat=True)) == {"rejected"}

    def test_bulk_ignores_another_vacancys_applications(
        self, client, bolat, vacancy, other_vacancy, public_seeker
    ):
        foreign = exchange.application_create(
            seeker=public_seeker, vacancy=other_vacancy, status="applied", by=public_seeker.user
        )
        client.force_login(bolat)
        client.post(
            f"/en/employer/vacancies/{vacancy.id}/pipeline/bulk/",
            {"applications": [foreign.id], "to": "shortlisted"},
        )
        foreign.refresh_from_db()
        assert foreign.status == "applied"


class TestNotesAndHistory:
    def test_notes_stay_inside_the_organisation(self, client, bolat, applied, bolat_org):
        client.force_login(bolat)
        client.post(f"/en/employer/applications/{applied.id}/notes/", {"text": "Хорошо знает 1С, позвонить"})
        note = ApplicationNote.objects.get()
        assert (note.author, note.application) == (bolat, applied)
        assert "Хорошо знает 1С" in client.get(f"/en/employer/applications/{applied.id}/").content.decode()
        assert audit_trail(applied).first().action == "application.note_added"
        # The seeker never sees it.
        client.force_login(applied.seeker.user)
        assert "Хорошо знает 1С" not in client.get("/en/me/applications/").content.decode()

    def test_an_empty_note_is_refused(self, client, bolat, applied):
        client.force_login(bolat)
        client.post(f"/en/employer/applications/{applied.id}/notes/", {"text": "   "})
        assert not ApplicationNote.objects.exists()

    def test_full_history_with_reasons_and_who(self, client, bolat, applied):
        client.force_login(bolat)
        _move(client, applied, "shortlisted", "Опыт подходит")
        body = client.get(f"/en/employer/applications/{applied.id}/").content.decode()
        assert "Applied" in body and "Shortlisted" in body and "Опыт подходит" in body
        assert "the candidate" in body  # the seeker's own step

    def test_the_board_counts_notes(self, client, bolat, vacancy, applied):
        client.force_login(bolat)
        client.post(f"/en/employer/applications/{applied.id}/notes/", {"text": "one"})
        client.post(f"/en/employer/applications/{applied.id}/notes/", {"text": "two"})
        assert "2 notes" in client.get(f"/en/employer/vacancies/{vacancy.id}/pipeline/").content.decode()

    def test_a_hidden_profiles_application_shows_little(self, client, bolat, invited):
        exchange.profile_update(profile=invited.seeker, by=invited.seeker.user, visibility="hidden")
        client.force_login(bolat)
        body = client.get(f"/en/employer/applications/{invited.id}/").content.decode()
        assert "has hidden their profile" in body
        assert invited.seeker.user.get_full_name() not in body
        assert f"/candidates/{invited.seeker.pk}/" not in body


@pytest.mark.parametrize("rows", [3, 30])
def test_query_count_is_constant(client, bolat, vacancy, django_assert_num_queries, rows):
    for i in range(rows):
        profile = make_seeker(UserFactory(), visibility="anonymous" if i % 2 else "public")
        application = exchange.application_create(
            seeker=profile, vacancy=vacancy, status="applied" if i % 3 else "invited", by=profile.user
        )
        ApplicationNote.objects.create(application=application, author=bolat, text="note")
    client.force_login(bolat)
    # The page, the caller's actor (memberships, branches, centres, profile) loaded once for the
    # decorator, the access check and the workflow's sides, and the check that the organisation
    # reads candidates (verified).
    # + the unread badge, counted on the session's first page (the cache starts empty).
    with django_assert_num_queries(11):
        response = client.get(f"/en/employer/vacancies/{vacancy.id}/pipeline/")
    assert response.content.decode().count('class="board-card"') == rows


def test_the_home_shows_the_figures_of_every_vacancy(client, bolat, bolat_org, vacancy, applied, invited):
    from tests.employer.conftest import make_vacancy

    make_vacancy(bolat_org, bolat, title="Кассир", publish=False, skills=[])
    client.force_login(bolat)
    body = client.get("/en/employer/").content.decode()
    assert 'data-kpi="open">1<' in body  # the accountant vacancy; the draft is counted apart
    assert "and 1 draft" in body
    assert 'data-kpi="new">1<' in body  # one application not yet looked at
    stages = dict(re.findall(r'data-stage="(\w+)">(\d+)<', body))
    assert stages == {
        "invited": "1",
        "applied": "1",
        "shortlisted": "0",
        "interview": "0",
        "offer": "0",
        "hired": "0",
        "rejected": "0",
        "withdrawn": "0",
    }
    # The vacancy with a new application comes first in the short list.
    assert body.index(f"/en/employer/vacancies/{vacancy.id}/") < body.index("Кассир")
