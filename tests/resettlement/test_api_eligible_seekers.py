"""Eligible seekers over the API (issue #13, items 8 and 9): the staff page's list, read with the
same selector and the same scope rule; a centre's key reads its centre's people; an organisation's
key, a job seeker, a migration officer and a programme finance officer get 403; a vacancy outside
the receiving regions 404; masked IINs; paged like the other lists."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from mobility.accounts.models import CentreMembership
from mobility.api.models import CENTRE_SCOPES, Scope
from mobility.exchange import services as exchange
from tests.api.conftest import make_key
from tests.factories import CentreMembershipFactory, OrganisationFactory, VacancyFactory, centre, region

from .test_vacancy_seekers import _seeker

LIST = "/en/resettlement/staff/vacancies/"


@pytest.fixture
def vacancy(db):
    """The page's test vacancy: a bookkeeper in Pavlodar (receives resettlers and kandases)."""
    job = VacancyFactory(title="Бухгалтер", region=region("KZ-55"))
    exchange.vacancy_update(vacancy=job, by=None, required_skills=["1С:Бухгалтерия"])
    return job


def _fields(response) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


def _api(vacancy_id: int) -> str:
    return f"/api/v1/resettlement/vacancies/{vacancy_id}/eligible-seekers/"


def client_for(*, user=None, secret: str | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user=user)
    if secret is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.mark.django_db
def test_the_same_people_as_the_page_with_masked_iins(client, vacancy, marat, admin_user, project_taxonomy):
    shymkent = _seeker("KZ-79", "KZ-79-shy-alfarabi")
    _seeker("KZ-79", None, case_at="KZ-79-shy-alfarabi")  # not registered: fails a rule
    _seeker("KZ-55", "KZ-55-pavlodar")  # lives in Pavlodar already
    kostanay = _seeker("KZ-39", "KZ-39-LMC")  # not Marat's

    response = client_for(user=marat).get(_api(vacancy.pk))
    assert response.status_code == 200
    body = response.json()
    assert [row["seeker"] for row in body["results"]] == [shymkent.pk]
    row = body["results"][0]
    iin = shymkent.user.iin
    assert row["iin"] == iin[:4] + "******" + iin[-2:] and iin not in response.content.decode()
    assert row["name"] == shymkent.user.get_full_name() and row["region"] == "KZ-79"
    assert row["percent"] > 0 and row["reason"] and row["applying"] is False
    assert [r["code"] for r in row["to_declare"]] == ["permanent_registration"]
    assert body["next"] is None and body["previous"] is None

    client.force_login(marat)
    page = client.get(f"{LIST}{vacancy.pk}/seekers/").context["seekers"]
    assert [s.profile.pk for s in page] == [r["seeker"] for r in body["results"]]

    listed = client_for(user=admin_user).get(_api(vacancy.pk)).json()["results"]
    assert {r["seeker"] for r in listed} == {shymkent.pk, kostanay.pk}


@pytest.mark.django_db
def test_who_may_read(vacancy, marat, dana, yerlan, aigerim, project_taxonomy):
    shymkent = _seeker("KZ-79", "KZ-79-shy-alfarabi")
    url = _api(vacancy.pk)
    # A centre's key acts as a counsellor of its centre, within its scopes.
    key = make_key(centre_obj=centre("KZ-79-shy-alfarabi"))
    assert [r["seeker"] for r in client_for(secret=key).get(url).json()["results"]] == [shymkent.pk]
    other_centre_key = make_key(centre_obj=centre("KZ-55-pavlodar"))
    assert client_for(secret=other_centre_key).get(url).json()["results"] == []
    no_scope = make_key(centre_obj=centre("KZ-79-shy-alfarabi"), scopes=[Scope.REGISTRATIONS_READ])
    assert client_for(secret=no_scope).get(url).status_code == 403
    assert set(CENTRE_SCOPES) >= {Scope.MATCHES_READ}
    # Staff of another centre: 200 without Marat's people; the region's manager: Pavlodar's only.
    assert client_for(user=dana).get(url).json()["results"] == []
    assert client_for(user=yerlan).get(url).status_code == 200
    # Not the staff who serve job seekers: 403, whatever else they are.
    org_key = make_key(organisation=OrganisationFactory())
    assert client_for(secret=org_key).get(url).status_code == 403
    assert client_for(user=aigerim).get(url).status_code == 403
    for role in (CentreMembership.Role.MIGRATION_OFFICER, CentreMembership.Role.PROGRAMME_FINANCE):
        officer = CentreMembershipFactory(centre=centre("KZ-79-shy-alfarabi"), role=role).user
        response = client_for(user=officer).get(url)
        assert response.status_code == 403
        assert response["Content-Type"].startswith("application/problem+json")
    assert client_for().get(url).status_code == 401


@pytest.mark.django_db
def test_vacancies_outside_the_receiving_regions_and_bad_categories(vacancy, marat, project_taxonomy):
    shymkent_job = VacancyFactory(region=region("KZ-79"))  # Turkistan side: not receiving
    assert client_for(user=marat).get(_api(shymkent_job.pk)).status_code == 404
    assert client_for(user=marat).get(_api(10**9)).status_code == 404
    # Pavlodar receives resettlers and kandases in 2026; Karaganda resettlers only.
    assert client_for(user=marat).get(_api(vacancy.pk), {"category": "kandas"}).status_code == 200
    karaganda_job = VacancyFactory(region=region("KZ-35"))
    response = client_for(user=marat).get(_api(karaganda_job.pk), {"category": "kandas"})
    assert response.status_code == 400 and _fields(response) == {"category"}
    response = client_for(user=marat).get(_api(vacancy.pk), {"category": "tourist"})
    assert response.status_code == 400 and _fields(response) == {"category"}


@pytest.mark.django_db
def test_pages_through_the_ranking(vacancy, marat, project_taxonomy):
    for _ in range(3):
        _seeker("KZ-79", "KZ-79-shy-alfarabi")
    client = client_for(user=marat)
    whole = [r["seeker"] for r in client.get(_api(vacancy.pk)).json()["results"]]
    assert len(whole) == 3
    first = client.get(_api(vacancy.pk), {"page_size": 2}).json()
    assert [r["seeker"] for r in first["results"]] == whole[:2] and first["previous"] is None
    second = client.get(first["next"]).json()
    assert [r["seeker"] for r in second["results"]] == whole[2:] and second["next"] is None
    back = client.get(second["previous"]).json()
    assert [r["seeker"] for r in back["results"]] == whole[:2]
    for bad in ({"page_size": 0}, {"page_size": 201}, {"cursor": "not-a-cursor"}):
        response = client.get(_api(vacancy.pk), bad)
        assert response.status_code == 400 and _fields(response) == set(bad)


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [2, 8])
def test_query_count_does_not_grow_with_seekers(
    vacancy, marat, rows, django_assert_num_queries, project_taxonomy
):
    for _ in range(rows):
        _seeker("KZ-79", "KZ-79-shy-alfarabi")
    client = client_for(user=marat)
    assert len(client.get(_api(vacancy.pk)).json()["results"]) == rows  # builds the matcher's index
    with django_assert_num_queries(13):
        assert len(client.get(_api(vacancy.pk)).json()["results"]) == rows
