"""On PostgreSQL, with threads: a quota and a budget cannot be overrun however many staff act at
once, and the ledger balances. RESETTLEMENT_NAIVE=1 runs the same tests with the row locks taken
out, to show they are what holds (they fail then: see the commit message that added them)."""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, connections

from mobility.accounts.models import CentreMembership
from mobility.reference.models import ReceptionQuota
from mobility.resettlement import services
from mobility.resettlement.models import (
    Budget,
    Certificate,
    QuotaUsage,
    ResettlementApplication,
)
from mobility.resettlement.services import applications as application_services
from mobility.resettlement.services import budget as budget_services
from tests.factories import CentreMembershipFactory, centre, region

from .factories import ApplicationFactory, included

N = 50
NAIVE = os.environ.get("RESETTLEMENT_NAIVE") == "1"

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_with_reference_data():
    if connection.vendor != "postgresql":
        pytest.skip("threads writing at once need PostgreSQL (SQLite serialises writers)")
    from django.apps import apps

    from mobility.reference.loader import load_reference

    load_reference(apps)  # transactional tests start from empty tables


@pytest.fixture
def naive(monkeypatch):
    """Without the locks: the usage and budget rows read plainly (lost updates become possible)."""
    if not NAIVE:
        return

    def usage_unlocked(application):
        quota = ReceptionQuota.objects.get(
            status="published",
            region=application.destination_region,
            year=application.year,
            category=application.category,
        )
        return QuotaUsage.objects.get(quota=quota)

    monkeypatch.setattr(application_services, "_quota_usage", usage_unlocked)
    monkeypatch.setattr(budget_services, "_locked", lambda budget: Budget.objects.get(pk=budget.pk))


def _staff(role: str):
    return CentreMembershipFactory(centre=centre("KZ-55-LMC"), role=role).user


def _all_at_once(work: Callable[[int], object], n: int = N) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(n)

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            try:
                work(i)
                outcome = "done"
            except ValidationError:
                outcome = "refused"
            except (IntegrityError, OperationalError) as error:
                outcome = type(error).__name__
            with lock:
                outcomes[outcome] += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return outcomes


def test_fifty_inclusions_against_ten_places_include_exactly_ten(naive):
    manager = _staff(CentreMembership.Role.REGIONAL_MANAGER)
    quota = ReceptionQuota.objects.get(
        status="published", region=region("KZ-55"), category="resettler", year=2026
    )
    QuotaUsage.objects.create(quota=quota, limit=quota.persons, used=quota.persons - 10)
    applications = [ApplicationFactory() for _ in range(N)]

    outcomes = _all_at_once(lambda i: services.application_include(application=applications[i], by=manager))

    included = ResettlementApplication.objects.filter(status="included").count()
    usage = QuotaUsage.objects.get(quota=quota)
    print(f"\ninclusions: {dict(outcomes)}; included {included}; quota used {usage.used}/{usage.limit}")
    assert included == 10
    assert usage.used == usage.limit == quota.persons
    assert outcomes == Counter({"done": 10, "refused": 40})


def test_fifty_certificates_against_a_budget_for_seven_issue_exactly_seven(naive):
    finance = _staff(CentreMembership.Role.PROGRAMME_FINANCE)
    applications = [included() for _ in range(N)]
    services.budget_allocate(
        region=region("KZ-55"), category="resettler", year=2026, amount=7 * 5_000_000, by=finance
    )

    outcomes = _all_at_once(
        lambda i: services.certificate_issue(
            application=applications[i], purpose="purchase", home_price=10_000_000, by=finance
        )
    )

    budget = Budget.objects.get()
    issued = Certificate.objects.filter(status="issued").count()
    print(
        f"\ncertificates: {dict(outcomes)}; issued {issued}; "
        f"committed {budget.committed} of {budget.allocated}"
    )
    assert issued == 7
    assert (budget.committed, budget.available) == (35_000_000, 0)
    assert services.ledger_totals(budget) == {
        "allocated": budget.allocated,
        "committed": budget.committed,
        "paid": budget.paid,
        "released": budget.released,
    }
    assert ResettlementApplication.objects.filter(status="certified").count() == 7


def test_the_ledger_balances_under_mixed_concurrent_work(naive):
    """Issue, revoke and pay at once: the balance row always equals the sum of its ledger."""
    finance = _staff(CentreMembership.Role.PROGRAMME_FINANCE)
    applications = [included() for _ in range(20)]
    services.budget_allocate(
        region=region("KZ-55"), category="resettler", year=2026, amount=60_000_000, by=finance
    )
    certificates = [
        services.certificate_issue(application=a, purpose="purchase", home_price=6_000_000, by=finance)
        for a in applications[:10]
    ]
    for certificate in certificates[5:]:
        services.certificate_present(certificate=certificate, by=finance)

    def work(i: int) -> None:
        if i < 5:
            services.certificate_revoke(certificate=certificates[i], by=finance, reason="cancelled sale")
        elif i < 10:
            services.certificate_pay(certificate=certificates[i], by=finance, treasury_reference=f"TR-{i}")
        else:
            services.certificate_issue(
                application=applications[i], purpose="purchase", home_price=12_000_000, by=finance
            )

    outcomes = _all_at_once(work, n=20)
    budget = Budget.objects.get()
    print(
        f"\nmixed: {dict(outcomes)}; {budget.allocated=} {budget.committed=} "
        f"{budget.paid=} {budget.released=}"
    )
    assert services.ledger_totals(budget) == {
        "allocated": budget.allocated,
        "committed": budget.committed,
        "paid": budget.paid,
        "released": budget.released,
    }
    assert budget.allocated >= budget.committed + budget.paid
    assert budget.paid == 5 * 3_000_000 and budget.released == 5 * 3_000_000
