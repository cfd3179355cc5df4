"""Scope checks for collections and writes. Objects are filtered by the selectors instead, so an
object the caller may not see (whatever the reason) answers 404."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from mobility.api.principal import caller_of


class HasScope(BasePermission):
    """The view's `required_scope`: keys must hold it; signed-in people always pass here."""

    message = _("This API key does not have the scope this operation needs.")

    def has_permission(self, request: Request, view: Any) -> bool:
        scope = getattr(view, "required_scope", None)
        caller = caller_of(request)
        if not (caller.is_person or caller.key is not None):
            return False
        return scope is None or caller.has_scope(scope)


class PeopleOnly(BasePermission):
    """Operations a person does for themselves (their own profile, applying)."""

    message = _("This operation is for a signed-in person, not for an API key.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return caller_of(request).is_person
