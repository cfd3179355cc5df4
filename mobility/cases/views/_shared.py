"""Helpers the workspace pages share."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest

from mobility.accounts.models import User
from mobility.cases import selectors
from mobility.reference.models import Centre


def _user(request: HttpRequest) -> User:
    """The signed-in staff member (the decorators have already checked the role)."""
    return cast(User, request.user)


def _scope_centres(request: HttpRequest) -> Any:
    scope = selectors.centre_ids_in_scope(request.user)
    qs = Centre.objects.select_related("region")
    return qs if scope is None else qs.filter(id__in=scope)
