"""Staff list the seekers who could resettle for a labour-short vacancy in a receiving region,
ranked by the matcher (issue #13, item 8): only people the caller serves, living elsewhere, who pass
every rule the service can check (the eligibility module); the rest they declare when applying."""

from __future__ import annotations

from typing import Any

import pytest

from mobility.cases import services as cases
from mobility.exchange import services as exchange
from mobility.exchange.models import SeekerProfile
from mobility.resettlement.candidates import eligible_seekers_for
from tests.factories import RegistrationFactory, SeekerProfileFactory, VacancyFactory, centre, region

LIST = "/en/resettlement/staff/vacancies/"


def _seeker(region_code: str, centre_code: str | None, *, case_at: str = "") -> SeekerProfile:
    """A bookkeeper registered at `centre_code` (None: not registered), or known to the centre
    `case_at` only by a case file."""
    seeker: Any = SeekerProfileFactory(region=region(region_code), headline="Бухгалтер")
    exchange.profile_set_skills(profile=seeker, skills=[("1С:Бухгалтерия", 3)], by=seeker.user)
    if centre_code:
        RegistrationFactory(profile=seeker, centre=centre(centre_code))
    if case_at:
        cases.case_open(person=seeker.user, centre=centre(case_at), by=None)  # type: ignore[arg-type]
    return seeker


@pytest.fixture
def vacancy(db):
    job = VacancyFactory(title="Бухгалтер", region=region("KZ-55"))
    exchange.vacancy_update(vacancy=job, by=None, required_skills=["1С:Бухгалтерия"])
    return job


def _url(vacancy) -> str:
    return f"{LIST}{vacancy.pk}/seekers/"


@pytest.mark.django_db
def test_eligible_seekers_the_caller_serves_ranked_by_the_matcher(
    client, vacancy, marat, admin_user, project_taxonomy
):
    shymkent = _seeker("KZ-79", "KZ-79-shy-alfarabi")
    _seeker("KZ-79", None, case_at="KZ-79-shy-alfarabi")  # Marat's, but not registered: fails
    _seeker("KZ-55", "KZ-55-pavlodar")  # lives in Pavlodar already: nobody resettles there
    kostanay = _seeker("KZ-39", "KZ-39-LMC")  # Kostanay's people: not Marat's

    client.force_login(marat)
    response = client.get(_url(vacancy))
    assert response.status_code == 200
    listed = response.context["seekers"]
    assert [s.profile.pk for s in listed] == [shymkent.pk]
    row = listed[0]
    assert row.match.percent > 0 and row.match.reason
    assert [r.code for r in row.to_declare] == ["permanent_registration"]
    assert row.profile.user.get_full_name() in response.content.decode()

    client.force_login(admin_user)
    listed = client.get(_url(vacancy)).context["seekers"]
    assert {s.profile.pk for s in listed} == {shymkent.pk, kostanay.pk}


@pytest.mark.django_db
def test_only_vacancies_in_receiving_regions(client, vacancy, marat, dana, aigerim, project_taxonomy):
    shymkent_job = VacancyFactory(region=region("KZ-79"))  # Turkistan side: not receiving
    client.force_login(marat)
    body = client.get(LIST).content.decode()
    assert f'data-vacancy="{vacancy.pk}"' in body and f'data-vacancy="{shymkent_job.pk}"' not in body
    assert client.get(_url(shymkent_job)).status_code == 404
    assert client.get(f"{LIST}?region=KZ-59").context["page"].object_list.count() == 0
    client.force_login(dana)
    assert client.get(_url(vacancy)).status_code == 200
    client.force_login(aigerim)  # a job seeker
    assert client.get(LIST).status_code == 403
    assert client.get(_url(vacancy)).status_code == 403


@pytest.mark.django_db
def test_the_eligibility_module_decides(vacancy, marat, project_taxonomy):
    """A kandas list asks the kandas rule (declared when applying), never the registration."""
    kandas = _seeker("KZ-79", None, case_at="KZ-79-shy-alfarabi")
    found = eligible_seekers_for(who=marat, vacancy=vacancy, category="kandas", on=vacancy.created_at.date())
    assert [s.profile.pk for s in found] == [kandas.pk]
    assert [r.code for r in found[0].to_declare] == ["kandas_status"]


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [2, 8])
def test_query_count_does_not_grow_with_seekers(
    client, vacancy, marat, rows, django_assert_num_queries, project_taxonomy
):
    for _ in range(rows):
        _seeker("KZ-79", "KZ-79-shy-alfarabi")
    client.force_login(marat)
    assert len(client.get(_url(vacancy)).context["seekers"]) == rows  # builds the matcher's index
    with django_assert_num_queries(18):
        assert len(client.get(_url(vacancy)).context["seekers"]) == rows
    with django_assert_num_queries(10):
        assert client.get(LIST).status_code == 200
