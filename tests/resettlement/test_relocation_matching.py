"""Relocation-aware matching (issue #13, item 8): "Vacancies for me" and the API's matches carry the
family's whole support package for a receiving region, from the resettlement calculator."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from mobility.cases import services as cases
from mobility.core.identifiers import make_iin
from mobility.exchange import services
from mobility.exchange.selectors import vacancies_for_me
from tests.factories import RegistrationFactory, SeekerProfileFactory, VacancyFactory, centre, region


@pytest.fixture
def family(aigerim, dana):
    """Aigerim in Shymkent (KZ-79, not receiving), with her husband and two children in her case."""
    profile = SeekerProfileFactory(
        user=aigerim, headline="Бухгалтер", region=region("KZ-79"), will_relocate=True
    )
    case = cases.case_open(person=aigerim, centre=centre("KZ-55-pavlodar"), by=dana)
    for serial, (born, relation) in enumerate(
        [(dt.date(1988, 2, 1), "spouse"), (dt.date(2015, 3, 4), "child"), (dt.date(2018, 7, 9), "child")]
    ):
        cases.family_member_add(
            case=case,
            iin=make_iin(born, male=serial == 0, serial=40 + serial),
            last_name="Бекова",
            first_name=f"Бала {serial}",
            relation=relation,
            by=dana,
        )
    return profile


def _jobs():
    pavlodar = VacancyFactory(title="Бухгалтер", region=region("KZ-55"))
    services.vacancy_update(vacancy=pavlodar, by=None, required_skills=["1С:Бухгалтерия"])
    shymkent = VacancyFactory(title="Бухгалтер", region=region("KZ-79"))
    services.vacancy_update(vacancy=shymkent, by=None, required_skills=["1С:Бухгалтерия"])
    return pavlodar, shymkent


@pytest.mark.django_db
def test_a_family_of_four_sees_its_package_for_pavlodar(client, family, project_taxonomy):
    pavlodar, shymkent = _jobs()
    services.profile_set_skills(profile=family, skills=[("1С:Бухгалтерия", 3)], by=family.user)
    RegistrationFactory(profile=family)
    ranked = {r.vacancy.id: r for r in vacancies_for_me(family)}
    assert ranked[shymkent.id].relocation is None  # her own region, and not receiving
    support = ranked[pavlodar.id].relocation
    assert support is not None and support.registered
    package = support.package
    assert (package.family_size, package.destination) == (4, "KZ-55")
    assert package.relocation_subsidy == 1_211_000  # 70 MRP × 4 × 4,325 ₸ (2026)
    assert package.certificate_cap == 7_028_125

    client.force_login(family.user)
    body = client.get("/en/me/for-me/").content.decode()
    assert "Moving to Pavlodar Region with a family of 4: 1,211,000 ₸ relocation" in body
    assert "up to 7,028,125 ₸ toward a home" in body
    link = "/en/resettlement/calculator/?year=2026&amp;category=resettler&amp;destination=KZ-55"
    assert f"{link}&amp;family_size=4" in body


@pytest.mark.django_db
def test_without_a_registration_the_package_says_how_to_qualify(client, family, project_taxonomy):
    pavlodar, _shymkent = _jobs()
    services.profile_set_skills(profile=family, skills=[("1С:Бухгалтерия", 3)], by=family.user)
    support = {r.vacancy.id: r for r in vacancies_for_me(family)}[pavlodar.id].relocation
    assert support is not None and not support.registered
    client.force_login(family.user)
    body = client.get("/en/me/for-me/").content.decode()
    assert "Register at a career centre as a job seeker to qualify" in body


@pytest.mark.django_db
def test_the_api_matches_carry_the_package(family, project_taxonomy):
    pavlodar, shymkent = _jobs()
    services.profile_set_skills(profile=family, skills=[("1С:Бухгалтерия", 3)], by=family.user)
    RegistrationFactory(profile=family)
    api = APIClient()
    api.force_authenticate(user=family.user)
    response = api.get(f"/api/v1/seekers/{family.id}/matches/")
    assert response.status_code == 200
    results = {r["vacancy"]["id"]: r for r in response.json()["results"]}
    assert results[shymkent.id]["relocation"] is None
    relocation = results[pavlodar.id]["relocation"]
    assert relocation["region"] == "KZ-55"
    assert relocation["family_size"] == 4
    assert relocation["relocation_subsidy"] == 1_211_000
    assert relocation["certificate_cap"] == 7_028_125
    assert relocation["registered_at_centre"] is True
