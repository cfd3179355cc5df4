"""The eligibility check explains itself: each rule passes or fails with a sentence in the
reader's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from mobility.exchange.models import Registration
from mobility.reference.models import ProgrammeRule
from mobility.resettlement.eligibility import check_eligibility, months_before
from tests.factories import RegistrationFactory, SeekerProfileFactory, UserFactory, centre, region

ON = dt.date(2026, 12, 3)


@pytest.fixture
def registered(db):
    """A seeker registered as unemployed in Shymkent (the south)."""
    profile = SeekerProfileFactory(region=region("KZ-79"))
    RegistrationFactory(
        profile=profile, centre=centre("KZ-79-shy-alfarabi"), registered_on=dt.date(2026, 9, 1)
    )
    return profile.user


def codes(result):
    return {r.code: r.passed for r in result.results}


def test_months_before_keeps_the_day_or_the_months_last():
    assert months_before(dt.date(2026, 12, 3), 12) == dt.date(2025, 12, 3)
    assert months_before(dt.date(2026, 8, 31), 6) == dt.date(2026, 2, 28)


@pytest.mark.django_db
def test_registered_resettler_with_a_year_at_the_address_is_eligible(registered):
    with translation.override("en"):
        result = check_eligibility(
            person=registered,
            category="resettler",
            destination=region("KZ-55"),
            on=ON,
            permanent_registration_since=dt.date(2020, 5, 1),
        )
    assert result.eligible
    assert codes(result) == {
        "registered_at_centre": True,
        "permanent_registration": True,
        "destination_receiving": True,
    }
    assert "registered as unemployed" in result.results[0].message


@pytest.mark.django_db
def test_each_failing_rule_says_why_in_kazakh(db):
    person = UserFactory()  # no registration at any centre
    with translation.override("kk"):
        result = check_eligibility(
            person=person,
            category="resettler",
            destination=region("KZ-61"),
            on=ON,
            permanent_registration_since=dt.date(2026, 6, 1),
        )
    assert not result.eligible
    assert {r.code for r in result.failed} == {
        "registered_at_centre",
        "permanent_registration",
        "destination_receiving",
    }
    with translation.override("en"):
        english = check_eligibility(
            person=person,
            category="resettler",
            destination=region("KZ-61"),
            on=ON,
            permanent_registration_since=dt.date(2026, 6, 1),
        )
    # The sentences are made in the reader's language when asked (the catalogues translate them
    # once the lead applies the kk/ru strings; the region's name already follows the language).
    assert "Түркістан" in result.results[2].message
    assert "Turkistan" in english.results[2].message
    assert all(r.message for r in result.results)
    assert "2025" in english.results[1].message  # the date from which a year at the address counts


@pytest.mark.django_db
def test_an_ended_registration_does_not_count(registered):
    Registration.objects.filter(profile__user=registered).update(
        status="ended", ended_on=dt.date(2026, 10, 1)
    )
    result = check_eligibility(
        person=registered,
        category="resettler",
        destination=region("KZ-55"),
        on=ON,
        permanent_registration_since=dt.date(2020, 1, 1),
    )
    assert codes(result)["registered_at_centre"] is False


@pytest.mark.django_db
def test_kandas_by_status_and_akmola_receives_them(db):
    person = UserFactory()
    result = check_eligibility(
        person=person, category="kandas", destination=region("KZ-11"), on=ON, kandas_status=True
    )
    assert result.eligible
    assert codes(result) == {"kandas_status": True, "destination_receiving": True}
    refused = check_eligibility(person=person, category="resettler", destination=region("KZ-11"), on=ON)
    assert codes(refused)["destination_receiving"] is False
    no_status = check_eligibility(person=person, category="kandas", destination=region("KZ-11"), on=ON)
    assert codes(no_status)["kandas_status"] is False


@pytest.mark.django_db
def test_graduate_within_six_months_qualifies_from_anywhere(db):
    person = UserFactory()  # not registered, no address history: the exception carries them
    result = check_eligibility(
        person=person,
        category="resettler",
        destination=region("KZ-55"),
        on=ON,
        graduate_programme="serpin",
        graduated_on=dt.date(2026, 7, 1),
    )
    assert result.eligible
    assert codes(result) == {"graduate_exception": True, "destination_receiving": True}


@pytest.mark.django_db
def test_graduate_past_the_window_is_judged_by_the_usual_rules(registered):
    result = check_eligibility(
        person=registered,
        category="resettler",
        destination=region("KZ-55"),
        on=ON,
        permanent_registration_since=dt.date(2019, 1, 1),
        graduate_programme="zharkyn_bolashak",
        graduated_on=dt.date(2025, 1, 1),
    )
    assert result.eligible  # registered and a year at the address
    graduate = result.results[0]
    assert graduate.code == "graduate_exception" and not graduate.passed and not graduate.decides


@pytest.mark.django_db
def test_the_graduate_exception_can_be_switched_off(db):
    ProgrammeRule.objects.create(
        code="graduate_exception",
        mrp_multiplier=Decimal("0"),
        unit="switch",
        valid_from=dt.date(2026, 6, 1),
        valid_to=None,
        version="no-graduates",
    )
    from mobility.reference.services import rule_publish

    rule_publish(version="no-graduates", by=None)
    result = check_eligibility(
        person=UserFactory(),
        category="resettler",
        destination=region("KZ-55"),
        on=ON,
        graduate_programme="serpin",
        graduated_on=dt.date(2026, 7, 1),
    )
    assert not result.eligible
    assert "graduate_exception" not in codes(result)
    # Decided before the switch: the rules of that date still answer.
    earlier = check_eligibility(
        person=UserFactory(),
        category="resettler",
        destination=region("KZ-55"),
        on=dt.date(2026, 3, 1),
        graduate_programme="serpin",
        graduated_on=dt.date(2026, 1, 10),
    )
    assert earlier.eligible
