"""Where a person lands after signing in (or activating their account): where their work is.

Seekers: vacancies for me; employers: their home; centre staff: the caseload; administrators:
the admin. Someone with several roles returns to the one whose pages they used last (a cookie
kept by `RememberRoleMiddleware`). A safe `next` address always wins.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from mobility.accounts import access

SEEKER, EMPLOYER, STAFF, ADMIN = "seeker", "employer", "staff", "admin"
LAST_ROLE_COOKIE = "last_role"
HOMES = {
    SEEKER: "portal:for_me",
    EMPLOYER: "employer:home",
    STAFF: "cases:caseload",
    ADMIN: "admin:index",
}
# With several roles and none used yet: the work that cannot wait comes first.
PRECEDENCE = (STAFF, EMPLOYER, SEEKER, ADMIN)
# Which role a page belongs to, by its URL namespace.
NAMESPACE_ROLES = {"portal": SEEKER, "employer": EMPLOYER, "cases": STAFF, "staff": STAFF, "admin": ADMIN}


def landing_roles(user: Any) -> list[str]:
    """The person's roles as landing places, in order of precedence."""
    held = access.roles_of(user)
    have = {
        SEEKER: "seeker" in held,
        EMPLOYER: any(role.startswith("employer_") for role in held),
        STAFF: access.is_centre_staff(user) and bool(access.centre_memberships(user)),
        ADMIN: "admin" in held,
    }
    return [role for role in PRECEDENCE if have[role]]


def landing_url_for(user: Any, *, next_url: str | None = None, request: Any = None) -> str:
    """The one answer to "where does this person go now?"."""
    if next_url and url_has_allowed_host_and_scheme(
        next_url,
        allowed_hosts={request.get_host()} if request is not None else set(),
        require_https=bool(request is not None and request.is_secure()),
    ):
        return next_url
    roles = landing_roles(user)
    if not roles:
        if hasattr(user, "foreign_applicant"):
            # A foreign specialist (an account without an IIN): their applications.
            return reverse("foreign:applications")
        return reverse(settings.LOGIN_REDIRECT_URL)
    last = request.COOKIES.get(LAST_ROLE_COOKIE) if request is not None else None
    role = last if last in roles else roles[0]
    if role == STAFF and not access.is_exchange_staff(user):
        # Staff outside the labour exchange (migration officers) work the visa and card queue.
        return reverse("foreign:queue")
    return reverse(HOMES[role])
