"""Who is calling the API: a person (session or personal token) or a partner system (API key).

Every selector of the API takes a `Caller`, so object access is decided in one place for both
kinds. A key acts for exactly one organisation or one centre, and only within its scopes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import cached_property
from rest_framework.request import Request

from mobility.accounts import access
from mobility.api.models import ApiKey, PersonalToken


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


@dataclass
class Caller:
    user: Any = None  # a User for people, None for keys and anonymous callers
    key: ApiKey | None = None

    @property
    def is_person(self) -> bool:
        return self.user is not None and self.user.is_authenticated

    @property
    def is_admin(self) -> bool:
        return self.is_person and access.is_admin(self.user)

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
        if self.key is not None:
            return self.key.created_by
        return self.user if self.is_person else None

    def has_scope(self, scope: str) -> bool:
        """People act with their own rights; keys only within their scopes."""
        if self.key is not None:
            return scope in self.key.scopes
        return self.is_person

    def organisation_ids(self, scope: str | None = None) -> set[int]:
        """Organisations the caller acts for (for a key: only if it holds `scope`)."""
        if self.key is not None:
            if self.key.organisation_id and (scope is None or scope in self.key.scopes):
                return {self.key.organisation_id}
            return set()
        if not self.is_person:
            return set()
        return {m.organisation_id for m in access.organisation_memberships(self.user)}

    def centre_ids(self, scope: str) -> set[int] | None:
        """Centres whose registrations the caller sees; None means all (administrators)."""
        if self.key is not None:
            if self.key.centre_id and scope in self.key.scopes:
                return {self.key.centre_id}
            return set()
        if not self.is_person:
            return set()
        if self.is_admin:
            return None
        return self._centres

    @cached_property
    def _centres(self) -> set[int]:
        return set(access.centres_visible_to(self.user).values_list("id", flat=True))

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
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiKey):
        caller = Caller(key=auth)
    elif isinstance(auth, PersonalToken) or (request.user and request.user.is_authenticated):
        caller = Caller(user=request.user)
    else:
        caller = Caller()
    request._api_caller = caller  # type: ignore[attr-defined]
    return caller
