"""The foreign-specialist programme's yearly targets are dated rules (`reference.ProgrammeRule`,
unit persons), seeded with 100 leading scientists and 100 specialists from 2026, changed by
administrators as any rule is (a draft, then published), and read by the dashboard for its year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from migration.web.dashboards import foreign_dashboard, yearly_targets
from mobility.reference.models import ProgrammeRule
from tests.migration.factories import migration_officer

pytestmark = pytest.mark.django_db


def test_seeded_with_100_and_100_from_2026():
    seeded = ProgrammeRule.objects.filter(code__startswith="foreign_target_", status="published")
    assert {(r.code, r.mrp_multiplier, r.unit, r.valid_from) for r in seeded} == {
        ("foreign_target_scientists", Decimal("100"), "persons", dt.date(2026, 1, 1)),
        ("foreign_target_specialists", Decimal("100"), "persons", dt.date(2026, 1, 1)),
    }
    assert yearly_targets(on=dt.date(2026, 6, 1)) == {"scientists": 100, "specialists": 100}
    assert yearly_targets(on=dt.date(2025, 6, 1)) == {"scientists": None, "specialists": None}


def test_an_administrator_publishes_new_targets_and_the_dashboard_reads_them_for_its_year(client, admin_user):
    draft = ProgrammeRule(
        code="foreign_target_scientists",
        mrp_multiplier=Decimal("150"),
        unit=ProgrammeRule.Unit.PERSONS,
        valid_from=dt.date(2027, 1, 1),
        version="targets-2027",
        legal_basis="Open Kazakhstan, 2027",
    )
    draft.full_clean()
    draft.save()
    officer = migration_officer()
    # A draft changes nothing.
    board = foreign_dashboard(officer, today=dt.date(2027, 3, 1))
    assert [t["target"] for t in board["targets"]] == [100, 100]

    client.force_login(admin_user)
    client.post(
        "/en/admin/reference/programmerule/",
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    draft.refresh_from_db()
    assert draft.is_published

    board = foreign_dashboard(officer, today=dt.date(2027, 3, 1))
    assert {t["key"]: (t["target"], t["percent"]) for t in board["targets"]} == {
        "scientists": (150, 0),
        "specialists": (100, 0),
    }
    assert [t["target"] for t in foreign_dashboard(officer, today=dt.date(2026, 12, 31))["targets"]] == [
        100,
        100,
    ]


def test_the_dashboard_page_says_when_no_target_is_in_force(client):
    ProgrammeRule.objects.filter(code="foreign_target_specialists").delete()
    officer = migration_officer()
    client.force_login(officer)
    page = client.get("/en/foreign/officer/dashboard/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "no target in force" in body
    assert [t["target"] for t in page.context["targets"]] == [100, None]
