"""Bulk upsert by external id and the Idempotency-Key contract: a retried POST returns the first
answer and creates nothing twice, sequentially and under concurrency (PostgreSQL, threads)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from mobility.api.models import IdempotencyRecord
from mobility.exchange.models import Vacancy
from tests.api.conftest import client_for, make_key
from tests.factories import OrganisationFactory

BATCH = {
    "vacancies": [
        {
            "external_id": f"HR-{n}",
            "title": f"Электромонтёр {n}",
            "region": "KZ-55",
            "salary_min": 200000,
            "salary_max": 300000,
            "required_skills": ["электромонтаж"],
            "status": "published",
        }
        for n in range(5)
    ]
}


@pytest.fixture
def verified_org(db):
    from django.utils import timezone

    from mobility.accounts.models import Organisation

    return OrganisationFactory(status=Organisation.Status.VERIFIED, verified_at=timezone.now())


def test_bulk_upsert_creates_then_updates_by_external_id(verified_org):
    client = client_for(secret=make_key(organisation=verified_org))
    first = client.post("/api/v1/vacancies/bulk/", BATCH, format="json")
    assert first.status_code == 200, first.content
    assert [r["action"] for r in first.json()["results"]] == ["created"] * 5
    changed = {"vacancies": [{**BATCH["vacancies"][0], "title": "Старший электромонтёр"}]}
    second = client.post("/api/v1/vacancies/bulk/", changed, format="json")
    assert second.json()["results"][0]["action"] == "updated"
    assert Vacancy.objects.filter(organisation=verified_org).count() == 5
    assert Vacancy.objects.get(organisation=verified_org, external_id="HR-0").title == "Старший электромонтёр"


def test_bulk_upsert_is_all_or_nothing_and_names_the_invalid_item(verified_org):
    client = client_for(secret=make_key(organisation=verified_org))
    bad = {"vacancies": [*BATCH["vacancies"][:2], {**BATCH["vacancies"][2], "salary_min": 10}]}
    response = client.post("/api/v1/vacancies/bulk/", bad, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [e["pointer"] for e in response.json()["errors"]] == ["#/vacancies/2/salary_min"]
    assert not Vacancy.objects.filter(organisation=verified_org).exists()


def test_same_idempotency_key_ten_times_one_copy_each(verified_org):
    client = client_for(secret=make_key(organisation=verified_org))
    answers = [
        client.post("/api/v1/vacancies/bulk/", BATCH, format="json", HTTP_IDEMPOTENCY_KEY="batch-1")
        for _ in range(10)
    ]
    assert {a.status_code for a in answers} == {200}
    assert all(a.json() == answers[0].json() for a in answers)
    assert [a.get("Idempotent-Replayed") for a in answers] == [None] + ["true"] * 9
    assert Vacancy.objects.filter(organisation=verified_org).count() == 5
    assert IdempotencyRecord.objects.count() == 1


def test_a_key_reused_for_another_request_is_refused(verified_org):
    client = client_for(secret=make_key(organisation=verified_org))
    client.post("/api/v1/vacancies/bulk/", BATCH, format="json", HTTP_IDEMPOTENCY_KEY="k")
    other = {"vacancies": BATCH["vacancies"][:1]}
    response = client.post("/api/v1/vacancies/bulk/", other, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"


def test_keys_are_per_client(verified_org):
    """Two clients may pick the same key without seeing each other's answers."""
    other = OrganisationFactory(status=verified_org.status, verified_at=verified_org.verified_at)
    a = client_for(secret=make_key(organisation=verified_org))
    b = client_for(secret=make_key(organisation=other))
    a.post("/api/v1/vacancies/bulk/", BATCH, format="json", HTTP_IDEMPOTENCY_KEY="same")
    response = b.post("/api/v1/vacancies/bulk/", BATCH, format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert response.get("Idempotent-Replayed") is None
    assert Vacancy.objects.filter(organisation=other).count() == 5


def test_a_validation_error_is_the_remembered_answer_too(verified_org):
    client = client_for(secret=make_key(organisation=verified_org))
    bad = {"vacancies": [{**BATCH["vacancies"][0], "salary_min": 10}]}
    first = client.post("/api/v1/vacancies/bulk/", bad, format="json", HTTP_IDEMPOTENCY_KEY="bad")
    again = client.post("/api/v1/vacancies/bulk/", bad, format="json", HTTP_IDEMPOTENCY_KEY="bad")
    assert first.status_code == again.status_code == 400
    assert again["Content-Type"] == "application/problem+json"
    assert again.json() == first.json()


def test_single_create_with_idempotency_key(verified_org):
    client = client_for(secret=make_key(organisation=verified_org))
    body = {"title": "Сварщик", "region": "KZ-55", "salary_min": 250000, "publish": True}
    first = client.post("/api/v1/vacancies/", body, format="json", HTTP_IDEMPOTENCY_KEY="one")
    second = client.post("/api/v1/vacancies/", body, format="json", HTTP_IDEMPOTENCY_KEY="one")
    assert first.status_code == second.status_code == 201
    assert first["Location"] == second["Location"]
    assert Vacancy.objects.filter(organisation=verified_org).count() == 1


def test_an_invalid_idempotency_key_is_a_named_error(verified_org):
    client = client_for(secret=make_key(organisation=verified_org))
    response = client.post("/api/v1/vacancies/bulk/", BATCH, format="json", HTTP_IDEMPOTENCY_KEY="x" * 300)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"


def _reference() -> None:
    """Transactional tests start from empty tables: load the migrated reference data."""
    from django.apps import apps

    from mobility.reference.loader import load_reference

    load_reference(apps)


def _hammer(secret: str, body: dict, key: str | None, n: int) -> list[int]:
    statuses: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(n)

    def worker() -> None:
        try:
            client = client_for(secret=secret)
            headers: dict[str, Any] = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
            barrier.wait(timeout=30)
            response = client.post("/api/v1/vacancies/bulk/", body, format="json", **headers)
            with lock:
                statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return statuses


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_retries_leave_one_copy_of_each_vacancy():
    if connection.vendor != "postgresql":
        pytest.skip("threads writing at once need PostgreSQL (SQLite serialises writers)")
    from django.utils import timezone

    _reference()
    org = OrganisationFactory(status="verified", verified_at=timezone.now())
    secret = make_key(organisation=org)
    statuses = _hammer(secret, BATCH, "concurrent-1", 10)
    assert statuses == [200] * 10
    assert Vacancy.objects.filter(organisation=org).count() == 5
    assert sorted(Vacancy.objects.filter(organisation=org).values_list("external_id", flat=True)) == [
        f"HR-{n}" for n in range(5)
    ]
    assert IdempotencyRecord.objects.filter(key="concurrent-1").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_upserts_without_a_key_still_never_duplicate():
    """The unique (organisation, external id) constraint holds the line even without a key."""
    if connection.vendor != "postgresql":
        pytest.skip("threads writing at once need PostgreSQL (SQLite serialises writers)")
    from django.utils import timezone

    _reference()
    org = OrganisationFactory(status="verified", verified_at=timezone.now())
    statuses = _hammer(make_key(organisation=org), BATCH, None, 10)
    assert statuses == [200] * 10
    assert Vacancy.objects.filter(organisation=org).count() == 5
