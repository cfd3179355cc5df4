"""Role checks and object access for the accounts app, built on the actor module.

Who the caller is and what they act for is answered once, by `mobility.core.actors`; this module
turns those answers into page decorators and fetch-or-404 helpers. Pages a role may not use
answer 403; objects a person may not see answer 404, so "missing" and "not yours" look the same.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from mobility.accounts.models import CentreMembership, OrganisationMembership
from mobility.core.actors import EXCHANGE_STAFF_ROLES, Actor, actor_of
from mobility.reference.models import Centre

F = TypeVar("F", bound=Callable[..., HttpResponse])


def is_admin(user: Any) -> bool:
    return actor_of(user).is_admin


def is_centre_staff(user: Any) -> bool:
    """Centre staff of any role, or an administrator."""
    return actor_of(user).is_staff_member


def is_exchange_staff(user: Any) -> bool:
    """Staff of the labour exchange (counsellors, regional managers) or an administrator;
    migration officers work on visa and card cases, not on the exchange's people."""
    actor = actor_of(user)
    return actor.is_admin or actor.has_centre_role(*EXCHANGE_STAFF_ROLES)


def is_employer(user: Any) -> bool:
    return actor_of(user).is_employer


def roles_of(user: Any) -> set[str]:
    """Every role the person holds right now (for navigation and the account page)."""
    return actor_of(user).roles


def centre_memberships(user: Any) -> list[CentreMembership]:
    """The person's centre memberships as rows to display (the account page); access decisions
    ask the actor instead."""
    if not user.is_authenticated:
        return []
    return list(user.centre_memberships.select_related("centre__region"))


def organisation_memberships(user: Any) -> list[OrganisationMembership]:
    """The person's organisation memberships as rows to display (the account page)."""
    if not user.is_authenticated:
        return []
    return list(user.organisation_memberships.select_related("organisation"))


def _role_required(check: Callable[[Actor], bool]) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(actor_of(request)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


# Any member of centre staff (their own centres' pages, the staff home).
staff_required = _role_required(lambda actor: actor.is_staff_member)
# The labour exchange's workspace: caseload, desk, cases, dashboards, verification, employer
# requests, the mobile group. Not for migration officers.
exchange_staff_required = _role_required(
    lambda actor: actor.is_admin or actor.has_centre_role(*EXCHANGE_STAFF_ROLES)
)
employer_required = _role_required(lambda actor: actor.is_employer)
admin_required = _role_required(lambda actor: actor.is_admin)
# The audit search (docs/personal-data.md): administrators, and regional managers for their region.
audit_reader_required = _role_required(lambda actor: actor.is_admin or bool(actor.managed_region_ids()))


# --- Scoped querysets (used by selectors) and object access (404) -------------------------


def centres_visible_to(user: Any) -> QuerySet[Centre]:
    """Centres the person works at (a regional manager: every centre of the region; an
    administrator: all; everyone else none)."""
    qs = Centre.objects.select_related("region", "parent")
    ids = actor_of(user).centre_ids()
    return qs if ids is None else qs.filter(id__in=ids)


def get_centre_for_user(user: Any, centre_id: int) -> Centre:
    return get_object_or_404(centres_visible_to(user), id=centre_id)
