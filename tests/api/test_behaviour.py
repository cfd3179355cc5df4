"""Pagination, filters, ETags, throttling, errors, authentication, key rotation and revocation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mobility.accounts.models import Organisation
from mobility.api import services as api_services
from mobility.api.models import ApiKey
from mobility.exchange.models import Vacancy, VacancySkill
from tests.api.conftest import client_for, make_key
from tests.factories import OrganisationFactory, UserFactory, region


@pytest.fixture
def thousand_vacancies(db):
    org = OrganisationFactory(status=Organisation.Status.VERIFIED, verified_at=timezone.now())
    now = timezone.now()
    rows = [
        Vacancy(
            organisation=org,
            title=f"Vacancy {n}",
            region=region("KZ-55"),
            salary_min=200_000,
            status=Vacancy.Status.PUBLISHED,
            published_at=now,
        )
        for n in range(1000)
    ]
    vacancies = Vacancy.objects.bulk_create(rows)
    VacancySkill.objects.bulk_create(
        [VacancySkill(vacancy=v, name=f"skill {k}") for v in vacancies for k in range(2)]
    )
    return org


def test_listing_1000_vacancies_page_by_page_costs_the_same_queries_per_page(thousand_vacancies):
    client = client_for()
    url = "/api/v1/vacancies/?page_size=100"
    seen: set[int] = set()
    counts = []
    while url:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        body = response.json()
        seen |= {row["id"] for row in body["results"]}
        counts.append(len(queries))
        url = body["next"]
    assert len(seen) == 1000
    assert len(counts) == 10
    assert len(set(counts)) == 1, counts
    assert counts[0] <= 3  # vacancies, their skills (prefetch), and nothing per row


def test_filters_q_and_ordering(world):
    client = client_for()
    assert [v["title"] for v in client.get("/api/v1/vacancies/?q=электромонтёр").json()["results"]] == [
        "Электромонтёр"
    ]
    ids = [v["id"] for v in client.get("/api/v1/vacancies/?ordering=id").json()["results"]]
    assert ids == sorted(ids)
    response = client.get("/api/v1/vacancies/?status=nonsense")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "status"


def test_etag_and_if_none_match(world):
    client = client_for()
    url = f"/api/v1/vacancies/{world.bolat_published.id}/"
    first = client.get(url)
    etag = first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    Vacancy.objects.filter(pk=world.bolat_published.pk).update(title="Новое название")
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_throttling_answers_429_with_retry_after(world, settings, bolat_org):
    secret = make_key(organisation=bolat_org, rate=3)
    client = client_for(secret=secret)
    statuses = [client.get("/api/v1/vacancies/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/vacancies/")
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 429
    # Each client has its own budget.
    assert (
        client_for(secret=make_key(organisation=bolat_org, rate=3)).get("/api/v1/vacancies/").status_code
        == 200
    )


def test_anonymous_throttle(world, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}
    client = client_for()
    assert [client.get("/api/v1/reference/regions/").status_code for _ in range(3)] == [200, 200, 429]


def test_validation_uses_the_web_form_rules(bolat, bolat_org):
    client = client_for(user=bolat)
    body = {
        "title": "Бухгалтер",
        "region": "KZ-55",
        "salary_min": 300000,
        "salary_max": 200000,
        "expires_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
    }
    response = client.post("/api/v1/vacancies/", body, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"salary_max", "expires_on"}
    response = client.post("/api/v1/vacancies/", {"region": "KZ-99"}, format="json")
    assert {e["field"] for e in response.json()["errors"]} == {"title", "region"}


def test_errors_come_in_the_callers_language(world, bolat):
    client = client_for(user=bolat)
    ru = client.post("/api/v1/vacancies/", {"region": "KZ-55"}, format="json", HTTP_ACCEPT_LANGUAGE="ru")
    en = client.post("/api/v1/vacancies/", {"region": "KZ-55"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert ru.json()["errors"][0]["detail"] != en.json()["errors"][0]["detail"]


def test_session_users_need_csrf_for_writes(bolat):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(bolat)
    response = client.post("/api/v1/vacancies/", {"title": "x"}, content_type="application/json")
    assert response.status_code == 403


def test_bad_credentials(world):
    for header in ("Bearer nonsense", "Bearer mk_000000000000_nope", "Bearer a b"):
        response = client_for().get("/api/v1/applications/", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_rotation_and_revocation(world, bolat_org, bolat):
    key, secret = api_services.api_key_create(
        name="ERP", scopes=["vacancies:read"], by=bolat, organisation=bolat_org
    )
    assert client_for(secret=secret).get("/api/v1/organisations/").status_code == 200
    new, new_secret = api_services.api_key_rotate(key=key, by=bolat)
    assert client_for(secret=secret).get("/api/v1/organisations/").status_code == 401
    assert client_for(secret=new_secret).get("/api/v1/organisations/").status_code == 200
    assert new.scopes == ["vacancies:read"] and new.rotated_from_id == key.pk
    # With a grace period the old secret keeps working until it expires.
    newer, newer_secret = api_services.api_key_rotate(key=new, by=bolat, grace=dt.timedelta(hours=1))
    assert client_for(secret=new_secret).get("/api/v1/organisations/").status_code == 200
    api_services.api_key_revoke(key=newer, by=bolat)
    assert client_for(secret=newer_secret).get("/api/v1/organisations/").status_code == 401
    assert ApiKey.objects.get(pk=key.pk).secret_hash != secret  # only the hash is stored


def test_key_scopes_must_fit_the_binding(bolat_org):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        api_services.api_key_create(name="x", scopes=["registrations:read"], by=None, organisation=bolat_org)


def test_personal_token_acts_as_its_owner_until_revoked(world, aigerim):
    token, secret = api_services.personal_token_create(user=aigerim, name="script")
    client = client_for(secret=secret)
    assert client.get("/api/v1/seekers/me/").json()["id"] == world.aigerim_profile.id
    api_services.personal_token_revoke(token=token, by=aigerim)
    assert client.get("/api/v1/seekers/me/").status_code == 401


def test_seeker_applies_and_employer_moves_the_application(world, aigerim, bolat, timur):
    seeker = client_for(user=timur)
    response = seeker.post(
        "/api/v1/applications/",
        {"vacancy": world.bolat_published.id},
        format="json",
        HTTP_IDEMPOTENCY_KEY="a1",
    )
    assert response.status_code == 201, response.content
    application_id = response.json()["id"]
    employer = client_for(user=bolat)
    url = f"/api/v1/applications/{application_id}/transition/"
    moved = employer.post(url, {"to": "shortlisted"}, format="json")
    assert moved.status_code == 200 and moved.json()["status"] == "shortlisted"
    # The seeker may not shortlist; the employer may not withdraw for the seeker.
    assert (
        seeker.post(
            f"/api/v1/applications/{application_id}/transition/", {"to": "offer"}, format="json"
        ).status_code
        == 403
    )
    rejected = employer.post(
        f"/api/v1/applications/{application_id}/transition/", {"to": "rejected"}, format="json"
    )
    assert rejected.status_code == 400
    assert rejected.json()["errors"][0]["field"] == "reason"


def test_schema_and_offline_docs(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower() and "https://" not in html
    assert "drf_spectacular_sidecar" in html
    # The split view keeps its script in a file: nothing inline for the CSP to block.
    assert "<script>" not in html
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content
    assert "script-src 'self'" in docs["Content-Security-Policy"]


def test_reference_endpoints_keep_working(db):
    client = client_for()
    for kind in ("skills", "occupations"):
        response = client.get(f"/api/v1/reference/{kind}/?q=электр&lang=kk")
        assert response.status_code == 200 and isinstance(response.json()["results"], list)
        too_short = client.get(f"/api/v1/reference/{kind}/?q=э")
        assert too_short.status_code == 400
        assert too_short.json()["errors"][0]["field"] == "q"
    regions = client.get("/api/v1/reference/regions/").json()
    pavlodar = next(r for r in regions if r["code"] == "KZ-55")
    assert pavlodar["kind"] == "oblast" and pavlodar["name_en"]


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["password", "sign_out_everywhere"])
def test_a_personal_token_ends_with_the_sessions(change):
    """A new password or "sign out everywhere" ends personal tokens too, as it ends sessions."""
    from mobility.accounts.services import user_sign_out_everywhere

    user = UserFactory(password="Old-password-2026")
    token, secret = api_services.personal_token_create(user=user, name="script")
    assert api_services.personal_token_authenticate(token.prefix, secret) == token

    if change == "password":
        user.set_password("New-password-2026")
        user.save()
    else:
        user_sign_out_everywhere(user=user)
    user.refresh_from_db()
    assert api_services.personal_token_authenticate(token.prefix, secret) is None

    fresh, fresh_secret = api_services.personal_token_create(user=user, name="new")
    assert api_services.personal_token_authenticate(fresh.prefix, fresh_secret) == fresh


@pytest.mark.django_db
def test_the_token_page_says_a_token_was_ended_by_a_new_password(client):
    user = UserFactory(password="Old-password-2026")
    api_services.personal_token_create(user=user, name="script")
    user.set_password("New-password-2026")
    user.save()
    client.force_login(user)
    page = client.get("/en/accounts/api-tokens/").content.decode()
    assert "Ended by a new password or signing out everywhere" in page
    assert "Revoke</button>" not in page
