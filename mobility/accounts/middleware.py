"""Sessions: which role a person used last, how long an idle session lives, and the second factor.

Remember which of their roles a person used last, so signing in brings them back to it.

Kept in a long-lived cookie (no database write on any page): a role the person does not hold
is ignored by `landing_url_for`, so a shared computer cannot send anyone anywhere they may not go.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
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

    The last request's time is kept in the session and written at most once a minute (the sign-in
    itself counts, through `last_login`), and the cookie's own expiry follows the same limit, so a
    browser left closed forgets it too. Within a minute of the last write nothing is read or
    written: the holder's role is asked only when a write or a sign-out is due. After the limit
    the person is signed out and the request goes on as anonymous: pages that need an account
    send them to sign in, with a message saying why.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and session is not None and user.is_authenticated:
            now = _now()
            last = session.get(IDLE_KEY)
            if last is None and user.last_login is not None:
                last = int(user.last_login.timestamp())
            idle = now - int(last if last is not None else now)
            if idle >= 60:
                limit = idle_limit_seconds(user)
                if idle > limit:
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
                else:
                    session[IDLE_KEY] = now
                    session.set_expiry(limit)
        return self.get_response(request)


# Pages a signed-in person who still owes a second factor may open: proving it (or enrolling),
# seeing the recovery codes just made, signing out, switching the language. Nothing else.
SECOND_FACTOR_PAGES = frozenset(
    {
        "accounts:two_factor_enrol",
        "accounts:two_factor_verify",
        "accounts:two_factor_codes",
        "accounts:logout",
        "set_language",
        "healthz",
        "sms_inbound",
    }
)


class SecondFactorMiddleware:
    """The one place the second-factor rule is enforced (`accounts.twofactor.second_factor_satisfied`).

    A signed-in person who needs a second factor and has not proved one in this session reaches
    nothing but `SECOND_FACTOR_PAGES`: every page (staff pages, the workspace, the mobile group,
    the admin, their own account) sends them to enrol (no device yet) or to verify (with one),
    and the API, used with this session, answers 403 problem+json. API calls with a credential of
    their own (`Authorization: Bearer`) are the credential's business: staff tokens are made with
    a second factor and expire (`api.services.personal_token_state`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        from mobility.accounts import twofactor

        match = request.resolver_match
        if match is not None and match.view_name in SECOND_FACTOR_PAGES:
            return None
        if request.path.startswith("/api/") and _bearer(request):
            return None
        if twofactor.second_factor_satisfied(request):
            return None
        if request.path.startswith("/api/"):
            return _second_factor_problem(request)
        target = (
            "accounts:two_factor_verify"
            if twofactor.has_second_factor(request.user)
            else "accounts:two_factor_enrol"
        )
        url = reverse(target)
        if request.method == "GET":
            url += "?" + urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        return HttpResponseRedirect(url)


def _bearer(request: HttpRequest) -> bool:
    """The request carries its own credential (the API then ignores the session)."""
    return request.headers.get("Authorization", "").strip().lower().startswith("bearer ")


def _second_factor_problem(request: HttpRequest) -> HttpResponse:
    from mobility.api.exceptions import PROBLEM_CONTENT_TYPE, TITLES, problem

    body = problem(
        403,
        code="second_factor_required",
        title=_(TITLES[403]),
        detail=_(
            "Staff use the API with this session only after confirming a sign-in code. "
            "Open the site, enter the code from your authenticator app, and try again."
        ),
        instance=request.path,
    )
    return HttpResponse(json.dumps(body), status=403, content_type=PROBLEM_CONTENT_TYPE)
