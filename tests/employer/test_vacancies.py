"""The vacancy editor: occupation from the taxonomy in any language, suggested skills,
validation with clear messages, publish, pause, close, re-open, duplicate."""

import datetime as dt

import pytest
from django.utils import timezone

from mobility.accounts.models import Organisation
from mobility.core.audit import audit_trail
from mobility.exchange.models import Vacancy
from tests.employer.conftest import make_vacancy
from tests.factories import OrganisationFactory, OrganisationMembershipFactory, region

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "occupation": "есепші",
        "title": "Бас бухгалтер",
        "description": "Толық жұмыс күні.",
        "required_skills": "1С:Бухгалтерия\nналоговая отчётность\n1с:бухгалтерия",
        "optional_skills": "МСФО",
        "salary_min": "250000",
        "salary_max": "400000",
        "region": region("KZ-55").id,
        "settlement": "Павлодар",
        "schedule": "full_day",
        "employment_type": "permanent",
        "languages": ["kk", "ru"],
        "positions": "2",
        "expires_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "housing_offered": "on",
        "open_to_resettlers": "on",
    }
    data.update(overrides)
    return data


class TestCreate:
    def test_save_a_draft_with_taxonomy_occupation_and_skills(
        self, client, bolat, bolat_org, project_taxonomy
    ):
        client.force_login(bolat)
        response = client.post(f"/en/employer/organisations/{bolat_org.id}/vacancies/new/", _form(save="1"))
        vacancy = Vacancy.objects.get()
        assert response["Location"] == f"/en/employer/vacancies/{vacancy.id}/"
        assert vacancy.status == Vacancy.Status.DRAFT
        assert vacancy.occupation.isco_group.code == "2411"
        assert (
            vacancy.languages == ["kk", "ru"] and vacancy.housing_offered and not vacancy.open_to_foreigners
        )
        skills = {(s.name, s.required) for s in vacancy.skills.all()}
        assert skills == {("1С:Бухгалтерия", True), ("налоговая отчётность", True), ("МСФО", False)}
        assert vacancy.skills.get(name="1С:Бухгалтерия").skill is not None  # linked to the taxonomy

    def test_save_and_publish(self, client, bolat, bolat_org, project_taxonomy):
        client.force_login(bolat)
        client.post(f"/en/employer/organisations/{bolat_org.id}/vacancies/new/", _form(publish="1"))
        vacancy = Vacancy.objects.get()
        assert vacancy.status == Vacancy.Status.PUBLISHED and vacancy.published_at
        assert client.get(f"/en/vacancies/{vacancy.id}/").status_code == 200  # on the public site

    def test_a_pending_organisation_keeps_a_draft(self, client, project_taxonomy):
        pending = OrganisationFactory()
        owner = OrganisationMembershipFactory(organisation=pending).user
        client.force_login(owner)
        page = client.get(f"/en/employer/organisations/{pending.id}/vacancies/new/").content.decode()
        assert "not verified yet" in page and 'name="publish"' not in page
        response = client.post(
            f"/en/employer/organisations/{pending.id}/vacancies/new/", _form(publish="1"), follow=True
        )
        assert "verified by the centre" in response.content.decode()
        assert Vacancy.objects.get().status == Vacancy.Status.DRAFT

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"salary_min": "50000"}, "below the minimum wage (85"),
            ({"salary_max": "60000", "salary_min": ""}, "below the minimum wage"),
            ({"salary_min": "300000", "salary_max": "250000"}, "must not be lower"),
            (
                {"expires_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat()},
                "cannot be in the past",
            ),
            ({"occupation": "астронавт-кондитер"}, "No occupation is known by this name"),
            ({"positions": "0"}, "greater than or equal to 1"),
            ({"title": ""}, "This field is required"),
        ],
    )
    def test_clear_messages(self, client, bolat, bolat_org, project_taxonomy, overrides, message):
        client.force_login(bolat)
        response = client.post(
            f"/en/employer/organisations/{bolat_org.id}/vacancies/new/", _form(**overrides)
        )
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Vacancy.objects.exists()

    def test_suggest_fills_the_occupations_skills_without_saving(
        self, client, bolat, bolat_org, project_taxonomy
    ):
        client.force_login(bolat)
        response = client.post(
            f"/en/employer/organisations/{bolat_org.id}/vacancies/new/",
            _form(suggest="1", required_skills="", optional_skills="", occupation="accountant"),
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert not Vacancy.objects.exists()
        assert "Essential for this occupation" in body
        required = body[body.index('name="required_skills"') :]
        required = required[: required.index("</textarea>")]
        assert "1C:Enterprise accounting" in required  # essential skills, in the page's language
        assert 'data-skill="' in body  # one-click chips too

    def test_suggestions_follow_the_page_language(self, client, bolat, bolat_org, project_taxonomy):
        client.force_login(bolat)
        body = client.post(
            f"/ru/employer/organisations/{bolat_org.id}/vacancies/new/",
            _form(suggest="1", required_skills="", occupation="есепші"),
        ).content.decode()
        assert "1С:Бухгалтерия" in body or "бухгалтерский учёт" in body.lower()


class TestLifecycle:
    def test_edit(self, client, bolat, vacancy, project_taxonomy):
        client.force_login(bolat)
        page = client.get(f"/en/employer/vacancies/{vacancy.id}/edit/").content.decode()
        assert "налоговая отчётность" in page
        client.post(
            f"/en/employer/vacancies/{vacancy.id}/edit/",
            _form(title="Бухгалтер по зарплате", required_skills="расчёт заработной платы", save="1"),
        )
        vacancy.refresh_from_db()
        assert vacancy.title == "Бухгалтер по зарплате"
        assert [s.name for s in vacancy.skills.all()] == ["расчёт заработной платы", "МСФО"]
        assert audit_trail(vacancy).first().action == "vacancy.updated"

    @pytest.mark.parametrize(
        ("steps", "final"),
        [
            (["paused"], "paused"),
            (["paused", "published"], "published"),
            (["closed"], "closed"),
            (["closed", "published"], "published"),
        ],
    )
    def test_pause_close_reopen(self, client, bolat, vacancy, steps, final):
        client.force_login(bolat)
        for step in steps:
            client.post(f"/en/employer/vacancies/{vacancy.id}/status/", {"status": step})
        vacancy.refresh_from_db()
        assert vacancy.status == final

    def test_a_paused_vacancy_leaves_the_public_site(self, client, bolat, vacancy):
        client.force_login(bolat)
        client.post(f"/en/employer/vacancies/{vacancy.id}/status/", {"status": "paused"})
        client.logout()
        assert client.get(f"/en/vacancies/{vacancy.id}/").status_code == 404

    def test_a_transition_not_allowed_is_explained(self, client, bolat, vacancy):
        client.force_login(bolat)
        response = client.post(
            f"/en/employer/vacancies/{vacancy.id}/status/", {"status": "draft"}, follow=True
        )
        assert "cannot go from" in response.content.decode()

    def test_duplicate_makes_an_editable_draft(self, client, bolat, vacancy):
        Vacancy.objects.filter(pk=vacancy.pk).update(expires_on=timezone.localdate() - dt.timedelta(days=2))
        client.force_login(bolat)
        response = client.post(f"/en/employer/vacancies/{vacancy.id}/duplicate/")
        copy = Vacancy.objects.exclude(pk=vacancy.pk).get()
        assert response["Location"] == f"/en/employer/vacancies/{copy.id}/edit/"
        assert (copy.status, copy.title, copy.expires_on) == (Vacancy.Status.DRAFT, vacancy.title, None)
        assert sorted(s.name for s in copy.skills.all()) == sorted(s.name for s in vacancy.skills.all())

    def test_the_detail_page_offers_the_allowed_moves(self, client, bolat, vacancy):
        client.force_login(bolat)
        body = client.get(f"/en/employer/vacancies/{vacancy.id}/").content.decode()
        assert ">Pause<" in body and ">Close<" in body and ">Duplicate<" in body

    def test_a_recruiter_manages_vacancies_too(self, client, bolat_org, vacancy):
        recruiter = OrganisationMembershipFactory(organisation=bolat_org, role="recruiter").user
        client.force_login(recruiter)
        client.post(f"/en/employer/vacancies/{vacancy.id}/status/", {"status": "paused"})
        vacancy.refresh_from_db()
        assert vacancy.status == "paused"


class TestLists:
    def test_the_list_filters_by_status(self, client, bolat, bolat_org, vacancy):
        draft = make_vacancy(bolat_org, bolat, title="Черновик кассира", publish=False)
        client.force_login(bolat)
        body = client.get("/en/employer/vacancies/", {"status": "draft"}).content.decode()
        assert draft.title in body and f"/en/employer/vacancies/{vacancy.id}/" not in body

    def test_another_organisations_drafts_stay_private(self, client, bolat, other_draft):
        client.force_login(bolat)
        assert other_draft.title not in client.get("/en/employer/vacancies/").content.decode()
        assert other_draft.title not in client.get("/en/employer/").content.decode()
        assert client.get(f"/en/vacancies/{other_draft.id}/").status_code == 404

    @pytest.mark.parametrize("rows", [3, 30])
    def test_home_and_list_query_counts_are_constant(
        self, client, bolat, bolat_org, django_assert_num_queries, rows
    ):
        for i in range(rows):
            make_vacancy(bolat_org, bolat, title=f"Кассир {i}", skills=[])
        client.force_login(bolat)
        with django_assert_num_queries(9):  # + the unread badge, counted on a first page
            assert client.get("/en/employer/vacancies/").status_code == 200
        with django_assert_num_queries(11):  # and the figures: vacancies and applications by stage
            assert client.get("/en/employer/").status_code == 200


def test_the_organisation_status_shows_on_the_vacancy(client, project_taxonomy):
    pending = OrganisationFactory(status=Organisation.Status.PENDING)
    owner = OrganisationMembershipFactory(organisation=pending).user
    draft = make_vacancy(pending, owner, publish=False)
    client.force_login(owner)
    assert "waiting for verification" in client.get(f"/en/employer/vacancies/{draft.id}/").content.decode()
    response = client.post(f"/en/employer/vacancies/{draft.id}/status/", {"status": "published"}, follow=True)
    assert "once the organisation is verified" in response.content.decode()
