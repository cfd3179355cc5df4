"""Who is calling the API: a person (session or personal token) or a partner system (API key).

Every selector of the API takes a `Caller`, so object access is decided in one place for both
kinds. A key acts for exactly one organisation or one centre, and only within its scopes.
"""

from __future__ import annotations

from typing import Any, cast

from django.utils.functional import cached_property
from rest_framework.request import Request

from mobility.api.models import ApiKey
from mobility.core.actors import Actor, actor_of


class ApiKeyPrincipal:
    """`request.user` for a request made with client credentials: authenticated, not a person."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, key: ApiKey) -> None:
        self.key = key

    def __str__(self) -> str:
        return f"api-key:{self.key.prefix}"


class Caller:
    """The API's view of an `Actor` (mobility.core.actors): the same roles, organisations and
    centres as on the pages, plus what only the API needs (a client id for idempotency and
    throttling, the person's own profile)."""

    def __init__(self, actor: Actor) -> None:
        self.who = actor

    @property
    def user(self) -> Any:
        return self.who.user

    @property
    def key(self) -> ApiKey | None:
        return cast("ApiKey | None", self.who.key)

    @property
    def is_person(self) -> bool:
        return self.who.is_person

    @property
    def is_admin(self) -> bool:
        return self.who.is_admin

    @property
    def client_id(self) -> str:
        if self.key is not None:
            return f"key:{self.key.pk}"
        if self.is_person:
            return f"user:{self.user.pk}"
        return ""

    @property
    def actor(self) -> Any:
        """Who the audit trail names: the person, or the person who made the key."""
        return self.who.audit_user

    def has_scope(self, scope: str) -> bool:
        """People act with their own rights; keys only within their scopes."""
        return self.who.has_scope(scope)

    def organisation_ids(self, scope: str | None = None) -> set[int]:
        """Organisations the caller acts for, branches included (a key: only if it holds `scope`)."""
        return self.who.organisation_ids(scope=scope)

    @cached_property
    def profile(self) -> Any:
        """The caller's own seeker profile (people only)."""
        if not self.is_person:
            return None
        from mobility.exchange.selectors import profile_of

        return profile_of(self.user)


def caller_of(request: Request) -> Caller:
    cached = getattr(request, "_api_caller", None)
    if cached is not None:
        return cached
    caller = Caller(actor_of(request))
    request._api_caller = caller  # type: ignore[attr-defined]
    return caller
