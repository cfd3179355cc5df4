"""The webhook fan-out never skips an audit entry that commits after a later one (issue #12).

Ids are handed out at insert, transactions commit in any order: reading "id > last" jumps past an
entry whose transaction is still open and never comes back. These run on PostgreSQL, with real
concurrent transactions; SQLite has a single writer, so ids are in commit order there.
"""

from __future__ import annotations

import random
import threading
import time

import pytest
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from mobility.api import webhooks
from mobility.api.models import WebhookDelivery, WebhookEvent
from mobility.core.audit import audit_log
from mobility.exchange.models import Vacancy
from tests.factories import OrganisationFactory, UserFactory, VacancyFactory
from tests.postgres import database_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(monkeypatch, settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (SQLite serialises writers)")
    monkeypatch.setattr(webhooks, "_enqueue", lambda delivery_id, at=None: None)  # count, do not send
    from django.apps import apps

    from mobility.reference.loader import load_reference

    load_reference(apps)  # transactional tests start from empty tables
    organisation = OrganisationFactory(status="verified", verified_at=timezone.now())
    owner = UserFactory()
    endpoint = webhooks.webhook_endpoint_create(
        organisation=organisation,
        url="https://hr.example.kz/hooks",
        events=[WebhookEvent.VACANCY_PUBLISHED],
        by=owner,
    )
    vacancy = VacancyFactory(organisation=organisation, status=Vacancy.Status.PUBLISHED)
    return endpoint, vacancy


def _published(vacancy: Vacancy) -> None:
    audit_log(
        actor=None, action="vacancy.status_changed", obj=vacancy, from_state="draft", to_state="published"
    )


def _delivered(endpoint) -> list[int | None]:
    return list(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("audit_entry_id", flat=True))


def test_an_entry_committed_after_a_later_one_is_still_delivered(world):
    endpoint, vacancy = world
    written, release = threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                _published(vacancy)  # takes the lower id
                written.set()
                release.wait(30)
        finally:
            close_old_connections()

    slow = threading.Thread(target=slow_writer)
    slow.start()
    assert written.wait(30)
    _published(vacancy)  # a higher id, committed first
    webhooks.webhooks_fan_out()  # the id-cursor version delivered this one and moved past the slow one

    release.set()
    slow.join(30)
    webhooks.webhooks_fan_out()

    delivered = _delivered(endpoint)
    assert len(delivered) == 2 and len(set(delivered)) == 2


def test_a_thousand_writes_from_fifty_threads_make_a_thousand_deliveries(world):
    endpoint, vacancy = world
    writers_done = threading.Event()
    errors: list[BaseException] = []

    def writer(seed: int) -> None:
        rng = random.Random(seed)  # noqa: S311 - timing jitter, not security
        try:
            for _ in range(20):
                with transaction.atomic():
                    _published(vacancy)
                    time.sleep(rng.random() / 200)  # commit in a different order than the ids
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            close_old_connections()

    def fan_out_loop() -> None:
        try:
            while not writers_done.is_set():
                webhooks.webhooks_fan_out()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            close_old_connections()

    fan = threading.Thread(target=fan_out_loop)
    fan.start()
    writers = [threading.Thread(target=writer, args=(n,)) for n in range(50)]
    for t in writers:
        t.start()
    for t in writers:
        t.join(120)
    writers_done.set()
    fan.join(60)
    while webhooks.webhooks_fan_out():
        pass

    assert errors == []
    delivered = _delivered(endpoint)
    assert len(delivered) == 1000
    assert len(set(delivered)) == 1000


def test_a_long_transaction_in_another_database_holds_nothing_back(world):
    """Only this database's transactions write its audit entries: a report or a dump running
    in another database of the same server (or another test worker's database) must not stop
    the fan-out until it ends, as the cluster-wide snapshot horizon did."""
    import psycopg

    endpoint, vacancy = world
    with psycopg.connect(database_url("postgres")) as other:
        other.execute("SELECT pg_current_xact_id()")  # a transaction with an id, left open
        _published(vacancy)
        webhooks.webhooks_fan_out()
        assert len(_delivered(endpoint)) == 1
        other.rollback()


def test_the_transaction_id_of_the_activity_view_is_widened_into_its_epoch():
    epoch = 3 << 32
    assert webhooks._widen(5, 10) == 5
    assert webhooks._widen(5, epoch + 10) == epoch + 5
    # a transaction that got its id since the snapshot (or this one's own): just above
    assert webhooks._widen(12, epoch + 10) == epoch + 12
    # just after a wrap of the low 32 bits: a transaction still running from before it
    assert webhooks._widen(0xFFFFFFF0, epoch + 10) == epoch - 16
    assert webhooks._widen(3, epoch - 16) == epoch + 3
