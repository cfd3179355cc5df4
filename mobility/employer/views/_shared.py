"""Helpers the employer pages share."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from mobility.accounts.models import User

LOGIN_BACKEND = "mobility.accounts.backends.EmailOrIinBackend"


def _actor(request: HttpRequest) -> User:
    """The signed-in person (the decorators have checked there is one)."""
    return cast(User, request.user)


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)
