"""How often one address may try a public form that creates accounts or sends messages.

Sign-up, password reset and activation answer the same whether or not an account exists (the
kernel issue made them neutral), but without a limit anyone can still send a stranger a stream of
messages or try activation codes at machine speed. Sign-in has its own lock-out (django-axes);
these forms get a per-address budget of POSTs per window, counted in the shared cache by
django-ratelimit against the address our proxies vouch for (`accounts.security.client_ip`), so
rotating `X-Forwarded-For` gains nothing. The budgets are settings (`RATE_LIMITS`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

View = Callable[..., HttpResponse]


def _client(group: str, request: HttpRequest) -> str:
    from mobility.accounts.security import client_ip

    return client_ip(request)


def limit_posts(scope: str) -> Callable[[View], View]:
    """Count each POST to the view against the caller's address; over budget, answer 429 with a
    page that says how long to wait, and do nothing else (the view does not run)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                usage = get_usage(
                    request,
                    group=f"forms.{scope}",
                    key=_client,
                    rate=settings.RATE_LIMITS[scope],
                    method="POST",
                    increment=True,
                )
                if usage is not None and usage["should_limit"]:
                    minutes = max(1, math.ceil(int(usage["time_left"]) / 60))
                    response = render(request, "429.html", {"minutes": minutes}, status=429)
                    response["Retry-After"] = str(int(usage["time_left"]))
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
