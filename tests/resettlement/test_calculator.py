"""The support package from the dated rules: the issue's "Must show" amounts, the API contract
and the public page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from mobility.reference import services as reference_services
from mobility.reference.models import ProgrammeRule, ReceptionQuota
from mobility.resettlement.calculator import CalculatorError, support_package
from tests.factories import region

API = "/api/v1/resettlement/calculator/"


def quota_2025(code: str = "KZ-55", category: str = "resettler") -> ReceptionQuota:
    """Only the 2026 quota rows are seeded (the earlier per-region figures are unknown)."""
    return ReceptionQuota.objects.create(
        year=2025, region=region(code), category=category, persons=1000, status="published"
    )


@pytest.mark.django_db
def test_pavlodar_family_of_four_in_2026():
    package = support_package(year=2026, destination="KZ-55", family_size=4, home_price=20_000_000)
    assert package.mrp == 4325
    assert package.relocation_subsidy == 1_211_000
    assert package.certificate == 7_028_125
    assert package.certificate_cap == 7_028_125
    assert (package.rent_subsidy_monthly_min, package.rent_subsidy_monthly_max) == (64_875, 129_750)
    assert package.rent_subsidy_months == 12
    assert package.employer_subsidy == 1_730_000
    assert package.minimum_stay_months == 0  # off by default


@pytest.mark.django_db
def test_certificate_is_half_the_price_below_the_cap():
    assert (
        support_package(year=2026, destination="KZ-55", family_size=1, home_price=10_000_000).certificate
        == 5_000_000
    )


@pytest.mark.django_db
def test_certificate_share_is_rounded_down_to_whole_tenge():
    assert (
        support_package(year=2026, destination="KZ-55", family_size=1, home_price=9_999_999).certificate
        == 4_999_999
    )


@pytest.mark.django_db
def test_2025_cap_is_1160_mrp():
    quota_2025()
    package = support_package(year=2025, destination="KZ-55", family_size=1, home_price=20_000_000)
    assert package.certificate == 4_561_120
    assert package.certificate_cap == 4_561_120
    assert package.mrp == 3932


@pytest.mark.django_db
def test_turkistan_does_not_receive():
    with pytest.raises(CalculatorError) as refused:
        support_package(year=2026, destination="KZ-61", family_size=1, home_price=1)
    assert refused.value.field == "destination"


@pytest.mark.django_db
def test_akmola_receives_kandases_only_in_2026():
    with pytest.raises(CalculatorError) as refused:
        support_package(year=2026, category="resettler", destination="KZ-11", family_size=1)
    assert refused.value.field == "destination"
    package = support_package(year=2026, category="kandas", destination="KZ-11", family_size=2)
    assert package.relocation_subsidy == 605_500


@pytest.mark.django_db
def test_a_year_without_rules_is_refused():
    with pytest.raises(CalculatorError) as refused:
        support_package(year=2027, destination="KZ-55", family_size=1)
    assert refused.value.field == "year"


@pytest.mark.django_db
def test_rent_grid_narrows_the_range_when_configured():
    for settlement_type, size, multiple in (("urban", 4, "27"), ("rural", 4, "21")):
        ProgrammeRule.objects.create(
            code=f"rent_subsidy_{settlement_type}_{size}",
            mrp_multiplier=Decimal(multiple),
            valid_from=dt.date(2026, 1, 1),
            status="published",
        )
    urban = support_package(year=2026, destination="KZ-55", family_size=4, settlement_type="urban")
    assert urban.rent_subsidy_monthly_min == urban.rent_subsidy_monthly_max == 27 * 4325
    both = support_package(year=2026, destination="KZ-55", family_size=4)
    assert (both.rent_subsidy_monthly_min, both.rent_subsidy_monthly_max) == (21 * 4325, 27 * 4325)
    # A family of five falls into the grid's last column, which is not configured: the full range.
    five = support_package(year=2026, destination="KZ-55", family_size=5, settlement_type="urban")
    assert (five.rent_subsidy_monthly_min, five.rent_subsidy_monthly_max) == (15 * 4325, 30 * 4325)


@pytest.mark.django_db
def test_publishing_next_years_rules_changes_nothing_for_2026(admin_user):
    before = support_package(year=2026, destination="KZ-55", family_size=4, home_price=20_000_000)
    ProgrammeRule.objects.create(
        code="certificate_cap",
        mrp_multiplier=Decimal("2000"),
        valid_from=dt.date(2027, 1, 1),
        version="budget-2027",
    )
    reference_services.rule_publish(version="budget-2027", by=admin_user)
    after = support_package(year=2026, destination="KZ-55", family_size=4, home_price=20_000_000)
    assert after == before


# --- API -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_answers_the_issue_example(client):
    response = client.get(
        API, {"year": 2026, "destination": "KZ-55", "family_size": 4, "home_price": 20_000_000}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["relocation_subsidy"] == 1_211_000
    assert body["certificate"] == 7_028_125
    assert body["certificate_cap"] == 7_028_125
    assert body["mrp"] == 4325
    assert body["rent_subsidy_monthly_min"] == 64_875
    assert body["rent_subsidy_monthly_max"] == 129_750
    assert body["employer_subsidy"] == 1_730_000
    assert body["category"] == "resettler"
    for name in ("mrp", "relocation_subsidy", "rent_subsidy_monthly_min", "certificate", "employer_subsidy"):
        assert isinstance(body[name], int)


@pytest.mark.django_db
def test_api_2025_and_a_cheaper_home(client):
    quota_2025()
    cheaper = client.get(
        API, {"year": 2026, "destination": "KZ-55", "family_size": 1, "home_price": 10_000_000}
    )
    assert cheaper.json()["certificate"] == 5_000_000
    earlier = client.get(
        API, {"year": 2025, "destination": "KZ-55", "family_size": 1, "home_price": 20_000_000}
    )
    assert earlier.json()["certificate"] == 4_561_120


@pytest.mark.django_db
def test_a_year_without_regional_quotas_in_the_service_still_computes(client):
    """2023-2025: the service has the year's rules (MRP, cap) but not its regional quotas, only
    the national totals; the amounts follow the rules and say the destination went unchecked."""
    response = client.get(
        API, {"year": 2025, "destination": "KZ-55", "family_size": 4, "home_price": 20_000_000}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["certificate"], body["certificate_cap"], body["quotas_published"]) == (
        4_561_120,
        4_561_120,
        False,
    )
    assert body["relocation_subsidy"] == 70 * 4 * 3_932
    page = client.get(
        "/en/resettlement/calculator/",
        {
            "year": 2025,
            "category": "resettler",
            "destination": "KZ-55",
            "family_size": 4,
            "home_price": 20000000,
        },
    )
    assert "The regional quotas for 2025 are not in the service" in page.content.decode()
    # Once a year's quotas are in, they decide: a 2025 row for Pavlodar only refuses Turkistan.
    quota_2025()
    refused = client.get(API, {"year": 2025, "destination": "KZ-61", "family_size": 1})
    assert refused.status_code == 400
    now = client.get(API, {"year": 2026, "destination": "KZ-55", "family_size": 1, "home_price": 10_000_000})
    assert now.json()["quotas_published"] is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"destination": "KZ-61"}, "destination"),
        ({"destination": "KZ-11"}, "destination"),
        ({"year": 2027}, "year"),
        ({"family_size": "four"}, "family_size"),
        ({"family_size": 0}, "family_size"),
        ({"home_price": "20 000 000"}, "home_price"),
        ({"home_price": -5}, "home_price"),
        ({"home_price": "1e7"}, "home_price"),
        ({"category": "tourist"}, "category"),
        ({"settlement_type": "space"}, "settlement_type"),
        ({"destination": "Pavlodar"}, "destination"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_api_refuses_with_a_problem_naming_the_field(client, query, field):
    params = {"year": 2026, "destination": "KZ-55", "family_size": 4, "home_price": 20_000_000, **query}
    response = client.get(API, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert field in {error["field"] for error in body["errors"]}, body


@pytest.mark.django_db
def test_api_kandas_in_akmola(client):
    response = client.get(
        API,
        {
            "year": 2026,
            "destination": "KZ-11",
            "family_size": 4,
            "home_price": 20_000_000,
            "category": "kandas",
        },
    )
    assert response.status_code == 200
    assert response.json()["relocation_subsidy"] == 1_211_000


# --- The page --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_page_shows_the_package_without_sign_in(client):
    response = client.get(
        "/en/resettlement/calculator/",
        {
            "year": 2026,
            "category": "resettler",
            "destination": "KZ-55",
            "family_size": 4,
            "home_price": 20000000,
        },
    )
    assert response.status_code == 200
    assert response.context["package"].relocation_subsidy == 1_211_000
    assert "1,211,000" in response.content.decode()


@pytest.mark.django_db
def test_page_says_beside_the_field_why_a_destination_is_refused(client):
    response = client.get(
        "/kk/resettlement/calculator/",
        {
            "year": 2026,
            "category": "resettler",
            "destination": "KZ-61",
            "family_size": 4,
            "home_price": 20000000,
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "destination" in form.errors
    assert response.context["package"] is None
    assert 'value="20000000"' in response.content.decode()  # what was typed stays


@pytest.mark.django_db
def test_page_refuses_a_bad_number_beside_its_field(client):
    response = client.get(
        "/en/resettlement/calculator/",
        {"year": 2026, "category": "resettler", "destination": "KZ-55", "family_size": "x", "home_price": 1},
    )
    assert "family_size" in response.context["form"].errors
