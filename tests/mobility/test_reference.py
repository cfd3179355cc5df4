import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from mobility.reference.models import Centre, MrpRate, ProgrammeRule, ReceptionQuota, Region
from mobility.reference.rules import mrp_amount, receiving_regions, rule_amount

pytestmark = pytest.mark.django_db


def test_the_twenty_regions_are_loaded_with_three_names():
    regions = Region.objects.all()
    assert regions.count() == 20
    assert {"KZ-10", "KZ-33", "KZ-62", "KZ-71", "KZ-75", "KZ-79"} <= {r.code for r in regions}
    abai = Region.objects.get(code="KZ-10")
    assert (abai.name_kk, abai.name_ru, abai.name_en) == ("Абай облысы", "Абайская область", "Abai Region")
    assert all(r.name_kk and r.name_ru and r.name_en for r in regions)


def test_each_region_has_one_labour_mobility_centre_and_career_centres():
    for region in Region.objects.all():
        assert region.centres.filter(kind=Centre.Kind.REGIONAL).count() == 1
        assert region.centres.filter(kind=Centre.Kind.DISTRICT).exists()


def test_a_second_regional_centre_is_refused_by_the_database():
    region = Region.objects.get(code="KZ-55")
    with pytest.raises(IntegrityError), transaction.atomic():
        Centre.objects.create(
            code="dup", kind="regional", region=region, name_kk="a", name_ru="a", name_en="a"
        )


def test_mrp_and_minimum_wage_by_year():
    assert MrpRate.objects.get(year=2026).mrp == 4325
    assert MrpRate.objects.get(year=2023).minimum_wage == 70000
    assert set(MrpRate.objects.values_list("year", flat=True)) == {2023, 2024, 2025, 2026}


def test_receiving_regions_are_derived_from_quota_rows():
    kandas = {r.code for r in receiving_regions(year=2026, category="kandas")}
    resettler = {r.code for r in receiving_regions(year=2026, category="resettler")}
    assert "KZ-11" in kandas and "KZ-11" not in resettler  # Akmola: no resettler quota in 2026
    assert "KZ-62" in resettler and "KZ-62" not in kandas
    assert "KZ-79" not in kandas | resettler
    totals = {
        c: sum(ReceptionQuota.objects.filter(year=2026, category=c).values_list("persons", flat=True))
        for c in ("kandas", "resettler")
    }
    assert totals == {"kandas": 2281, "resettler": 5997}


def test_amounts_are_mrp_multiples_in_whole_tenge():
    assert mrp_amount(multiplier=Decimal("70"), on=dt.date(2026, 3, 1)) == Decimal("302750")
    assert rule_amount("certificate_cap", on=dt.date(2026, 5, 1)) == Decimal("7028125")
    assert rule_amount("certificate_cap", on=dt.date(2025, 5, 1)) == Decimal("4561120")
    assert rule_amount("relocation_subsidy_per_member", on=dt.date(2025, 1, 1)) == Decimal("275240")


def test_a_rule_period_must_be_ordered():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeRule.objects.create(
            code="x",
            mrp_multiplier=1,
            valid_from=dt.date(2026, 1, 1),
            valid_to=dt.date(2025, 1, 1),
            status=ProgrammeRule.Status.PUBLISHED,
        )


def test_loading_twice_changes_nothing():
    before = (Region.objects.count(), Centre.objects.count(), ReceptionQuota.objects.count())
    call_command("load_reference")
    assert (Region.objects.count(), Centre.objects.count(), ReceptionQuota.objects.count()) == before


def test_the_public_regions_page(client):
    body = client.get("/ru/regions/").content.decode()
    assert "Павлодарская область" in body
    assert "2\xa0820" in body or "2,820" in body or "2820" in body
