"""Dated rules: published rows are in force; a draft version answers only when asked for (what-if
runs) and never changes the answer in force; publishing changes answers from its start date only;
published rows are read-only in the admin and never overlap."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mobility.core.audit import audit_trail
from mobility.reference import rules
from mobility.reference.models import MrpRate, ProgrammeRule, ReceptionQuota
from mobility.reference.services import rule_publish
from tests.factories import region

pytestmark = pytest.mark.django_db

CAP = "certificate_cap"  # published: 2023-2025, then open-ended from 2026 (reference/data/rules.json)


def draft_rule(multiplier: str, start: dt.date, version: str = "budget-2027", **kw) -> ProgrammeRule:
    rule = ProgrammeRule(
        code=CAP, mrp_multiplier=Decimal(multiplier), valid_from=start, version=version, **kw
    )
    rule.full_clean()
    rule.save()
    return rule


def test_the_existing_rows_are_published():
    for model in (MrpRate, ProgrammeRule, ReceptionQuota):
        assert model.objects.exists()
        assert not model.objects.exclude(status="published").exists()


def test_in_force_reads_published_rows_only():
    in_force = rules.rule_value(CAP, on=dt.date(2027, 3, 1))
    draft_rule("2000", dt.date(2027, 1, 1))
    assert rules.rule_value(CAP, on=dt.date(2027, 3, 1)) == in_force
    assert rules.rule_value(CAP, on=dt.date(2027, 3, 1), version="budget-2027") == Decimal("2000")
    assert (
        rules.rule_value(CAP, on=dt.date(2026, 12, 31), version="budget-2027") == in_force
    )  # before the draft
    assert rules.rule_value(CAP, on=dt.date(2027, 3, 1), version="other") == in_force


def test_a_draft_mrp_answers_only_under_its_version():
    MrpRate.objects.create(year=2026, mrp=5000, minimum_wage=100000, version="what-if")
    assert rules.mrp_on(dt.date(2026, 5, 1)) == 4325
    assert rules.mrp_on(dt.date(2026, 5, 1), version="what-if") == 5000
    assert rules.minimum_wage_on(dt.date(2026, 5, 1)) != 100000
    assert rules.minimum_wage_on(dt.date(2026, 5, 1), version="what-if") == 100000
    assert rules.mrp_amount(multiplier=Decimal("2"), on=dt.date(2026, 5, 1), version="what-if") == 10000
    assert [r.year for r in rules.mrp_rates()] == [2026, 2025, 2024, 2023]
    assert rules.mrp_rates(version="what-if")[0].mrp == 5000


def test_a_draft_quota_answers_only_under_its_version():
    pavlodar = region("KZ-55")
    published = rules.quota_for(region=pavlodar, year=2026, category="kandas")
    ReceptionQuota.objects.create(year=2026, region=pavlodar, category="kandas", persons=999, version="v2")
    assert rules.quota_for(region=pavlodar, year=2026, category="kandas") == published
    assert rules.quota_for(region=pavlodar, year=2026, category="kandas", version="v2").persons == 999
    almaty_city = region("KZ-75")
    assert rules.quota_for(region=almaty_city, year=2026, category="resettler") is None
    ReceptionQuota.objects.create(
        year=2026, region=almaty_city, category="resettler", persons=5, version="v2"
    )
    assert almaty_city not in rules.receiving_regions(year=2026, category="resettler")
    assert almaty_city in rules.receiving_regions(year=2026, category="resettler", version="v2")


def test_which_regions_receive_is_one_answer_from_the_quota_rows():
    """`receiving_region_ids`: the one reader of "which regions receive" (eligibility, the
    calculator, the application form, offers and the staff lists all ask it)."""
    akmola, karaganda, pavlodar, turkistan = (region(c) for c in ("KZ-11", "KZ-35", "KZ-55", "KZ-61"))
    both = rules.receiving_region_ids(year=2026)
    assert both[akmola.pk] == {"kandas"} and both[karaganda.pk] == {"resettler"}
    assert both[pavlodar.pk] == {"kandas", "resettler"} and turkistan.pk not in both
    resettlers = rules.receiving_region_ids(year=2026, category="resettler")
    assert karaganda.pk in resettlers and akmola.pk not in resettlers
    assert rules.receiving_region_ids(year=2026, category="kandas").keys() == {
        q.region_id for q in ReceptionQuota.objects.filter(year=2026, category="kandas")
    }
    assert rules.receiving_region_ids(year=2031) == {}
    ReceptionQuota.objects.create(year=2026, region=turkistan, category="kandas", persons=5, version="v2")
    assert turkistan.pk not in rules.receiving_region_ids(year=2026)
    assert rules.receiving_region_ids(year=2026, version="v2")[turkistan.pk] == {"kandas"}


def test_publishing_changes_the_answer_from_its_start_only(admin_user):
    before = rules.rule_value(CAP, on=dt.date(2026, 12, 31))
    draft = draft_rule("2000", dt.date(2027, 1, 1))
    assert rule_publish(version="budget-2027", by=admin_user) == 1
    assert rules.rule_value(CAP, on=dt.date(2027, 1, 1)) == Decimal("2000")
    assert rules.rule_value(CAP, on=dt.date(2026, 12, 31)) == before
    old = ProgrammeRule.objects.get(code=CAP, valid_from=dt.date(2026, 1, 1))
    assert old.valid_to == dt.date(2026, 12, 31)  # superseded, not edited otherwise
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_by == admin_user and draft.published_at
    assert audit_trail(draft).filter(action="rule.published", actor=admin_user).exists()
    assert audit_trail(old).filter(action="rule.superseded").exists()


def test_a_published_year_or_quota_is_not_published_again(admin_user):
    MrpRate.objects.create(year=2026, mrp=5000, minimum_wage=100000, version="what-if")
    with pytest.raises(ValidationError) as err:
        rule_publish(version="what-if", by=admin_user)
    assert "version" in err.value.message_dict
    assert rules.mrp_on(dt.date(2026, 5, 1)) == 4325
    assert MrpRate.objects.get(year=2026, version="what-if").status == "draft"  # rolled back


def test_a_new_year_is_published(admin_user):
    MrpRate.objects.create(year=2027, mrp=4500, minimum_wage=90000, version="budget-2027")
    rule_publish(version="budget-2027", by=admin_user)
    assert rules.mrp_on(dt.date(2027, 1, 1)) == 4500


def test_overlapping_published_periods_are_impossible(admin_user):
    draft_rule("2000", dt.date(2020, 1, 1), valid_to=dt.date(2024, 12, 31))  # inside the published one
    with pytest.raises(ValidationError) as err:
        rule_publish(version="budget-2027", by=admin_user)
    assert "valid_from" in err.value.message_dict
    clash = ProgrammeRule(
        code=CAP, mrp_multiplier=1, valid_from=dt.date(2025, 1, 1), status=ProgrammeRule.Status.PUBLISHED
    )
    with pytest.raises(ValidationError):
        clash.full_clean()


def test_an_unknown_version_is_refused(admin_user):
    with pytest.raises(ValidationError):
        rule_publish(version="nothing", by=admin_user)


def test_a_draft_needs_a_version_label():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeRule.objects.create(code=CAP, mrp_multiplier=1, valid_from=dt.date(2030, 1, 1))


class TestAdmin:
    def test_a_published_row_is_read_only(self, client, admin_user):
        rule = ProgrammeRule.objects.get(code=CAP, valid_from=dt.date(2023, 1, 1))
        client.force_login(admin_user)
        url = f"/en/admin/reference/programmerule/{rule.id}/change/"
        page = client.get(url).content.decode()
        assert 'name="mrp_multiplier"' not in page
        response = client.post(
            url, {"code": CAP, "mrp_multiplier": "1", "valid_from": "2023-01-01", "version": "x"}
        )
        assert response.status_code == 403
        rule.refresh_from_db()
        assert rule.mrp_multiplier != 1 and rule.status == "published"
        assert client.get(f"/en/admin/reference/programmerule/{rule.id}/delete/").status_code == 403

    def test_a_draft_is_edited_and_published_from_the_admin(self, client, admin_user):
        draft = draft_rule("2000", dt.date(2027, 1, 1))
        client.force_login(admin_user)
        assert (
            'name="mrp_multiplier"'
            in client.get(f"/en/admin/reference/programmerule/{draft.id}/change/").content.decode()
        )
        response = client.post(
            "/en/admin/reference/programmerule/",
            {"action": "publish", "_selected_action": [draft.id]},
            follow=True,
        )
        assert "budget-2027" in response.content.decode()
        draft.refresh_from_db()
        assert draft.is_published

    def test_an_overlap_is_reported_in_the_admin(self, client, admin_user):
        draft = draft_rule("2000", dt.date(2020, 1, 1), valid_to=dt.date(2024, 12, 31))
        client.force_login(admin_user)
        response = client.post(
            "/en/admin/reference/programmerule/",
            {"action": "publish", "_selected_action": [draft.id]},
            follow=True,
        )
        assert "is in force in this period" in response.content.decode()
        draft.refresh_from_db()
        assert not draft.is_published


@pytest.mark.postgres
def test_postgresql_refuses_overlapping_published_periods_itself():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeRule.objects.create(  # past full_clean, straight to the database
            code=CAP, mrp_multiplier=1, valid_from=dt.date(2027, 1, 1), status=ProgrammeRule.Status.PUBLISHED
        )
    ProgrammeRule.objects.create(
        code=CAP, mrp_multiplier=1, valid_from=dt.date(2027, 1, 1), version="draft-ok"
    )
