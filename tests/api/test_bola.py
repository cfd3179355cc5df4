"""Broken object-level authorisation (OWASP API1): every object endpoint × every role and every
key scope. The owner or the scoped staff get the object; everybody else gets 404 (anonymous
callers 401 before any lookup), and no answer ever carries another party's data. Collections
list exactly what the caller may see."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from mobility.api import services as api_services
from mobility.api.models import CENTRE_SCOPES, ORGANISATION_SCOPES
from tests.api.conftest import client_for, make_key
from tests.factories import centre

ORG_SCOPES = [str(s) for s in ORGANISATION_SCOPES]
CTR_SCOPES = [str(s) for s in CENTRE_SCOPES]


@pytest.fixture
def callers(world, aigerim, timur, bolat, bolat_org, other_org, dana, yerlan, marat, admin_user):
    """name → API client. Keys: one per scope alone, one with every scope, for Bolat's
    organisation and for the Pavlodar city centre; other parties' keys with every scope."""
    _token, token_secret = api_services.personal_token_create(user=aigerim, name="phone")
    out: dict[str, Any] = {
        "anonymous": client_for(),
        "aigerim": client_for(user=aigerim),
        "aigerim_token": client_for(secret=token_secret),
        "timur": client_for(user=timur),
        "bolat": client_for(user=bolat),
        "other_org": client_for(user=other_org.memberships.get().user),
        "dana": client_for(user=dana),
        "yerlan": client_for(user=yerlan),
        "marat": client_for(user=marat),
        "admin": client_for(user=admin_user),
        "key_bolat_all": client_for(secret=make_key(organisation=bolat_org)),
        "key_other_org_all": client_for(secret=make_key(organisation=other_org)),
        "key_pavlodar_all": client_for(secret=make_key(centre_obj=centre("KZ-55-pavlodar"))),
        "key_shymkent_all": client_for(secret=make_key(centre_obj=centre("KZ-79-shy-alfarabi"))),
    }
    for scope in ORG_SCOPES:
        out[f"key_bolat[{scope}]"] = client_for(secret=make_key(organisation=bolat_org, scopes=[scope]))
    for scope in CTR_SCOPES:
        out[f"key_pavlodar[{scope}]"] = client_for(
            secret=make_key(centre_obj=centre("KZ-55-pavlodar"), scopes=[scope])
        )
    return out


def _bolat_keys(*scopes: str) -> set[str]:
    """Bolat's organisation's keys holding every scope named."""
    names = {"key_bolat_all"}
    if len(scopes) == 1:
        names.add(f"key_bolat[{scopes[0]}]")
    if not scopes:
        names |= {f"key_bolat[{s}]" for s in ORG_SCOPES}
    return names


def _pavlodar_keys(*scopes: str) -> set[str]:
    names = {"key_pavlodar_all"}
    if len(scopes) == 1:
        names.add(f"key_pavlodar[{scopes[0]}]")
    return names


AIGERIM = {"aigerim", "aigerim_token"}
CENTRE_STAFF = {"dana", "yerlan", "admin"}


@dataclass
class Case:
    name: str
    method: str
    url: Callable[[Any], str]
    allowed: set[str]
    body: dict[str, Any] | None = None
    ok: tuple[int, ...] = (200,)
    anonymous: int = 401  # 404 where anonymous callers may read the public part
    secret: Callable[[Any], list[str]] = lambda w: []  # noqa: E731


CASES = [
    Case(
        "vacancy draft (read)",
        "get",
        lambda w: f"/api/v1/vacancies/{w.bolat_draft.id}/",
        {"bolat", "admin"} | _bolat_keys("vacancies:read"),
        secret=lambda w: [w.bolat_draft.title],
        anonymous=404,
    ),
    Case(
        "vacancy (update)",
        "patch",
        lambda w: f"/api/v1/vacancies/{w.bolat_draft.id}/",
        {"bolat", "admin"} | _bolat_keys("vacancies:write"),
        body={"settlement": "Павлодар"},
        secret=lambda w: [w.bolat_draft.title],
    ),
    Case(
        "published vacancy of another organisation (update)",
        "patch",
        lambda w: f"/api/v1/vacancies/{w.objects['other_published'].id}/",
        {"admin", "key_other_org_all", "other_org"},
        body={"settlement": "Шымкент"},
    ),
    Case(
        "vacancy (status)",
        "post",
        lambda w: f"/api/v1/vacancies/{w.bolat_draft.id}/status/",
        {"bolat", "admin"} | _bolat_keys("vacancies:write"),
        body={"status": "draft"},
        secret=lambda w: [w.bolat_draft.title],
    ),
    Case(
        "vacancy candidates",
        "get",
        lambda w: f"/api/v1/vacancies/{w.bolat_published.id}/candidates/",
        {"bolat", "admin"} | _bolat_keys("matches:read"),
    ),
    Case(
        "organisation",
        "get",
        lambda w: f"/api/v1/organisations/{w.bolat_draft.organisation_id}/",
        {"bolat", "admin"} | _bolat_keys(),
        secret=lambda w: [w.bolat_draft.organisation.bin],
    ),
    Case(
        "seeker profile",
        "get",
        lambda w: f"/api/v1/seekers/{w.aigerim_profile.id}/",
        AIGERIM | CENTRE_STAFF | _pavlodar_keys("registrations:read"),
        secret=lambda w: [w.aigerim_profile.user.email],
    ),
    Case(
        "seeker matches",
        "get",
        lambda w: f"/api/v1/seekers/{w.aigerim_profile.id}/matches/",
        AIGERIM | CENTRE_STAFF | {"key_pavlodar_all"},
    ),
    Case(
        "registration",
        "get",
        lambda w: f"/api/v1/registrations/{w.aigerim_registration.id}/",
        AIGERIM | CENTRE_STAFF | _pavlodar_keys("registrations:read"),
    ),
    Case(
        "application",
        "get",
        lambda w: f"/api/v1/applications/{w.aigerim_application.id}/",
        AIGERIM | {"bolat", "admin"} | _bolat_keys("applications:read"),
        secret=lambda w: [w.aigerim_profile.user.email],
    ),
    Case(
        # "invited" is a move neither side may make: the owners get 403 after the lookup,
        # everybody else 404 from the lookup itself.
        "application (transition)",
        "post",
        lambda w: f"/api/v1/applications/{w.aigerim_application.id}/transition/",
        AIGERIM | {"bolat", "admin"} | _bolat_keys("applications:write"),
        body={"to": "invited"},
        ok=(403,),
        secret=lambda w: [w.aigerim_profile.user.email],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_only_owners_and_scoped_staff_get_the_object(world, callers, case):
    failures = []
    secrets = case.secret(world)
    for name, client in callers.items():
        kwargs: dict[str, Any] = {"format": "json"} if case.body is not None else {}
        response = getattr(client, case.method)(case.url(world), case.body, **kwargs)
        text = response.content.decode()
        if name in case.allowed:
            if response.status_code not in case.ok:
                failures.append(f"{name}: expected {case.ok}, got {response.status_code} {text[:200]}")
            continue
        expected = case.anonymous if name == "anonymous" else 404
        if response.status_code != expected:
            failures.append(f"{name}: expected {expected}, got {response.status_code} {text[:200]}")
        if response["Content-Type"] != "application/problem+json":
            failures.append(f"{name}: not a problem document")
        leaked = [s for s in secrets if s and s in text]
        if leaked:
            failures.append(f"{name}: leaked {leaked}")
    assert not failures, "\n".join(failures)


def _ids(client, url: str) -> set[int]:
    ids: set[int] = set()
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        ids |= {row["id"] for row in body["results"]}
        url = body["next"]
    return ids


def test_collections_list_exactly_what_the_caller_may_see(world, callers):
    w = world
    published = {w.bolat_published.id, w.objects["other_published"].id}
    applications = {w.aigerim_application.id, w.timur_application.id}
    expectations: dict[str, dict[str, set[int] | int]] = {
        "/api/v1/vacancies/": {
            "anonymous": published,
            "aigerim": published,
            "timur": published,
            "bolat": published | {w.bolat_draft.id},
            "other_org": published | {w.other_draft.id},
            "dana": published,
            "marat": published,
            "admin": published | {w.bolat_draft.id, w.other_draft.id},
            "key_bolat_all": published | {w.bolat_draft.id},
            "key_bolat[vacancies:write]": published,
            "key_other_org_all": published | {w.other_draft.id},
            "key_pavlodar_all": published,
        },
        "/api/v1/applications/": {
            "anonymous": 401,
            "aigerim": {w.aigerim_application.id},
            "aigerim_token": {w.aigerim_application.id},
            "timur": {w.timur_application.id},
            "bolat": {w.aigerim_application.id},
            # Another organisation is not verified yet: it reads no application (issue #11).
            "other_org": set(),
            "dana": set(),
            "admin": applications,
            "key_bolat_all": {w.aigerim_application.id},
            "key_bolat[applications:read]": {w.aigerim_application.id},
            "key_bolat[vacancies:read]": 403,
            "key_other_org_all": set(),
            "key_pavlodar_all": 403,
        },
        "/api/v1/seekers/": {
            "anonymous": 401,
            "aigerim": {w.aigerim_profile.id},
            "timur": {w.timur_profile.id},
            "bolat": set(),
            "dana": {w.aigerim_profile.id},
            "yerlan": {w.aigerim_profile.id},
            "marat": {w.timur_profile.id},
            "admin": {w.aigerim_profile.id, w.timur_profile.id},
            "key_pavlodar_all": {w.aigerim_profile.id},
            "key_pavlodar[matches:read]": 403,
            "key_shymkent_all": {w.timur_profile.id},
            "key_bolat_all": 403,
        },
        "/api/v1/registrations/": {
            "anonymous": 401,
            "aigerim": {w.aigerim_registration.id},
            "timur": {w.timur_registration.id},
            "bolat": set(),
            "dana": {w.aigerim_registration.id},
            "yerlan": {w.aigerim_registration.id},
            "marat": {w.timur_registration.id},
            "admin": {w.aigerim_registration.id, w.timur_registration.id},
            "key_pavlodar[registrations:read]": {w.aigerim_registration.id},
            "key_shymkent_all": {w.timur_registration.id},
            "key_bolat_all": 403,
        },
        "/api/v1/organisations/": {
            "anonymous": 401,
            "aigerim": set(),
            "bolat": {w.bolat_draft.organisation_id},
            "other_org": {w.other_draft.organisation_id},
            "dana": set(),
            "key_bolat[matches:read]": {w.bolat_draft.organisation_id},
            "key_pavlodar_all": set(),
            "admin": {w.bolat_draft.organisation_id, w.other_draft.organisation_id},
        },
    }
    failures = []
    for url, by_caller in expectations.items():
        for name, expected in by_caller.items():
            client = callers[name]
            if isinstance(expected, int):
                status = client.get(url).status_code
                if status != expected:
                    failures.append(f"{url} {name}: expected {expected}, got {status}")
                continue
            got = _ids(client, url)
            if got != expected:
                failures.append(f"{url} {name}: expected {sorted(expected)}, got {sorted(got)}")
    assert not failures, "\n".join(failures)


def test_no_filter_widens_what_a_caller_sees(world, callers):
    """Filters only narrow: asking for another organisation's drafts finds none."""
    other_org_id = world.other_draft.organisation_id
    body = callers["bolat"].get(f"/api/v1/vacancies/?status=draft&organisation={other_org_id}").json()
    assert body["results"] == []
    body = callers["timur"].get(f"/api/v1/applications/?vacancy={world.bolat_published.id}").json()
    assert body["results"] == []
    text = json.dumps(callers["key_bolat_all"].get("/api/v1/seekers/").json())
    assert world.aigerim_profile.user.email not in text
