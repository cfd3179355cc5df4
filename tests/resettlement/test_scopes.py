"""Who sees a resettlement application, and which side each caller is on for it."""

from __future__ import annotations

import pytest

from mobility.core.actors import actor_of
from mobility.resettlement.selectors import applications_visible_to, budgets_visible_to
from mobility.resettlement.services import budget_for
from mobility.resettlement.sides import resettlement_sides
from tests.factories import region

from .factories import ApplicationFactory


@pytest.mark.django_db
def test_each_caller_sees_what_their_role_and_place_allow(
    asel, timur, marat, dana, serik, yerlan, aliya, admin_user
):
    application = ApplicationFactory(case__person=asel)  # Shymkent (Al-Farabi) → Pavlodar
    seen = {
        name: application in applications_visible_to(user)
        for name, user in {
            "asel": asel,
            "timur": timur,
            "marat": marat,  # counsellor at the centre of origin
            "dana": dana,  # counsellor in Pavlodar city: the exchange, not this file
            "serik": serik,
            "yerlan": yerlan,  # Pavlodar's regional manager: the destination
            "aliya": aliya,  # Pavlodar's programme finance officer
            "admin": admin_user,
        }.items()
    }
    assert seen == {
        "asel": True,
        "timur": False,
        "marat": True,
        "dana": False,
        "serik": False,
        "yerlan": True,
        "aliya": True,
        "admin": True,
    }
    assert resettlement_sides(asel, application) == {"seeker"}
    assert resettlement_sides(marat, application) == {"staff", "counsellor"}
    assert resettlement_sides(yerlan, application) == {"staff", "regional_manager"}
    assert resettlement_sides(aliya, application) == {"staff", "programme_finance"}
    assert resettlement_sides(dana, application) == frozenset()


@pytest.mark.django_db
def test_finance_officers_work_in_resettlement_only_and_region_wide(aliya, yerlan, dana):
    actor = actor_of(aliya)
    assert actor.programmes() == {"resettlement"}
    assert actor.centre_ids() == actor_of(yerlan).centre_ids()  # the whole region, like its manager
    from mobility.exchange.selectors import seekers_in_scope

    assert seekers_in_scope(aliya).count() == 0  # not an exchange role
    budget = budget_for(region=region("KZ-55"), category="resettler", year=2026)
    other = budget_for(region=region("KZ-59"), category="resettler", year=2026)
    assert set(budgets_visible_to(aliya)) == {budget}
    assert set(budgets_visible_to(dana)) == set()
    assert other not in budgets_visible_to(yerlan)
