"""Role checks and object access, in one place.

Pages a role may not use answer 403; objects a person may not see answer 404, so
"missing" and "not yours" look the same.
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

from mobility.accounts.models import CentreMembership, Organisation, OrganisationMembership
from mobility.reference.models import Centre

F = TypeVar("F", bound=Callable[..., HttpResponse])


def is_admin(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def centre_memberships(user: Any) -> list[CentreMembership]:
    """The user's centre memberships, cached on the user object for the request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_centre_memberships", None)
    if cached is None:
        cached = list(user.centre_memberships.select_related("centre__region"))
        user._centre_memberships = cached
    return cached


def organisation_memberships(user: Any) -> list[OrganisationMembership]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_organisation_memberships", None)
    if cached is None:
        cached = list(user.organisation_memberships.select_related("organisation"))
        user._organisation_memberships = cached
    return cached


def region_ids_of(user: Any) -> set[int]:
    """Regions of every centre the person belongs to."""
    return {m.centre.region_id for m in centre_memberships(user)}


def managed_region_ids(user: Any) -> set[int]:
    """Regions the person manages as a regional centre manager."""
    return {
        m.centre.region_id
        for m in centre_memberships(user)
        if m.role == CentreMembership.Role.REGIONAL_MANAGER
    }


def is_centre_staff(user: Any) -> bool:
    return is_admin(user) or bool(centre_memberships(user))


def is_employer(user: Any) -> bool:
    return bool(organisation_memberships(user))


def has_centre_role(user: Any, *roles: str) -> bool:
    return any(m.role in roles for m in centre_memberships(user))


def roles_of(user: Any) -> set[str]:
    """Every role the person holds right now (for navigation and the account page)."""
    roles: set[str] = set()
    if not user.is_authenticated:
        return roles
    if is_admin(user):
        roles.add("admin")
    roles.update(m.role for m in centre_memberships(user))
    roles.update("employer_" + m.role for m in organisation_memberships(user))
    # The reverse one-to-one raises (an AttributeError) when the person has no profile.
    if hasattr(user, "seeker_profile"):
        roles.add("seeker")
    return roles


def _role_required(check: Callable[[Any], bool]) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


staff_required = _role_required(is_centre_staff)
employer_required = _role_required(is_employer)
admin_required = _role_required(is_admin)


# --- Scoped querysets (used by selectors) and object access (404) -------------------------


def centres_visible_to(user: Any) -> QuerySet[Centre]:
    """Counsellors and migration officers see their own centre; regional managers every
    centre of their region; administrators all; everyone else none."""
    qs = Centre.objects.select_related("region", "parent")
    if is_admin(user):
        return qs
    memberships = centre_memberships(user)
    if not memberships:
        return qs.none()
    own = {m.centre_id for m in memberships}
    from django.db.models import Q

    return qs.filter(Q(id__in=own) | Q(region_id__in=managed_region_ids(user)))


def organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("region", "head_office")
    if is_admin(user):
        return qs
    return qs.filter(memberships__user=user)


def get_centre_for_user(user: Any, centre_id: int) -> Centre:
    return get_object_or_404(centres_visible_to(user), id=centre_id)


def get_organisation_for_user(user: Any, organisation_id: int) -> Organisation:
    return get_object_or_404(organisations_visible_to(user), id=organisation_id)
