"""The resettlement services, step by step, with who may take each step."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mobility.core.models import AuditEntry, OutboxMessage
from mobility.core.workflow import MoveForbidden
from mobility.reference.models import ProgrammeRule, ReceivingSettlement, ReceptionQuota
from mobility.reference.services import rule_publish
from mobility.resettlement import services
from mobility.resettlement.models import (
    ApplicationMember,
    Budget,
    BudgetEntry,
    Certificate,
    Payment,
    QuotaUsage,
)
from tests.factories import UserFactory, region
from tests.files import PDF, upload

from .factories import ApplicationFactory, included

SINCE = dt.date(2020, 1, 1)


def submit(person, *, members=(), **extra):
    kwargs = {
        "person": person,
        "category": "resettler",
        "destination_region": region("KZ-55"),
        "settlement_type": "urban",
        "by": person,
        "consent": True,
        "permanent_registration_since": SINCE,
        "members": members,
        "destination_settlement": ReceivingSettlement.objects.get(region__code="KZ-55", name_en="Pavlodar"),
        **extra,
    }
    return services.application_submit(**kwargs)


def child(n=1):
    return services.MemberInput(UserFactory.build().iin, "Нұрова", f"Бала {n}", "child")


@pytest.mark.django_db
def test_the_whole_way_from_submission_to_a_paid_certificate(asel, marat, yerlan, aliya):
    application = submit(
        asel,
        members=[child()],
        documents=[("identity", upload("passport.pdf", PDF))],
    )
    assert application.status == "submitted"
    assert application.members.count() == 2
    assert application.case.person == asel and application.centre.code == "KZ-79-shy-alfarabi"
    assert application.forward_due_on > application.rules_on - dt.timedelta(days=1)
    assert {r["code"] for r in application.eligibility} >= {"registered_at_centre", "destination_receiving"}

    application = services.application_forward(application=application, by=marat)
    application = services.application_check(application=application, by=yerlan)
    application = services.application_include(application=application, by=yerlan)
    assert application.status == "included" and application.quota_persons == 2
    assert QuotaUsage.objects.get(quota__region__code="KZ-55", quota__category="resettler").used == 2

    services.budget_allocate(
        region=region("KZ-55"), category="resettler", year=application.year, amount=50_000_000, by=aliya
    )
    certificate = services.certificate_issue(
        application=application, purpose="purchase", home_price=20_000_000, by=aliya
    )
    assert certificate.amount == 7_028_125 and certificate.cap == 7_028_125
    certificate = services.certificate_present(
        certificate=certificate, by=aliya, agreement=upload("agreement.pdf", PDF)
    )
    assert certificate.status == "presented"
    certificate = services.certificate_pay(certificate=certificate, by=aliya, treasury_reference="TR-1")
    assert certificate.status == "paid"
    application.refresh_from_db()
    assert application.status == "completed"
    budget = Budget.objects.get(region__code="KZ-55", category="resettler", year=application.year)
    assert (budget.allocated, budget.committed, budget.paid) == (50_000_000, 0, 7_028_125)
    assert services.ledger_totals(budget) == {
        "allocated": budget.allocated,
        "committed": budget.committed,
        "paid": budget.paid,
        "released": budget.released,
    }
    steps = list(application.events.values_list("to_status", flat=True))
    assert steps == ["submitted", "forwarded", "checked", "included", "certified", "completed"]
    assert list(certificate.events.values_list("to_status", flat=True)) == ["issued", "presented", "paid"]
    templates = set(OutboxMessage.objects.filter(person=asel).values_list("template", flat=True))
    assert templates == {
        "resettlement_submitted",
        "resettlement_included",
        "resettlement_certificate_issued",
        "resettlement_certificate_paid",
    }
    assert AuditEntry.objects.filter(
        action="resettlement_application.included", programme="resettlement"
    ).exists()


@pytest.mark.django_db
def test_an_ineligible_person_is_told_every_failed_rule(db):
    person = UserFactory()
    with pytest.raises(ValidationError) as refused:
        submit(person, centre=None, permanent_registration_since=None, destination_region=region("KZ-61"))
    assert refused.value.message_dict.keys() == {"eligibility"}
    assert len(refused.value.message_dict["eligibility"]) == 3


@pytest.mark.django_db
def test_consent_is_required(asel):
    with pytest.raises(ValidationError) as refused:
        submit(asel, consent=False)
    assert "consent" in refused.value.message_dict


@pytest.mark.django_db
def test_nobody_is_in_two_active_applications(asel, yerlan):
    spouse = services.MemberInput(UserFactory.build().iin, "Нұров", "Ерік", "spouse")
    first = ApplicationFactory(status="checked")
    ApplicationMember.objects.create(
        application=first, iin=spouse.iin, last_name="Нұров", first_name="Ерік", relation="spouse"
    )
    with pytest.raises(ValidationError) as refused:
        submit(asel, members=[spouse])
    assert "members" in refused.value.message_dict
    services.application_refuse(application=first, by=yerlan, reason="incomplete_documents")
    assert submit(asel, members=[spouse]).members.count() == 2


@pytest.mark.django_db
def test_an_invalid_iin_is_refused_by_name(asel):
    with pytest.raises(ValidationError) as refused:
        submit(asel, members=[services.MemberInput("123456789012", "Нұрова", "Айша", "child")])
    assert "Айша" in " ".join(refused.value.message_dict["members"])


@pytest.mark.django_db
def test_each_step_belongs_to_its_side(asel, marat, yerlan, dana, aliya):
    application = submit(asel)
    with pytest.raises(MoveForbidden):
        services.application_forward(application=application, by=yerlan)  # not the career centre of origin
    with pytest.raises(ValidationError):
        services.application_forward(application=application, by=asel)
    application = services.application_forward(application=application, by=marat)
    with pytest.raises(MoveForbidden):
        services.application_check(application=application, by=dana)  # Pavlodar counsellor, not a manager
    application = services.application_check(application=application, by=yerlan)
    with pytest.raises(MoveForbidden):
        services.application_include(application=application, by=aliya)
    with pytest.raises(ValidationError) as no_reason:
        services.application_refuse(application=application, by=yerlan, reason="  ")
    assert "reason" in no_reason.value.message_dict


@pytest.mark.django_db
def test_inclusion_never_exceeds_the_quota(yerlan):
    quota = ReceptionQuota.objects.get(
        region__code="KZ-55", category="resettler", year=2026, status="published"
    )
    QuotaUsage.objects.create(quota=quota, limit=quota.persons, used=quota.persons - 2)
    family_of_three = ApplicationFactory(family=3)
    with pytest.raises(ValidationError) as refused:
        services.application_include(application=family_of_three, by=yerlan)
    assert "2" in refused.value.message_dict["status"][0]  # says how many places are left
    couple = ApplicationFactory(family=2)
    services.application_include(application=couple, by=yerlan)
    assert QuotaUsage.objects.get(quota=quota).left == 0


@pytest.mark.django_db
def test_withdrawing_after_inclusion_gives_the_places_back(asel, yerlan):
    application = ApplicationFactory(family=2, case__person=asel)
    services.application_include(application=application, by=yerlan)
    usage = QuotaUsage.objects.get()
    assert usage.used == 2
    services.application_withdraw(application=application, by=asel)
    usage.refresh_from_db()
    assert usage.used == 0
    assert not ApplicationMember.objects.filter(active=True).exists()


@pytest.mark.django_db
def test_a_certificate_needs_budget(aliya):
    application = included()
    with pytest.raises(ValidationError) as refused:
        services.certificate_issue(
            application=application, purpose="purchase", home_price=20_000_000, by=aliya
        )
    assert "budget" in refused.value.message_dict
    services.budget_allocate(
        region=region("KZ-55"), category="resettler", year=2026, amount=5_000_000, by=aliya
    )
    with pytest.raises(ValidationError):
        services.certificate_issue(
            application=application, purpose="purchase", home_price=20_000_000, by=aliya
        )
    certificate = services.certificate_issue(
        application=application, purpose="mortgage", home_price=10_000_000, by=aliya
    )
    assert certificate.amount == 5_000_000
    assert Budget.objects.get().available == 0


@pytest.mark.django_db
def test_revoking_releases_the_budget_and_lets_a_new_certificate_be_issued(aliya, asel):
    application = included(case__person=asel)
    services.budget_allocate(
        region=region("KZ-55"), category="resettler", year=2026, amount=7_028_125, by=aliya
    )
    first = services.certificate_issue(
        application=application, purpose="purchase", home_price=30_000_000, by=aliya
    )
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=first, by=aliya, reason="")
    services.certificate_revoke(certificate=first, by=aliya, reason="The sale agreement was cancelled")
    budget = Budget.objects.get()
    assert (budget.committed, budget.released, budget.available) == (0, 7_028_125, 7_028_125)
    application.refresh_from_db()
    assert application.status == "included"
    second = services.certificate_issue(
        application=application, purpose="construction", home_price=14_000_000, by=aliya
    )
    assert second.amount == 7_000_000
    assert OutboxMessage.objects.filter(template="resettlement_certificate_revoked", person=asel).exists()


@pytest.mark.django_db
def test_an_unpresented_certificate_expires_and_the_budget_gets_it_back(aliya):
    application = included()
    services.budget_allocate(
        region=region("KZ-55"), category="resettler", year=2026, amount=10_000_000, by=aliya
    )
    certificate = services.certificate_issue(
        application=application, purpose="purchase", home_price=8_000_000, by=aliya
    )
    assert services.certificates_expire_due(today=certificate.valid_until) == []
    assert services.certificates_expire_due(today=certificate.valid_until + dt.timedelta(days=1)) == [
        certificate.pk
    ]
    certificate.refresh_from_db()
    assert certificate.status == "expired"
    assert Budget.objects.get().committed == 0


@pytest.mark.django_db
def test_publishing_2027_rules_changes_nothing_decided_in_2026(aliya, admin_user):
    application = included()
    services.budget_allocate(
        region=region("KZ-55"), category="resettler", year=2026, amount=30_000_000, by=aliya
    )
    issued = services.certificate_issue(
        application=application, purpose="purchase", home_price=20_000_000, by=aliya
    )
    ProgrammeRule.objects.create(
        code="certificate_cap",
        mrp_multiplier=Decimal("3000"),
        valid_from=dt.date(2027, 1, 1),
        version="budget-2027",
    )
    rule_publish(version="budget-2027", by=admin_user)
    issued.refresh_from_db()
    assert issued.amount == issued.cap == 7_028_125
    services.certificate_revoke(certificate=issued, by=aliya, reason="price changed")
    again = services.certificate_issue(
        application=application, purpose="purchase", home_price=20_000_000, by=aliya
    )
    assert again.cap == 7_028_125  # the application's own date still decides


@pytest.mark.django_db
def test_payments_are_recorded_once_however_often_confirmed_or_exported(aliya, asel, admin_user):
    application = included(family=4, case__person=asel)
    services.budget_allocate(
        region=region("KZ-55"), category="resettler", year=2026, amount=10_000_000, by=aliya
    )
    relocation = services.payment_schedule_create(application=application, measure="relocation", by=aliya)
    assert relocation.total == 1_211_000
    assert (
        services.payment_schedule_create(application=application, measure="relocation", by=aliya)
        == relocation
    )
    with pytest.raises(ValidationError) as no_amount:
        services.payment_schedule_create(application=application, measure="rent", by=aliya)
    assert "monthly_amount" in no_amount.value.message_dict
    rent = services.payment_schedule_create(
        application=application, measure="rent", by=aliya, monthly_amount=100_000
    )
    assert rent.payments.count() == 12 and rent.total == 1_200_000

    due = timezone.localdate() + dt.timedelta(days=400)
    first = services.payment_register_csv(region=region("KZ-55"), by=aliya, due_until=due)
    second = services.payment_register_csv(region=region("KZ-55"), by=aliya, due_until=due)
    assert first == second
    rows = list(csv.DictReader(io.StringIO(first)))
    assert len(rows) == 13 and rows[0]["recipient_iin"] == asel.iin
    assert Payment.objects.filter(first_exported_at__isnull=True).count() == 0

    payment = relocation.payments.get()
    for _ in range(3):
        services.payment_confirm(payment=payment, by=aliya, treasury_reference="TR-7")
    assert BudgetEntry.objects.filter(kind="pay").count() == 1
    budget = Budget.objects.get()
    assert (budget.paid, budget.committed) == (1_211_000, 1_200_000)
    after = services.payment_register_csv(region=region("KZ-55"), by=admin_user, due_until=due)
    assert len(list(csv.DictReader(io.StringIO(after)))) == 12


@pytest.mark.django_db
def test_only_the_regions_finance_officer_exports_and_confirms(dana, yerlan, aliya):
    application = included()
    services.budget_allocate(
        region=region("KZ-55"), category="resettler", year=2026, amount=2_000_000, by=aliya
    )
    schedule = services.payment_schedule_create(application=application, measure="relocation", by=aliya)
    for stranger in (dana, yerlan):
        with pytest.raises(MoveForbidden):
            services.payment_register_csv(region=region("KZ-55"), by=stranger, due_until=dt.date(2030, 1, 1))
        with pytest.raises(MoveForbidden):
            services.payment_confirm(payment=schedule.payments.get(), by=stranger)
    with pytest.raises(MoveForbidden):
        services.budget_allocate(region=region("KZ-55"), category="resettler", year=2026, amount=1, by=yerlan)
    assert not Certificate.objects.exists()
