"""Requests to the centre: the employer asks, the region's staff see it in their queue with a
deadline, take it and answer; the employer reads the answer."""

import datetime as dt
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from mobility.core.audit import audit_trail
from mobility.core.calendar import add_working_days, working_days_between
from mobility.employer import services
from mobility.employer.models import CentreRequest
from mobility.reference.models import CalendarDay
from tests.factories import centre

pytestmark = pytest.mark.django_db


def _ask(client, bolat, bolat_org, **overrides):
    client.force_login(bolat)
    data = {
        "organisation": bolat_org.id,
        "kind": "training",
        "message": "Нужно обучить 5 сварщиков.",
        "client_key": str(uuid.uuid4()),  # the form's submission key (see test_duplicate_submit.py)
    }
    data.update(overrides)
    return client.post("/en/employer/requests/new/", data)


class TestEmployerSide:
    def test_ask_for_candidates_for_a_vacancy(self, client, bolat, bolat_org, vacancy):
        client.force_login(bolat)
        page = client.get("/en/employer/requests/new/", {"vacancy": vacancy.id}).content.decode()
        assert f'value="{vacancy.id}" selected' in page
        response = _ask(
            client, bolat, bolat_org, kind="selection", vacancy=vacancy.id, message="Нужны 2 бухгалтера"
        )
        item = CentreRequest.objects.get()
        assert response["Location"] == f"/en/employer/requests/{item.id}/"
        assert (item.region, item.centre) == (vacancy.region, centre("KZ-55-LMC"))
        assert item.deadline == add_working_days(timezone.localdate(), 5)
        assert item.deadline.weekday() < 5
        assert audit_trail(item).first().action == "centre_request.created"

    def test_a_selection_request_names_a_vacancy(self, client, bolat, bolat_org):
        body = _ask(client, bolat, bolat_org, kind="selection").content.decode()
        assert "Choose the vacancy" in body
        assert not CentreRequest.objects.exists()

    def test_the_date_must_be_in_the_future(self, client, bolat, bolat_org):
        body = _ask(client, bolat, bolat_org, needed_by=timezone.localdate().isoformat()).content.decode()
        assert "must be in the future" in body

    def test_a_chosen_date_becomes_the_deadline(self, client, bolat, bolat_org):
        wanted = timezone.localdate() + dt.timedelta(days=20)
        _ask(client, bolat, bolat_org, needed_by=wanted.isoformat())
        assert CentreRequest.objects.get().deadline == wanted

    def test_another_organisations_vacancy_cannot_be_named(self, client, bolat, bolat_org, other_vacancy):
        _ask(client, bolat, bolat_org, kind="selection", vacancy=other_vacancy.id)
        assert not CentreRequest.objects.exists()

    def test_another_organisation_cannot_be_named(self, client, bolat, other_org):
        _ask(client, bolat, other_org)
        assert not CentreRequest.objects.exists()

    def test_cancel(self, client, bolat, bolat_org):
        _ask(client, bolat, bolat_org)
        item = CentreRequest.objects.get()
        client.post(f"/en/employer/requests/{item.id}/cancel/")
        item.refresh_from_db()
        assert item.status == CentreRequest.Status.CANCELLED


class TestStaffSide:
    @pytest.fixture
    def item(self, bolat, bolat_org, vacancy):
        return services.centre_request_create(
            organisation=bolat_org, by=bolat, kind="selection", message="Нужны 2 бухгалтера", vacancy=vacancy
        )

    def test_the_region_staff_see_it_in_their_queue(self, client, dana, yerlan, item):
        for person in (dana, yerlan):
            client.force_login(person)
            body = client.get("/en/staff/employer-requests/").content.decode()
            assert item.organisation.name in body and item.vacancy.title in body

    def test_another_regions_staff_do_not(self, client, marat, item):
        client.force_login(marat)
        assert item.organisation.name not in client.get("/en/staff/employer-requests/").content.decode()
        assert client.get(f"/en/staff/employer-requests/{item.id}/").status_code == 404
        assert client.post(f"/en/staff/employer-requests/{item.id}/take/").status_code == 404
        response = client.post(f"/en/staff/employer-requests/{item.id}/", {"answer": "Нет"})
        assert response.status_code == 404

    def test_employers_and_seekers_may_not_open_the_queue(self, client, bolat, aigerim):
        for person in (bolat, aigerim):
            client.force_login(person)
            assert client.get("/en/staff/employer-requests/").status_code == 403

    def test_take_and_answer(self, client, dana, bolat, item, django_capture_on_commit_callbacks):
        client.force_login(dana)
        client.post(f"/en/staff/employer-requests/{item.id}/take/")
        item.refresh_from_db()
        assert (item.status, item.handled_by) == (CentreRequest.Status.IN_PROGRESS, dana)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                f"/en/staff/employer-requests/{item.id}/", {"answer": "Направили вам троих кандидатов."}
            )
        item.refresh_from_db()
        assert item.status == CentreRequest.Status.ANSWERED and item.answered_at
        assert mail.outbox[0].to == [bolat.email] and "троих" in mail.outbox[0].body
        assert [e.action for e in audit_trail(item)] == [
            "centre_request.answered",
            "centre_request.taken",
            "centre_request.created",
        ]
        client.force_login(bolat)
        assert (
            "Направили вам троих кандидатов."
            in client.get(f"/en/employer/requests/{item.id}/").content.decode()
        )

    def test_an_empty_answer_is_refused(self, client, dana, item):
        client.force_login(dana)
        client.post(f"/en/staff/employer-requests/{item.id}/", {"answer": ""})
        item.refresh_from_db()
        assert item.status == CentreRequest.Status.SUBMITTED

    def test_the_staff_page_suggests_candidates(self, client, dana, item, public_seeker, project_taxonomy):
        client.force_login(dana)
        body = client.get(f"/en/staff/employer-requests/{item.id}/").content.decode()
        assert public_seeker.user.get_full_name() in body

    def test_overdue_requests_are_flagged_first(self, client, dana, bolat, bolat_org, item):
        late = services.centre_request_create(organisation=bolat_org, by=bolat, kind="training", message="x")
        CentreRequest.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - dt.timedelta(days=2))
        client.force_login(dana)
        body = client.get("/en/staff/employer-requests/").content.decode()
        assert "overdue" in body
        assert body.index(f"/employer-requests/{late.id}/") < body.index(f"/employer-requests/{item.id}/")

    def test_a_closed_request_cannot_be_answered_again(self, dana, item):
        services.centre_request_answer(request=item, by=dana, answer="Готово")
        with pytest.raises(Exception, match="already closed"):
            services.centre_request_answer(request=item, by=dana, answer="Ещё раз")

    @pytest.mark.parametrize("rows", [3, 30])
    def test_query_count_is_constant(self, client, dana, bolat, bolat_org, django_assert_num_queries, rows):
        for i in range(rows):
            services.centre_request_create(organisation=bolat_org, by=bolat, kind="training", message=f"#{i}")
        client.force_login(dana)
        with django_assert_num_queries(7):  # + the unread badge, counted on a first page
            assert client.get("/en/staff/employer-requests/").status_code == 200


def test_the_answer_deadline_skips_a_public_holiday(bolat, bolat_org):
    today = timezone.localdate()
    holiday = add_working_days(today, 2)
    CalendarDay.objects.create(
        date=holiday, kind=CalendarDay.Kind.HOLIDAY, name_kk="Мереке", name_ru="Праздник", name_en="Holiday"
    )
    item = services.centre_request_create(organisation=bolat_org, by=bolat, kind="training", message="Курсы")
    assert holiday < item.deadline
    assert working_days_between(today, item.deadline) == services.answer_days("training")
    assert item.deadline == add_working_days(holiday, services.answer_days("training") - 1)


def test_answer_days_are_configurable(settings):
    settings.EMPLOYER_REQUEST_ANSWER_DAYS = {"training": 3}
    assert services.answer_days("training") == 3
    assert services.answer_days("selection") == 5
