"""The access rules of issue #11, asked on every surface (web pages, API, admin):

1. an organisation that is not verified (pending or refused) sees no candidate anywhere;
2. a district counsellor sees the people registered at their centre, the same on every surface;
3. a migration officer does not use the labour exchange's workspace nor see its people.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from mobility.accounts.models import CentreMembership, Organisation
from mobility.api import services as api_services
from mobility.api.models import ORGANISATION_SCOPES
from mobility.cases import services as cases
from mobility.employer import services as employer
from mobility.exchange import services as exchange
from mobility.exchange.models import ApplicationStatus, Vacancy
from tests.api.conftest import client_for
from tests.factories import (
    CentreMembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    RegistrationFactory,
    SeekerProfileFactory,
    UserFactory,
    VacancyFactory,
    centre,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    cache.clear()


def api(user=None, secret=None) -> APIClient:
    return client_for(user=user, secret=secret)


# --- 1. Unverified organisations see no candidate ----------------------------------------------


@pytest.fixture(params=[Organisation.Status.PENDING, Organisation.Status.REFUSED])
def unverified(request):
    """An owner of an organisation the centre has not verified, with a draft vacancy and an
    application that reached it while the organisation was still verified."""
    organisation = OrganisationFactory(status=request.param)
    owner = OrganisationMembershipFactory(organisation=organisation).user
    draft = VacancyFactory(organisation=organisation, status=Vacancy.Status.DRAFT)
    published = VacancyFactory(organisation=organisation)
    seeker = SeekerProfileFactory(headline="Электрик")
    application = exchange.application_create(
        seeker=seeker, vacancy=published, status=ApplicationStatus.APPLIED, by=seeker.user
    )
    return owner, organisation, draft, published, seeker, application


class TestUnverifiedOrganisation:
    def test_api_candidates_answer_404(self, unverified):
        owner, _org, draft, published, _seeker, _app = unverified
        for vacancy in (draft, published):
            response = api(owner).get(f"/api/v1/vacancies/{vacancy.id}/candidates/")
            assert response.status_code == 404, response.content

    def test_api_key_of_an_unverified_organisation_reads_no_candidate(self, unverified):
        _owner, organisation, draft, _published, _seeker, _app = unverified
        _key, secret = api_services.api_key_create(
            name="t", scopes=list(ORGANISATION_SCOPES), by=None, organisation=organisation, centre=None
        )
        assert api(secret=secret).get(f"/api/v1/vacancies/{draft.id}/candidates/").status_code == 404

    def test_api_invite_answers_404(self, unverified):
        owner, _org, _draft, published, seeker, _app = unverified
        other = SeekerProfileFactory()
        response = api(owner).post(
            "/api/v1/applications/", {"vacancy": published.id, "seeker": other.id}, format="json"
        )
        assert response.status_code == 404, response.content
        assert not published.applications.filter(seeker=other).exists()
        assert seeker  # the existing applicant stays out of reach too (next test)

    def test_api_applications_of_the_organisation_are_not_shown(self, unverified):
        owner, _org, _draft, _published, _seeker, application = unverified
        assert api(owner).get(f"/api/v1/applications/{application.id}/").status_code == 404
        listed = api(owner).get("/api/v1/applications/").json()
        assert listed["results"] == []

    def test_web_candidate_pages_answer_403(self, client, unverified):
        owner, _org, draft, published, seeker, _app = unverified
        client.force_login(owner)
        for url in (
            f"/en/employer/vacancies/{draft.id}/candidates/",
            f"/en/employer/vacancies/{published.id}/candidates/{seeker.id}/",
            f"/en/employer/vacancies/{published.id}/pipeline/",
        ):
            response = client.get(url)
            assert response.status_code == 403, url
            assert seeker.user.last_name not in response.content.decode()

    def test_web_application_page_answers_404(self, client, unverified):
        owner, _org, _draft, _published, _seeker, application = unverified
        client.force_login(owner)
        assert client.get(f"/en/employer/applications/{application.id}/").status_code == 404

    def test_a_verified_organisation_still_reads_its_candidates(self, bolat, bolat_org):
        vacancy = VacancyFactory(organisation=bolat_org)
        assert api(bolat).get(f"/api/v1/vacancies/{vacancy.id}/candidates/").status_code == 200


# --- 2. A district counsellor sees the people registered at their centre, everywhere ------------


@pytest.fixture
def people(dana):
    """Asel registered at Dana's centre though she lives in Shymkent; Erbol registered in
    Ekibastuz (same region, another district); Nurlan with a case at Dana's centre."""
    asel = SeekerProfileFactory(region=region("KZ-79"), user=UserFactory(last_name="Асельова"))
    RegistrationFactory(profile=asel, centre=centre("KZ-55-pavlodar"))
    erbol = SeekerProfileFactory(user=UserFactory(last_name="Ерболов"))
    RegistrationFactory(profile=erbol, centre=centre("KZ-55-ekibastuz"))
    return asel, erbol


class TestDistrictCounsellor:
    def test_api(self, dana, people):
        asel, erbol = people
        assert api(dana).get(f"/api/v1/seekers/{asel.id}/").status_code == 200
        assert api(dana).get(f"/api/v1/seekers/{erbol.id}/").status_code == 404

    def test_admin_seeker_list(self, client, dana, people):
        asel, erbol = people
        client.force_login(dana)
        page = client.get("/en/admin/exchange/seekerprofile/").content.decode()
        assert "Асельова" in page
        assert "Ерболов" not in page

    def test_admin_seeker_change_view(self, client, dana, people):
        asel, erbol = people
        client.force_login(dana)
        assert client.get(f"/en/admin/exchange/seekerprofile/{asel.id}/change/").status_code == 200
        # Django's admin redirects to its index for an object outside the queryset.
        assert client.get(f"/en/admin/exchange/seekerprofile/{erbol.id}/change/").status_code == 302

    def test_admin_registrations_and_applications(self, client, dana, people):
        asel, erbol = people
        vacancy = VacancyFactory()
        for seeker in people:
            exchange.application_create(
                seeker=seeker, vacancy=vacancy, status=ApplicationStatus.APPLIED, by=seeker.user
            )
        client.force_login(dana)
        for url in ("/en/admin/exchange/registration/", "/en/admin/exchange/application/"):
            page = client.get(url).content.decode()
            assert "Асельова" in page, url
            assert "Ерболов" not in page, url

    def test_staff_case_pages(self, client, dana, people):
        asel, erbol = people
        dana_case = cases.case_open(person=asel.user, centre=centre("KZ-55-pavlodar"), by=dana)
        other_case = cases.case_open(person=erbol.user, centre=centre("KZ-55-ekibastuz"), by=dana)
        client.force_login(dana)
        assert client.get(f"/en/staff/cases/{dana_case.id}/").status_code == 200
        assert client.get(f"/en/staff/cases/{other_case.id}/").status_code == 404


# --- 3. A migration officer stays out of the labour exchange -----------------------------------


@pytest.fixture
def officer(db):
    return CentreMembershipFactory(
        centre=centre("KZ-55-pavlodar"), role=CentreMembership.Role.MIGRATION_OFFICER
    ).user


class TestMigrationOfficer:
    def test_workspace_pages_answer_403(self, client, officer, dana, bolat, bolat_org):
        seeker = SeekerProfileFactory()
        RegistrationFactory(profile=seeker, centre=centre("KZ-55-pavlodar"))
        case = cases.case_open(person=seeker.user, centre=centre("KZ-55-pavlodar"), by=dana)
        request = employer.centre_request_create(
            organisation=bolat_org,
            kind="training",
            message="Обучение электриков",
            by=bolat,
        )
        client.force_login(officer)
        for url in (
            "/en/staff/cases/",
            "/en/staff/cases/register/",
            f"/en/staff/cases/{case.id}/",
            "/en/staff/dashboard/",
            "/en/staff/mobile/",
            "/en/staff/verification/",
            "/en/staff/employer-requests/",
            f"/en/staff/employer-requests/{request.id}/",
        ):
            assert client.get(url).status_code == 403, url

    def test_api_shows_no_person_of_the_exchange(self, officer):
        seeker = SeekerProfileFactory()
        registration = RegistrationFactory(profile=seeker, centre=centre("KZ-55-pavlodar"))
        assert api(officer).get(f"/api/v1/seekers/{seeker.id}/").status_code == 404
        assert api(officer).get(f"/api/v1/registrations/{registration.id}/").status_code == 404
        assert api(officer).get("/api/v1/seekers/").json()["results"] == []

    def test_admin_exchange_models_are_closed(self, client, officer):
        seeker = SeekerProfileFactory()
        RegistrationFactory(profile=seeker, centre=centre("KZ-55-pavlodar"))
        client.force_login(officer)
        for model in ("seekerprofile", "registration", "application"):
            assert client.get(f"/en/admin/exchange/{model}/").status_code == 403, model


# --- Organisation scope is the same on the pages and in the API: branches included -------------


def test_a_head_office_reads_its_branch_vacancies_through_the_api(client, bolat, bolat_org):
    branch = OrganisationFactory(
        head_office=bolat_org, status=Organisation.Status.VERIFIED, verified_at=bolat_org.verified_at
    )
    draft = VacancyFactory(organisation=branch, status=Vacancy.Status.DRAFT)
    client.force_login(bolat)
    assert client.get(f"/en/employer/vacancies/{draft.id}/").status_code == 200
    assert api(bolat).get(f"/api/v1/vacancies/{draft.id}/").status_code == 200
    assert api(bolat).get(f"/api/v1/organisations/{branch.id}/").status_code == 200
