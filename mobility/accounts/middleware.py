"""Sessions: which role a person used last, and how long an idle session lives.

Remember which of their roles a person used last, so signing in brings them back to it.

Kept in a long-lived cookie (no database write on any page): a role the person does not hold
is ignored by `landing_url_for`, so a shared computer cannot send anyone anywhere they may not go.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext

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


IDLE_KEY = "_last_seen"


def idle_limit_seconds(user: object) -> int:
    """How long a session may go without a request: short for staff, who open other people's
    records on shared office computers, long for people using their own phone (settings)."""
    from django.conf import settings

    from mobility.core.actors import actor_of

    if actor_of(user).is_staff_member:
        return int(settings.SESSION_IDLE_STAFF_SECONDS)
    return int(settings.SESSION_IDLE_SECONDS)


def _now() -> int:
    return int(time.time())


class IdleSessionMiddleware:
    """End a session that has been idle longer than its holder's limit.

    The last request's time is kept in the session, written at most once a minute (not on every
    page), and the cookie's own expiry follows the same limit, so a browser left closed forgets it
    too. After the limit the person is signed out and the request goes on as anonymous: pages
    that need an account send them to sign in, with a message saying why.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and session is not None and user.is_authenticated:
            limit = idle_limit_seconds(user)
            now = _now()
            last = session.get(IDLE_KEY)
            if last is not None and now - int(last) > limit:
                logout(request)
                messages.info(
                    request,
                    ngettext(
                        "You were signed out after %(minutes)d minute without activity.",
                        "You were signed out after %(minutes)d minutes without activity.",
                        limit // 60,
                    )
                    % {"minutes": limit // 60},
                )
            elif last is None or now - int(last) >= 60:
                session[IDLE_KEY] = now
                session.set_expiry(limit)
        return self.get_response(request)
