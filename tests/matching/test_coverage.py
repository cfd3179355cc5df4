# ruff: noqa: F401, F811  (the `market` fixture is imported from the services tests)
"""The staff coverage and fairness dashboard: share of registered seekers and open vacancies
with at least five matches above the shown threshold, by region, occupation group and language."""

from __future__ import annotations

import pytest

from matching import selectors, services
from matching.models import CoverageSnapshot
from tests.factories import RegistrationFactory
from tests.matching.test_matching_services import make_seeker, market, publish

pytestmark = pytest.mark.django_db


def test_text_language_reads_the_letters():
    assert services.text_language("Бас есепші, 1С бағдарламасы") == "kk"
    assert services.text_language("Главный бухгалтер") == "ru"
    assert services.text_language("Chief accountant") == "en"
    assert services.text_language("1234 —") == ""


@pytest.fixture
def covered_market(market, bolat_org, bolat):
    for i in range(5):
        publish(bolat_org, bolat, "Бухгалтер", f"Учёт {i}.", required=["ведение бухгалтерского учёта"])
    kk = make_seeker(
        "Есепші", skills=["ведение бухгалтерского учёта"], about="Бас есепші болып жұмыс істедім"
    )
    ru = make_seeker(
        "Бухгалтер", skills=["ведение бухгалтерского учёта"], about="Работала главным бухгалтером"
    )
    cook = make_seeker("Повар", about="Готовлю")
    for profile in (kk, ru, cook):
        RegistrationFactory(profile=profile)
    make_seeker("Бухгалтер")  # not registered: not counted
    return kk, ru, cook


def test_the_snapshot_counts_seekers_and_vacancies_with_five_matches_above_the_threshold(covered_market):
    snapshot = services.coverage_compute()
    seekers = [r for r in snapshot.rows if r["side"] == "seeker"]
    assert sum(r["total"] for r in seekers) == 3
    by_lang = {}
    for r in seekers:
        total, covered = by_lang.get(r["lang"], (0, 0))
        by_lang[r["lang"]] = (total + r["total"], covered + r["covered"])
    assert by_lang["kk"] == (1, 1)  # the Kazakh-written accountant has six accountant vacancies
    assert by_lang["ru"][0] == 2 and by_lang["ru"][1] == 1  # the cook has one cook vacancy only
    vacancies = [r for r in snapshot.rows if r["side"] == "vacancy"]
    assert sum(r["total"] for r in vacancies) == 9
    assert all(r["region"] == "KZ-55" for r in snapshot.rows)
    assert {r["group"] for r in seekers} >= {"2"}  # professionals (ISCO major group 2)


def test_the_dashboard_shows_a_staff_member_their_regions_only(covered_market, client, dana, marat):
    services.coverage_compute()
    client.force_login(dana)
    page = client.get("/en/staff/matching/coverage/")
    assert page.status_code == 200
    coverage = page.context["coverage"]
    assert (coverage.total.seekers, coverage.total.vacancies) == (3, 9)
    seekers_by_language = {line.key: line.seekers for line in coverage.by_language}
    assert seekers_by_language == {"kk": 1, "ru": 2, "en": 0}  # "en": the English vacancy
    assert coverage.kk_ru_gap == 100 - 50
    assert "Match coverage" in page.content.decode()

    client.force_login(marat)  # Shymkent: none of these records
    coverage = client.get("/en/staff/matching/coverage/").context["coverage"]
    assert (coverage.total.seekers, coverage.total.vacancies) == (0, 0)


def test_before_the_first_snapshot_the_page_says_so(client, dana):
    client.force_login(dana)
    page = client.get("/en/staff/matching/coverage/")
    assert page.status_code == 200 and page.context["coverage"] is None
    assert not CoverageSnapshot.objects.exists()
