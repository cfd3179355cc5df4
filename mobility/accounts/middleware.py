"""Remember which of their roles a person used last, so signing in brings them back to it.

Kept in a long-lived cookie (no database write on any page): a role the person does not hold
is ignored by `landing_url_for`, so a shared computer cannot send anyone anywhere they may not go.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from mobility.accounts.landing import LAST_ROLE_COOKIE, NAMESPACE_ROLES

ONE_YEAR = 365 * 24 * 3600


class RememberRoleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        match = request.resolver_match
        if user is None or match is None or not user.is_authenticated or response.status_code >= 300:
            return response
        role = NAMESPACE_ROLES.get(match.namespaces[0] if match.namespaces else "")
        if role is not None and request.COOKIES.get(LAST_ROLE_COOKIE) != role:
            response.set_cookie(LAST_ROLE_COOKIE, role, max_age=ONE_YEAR, httponly=True, samesite="Lax")
        return response
