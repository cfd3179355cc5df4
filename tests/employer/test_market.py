"""Labour-market information for the employer's region and occupations, as accessible SVG charts."""

import datetime as dt
import re

import pytest
from django.utils import timezone, translation

from matching.models import Occupation
from mobility.employer import charts, selectors
from mobility.exchange.models import SeekerProfile, Vacancy
from tests.employer.conftest import make_seeker, make_vacancy
from tests.factories import UserFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def accountant(project_taxonomy):
    return Occupation.objects.get(isco_group__code="2411", uri__contains="eda0d957")


@pytest.fixture
def market(bolat_org, bolat, other_org, other_vacancy, accountant):
    mine = make_vacancy(bolat_org, bolat, occupation=accountant)
    Vacancy.objects.filter(pk=other_vacancy.pk).update(occupation=accountant)
    for salary in (200_000, 250_000, 300_000, 350_000):
        make_seeker(UserFactory(), expected_salary=salary)
    make_seeker(UserFactory(), region=region("KZ-79"), will_relocate=True, expected_salary=260_000)
    make_seeker(UserFactory(), region=region("KZ-79"), will_relocate=False)
    make_seeker(UserFactory(), visibility=SeekerProfile.Visibility.HIDDEN, expected_salary=900_000)
    return mine


def test_numbers(bolat_org, accountant, market, other_org):
    with translation.override("en"):
        info = selectors.market_info(
            region=region("KZ-55"), occupation=accountant, organisation_ids=[bolat_org.id]
        )
    assert info.seekers_in_region == 4  # the hidden profile is never counted
    assert info.seekers_relocating == 1
    assert info.salary_quartiles == (237500, 275000, 312500)
    assert info.others_total == 1 and info.own_total == 1
    assert info.others_by_month[-1][1] == 1
    assert info.offered_median == 325_000
    with_skill = {name: (here, movers) for name, here, movers in info.skills}
    assert with_skill["1C:Enterprise accounting"] == (4, 1)  # Aigerim's skills, in English
    assert with_skill["prepare tax returns"] == (4, 1)


def test_the_page_has_charts_with_text_alternatives(client, bolat, market):
    client.force_login(bolat)
    body = client.get("/en/employer/market/").content.decode()
    assert body.count('<svg class="chart" role="img"') == 4
    for svg in re.findall(r"<svg.*?</svg>", body, flags=re.S):
        assert re.search(r"<title id=\"chart\d+-t\">[^<]+</title><desc id=\"chart\d+-d\">[^<]+</desc>", svg)
    assert "The numbers as a table" in body
    assert (
        "Job seekers with the occupation&#x27;s skills" in body
        or "Job seekers with the occupation's skills" in body
    )
    assert "<script" not in body[body.index("<main") :]  # no chart library


def test_region_and_occupation_can_be_chosen(client, bolat, market):
    client.force_login(bolat)
    body = client.get("/en/employer/market/", {"region": "KZ-79", "occupation": "есепші"}).content.decode()
    assert "All occupations" not in body
    heading = body[body.index("<h2>") : body.index("</h2>")]
    assert "Shymkent" in heading and "accountant" in heading.lower()


def test_the_market_page_is_for_employers(client, aigerim):
    client.force_login(aigerim)
    assert client.get("/en/employer/market/").status_code == 403


@pytest.mark.parametrize("rows", [3, 30])
def test_query_count_is_constant(client, bolat, bolat_org, accountant, django_assert_num_queries, rows):
    make_vacancy(bolat_org, bolat, occupation=accountant)
    for i in range(rows):
        make_seeker(UserFactory(), expected_salary=150_000 + i * 10_000)
    client.force_login(bolat)
    with django_assert_num_queries(26):  # + the unread badge, counted on a first page
        assert client.get("/en/employer/market/").status_code == 200


class TestCharts:
    def test_labels_are_escaped(self):
        svg = charts.bar_chart([("<script>x</script>", (3,))], title="T <b>", description="D & E")
        assert "<script>" not in svg and "&lt;script&gt;" in svg
        assert "<title id=" in svg and "T &lt;b&gt;" in svg and "D &amp; E" in svg

    def test_bars_are_proportional(self):
        svg = charts.bar_chart([("a", (10,)), ("b", (5,))], title="t", description="d")
        widths = [int(w) for w in re.findall(r'<rect class="series-0" x="\d+" y="\d+" width="(\d+)"', svg)]
        assert widths[0] == 2 * widths[1]

    def test_two_series_have_a_legend_and_named_bars(self):
        svg = charts.bar_chart([("skill", (4, 1))], title="t", description="d", series=("here", "movers"))
        assert 'class="legend"' in svg and "skill, here: 4" in svg and "skill, movers: 1" in svg

    def test_empty_data_still_renders(self):
        assert "<svg" in charts.bar_chart([], title="t", description="d")
        assert "<svg" in charts.column_chart([], title="t", description="d")

    def test_range_chart_marks_the_median(self):
        svg = charts.range_chart(
            low=100,
            median=150,
            high=200,
            marker=None,
            title="t",
            description="d",
            range_label="r",
            marker_label="m",
        )
        assert 'class="median"' in svg and "150" in svg


def test_months_count_in_local_time(bolat_org, accountant, market):
    start_of_month = timezone.localdate().replace(day=1)
    Vacancy.objects.filter(organisation__isnull=False).exclude(organisation=bolat_org).update(
        published_at=timezone.make_aware(dt.datetime.combine(start_of_month, dt.time(0, 30)))
    )
    info = selectors.market_info(
        region=region("KZ-55"), occupation=accountant, organisation_ids=[bolat_org.id]
    )
    assert info.others_by_month[-1][1] == 1
