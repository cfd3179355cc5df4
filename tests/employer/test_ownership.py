"""An employer never reaches another organisation's vacancies (drafts included), pipeline,
applications, notes, requests, invitations or members, nor a hidden profile: every employer
view and action answers 404, exactly as for a missing id, and changes nothing."""

import pytest
from django.utils import timezone

from mobility.accounts.models import Organisation, OrganisationMembership
from mobility.core.identifiers import make_bin
from mobility.employer import services
from mobility.employer.models import ApplicationNote, CentreRequest, OrganisationInvitation
from mobility.exchange import services as exchange
from mobility.exchange.models import Application, Vacancy
from tests.employer.conftest import make_vacancy
from tests.factories import OrganisationFactory, OrganisationMembershipFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    bolat,
    bolat_org,
    vacancy,
    other_org,
    other_member,
    other_draft,
    other_vacancy,
    public_seeker,
    hidden_seeker,
):
    application = exchange.application_create(
        seeker=public_seeker, vacancy=other_vacancy, status="applied", by=public_seeker.user
    )
    note = services.application_note_add(application=application, by=other_member, text="Секретная заметка")
    request = services.centre_request_create(
        organisation=other_org,
        by=other_member,
        kind="selection",
        message="Чужой запрос",
        vacancy=other_vacancy,
    )
    invitation, _token = services.invitation_create(
        organisation=other_org, email="colleague@other.kz", role="recruiter", by=other_member
    )
    Organisation.objects.filter(pk=other_org.pk).update(status="refused", status_reason="x")
    return {
        "org": other_org.id,
        "own_org": bolat_org.id,
        "draft": other_draft.id,
        "published": other_vacancy.id,
        "own_vacancy": vacancy.id,
        "application": application.id,
        "note": note.id,
        "request": request.id,
        "invitation": invitation.id,
        "membership": other_org.memberships.get().id,
        "seeker": public_seeker.id,
        "hidden": hidden_seeker.id,
    }


GETS = [
    "/en/employer/organisations/{org}/",
    "/en/employer/organisations/{org}/edit/",
    "/en/employer/organisations/{org}/invite/",
    "/en/employer/organisations/{org}/vacancies/new/",
    "/en/employer/vacancies/{draft}/",
    "/en/employer/vacancies/{draft}/edit/",
    "/en/employer/vacancies/{draft}/candidates/",
    "/en/employer/vacancies/{draft}/candidates/{seeker}/",
    "/en/employer/vacancies/{draft}/pipeline/",
    "/en/employer/vacancies/{published}/",
    "/en/employer/vacancies/{published}/edit/",
    "/en/employer/vacancies/{published}/candidates/",
    "/en/employer/vacancies/{published}/candidates/{seeker}/",
    "/en/employer/vacancies/{published}/pipeline/",
    "/en/employer/applications/{application}/",
    "/en/employer/requests/{request}/",
    # A hidden profile, even for one's own vacancy.
    "/en/employer/vacancies/{own_vacancy}/candidates/{hidden}/",
]

POSTS = [
    ("/en/employer/organisations/{org}/edit/", {"name": "Захват", "region": "{kz55}", "sector": "x"}),
    ("/en/employer/organisations/{org}/verify-again/", {}),
    ("/en/employer/organisations/{org}/invite/", {"email": "spy@bolat.kz", "role": "owner"}),
    ("/en/employer/organisations/{org}/invitations/{invitation}/revoke/", {}),
    ("/en/employer/organisations/{own_org}/invitations/{invitation}/revoke/", {}),
    ("/en/employer/organisations/{org}/members/{membership}/remove/", {}),
    ("/en/employer/organisations/{own_org}/members/{membership}/remove/", {}),
    ("/en/employer/organisations/{org}/vacancies/new/", {"title": "Чужая", "occupation": "бухгалтер"}),
    ("/en/employer/vacancies/{draft}/edit/", {"title": "Изменено", "occupation": "бухгалтер"}),
    ("/en/employer/vacancies/{draft}/status/", {"status": "closed"}),
    ("/en/employer/vacancies/{draft}/duplicate/", {}),
    ("/en/employer/vacancies/{published}/status/", {"status": "paused"}),
    ("/en/employer/vacancies/{published}/duplicate/", {}),
    ("/en/employer/vacancies/{published}/candidates/invite/", {"profiles": ["{seeker}"]}),
    ("/en/employer/vacancies/{published}/candidates/{seeker}/invite/", {}),
    (
        "/en/employer/vacancies/{published}/pipeline/bulk/",
        {"applications": ["{application}"], "to": "shortlisted"},
    ),
    ("/en/employer/vacancies/{own_vacancy}/candidates/{hidden}/invite/", {}),
    ("/en/employer/applications/{application}/move/", {"to": "shortlisted"}),
    ("/en/employer/applications/{application}/notes/", {"text": "Подслушано"}),
    ("/en/employer/requests/{request}/cancel/", {}),
]


def _fill(value, world):
    if isinstance(value, list):
        return [_fill(v, world) for v in value]
    return value.format(**world, kz55=region("KZ-55").id)


def _snapshot():
    return {
        "vacancies": sorted(Vacancy.objects.values_list("id", "status", "title", "organisation_id")),
        "applications": sorted(Application.objects.values_list("id", "status")),
        "notes": ApplicationNote.objects.count(),
        "requests": sorted(CentreRequest.objects.values_list("id", "status")),
        "invitations": sorted(OrganisationInvitation.objects.values_list("id", "revoked_at")),
        "memberships": OrganisationMembership.objects.count(),
        "organisations": sorted(Organisation.objects.values_list("id", "name", "status")),
    }


@pytest.mark.parametrize("url", GETS)
def test_every_page_answers_404(client, bolat, world, url):
    client.force_login(bolat)
    assert client.get(_fill(url, world)).status_code == 404


@pytest.mark.parametrize(("url", "data"), POSTS)
def test_every_action_answers_404_and_changes_nothing(client, bolat, world, url, data):
    before = _snapshot()
    client.force_login(bolat)
    response = client.post(_fill(url, world), {k: _fill(v, world) for k, v in data.items()})
    assert response.status_code == 404
    assert _snapshot() == before


@pytest.mark.parametrize("url", [u for u in GETS if "{hidden}" not in u])
def test_a_missing_id_looks_the_same(client, bolat, world, url):
    missing = {k: (v + 10_000 if isinstance(v, int) else v) for k, v in world.items()}
    client.force_login(bolat)
    assert client.get(_fill(url, missing)).status_code == 404


def test_other_organisations_notes_never_show(client, bolat, vacancy, world, public_seeker):
    mine = exchange.application_create(
        seeker=public_seeker, vacancy=vacancy, status="applied", by=public_seeker.user
    )
    client.force_login(bolat)
    for url in (
        f"/en/employer/applications/{mine.id}/",
        f"/en/employer/vacancies/{vacancy.id}/pipeline/",
        "/en/employer/",
        "/en/employer/vacancies/",
        "/en/employer/requests/",
    ):
        body = client.get(url).content.decode()
        assert (
            "Секретная заметка" not in body
            and "Секретный черновик" not in body
            and "Чужой запрос" not in body
        )


@pytest.mark.parametrize("persona", ["aigerim", "dana"])
def test_people_without_an_organisation_get_403(client, request, persona, world):
    client.force_login(request.getfixturevalue(persona))
    for url in ("/en/employer/", "/en/employer/vacancies/", "/en/employer/market/", "/en/employer/requests/"):
        assert client.get(url).status_code == 403
    assert client.get(_fill(GETS[4], world)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for url in GETS[:5]:
        response = client.get(_fill(url, world))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


class TestBranches:
    @pytest.fixture
    def branch(self, bolat_org):
        return OrganisationFactory(
            bin=make_bin(2021, 6, attribute="1", serial=4321),
            head_office=bolat_org,
            name="Филиал",
            status="verified",
            verified_at=timezone.now(),
        )

    def test_the_head_office_manages_its_branches_vacancies(self, client, bolat, branch):
        manager = OrganisationMembershipFactory(organisation=branch).user
        branch_vacancy = make_vacancy(branch, manager, title="Вакансия филиала")
        client.force_login(bolat)
        assert client.get(f"/en/employer/vacancies/{branch_vacancy.id}/").status_code == 200
        assert client.get(f"/en/employer/vacancies/{branch_vacancy.id}/pipeline/").status_code == 200

    def test_a_branch_does_not_see_its_head_office(self, client, branch, vacancy):
        manager = OrganisationMembershipFactory(organisation=branch).user
        client.force_login(manager)
        assert client.get(f"/en/employer/vacancies/{vacancy.id}/").status_code == 404
        assert client.get(f"/en/employer/organisations/{branch.head_office_id}/").status_code == 404
