"""The resettlement dashboard (issue #13, item 10): quota used and left, budget committed and paid,
applications by stage against the forwarding deadline, settlers employed after 3 and 12 months;
the receiving region's staff see their region only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from mobility.exchange import services as exchange
from mobility.exchange.models import Application, ApplicationStatus
from mobility.reference import rules
from mobility.reference.models import ProgrammeRule
from mobility.reference.services import rule_publish
from mobility.resettlement import services
from mobility.resettlement.dashboards import resettlement_dashboard
from mobility.resettlement.models import ApplicationEvent, Budget, QuotaUsage
from tests.factories import (
    CentreMembershipFactory,
    OrganisationMembershipFactory,
    SeekerProfileFactory,
    UserFactory,
    VacancyFactory,
    centre,
)
from tests.factories import region as region_of
from tests.resettlement.web_factories import application

URL = "/en/resettlement/staff/dashboard/"


@pytest.fixture
def finance(db):
    return CentreMembershipFactory(
        user=UserFactory(email="finance@example.kz"), centre=centre("KZ-55-LMC"), role="programme_finance"
    ).user


def _pavlodar_quota():
    return next(q for q in rules.quotas(year=2026, category="resettler") if q.region.code == "KZ-55")


@pytest.mark.django_db
def test_quotas_budgets_and_stages_of_the_region(client, yerlan, marat):
    quota = _pavlodar_quota()
    QuotaUsage.objects.create(quota=quota, limit=quota.persons, used=12)
    Budget.objects.create(
        region=region_of("KZ-55"),
        category="resettler",
        year=2026,
        allocated=100_000_000,
        committed=7_028_125,
        paid=5_000_000,
    )
    Budget.objects.create(region=region_of("KZ-59"), category="resettler", year=2026, allocated=1)
    today = timezone.localdate()
    now = timezone.now()
    application(by=marat, submitted=now - dt.timedelta(days=5), forward_due_on=today - dt.timedelta(days=3))
    application(by=marat, submitted=now)
    application(by=marat, status="forwarded", submitted=now - dt.timedelta(days=2))
    application(by=marat, destination="KZ-59")  # North Kazakhstan: not Yerlan's region

    client.force_login(yerlan)
    response = client.get(URL)
    assert response.status_code == 200
    board = response.context["board"]
    pavlodar = {(q.region.code, q.category): q for q in board.quotas}
    assert (pavlodar["KZ-55", "resettler"].used, pavlodar["KZ-55", "resettler"].left) == (12, 1655 - 12)
    assert pavlodar["KZ-55", "kandas"].used == 0
    assert {q.region.code for q in board.quotas} == {"KZ-55"}
    assert [(b.region.code, b.committed, b.paid, b.available) for b in board.budgets] == [
        ("KZ-55", 7_028_125, 5_000_000, 100_000_000 - 7_028_125 - 5_000_000)
    ]
    stages = {s.status: s for s in board.stages}
    assert (stages["submitted"].count, stages["submitted"].overdue, stages["submitted"].oldest_days) == (
        2,
        1,
        5,
    )
    assert (stages["forwarded"].count, stages["forwarded"].oldest_days) == (1, 2)
    assert stages["checked"].count == 0
    body = response.content.decode()
    assert "North Kazakhstan" not in body
    assert board.minimum_stay_months == 0  # off by default
    assert "Not configured" in body


@pytest.mark.django_db
def test_settlers_employed_after_3_and_12_months(yerlan, marat):
    now = timezone.now()
    hired, idle = SeekerProfileFactory(), SeekerProfileFactory()
    application(by=marat, person=hired.user, status="included", decided=now - dt.timedelta(days=200))
    application(by=marat, person=idle.user, status="certified", decided=now - dt.timedelta(days=100))
    application(by=marat, status="included", decided=now - dt.timedelta(days=10))  # too recent to count
    vacancy = VacancyFactory()
    employer = OrganisationMembershipFactory(organisation=vacancy.organisation).user
    job = exchange.application_create(
        seeker=hired, vacancy=vacancy, status=ApplicationStatus.APPLIED, by=hired.user
    )
    # Offered and hired through the exchange's services (PostgreSQL's trigger lets a status change
    # only as the newest step of its history), then dated 60 days after the inclusion: the date
    # alone changes, which the trigger does not watch.
    for step in (ApplicationStatus.OFFER, ApplicationStatus.HIRED):
        job = exchange.application_transition(application=job, to=step, by=employer)
    Application.objects.filter(pk=job.pk).update(updated_at=now - dt.timedelta(days=140))
    board = resettlement_dashboard(yerlan, year=2026)
    retention = {r.months: (r.employed, r.settled) for r in board.retention}
    assert retention == {3: (1, 2), 12: (0, 0)}


@pytest.mark.django_db
def test_who_sees_the_dashboard(
    client, finance, yerlan, dana, aigerim, admin_user, django_assert_max_num_queries
):
    for user, status in ((finance, 200), (yerlan, 200), (admin_user, 200), (dana, 403), (aigerim, 403)):
        client.force_login(user)
        assert client.get(URL).status_code == status, user
    client.logout()
    assert client.get(URL).status_code == 302  # to sign in
    client.force_login(admin_user)
    with django_assert_max_num_queries(20):
        board = client.get(URL).context["board"]
    assert {q.region.code for q in board.quotas} >= {"KZ-55", "KZ-59", "KZ-11"}  # every region


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [2, 20])
def test_query_count_does_not_grow_with_applications(client, yerlan, marat, django_assert_num_queries, rows):
    for _ in range(rows):
        application(by=marat, status="included", decided=timezone.now() - dt.timedelta(days=120))
    client.force_login(yerlan)
    client.get(URL)
    with django_assert_num_queries(12):
        assert client.get(URL).status_code == 200


@pytest.mark.django_db
def test_departures_before_a_configured_minimum_stay(client, yerlan, marat):
    """Off by default (above); once administrators publish a minimum stay, families who withdrew
    after their inclusion and before it ends are counted."""
    today = timezone.localdate()
    ProgrammeRule.objects.create(
        code="minimum_stay_months",
        mrp_multiplier=Decimal("60"),
        unit="months",
        valid_from=today.replace(month=1, day=1),
        version="stay-five-years",
    )
    rule_publish(version="stay-five-years", by=None)
    now = timezone.now()
    left_early = application(by=marat, status="included", decided=now - dt.timedelta(days=30))
    stayed = application(by=marat, status="submitted")
    # The read factory's row has no history: record how it got to "included".
    path = ["", "submitted", "forwarded", "checked", "included"]
    for source, target in zip(path, path[1:], strict=False):
        ApplicationEvent.objects.create(application=left_early, from_status=source, to_status=target)
    services.application_withdraw(application=left_early, by=left_early.person)
    services.application_withdraw(application=stayed, by=stayed.person)  # never included: not a departure

    client.force_login(yerlan)
    body = client.get(URL).content.decode()
    board = resettlement_dashboard(yerlan, year=today.year)
    assert (board.minimum_stay_months, board.early_departures) == (60, 1)
    assert "Minimum stay: 60 months" in body
    assert "Not configured" not in body
